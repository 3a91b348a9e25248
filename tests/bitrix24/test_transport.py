"""Bitrix24 transport in-process: routes, params, envelopes, auth errors, batch, pagination, rate limits."""

from __future__ import annotations

import base64
import json
from xml.etree import ElementTree

import pytest

from mockserver.pytest_plugin import AsgiHandle
from mockserver.settings import Settings

HOOK = "/rest/2/b2webhook"


@pytest.fixture
def b(taskmock_asgi):
    return taskmock_asgi


def root_folder(b, hook=HOOK) -> str:
    return b.post(f"{hook}/disk.storage.getlist", json={"filter": {"ENTITY_TYPE": "user"}}).json()["result"][0][
        "ROOT_OBJECT_ID"]


def upload(b, name="a.txt", data=b"hello", hook=HOOK) -> dict:
    reply = b.post(f"{hook}/disk.folder.uploadfile", json={
        "id": root_folder(b, hook), "data": {"NAME": name}, "fileContent": [name, base64.b64encode(data).decode()]})
    assert reply.status_code == 200, reply.text
    return reply.json()["result"]


@pytest.mark.parametrize("path", [f"{HOOK}/tasks.task.get", f"{HOOK}/tasks.task.get.json", f"{HOOK}/TASKS.Task.Get/",
                                  f"{HOOK}/tasks.task.get.json/"])
def test_route_forms(b, path):
    reply = b.post(path, json={"taskId": 3701})
    assert reply.status_code == 200 and reply.json()["result"]["task"]["id"] == "3701"


def test_get_with_query_params_and_form_bodies(b):
    assert b.get(f"{HOOK}/tasks.task.get", params={"taskId": "3701", "select[]": "TITLE"}).json()["result"][
        "task"] == {"id": "3701", "title": "Prepare the quarterly report"}
    form = b.post(f"{HOOK}/tasks.task.add", data={"fields[TITLE]": "From a form", "fields[RESPONSIBLE_ID]": "2",
                                                  "fields[ACCOMPLICES][0]": "3"})
    assert form.json()["result"]["task"]["title"] == "From a form"
    assert form.json()["result"]["task"]["accomplices"] == ["3"]
    body_wins = b.post(f"{HOOK}/tasks.task.get?taskId=999", data={"taskId": "3701"})
    assert body_wins.json()["result"]["task"]["id"] == "3701"


def test_malformed_json_is_no_params(b):
    reply = b.post(f"{HOOK}/tasks.task.files.attach", content=b"{oops", headers={"Content-Type": "application/json"})
    assert reply.status_code == 400
    assert reply.json() == {"error": "100", "error_description":
                            "CTaskItem All parameters in the constructor must have real class type (internal error)"}


def test_envelopes_and_json_escaping(b):
    ok = b.post(f"{HOOK}/tasks.task.add", json={"fields": {"TITLE": "<b>&'\"/é", "RESPONSIBLE_ID": 2}})
    assert ok.headers["content-type"] == "application/json; charset=utf-8"
    assert '"title":"\\u003Cb\\u003E\\u0026\\u0027\\u0022\\/é"' in ok.text
    assert ok.json()["result"]["task"]["title"] == "<b>&'\"/é"
    block = ok.json()["time"]
    assert set(block) == {"start", "finish", "duration", "processing", "date_start", "date_finish",
                          "operating_reset_at", "operating"}
    assert isinstance(block["start"], int) and isinstance(block["finish"], float)
    assert block["duration"] == block["finish"] - block["start"]           # as in the seed's own example
    error = b.post(f"{HOOK}/tasks.task.add", json={"fields": {"RESPONSIBLE_ID": 2}})
    assert error.status_code == 400 and error.json() == {"error": "ERROR_CORE",
                                                         "error_description": "Task title is not specified<br>"}
    assert "\\u003Cbr\\u003E" in error.text


