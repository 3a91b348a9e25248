"""Peak memory of the server while it takes a large upload, against a bare Starlette app reading the same
stream into nothing, measured in the same run; and the bytes read back, hash-compared.

Each upload is one multipart body streamed from a generator (the client never holds it). The server's peak
resident memory (VmHWM) is read from /proc before and after; its growth is what the upload cost.

    python bench/upload_memory.py [--megabytes 200]
"""

from __future__ import annotations

import argparse
import contextlib
import base64
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import start, stop  # noqa: E402

from mockserver.fixtures import load_fixtures  # noqa: E402

HERE = Path(__file__).resolve().parent
CHUNK = bytes(range(256)) * 4096      # 1 MiB
BOUNDARY = "taskmock-bench-boundary"


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


@contextlib.contextmanager
def serving(command: list[str]) -> Iterator[tuple[int, str]]:
    """A server process for the block: its pid and URL; stopped at the end, whatever happens."""
    process, url, _ = start(command)
    try:
        yield process.pid, url
    finally:
        stop(process)


def growth(pid: int, action: Callable[[], Any]) -> tuple[Any, float]:
    """``action()``'s result, and how many MiB it grew the process's peak resident memory (VmHWM) by."""
    before = peak_kib(pid)
    result = action()
    return result, (peak_kib(pid) - before) / 1024


def multipart(megabytes: int, digest, fields: dict[str, str], file_field: str):
    head = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in fields.items())
    yield (head + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="big.bin"\r\n'
           "Content-Type: application/octet-stream\r\n\r\n").encode()
    for i in range(megabytes):
        piece = CHUNK[i % 256:] + CHUNK[: i % 256]
        digest.update(piece)
        yield piece
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def upload(url: str, path: str, megabytes: int, headers: dict[str, str], fields: dict[str, str],
           file_field: str = "file") -> tuple[httpx.Response, str]:
    digest = hashlib.sha256()
    response = httpx.post(url + path, content=multipart(megabytes, digest, fields, file_field), timeout=600,
                          headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    return response, digest.hexdigest()


def download_sha256(url: str, headers: dict[str, str]) -> str:
    digest = hashlib.sha256()
    with httpx.stream("GET", url, headers=headers, timeout=600) as response:
        response.raise_for_status()
        for piece in response.iter_bytes():
            digest.update(piece)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    mb = parser.parse_args().megabytes

    with serving([sys.executable, str(HERE / "bare_app.py")]) as (pid, url):
        (response, _), bare_growth = growth(pid, lambda: upload(url, "/upload", mb, {}, {}))
        assert response.json()["size"] > mb * 2**20

    # the default ProjectCOR rules refuse files over 50 MB: the same fixtures with that limit lifted
    fixtures = load_fixtures()
    fixtures["projectcor"]["upload_rules"]["max_file_size"] = 2**40
    fixture_file = Path(tempfile.mkdtemp()) / "fixtures.json"
    fixture_file.write_text(json.dumps(fixtures))
    with serving([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--fixtures", str(fixture_file)]) \
            as (pid, url):
        results = {}
        toggl = {"Authorization": "Bearer toggl_sk_mock_owner_key"}
        (response, sent), grown = growth(pid, lambda: upload(
            url, "/api/organizations/1001/workspaces/2001/tasks/4001/attachments", mb, toggl, {"display_order": "0"}))
        assert response.status_code == 201, response.text
        view = f"{url}/api/organizations/1001/workspaces/2001/tasks/4001/attachments/{response.json()['id']}/view"
        results["toggl"] = (grown, download_sha256(view, toggl) == sent)

        basic = base64.b64encode(b"cor-api-key:cor-client-secret").decode()
        token = httpx.post(url + "/v1/oauth/token?grant_type=client_credentials",
                           headers={"Authorization": f"Basic {basic}"}).json()["access_token"]
        cor = {"Authorization": f"Bearer {token}"}
        (response, sent), grown = growth(pid, lambda: upload(url, "/v1/tasks/7001/attachments", mb, cor,
                                                             {"status": "pending"}))
        record = response.json()["files"]
        assert record, response.text
        results["projectcor"] = (grown, download_sha256(record[0]["url"], {}) == sent)

    print(f"upload of {mb} MiB, growth of the server's peak resident memory:")
    print(f"  bare starlette (reads into nothing) {bare_growth:7.1f} MiB")
    for vendor, (grown, same) in results.items():
        print(f"  taskmock {vendor:12s}              {grown:7.1f} MiB   bytes read back identical: {same}"
              f"   (ratio to bare: {grown / max(bare_growth, 0.1):.1f})")


if __name__ == "__main__":
    main()
