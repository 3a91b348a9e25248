"""The one pipeline around every handler: a bug of the mock is logged, journaled and answered as the vendor's own
internal error, never hidden; emulated vendor 500s stay answers; the journal names the operations a request
ran, a batch's sub-calls included."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from mockserver.bitrix24.models import BitrixState
from mockserver.kanboard.models import KanboardState
from mockserver.onlyoffice.models import OnlyofficeState
from mockserver.projectcor.models import CorState
from mockserver.pytest_plugin import AsgiHandle
from mockserver.settings import Settings
from mockserver.toggl.models import TogglState

KANBOARD_AUTH = ("jsonrpc", "kanboard-app-token")


def rpc(method: str, params, request_id=1) -> dict:
    return {"jsonrpc": "2.0", "method": method, "params": params, "id": request_id}


def kanboard(handle: AsgiHandle):
    return handle.post("/jsonrpc.php", auth=KANBOARD_AUTH, json=rpc("getAllTaskFiles", {"task_id": 1}))


def projectcor(handle: AsgiHandle):
    c = handle.projectcor
    token = handle.post("/v1/oauth/token?grant_type=client_credentials", auth=(c.api_key, c.client_secret))
    return handle.get(f"/v1/tasks/{c.task_ids[0]}/attachments",
                      headers={"Authorization": f"Bearer {token.json()['access_token']}"})


def toggl(handle: AsgiHandle):
    t = handle.toggl
    return handle.get(f"/api/organizations/{t.organization_id}/workspaces/{t.workspace_id}/tasks/4001/attachments",
                      headers={"Authorization": f"Bearer {t.api_key}"})


def onlyoffice(handle: AsgiHandle):
    return handle.get("/api/2.0/project/task/1/files", auth=("member", handle.onlyoffice.users["member"]))


def bitrix24(handle: AsgiHandle):
    return handle.post("/rest/2/b2webhook/tasks.task.get", json={"taskId": 3701})


# vendor -> (request, the state method the handler reaches, the operation, the vendor's internal error)
CRASHES = {
    "kanboard": (kanboard, KanboardState, "files_of", "getAllTaskFiles", (500, b"")),
    "projectcor": (projectcor, CorState, "task_attachments", "attachments.list",
                   (500, b'{"message":"Internal server error"}')),
    "toggl": (toggl, TogglState, "attachments_of", "list-task-attachments", (500, b'"Internal Server Error"')),
    "onlyoffice": (onlyoffice, OnlyofficeState, "can_read", "task.files.list",
                   (500, b'{"status":1,"statusCode":500,"error":{"message":"Server error","hresult":-2146233088,'
                         b'"data":{}}}')),
    "bitrix24": (bitrix24, BitrixState, "can_see_task", "tasks.task.get",
                 (500, b'{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal server error"}')),
}


@pytest.fixture
def handle():
    h = AsgiHandle(Settings())
    yield h
    h.close()


@pytest.mark.parametrize("vendor", list(CRASHES))
def test_a_bug_of_the_mock_is_logged_journaled_and_answered_as_the_vendors_internal_error(
        handle, vendor, monkeypatch, caplog):
    send, state_class, method, operation, (status, body) = CRASHES[vendor]

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in the mock")

    monkeypatch.setattr(state_class, method, broken)
    with caplog.at_level(logging.ERROR, logger="taskmock"):
        response = send(handle)
    assert (response.status_code, response.content) == (status, body)
    [record] = [r for r in caplog.records if r.name == "taskmock"]
    assert "ZeroDivisionError: a bug in the mock" in record.getMessage() and operation in record.getMessage()
    entry = handle.requests(vendor=vendor)[-1]
    assert entry["operations"] == [operation]
    assert "ZeroDivisionError: a bug in the mock" in entry["crash"]
    [crash] = handle.crashes()
    assert (crash["vendor"], crash["operations"]) == (vendor, [operation])
    handle.reset()
    assert handle.crashes() == []


def test_emulated_vendor_500s_are_answers_not_crashes(handle):
    fake_image = handle.post("/jsonrpc.php", auth=KANBOARD_AUTH, json=rpc(
        "createTaskFile", {"project_id": 1, "task_id": 1, "filename": "a.png", "blob": base64.b64encode(b"no").decode()}))
    assert (fake_image.status_code, fake_image.content) == (500, b"")
    failed_login = handle.post("/api/2.0/authentication", json={"userName": "member", "password": "wrong"})
    assert failed_login.status_code == 500
    assert [e["crash"] for e in handle.requests()] == [None, None]
    assert handle.crashes() == []


def test_the_journal_finds_each_call_of_a_kanboard_batch(handle):
    blob = base64.b64encode(b"x").decode()
    batch = [rpc("createTaskFile", [1, 1, f"{n}.txt", blob], n) for n in range(3)]
    assert [r["result"] for r in handle.post("/jsonrpc.php", auth=KANBOARD_AUTH, json=batch).json()] == [1, 2, 3]
    handle.post("/jsonrpc.php", auth=KANBOARD_AUTH, json=rpc("getVersion", []))
    [entry] = handle.requests(operation="createTaskFile")
    assert entry["operations"] == ["createTaskFile"] * 3
    over_http = handle.get("/__admin/requests", params={"operation": "createtaskfile"}).json()["requests"]
    assert [e["seq"] for e in over_http] == [entry["seq"]]
    assert [e["operations"] for e in handle.requests(operation="getVersion")] == [["getVersion"]]


def test_the_journal_finds_a_method_inside_a_bitrix24_batch(handle):
    upload = handle.post("/rest/2/b2webhook/disk.storage.uploadfile", json={
        "id": 12, "data": {"NAME": "a.txt"}, "fileContent": ["a.txt", base64.b64encode(b"a").decode()]})
    file_id = upload.json()["result"]["ID"]
    reply = handle.post("/rest/2/b2webhook/batch", json={"halt": 0, "cmd": {
        "attach": f"tasks.task.files.attach?taskId=3701&fileId={file_id}", "task": "tasks.task.get?taskId=3701"}})
    assert reply.json()["result"]["result"]["attach"]["attachmentId"]
    over_http = handle.get("/__admin/requests", params={"operation": "tasks.task.files.attach"}).json()["requests"]
    assert [e["operations"] for e in over_http] == [["batch", "tasks.task.files.attach", "tasks.task.get"]]
    assert json.loads(over_http[0]["body"])["cmd"]["attach"].startswith("tasks.task.files.attach")


def test_every_route_vendor_request_names_its_operation(handle):
    projectcor(handle)
    toggl(handle)
    onlyoffice(handle)
    handle.get("/v1/nowhere")
    assert [e["operations"] for e in handle.requests()] == [
        ["oauth.token"], ["attachments.list"], ["list-task-attachments"], ["task.files.list"], []]


def test_the_access_log_has_one_line_per_request_at_info(handle, caplog):
    with caplog.at_level(logging.INFO, logger="taskmock.access"):
        kanboard(handle)
    [line] = [r.getMessage() for r in caplog.records if r.name == "taskmock.access"]
    method, path, vendor, operation, status, ms, unit = line.split()
    assert (method, path, vendor, operation, status, unit) == ("POST", "/jsonrpc.php", "kanboard", "getAllTaskFiles",
                                                               "200", "ms")
    assert float(ms) >= 0
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="taskmock.access"):
        kanboard(handle)
    assert [r for r in caplog.records if r.name == "taskmock.access"] == []


CRASHING_USER_TEST = '''
import httpx
from mockserver.kanboard.models import KanboardState


def test_a_request_crashes_the_mock(taskmock, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("a bug in the mock")

    monkeypatch.setattr(KanboardState, "files_of", broken)
    reply = httpx.post(taskmock.kanboard.url, auth=("jsonrpc", taskmock.kanboard.token),
                       json={"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1], "id": 1})
    assert (reply.status_code, reply.content) == (500, b"")


def test_the_next_test_starts_clean(taskmock):
    assert taskmock.crashes() == []


def test_in_process_too(taskmock_asgi, monkeypatch):
    monkeypatch.setattr(KanboardState, "files_of", lambda *args: 1 / 0)
    reply = taskmock_asgi.post("/jsonrpc.php", auth=("jsonrpc", taskmock_asgi.kanboard.token),
                               json={"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1], "id": 1})
    assert reply.status_code == 500
'''


def test_the_fixtures_fail_the_test_whose_request_crashed_the_mock(pytester):
    pytester.makepyfile(test_user=CRASHING_USER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines([
        "*ERROR at teardown of test_a_request_crashes_the_mock*",
        "*the mock itself failed on 1 request(s) of this test*",
        "POST /jsonrpc.php (kanboard: getAllTaskFiles)",
        "*ZeroDivisionError: a bug in the mock",
        "*ERROR at teardown of test_in_process_too*",
    ])