@pytest.mark.parametrize("params, code, description", [
    ({"fileId": 1}, "100", "CTaskItem All parameters in the constructor must have real class type (internal error)"),
    ({"taskId": "abc", "fileId": 1}, "0", "wrong task id (internal error)"),
    ({"taskId": 3701}, "100", "Could not find value for parameter {fileId} (internal error)"),
    ({"taskId": 3701, "fileId": "x1"}, "100",
     "Invalid value {x1} to match with parameter {fileId}. Should be value of type int. (internal error)"),
    ({"taskId": 3701, "fileId": ""}, "100",                  # there, but empty: the binder finds it, and refuses it
     "Invalid value {} to match with parameter {fileId}. Should be value of type int. (internal error)"),
    ({"taskId": 3701, "fileId": 999999}, "ERROR_CORE", "Insufficient permissions.<br>"),
    ({"taskId": 3702, "fileId": 1}, "0", "Access denied (internal error)"),
    ({"taskId": 999999, "fileId": 1}, "0", "Access denied (internal error)"),
])
def test_every_attach_error_of_the_method_page(b, params, code, description):
    reply = b.post(f"{HOOK}/tasks.task.files.attach", json=params)
    assert (reply.status_code, reply.json()) == (400, {"error": code, "error_description": description})


def test_numeric_strings_attach_and_the_same_file_twice_gives_a_new_attachment(b):
    file_id = upload(b)["ID"]
    first = b.post(f"{HOOK}/tasks.task.files.attach", data={"taskId": "3701", "fileId": str(file_id)}).json()
    second = b.get(f"{HOOK}/tasks.task.files.attach", params={"taskId": "3701", "fileId": file_id}).json()
    assert second["result"]["attachmentId"] > first["result"]["attachmentId"]
    task = b.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701, "select": ["UF_CRM_TASK"]}).json()
    assert task["result"]["task"]["ufTaskWebdavFiles"] == [first["result"]["attachmentId"],
                                                           second["result"]["attachmentId"]]


def test_task_get_selects_and_hides(b):
    plain = b.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701}).json()["result"]["task"]
    assert "ufTaskWebdavFiles" not in plain and plain["createdBy"] == "2"
    assert b.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701, "select": ["UF_TASK_WEBDAV_FILES"]}).json()[
        "result"]["task"]["ufTaskWebdavFiles"] is False
    assert b.post(f"{HOOK}/tasks.task.get", json={"taskId": 3702}).json()["result"] == []     # Clara's
    bad = b.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701, "select": "ID"})
    assert bad.status_code == 400 and bad.json()["error"] == "100"


def test_update_replaces_the_set_and_keeps_drive_files(b):
    one, two = upload(b, "one.txt")["ID"], upload(b, "two.txt")["ID"]
    first = b.post(f"{HOOK}/tasks.task.files.attach", json={"taskId": 3701, "fileId": one}).json()["result"][
        "attachmentId"]
    updated = b.post(f"{HOOK}/tasks.task.update", json={"taskId": 3701, "fields": {
        "UF_TASK_WEBDAV_FILES": [first, f"n{two}"]}})
    assert updated.status_code == 200
    files = b.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701, "select": ["UF_TASK_WEBDAV_FILES"]}).json()[
        "result"]["task"]["ufTaskWebdavFiles"]
    assert files[0] == first and len(files) == 2
    b.post(f"{HOOK}/tasks.task.update", json={"taskId": 3701, "fields": {"UF_TASK_WEBDAV_FILES": [files[1]]}})
    assert b.post(f"{HOOK}/disk.attachedObject.get", json={"id": first}).json()["error"] == "ERROR_NOT_FOUND"
    assert b.post(f"{HOOK}/disk.file.get", json={"id": one}).status_code == 200
    assert b.post(f"{HOOK}/tasks.task.update", json={"taskId": 3702, "fields": {"TITLE": "x"}}).json()[
        "error_description"] == "Access denied (internal error)"


