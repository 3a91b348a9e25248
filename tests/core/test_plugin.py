"""The pytest plugin as a user meets it: installed with the package, no conftest needed."""

from __future__ import annotations

USER_TESTS = '''
import base64
import threading

import httpx
import kanboard


def test_live_server_with_the_real_client(taskmock):
    kb = kanboard.Client(url=taskmock.kanboard.url, username=taskmock.kanboard.username,
                         password=taskmock.kanboard.token)
    file_id = kb.create_task_file(project_id=1, task_id=1, filename="a.txt", blob=base64.b64encode(b"a").decode())
    assert kb.get_task_file(file_id=file_id)["name"] == "a.txt"
    assert [e["path"] for e in taskmock.requests(vendor="kanboard")] == ["/jsonrpc.php"] * 2
    assert taskmock.state("kanboard")["kanboard"]["tasks"][0]["files"][0]["name"] == "a.txt"


def test_state_is_reset_between_tests(taskmock):
    kb = kanboard.Client(url=taskmock.kanboard.url, username="jsonrpc", password=taskmock.kanboard.token)
    assert kb.get_all_task_files(task_id=1) == []
    assert taskmock.requests() == [e for e in taskmock.requests() if "getAllTaskFiles" in e["body"]]


def test_users_from_the_fixtures(taskmock):
    viewer = kanboard.Client(url=taskmock.kanboard.url, username="viewer",
                             password=taskmock.kanboard.users["viewer"])
    assert viewer.get_all_task_files(task_id=1) == []


def test_the_server_runs_in_its_own_thread(taskmock_server):
    names = [t.name for t in threading.enumerate()]
    assert "taskmock-server" in names
    assert httpx.get(taskmock_server.url + "/__admin/health").status_code == 200


def test_in_process(taskmock_asgi):
    response = taskmock_asgi.post("/jsonrpc.php", json={"jsonrpc": "2.0", "method": "getVersion", "id": 1},
                                  auth=("jsonrpc", taskmock_asgi.kanboard.token))
    assert response.json()["result"]
    assert taskmock_asgi.kanboard.url == "http://taskmock/jsonrpc.php"
'''


def test_the_fixtures_work_in_a_fresh_project(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_ini_options_choose_fixtures_and_seed(pytester):
    pytester.makefile(".json", mine='{"kanboard": {"app_token": "ini-token", "users": [{"username": "u1", "password": "p1"}]}}')
    pytester.makeini("[pytest]\ntaskmock_fixtures = mine.json\ntaskmock_seed = 7\n")
    pytester.makepyfile(test_ini='''
def test_token(taskmock):
    assert taskmock.kanboard.token == "ini-token"
    assert taskmock.kanboard.users == {"u1": "p1"}
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
