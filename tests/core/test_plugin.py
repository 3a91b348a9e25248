"""The pytest plugin as a user meets it: installed with the package, no conftest needed."""

from __future__ import annotations

import pytest

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


STEERING_TESTS = '''
import httpx
import pytest

VERSION = {"jsonrpc": "2.0", "method": "getVersion", "id": 1}


def version(taskmock):
    return httpx.post(taskmock.kanboard.url, auth=("jsonrpc", taskmock.kanboard.token), json=VERSION)


def test_a_fault_as_a_context_manager(taskmock):
    with taskmock.fault("kanboard", operation="getVersion", error="PhpFatalError") as fault:
        assert (version(taskmock).status_code, fault.hits) == (500, 1)
    assert version(taskmock).status_code == 200 and taskmock.faults() == []


def test_a_wrong_rule_says_why(taskmock):
    with pytest.raises(ValueError, match="kanboard has no error 'Nope'"):
        taskmock.fault("kanboard", error="Nope")


@pytest.mark.taskmock(options={"toggl": {"error_body": "object"}},
                      faults=[{"vendor": "kanboard", "operation": "getVersion", "error": "FalseResult"}])
def test_the_marker_steers_before_the_test(taskmock):
    assert version(taskmock).json()["result"] is False
    assert taskmock.state() and taskmock.faults()[0]["hits"] == 1


def test_the_marker_is_gone_in_the_next_test(taskmock):
    assert version(taskmock).json()["result"] == "1.2.53"


def test_the_ini_switches_are_in_force(taskmock_asgi):
    assert taskmock_asgi.get("/__admin/options").json()["toggl"]["quota_enforced"]["value"] is True


def test_options_and_the_clock_from_the_handle(taskmock):
    taskmock.options("toggl", error_body="object")
    assert httpx.get(taskmock.url + "/__admin/options").json()["toggl"]["error_body"]["value"] == "object"
    taskmock.advance(60)
    assert httpx.get(taskmock.url + "/__admin/clock").json()["offset"] == 60


def test_assert_called(taskmock_asgi):
    taskmock_asgi.post("/jsonrpc.php", auth=("jsonrpc", taskmock_asgi.kanboard.token), json=[VERSION, VERSION])
    taskmock_asgi.assert_called("kanboard", "getVersion", times=2)
    taskmock_asgi.assert_not_called("kanboard", "createTaskFile")
    with pytest.raises(AssertionError) as caught:
        taskmock_asgi.assert_called("kanboard", "createTaskFile")
    assert str(caught.value) == ("taskmock: expected kanboard createTaskFile at least once, it ran 0 time(s); "
                                 "what ran: kanboard getVersion x2")


def test_a_failing_test_reports_its_requests(taskmock):
    version(taskmock)
    assert False, "on purpose"
'''


def test_steering_from_a_test(pytester):
    pytester.makeini("[pytest]\ntaskmock_options =\n    toggl.quota_enforced=true\n")
    pytester.makepyfile(test_steering=STEERING_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=7, failed=1)
    result.stdout.fnmatch_lines(["*- taskmock requests -*", "POST /jsonrpc.php getVersion -> 200"])


def test_a_wrong_ini_option_is_one_line(pytester):
    pytester.makeini("[pytest]\ntaskmock_seed = seven\n")
    pytester.makepyfile(test_x="def test_x(taskmock_asgi):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == "ERROR: taskmock_seed = seven: the seed is a whole number"