def test_drive_errors_and_unique_names(b):
    assert b.post(f"{HOOK}/disk.file.get", json={}).json() == {
        "error": "ERROR_ARGUMENT", "error_description": "Invalid value of parameter {Parameter #0}"}
    assert b.post(f"{HOOK}/disk.file.get", json={"id": 123456}).json()["error_description"] == \
        "Could not find entity with id `123456`"
    claras = upload(b, hook="/rest/3/c3webhook")["ID"]
    assert b.post(f"{HOOK}/disk.file.get", json={"id": claras}).json()["error"] == "ACCESS_DENIED"
    upload(b, "same.txt")
    again = b.post(f"{HOOK}/disk.folder.uploadfile", json={"id": root_folder(b), "data": {"NAME": "same.txt"},
                                                            "fileContent": ["same.txt", "eA=="],
                                                            "generateUniqueName": "Y"})
    assert again.json()["result"]["NAME"] == "same (1).txt"
    no_name = b.post(f"{HOOK}/disk.folder.addsubfolder", json={"id": root_folder(b), "data": {}})
    assert no_name.json()["error"] == "DISK_BASE_SERVICE_22001"
    folder = b.post(f"{HOOK}/disk.folder.addsubfolder", json={"id": root_folder(b), "data": {"NAME": "Docs"}})
    assert folder.json()["result"]["TYPE"] == "folder"
    assert b.post(f"{HOOK}/disk.file.delete", json={"id": upload(b, "gone.txt")["ID"]}).json()["result"] is True


def test_lists_page_by_fifty(b):
    for i in range(120):
        upload(b, f"f{i:03}.txt", b"x")
    root = root_folder(b)
    first = b.post(f"{HOOK}/disk.folder.getchildren", json={"id": root}).json()
    assert (len(first["result"]), first["total"], first["next"]) == (50, 120, 50)
    last = b.post(f"{HOOK}/disk.folder.getchildren", json={"id": root, "start": 100}).json()
    assert (len(last["result"]), last["total"], "next" in last) == (20, 120, False)
    uncounted = b.post(f"{HOOK}/disk.folder.getchildren", json={"id": root, "start": -1}).json()
    assert "total" not in uncounted and len(uncounted["result"]) == 50
    filtered = b.post(f"{HOOK}/disk.folder.getchildren", json={"id": root, "filter": {"NAME": "f007.txt"}}).json()
    assert [f["NAME"] for f in filtered["result"]] == ["f007.txt"]
    assert all(isinstance(f["ID"], str) for f in first["result"])


@pytest.mark.parametrize("request_kwargs, code, status", [
    ({}, "NO_AUTH_FOUND", 401),
    ({"json": {"taskId": 3701, "auth": "nope"}}, "invalid_token", 401),
    ({"json": {"taskId": 3701, "auth": "oauth-token-expired"}}, "expired_token", 401),
])
def test_oauth_errors(b, request_kwargs, code, status):
    reply = b.post("/rest/tasks.task.get", **request_kwargs)
    assert (reply.status_code, reply.json()["error"]) == (status, code)


def test_oauth_token_forms(b):
    for kwargs in ({"json": {"taskId": 3701, "auth": "oauth-token-user-2"}},
                   {"params": {"taskId": 3701, "access_token": "oauth-token-user-2"}},
                   {"json": {"taskId": 3701}, "headers": {"Authorization": "Bearer oauth-token-user-2"}}):
        assert b.post("/rest/tasks.task.get.json", **kwargs).json()["result"]["task"]["id"] == "3701"
    step = b.post("/rest/disk.folder.uploadfile", json={"id": root_folder(b), "auth": "oauth-token-user-2"})
    assert "/rest/upload.json?auth=oauth-token-user-2&token=disk%7C" in step.json()["result"]["uploadUrl"]


def test_webhook_errors(b):
    assert b.post("/rest/2/nope/tasks.task.get", json={"taskId": 1}).json()["error"] == "INVALID_CREDENTIALS"
    assert b.post("/rest/9/b2webhook/tasks.task.get", json={"taskId": 1}).status_code == 401
    scope = b.post("/rest/2/b2diskonly/tasks.task.files.attach", json={"taskId": 3701, "fileId": 1})
    assert (scope.status_code, scope.json()["error"]) == (401, "insufficient_scope")
    assert b.post("/rest/2/b2diskonly/disk.storage.getlist", json={}).status_code == 200
    missing = b.post(f"{HOOK}/tasks.task.nope", json={})
    assert (missing.status_code, missing.json()) == (404, {"error": "ERROR_METHOD_NOT_FOUND",
                                                          "error_description": "Method not found!"})


