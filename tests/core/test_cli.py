"""``mockserver serve`` as CI scripts run it: a real process, the URL on one line, SIGTERM to stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from mockserver.vendor import REGISTRY


def start(*args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    url = process.stdout.readline().strip()       # printed once the server accepts connections
    if not url:
        process.kill()
        raise AssertionError(process.stderr.read())
    return process, url


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_its_url_answers_health_and_stops_cleanly(sig):
    process, url = start()
    try:
        assert url.startswith("http://127.0.0.1:")
        status, body = get_json(url + "/__admin/health")
        assert status == 200 and body["vendors"] == list(REGISTRY)
        process.send_signal(sig)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_blobs_are_removed_on_shutdown(tmp_path):
    process, url = start(env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        request = urllib.request.Request(url + "/jsonrpc.php", method="POST", data=json.dumps(
            {"jsonrpc": "2.0", "method": "createTaskFile", "params": [1, 1, "a.txt", "eA=="], "id": 1}).encode(),
            headers={"Authorization": "Basic anNvbnJwYzprYW5ib2FyZC1hcHAtdG9rZW4="})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read())["result"] == 1
        _, state = get_json(url + "/__admin/state")
        assert state["kanboard"]["tasks"][0]["files"][0]["name"] == "a.txt"
        [blob_dir] = tmp_path.glob("taskmock-blobs-*")
        assert len(list(blob_dir.iterdir())) == 1
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        assert not blob_dir.exists()
    finally:
        if process.poll() is None:
            process.kill()


def test_fixtures_and_seed(tmp_path):
    fixtures = tmp_path / "mine.json"
    fixtures.write_text(json.dumps({"kanboard": {"app_token": "mine", "users": [{"username": "zed", "password": "zed-secret"}]}}))
    names = []
    for seed in ("1", "1", "2"):
        process, url = start("--fixtures", str(fixtures), "--seed", seed, "--vendor", "kanboard")
        try:
            users = get_json(url + "/__admin/state")[1]["kanboard"]["users"]
            assert [u["username"] for u in users] == ["zed"]
            names.append(users[0]["name"])
        finally:
            process.terminate()
            process.wait(10)
    assert names[0] == names[1] != names[2]


def test_bad_arguments_fail_with_a_message():
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--vendor", "nope"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "invalid choice: 'nope'" in result.stderr
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--fixtures", "/does/not/exist"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "No such file" in result.stderr


def test_vendor_options_are_set_from_the_command_line():
    process, url = start("--vendor", "toggl", "--set", "toggl.quota_enforced=true",
                         "--set", "toggl.error_body=object")
    try:
        state = urllib.request.urlopen(url + "/__admin/health", timeout=5)
        assert json.loads(state.read())["vendors"] == ["toggl"]
        request = urllib.request.Request(url + "/api/organizations/1001/workspaces/2001/tasks/9/attachments",
                                         headers={"Authorization": "Bearer toggl_sk_mock_owner_key"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=5)
        assert caught.value.code == 404
        assert json.loads(caught.value.read())["error_description"] == "Task does not exist"   # object bodies
    finally:
        process.terminate()
        process.wait(10)
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--set", "nodot=1"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "expected VENDOR.KEY=VALUE" in result.stderr


def test_the_access_log_at_info_names_each_operation():
    process, url = start("--log-level", "info")
    try:
        request = urllib.request.Request(url + "/jsonrpc.php", method="POST", data=json.dumps(
            [{"jsonrpc": "2.0", "method": "getVersion", "id": 1}, {"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1], "id": 2}]
        ).encode(), headers={"Authorization": "Basic anNvbnJwYzprYW5ib2FyZC1hcHAtdG9rZW4="})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    lines = [line for line in process.stderr.read().splitlines() if "taskmock.access" in line]
    assert len(lines) == 1 and " POST /jsonrpc.php kanboard getVersion,getAllTaskFiles 200 " in lines[0], lines


def test_the_server_runs_without_the_c_parser_and_uvloop():
    """httptools and uvloop are the fast path, picked when installed; without them uvicorn's asyncio and h11
    serve the same answers."""
    code = ("import sys; sys.modules['uvloop'] = None; sys.modules['httptools'] = None; "
            "from mockserver.cli import main; sys.exit(main(['serve', '--port', '0']))")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        url = process.stdout.readline().strip()
        assert url, process.stderr.read()
        status, body = get_json(url + "/__admin/health")
        assert status == 200 and body["vendors"] == list(REGISTRY)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


@pytest.mark.parametrize("args, line", [
    (["--port", "70000"], "mockserver serve: error: argument --port: '70000' is no TCP port: 0 (any free one) to "
                          "65535"),
    (["--fixtures", "{mis}"], "mockserver: fixtures: {mis}: no vendor is named 'kanbord'; the sections are "
                              "kanboard, bitrix24, toggl, projectcor, onlyoffice"),
])
def test_a_wrong_start_is_one_line_and_exit_2(tmp_path, args, line):
    misspelt = tmp_path / "mine.json"
    misspelt.write_text('{"kanbord": {}}')
    args = [a.replace("{mis}", str(misspelt)) for a in args]
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", *args], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and result.stderr.strip().splitlines()[-1] == line.replace("{mis}", str(misspelt))


def test_version():
    result = subprocess.run([sys.executable, "-m", "mockserver", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "mockserver 0.1.0"


def test_check_and_fixtures_commands(tmp_path):
    printed = subprocess.run([sys.executable, "-m", "mockserver", "fixtures"], capture_output=True, text=True,
                             timeout=60)
    mine = tmp_path / "mine.json"
    mine.write_text(printed.stdout)
    good = subprocess.run([sys.executable, "-m", "mockserver", "check", str(mine)], capture_output=True, text=True,
                          timeout=60)
    assert (good.returncode, good.stdout) == (0, f"{mine}: good\n")
    mine.write_text('{"kanboard": {"users": [{"username": "x"}]}}')
    bad = subprocess.run([sys.executable, "-m", "mockserver", "check", str(mine)], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("mockserver: fixtures: kanboard.users[0] must contain")


def test_a_failed_start_leaves_no_directory_behind(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"toggl": {"options": {"quota_enforced": "yes"}}}')
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    first, url = start(env=env)
    try:
        port = url.rsplit(":", 1)[1]
        for args in (["--fixtures", str(bad)], ["--port", port]):          # a wrong file; a port in use
            result = subprocess.run([sys.executable, "-m", "mockserver", "serve", *args], capture_output=True,
                                    text=True, timeout=60, env=env)
            assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert len(list(tmp_path.glob("taskmock-blobs-*"))) == 1                      # the running server's
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(10)
    assert list(tmp_path.glob("taskmock-blobs-*")) == []


def test_what_a_killed_server_left_is_removed_by_the_next_start(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    killed, _ = start("--tls", env=env)
    left = sorted(p.name.split("-")[1] for p in tmp_path.glob("taskmock-*"))
    assert left == ["blobs", "tls"]                 # the blob store, and the CA with the private key
    killed.kill()
    killed.wait(10)
    alive, _ = start(env=env)
    try:
        [remaining] = tmp_path.glob("taskmock-*")
        assert remaining.name.startswith(f"taskmock-blobs-{alive.pid}-")
    finally:
        alive.send_signal(signal.SIGTERM)
        assert alive.wait(10) == 0
    assert list(tmp_path.glob("taskmock-*")) == []


def test_a_non_loopback_bind_warns_on_stderr():
    process, url = start("--host", "0.0.0.0")
    try:
        assert url.startswith("http://0.0.0.0:")
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        warning = process.stderr.read()
        assert "--host 0.0.0.0 serves the mock to other machines" in warning and "--admin-token" in warning
    finally:
        if process.poll() is None:
            process.kill()