def test_batch_quirks(b):
    file_id = upload(b)["ID"]
    listed = b.post(f"{HOOK}/batch", json={"cmd": [f"tasks.task.files.attach?taskId=3701&fileId={file_id}",
                                                   "tasks.task.files.attach?taskId=3701",
                                                   "disk.storage.getlist?filter[ENTITY_TYPE]=user"]}).json()
    result = listed["result"]
    assert result["result"] == {"0": {"attachmentId": result["result"]["0"]["attachmentId"]},
                                "2": result["result"]["2"]}                         # keys 0, 2: an object
    assert result["result_error"] == {"1": {"error": "100", "error_description":
                                            "Could not find value for parameter {fileId} (internal error)"}}
    assert result["result_total"] == {"2": 1} and result["result_next"] == []
    all_ok = b.post(f"{HOOK}/batch", json={"cmd": ["tasks.task.get?taskId=3701&select[]=ID"] * 2}).json()
    assert isinstance(all_ok["result"]["result"], list) and all_ok["result"]["result_error"] == []
    halted = b.post(f"{HOOK}/batch", json={"halt": 1, "cmd": {"a": "tasks.task.get?taskId=abc",
                                                              "b": "tasks.task.get?taskId=3701"}}).json()
    assert list(halted["result"]["result_error"]) == ["a"] and halted["result"]["result"] == []
    refs = b.post(f"{HOOK}/batch", json={"cmd": {
        "s": "disk.storage.getlist?filter[ENTITY_TYPE]=user",
        "c": "disk.folder.getchildren?id=$result[s][0][ROOT_OBJECT_ID]"}}).json()
    assert refs["result"]["result"]["c"][0]["ID"] == str(file_id)
    forbidden = b.post(f"{HOOK}/batch", json={"cmd": {"n": "batch?cmd[x]=tasks.task.get", "u": "upload"}}).json()
    assert {k: v["error"] for k, v in forbidden["result"]["result_error"].items()} == {
        "n": "ERROR_BATCH_METHOD_NOT_ALLOWED", "u": "ERROR_BATCH_METHOD_NOT_ALLOWED"}
    long = b.post(f"{HOOK}/batch", json={"cmd": {f"k{i}": "tasks.task.get?taskId=3701" for i in range(52)}}).json()
    assert len(long["result"]["result"]) == 50
    assert long["result"]["result_error"] == {k: {"error": "ERROR_BATCH_LENGTH_EXCEEDED",
                                                  "error_description": "Max batch length exceeded"}
                                              for k in ("k50", "k51")}
    empty = b.post(f"{HOOK}/batch", json={}).json()
    assert empty["result"] == {"result": [], "result_error": [], "result_total": [], "result_next": [],
                               "result_time": []}


def test_batch_as_fast_bitrix24_and_forms_send_it(b):
    file_id = upload(b)["ID"]
    fast = b.post(f"{HOOK}/batch", json={"halt": 0, "cmd": {
        "order0000000000": f"tasks.task.files.attach?__order=order0000000000&taskId=3701&fileId={file_id}&"}})
    assert "attachmentId" in fast.json()["result"]["result"]["order0000000000"]
    form = b.post(f"{HOOK}/batch", data={"cmd[a]": "tasks.task.get?taskId=3701&select%5B%5D=TITLE", "halt": "0"})
    assert form.json()["result"]["result"]["a"]["task"]["title"] == "Prepare the quarterly report"


def test_xml_transport(b):
    reply = b.get(f"{HOOK}/disk.storage.getlist.xml")
    assert reply.headers["content-type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(reply.content)
    assert root.tag == "response" and root.find("result/item/ENTITY_ID").text == "2"
    assert root.find("time/start") is not None


def test_downloads_need_a_valid_token(b):
    url = upload(b, "d.txt", b"dl")["DOWNLOAD_URL"].replace("http://taskmock", "")
    assert b.get(url).content == b"dl"
    assert b.get(url[:-3] + "000").status_code == 400


def test_the_leaky_bucket_and_the_operating_time_limit():
    handle = AsgiHandle(Settings(vendors=("bitrix24",), extra={"bitrix24": {
        "rate_limits": True, "bucket_drain": 0.0001, "operating_limit": 3, "operating_cost": 1}}))
    try:
        statuses = [handle.post(f"{HOOK}/disk.storage.getlist", json={}).status_code for _ in range(6)]
        assert statuses == [200, 200, 200, 429, 429, 429]       # after 3 calls, 3 s and a little: over the 3 s
        blocked = handle.post(f"{HOOK}/disk.storage.getlist", json={})
        assert blocked.json() == {"error": "OPERATION_TIME_LIMIT",
                                  "error_description": "Method is blocked due to operation time limit."}
        assert handle.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701}).status_code == 200   # another method
        codes = [handle.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701}).status_code for _ in range(60)]
        assert 503 in codes and codes.index(503) <= 50
        assert handle.post(f"{HOOK}/tasks.task.get", json={"taskId": 3701}).json()["error"] == \
            "QUERY_LIMIT_EXCEEDED"
    finally:
        handle.close()


def test_unicode_survives_php_style_params(b):
    reply = b.post(f"{HOOK}/tasks.task.add", data={"fields[TITLE]": "Задача ✓", "fields[RESPONSIBLE_ID]": "2"})
    assert json.loads(reply.content)["result"]["task"]["title"] == "Задача ✓"


def test_who_am_i_by_the_user_scope_held(b, taskmock):
    full = b.post(f"{HOOK}/user.current", json={}).json()["result"]
    assert (full["ID"], full["NAME"], full["ACTIVE"], full["IS_ONLINE"]) == ("2", "Boris", True, "Y")
    assert {"EMAIL", "LAST_LOGIN", "UF_DEPARTMENT"} <= set(full)
    brief = b.post("/rest/3/c3webhook/user.current", json={}).json()["result"]           # user_brief
    assert brief["ID"] == "3" and not {"EMAIL", "LAST_LOGIN"} & set(brief)
    basic = b.post("/rest/user.current", json={"auth": "oauth-token-user-2"}).json()["result"]   # user_basic
    assert "EMAIL" in basic and "LAST_LOGIN" not in basic
    refused = b.post("/rest/2/b2diskonly/user.current", json={})
    assert refused.status_code == 401 and refused.json()["error"] == "insufficient_scope"
    # profile needs no scope at all
    assert b.post("/rest/2/b2diskonly/profile", json={}).json()["result"] == {
        "ID": "2", "ADMIN": False, "NAME": "Boris", "LAST_NAME": "Builder", "PERSONAL_GENDER": "", "TIME_ZONE": ""}
    assert b.post("/rest/1/adminhook/profile.json").json()["result"]["ADMIN"] is True
    batch = b.post(f"{HOOK}/batch", json={"cmd": {"me": "user.current", "p": "profile"}}).json()["result"]
    assert batch["result"]["me"]["ID"] == "2" and batch["result"]["p"]["ID"] == "2"


def test_find_tasks_with_tasks_task_list_and_delete_one(b):
    made = [b.post(f"{HOOK}/tasks.task.add", json={"fields": {"TITLE": f"Invoice {i:03}", "RESPONSIBLE_ID": 3}})
            .json()["result"]["task"]["id"] for i in range(60)]
    listed = b.post(f"{HOOK}/tasks.task.list", json={"filter": {"RESPONSIBLE_ID": 3}, "select": ["ID", "TITLE"]})
    body = listed.json()
    assert body["total"] == 60 and body["next"] == 50 and len(body["result"]["tasks"]) == 50
    assert [t["id"] for t in body["result"]["tasks"][:2]] == [made[-1], made[-2]]          # ID descending
    assert set(body["result"]["tasks"][0]) == {"id", "title"}
    rest = b.post(f"{HOOK}/tasks.task.list", json={"filter": {"RESPONSIBLE_ID": 3}, "start": 50}).json()
    assert len(rest["result"]["tasks"]) == 10 and "next" not in rest
    like = b.post(f"{HOOK}/tasks.task.list", json={"filter": {"TITLE": "Invoice 05%"},
                                                    "order": {"ID": "asc"}}).json()["result"]["tasks"]
    assert [t["title"] for t in like] == [f"Invoice 05{i}" for i in range(10)]
    contains = b.post(f"{HOOK}/tasks.task.list", json={"filter": {"%TITLE": "ice 05"}}).json()
    assert contains["total"] == 10                                           # a prefixed TITLE: a substring
    newer = b.post(f"{HOOK}/tasks.task.list", json={"filter": {">ID": made[57]}}).json()["result"]["tasks"]
    assert [t["id"] for t in newer] == [made[59], made[58]]
    # Clara sees only what she takes part in; her own tasks here: all 60
    assert b.post("/rest/3/c3webhook/tasks.task.list", json={"filter": {"CREATED_BY": 2}}).json()["total"] == 60
    # delete: the creator may; the responsible may not
    denied = b.post("/rest/3/c3webhook/tasks.task.delete", json={"taskId": made[0]})
    assert denied.status_code == 400 and denied.json() == {"error": "1048582",
                                                           "error_description": "No access to delete the task"}
    assert b.post(f"{HOOK}/tasks.task.delete", json={"taskId": made[0]}).json()["result"] == {"task": True}
    assert b.post(f"{HOOK}/tasks.task.get", json={"taskId": made[0]}).json()["result"] == []
    gone = b.post(f"{HOOK}/tasks.task.delete", json={"taskId": made[0]})
    assert gone.json()["error"] == "1048582"
    assert b.post(f"{HOOK}/tasks.task.delete", json={}).json()["error"] == "100"
    assert b.post(f"{HOOK}/tasks.task.delete", json={"taskId": "x"}).json()["error"] == "0"
    batch = b.post(f"{HOOK}/batch", json={"cmd": {"l": "tasks.task.list?filter[RESPONSIBLE_ID]=3&select[]=ID"}})
    assert batch.json()["result"]["result_total"]["l"] == 59 and len(batch.json()["result"]["result"]["l"]["tasks"]) == 50


def test_a_folder_tree_deeper_than_the_stack_is_copied_and_deleted(b):
    """1,200 folders one inside the other: copyTo copies them all (and the file at the bottom), deleteTree removes
    them, with no error of the mock's own."""
    def call(method: str, **params):
        reply = b.post(f"{HOOK}/{method}", json=params)
        assert reply.status_code == 200, reply.text
        return reply.json()["result"]

    root = root_folder(b)
    top = parent = call("disk.folder.addsubfolder", id=root, data={"NAME": "deep"})["ID"]
    for _ in range(1200):
        parent = call("disk.folder.addsubfolder", id=parent, data={"NAME": "d"})["ID"]
    call("disk.folder.uploadfile", id=parent, data={"NAME": "bottom.txt"},
         fileContent=["bottom.txt", base64.b64encode(b"bottom").decode()])
    elsewhere = call("disk.folder.addsubfolder", id=root, data={"NAME": "elsewhere"})["ID"]
    copy = call("disk.folder.copyto", id=top, targetFolderId=elsewhere)
    below = copy["ID"]
    for _ in range(1200):
        [below] = [c["ID"] for c in call("disk.folder.getchildren", id=below)]
    [bottom] = call("disk.folder.getchildren", id=below)
    assert bottom["NAME"] == "bottom.txt" and b.get(bottom["DOWNLOAD_URL"]).content == b"bottom"
    assert call("disk.folder.deletetree", id=top) is True and call("disk.folder.deletetree", id=elsewhere) is True
    assert [c["NAME"] for c in call("disk.folder.getchildren", id=root)] == []
