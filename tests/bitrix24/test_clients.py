"""The two real Python clients against the mock, unchanged: b24pysdk over the HTTPS mode (it hard-codes
https), fast_bitrix24 over plain HTTP (it sends everything through ``batch``)."""

from __future__ import annotations

import base64
import hashlib
import ssl

import httpx
import pytest

from tests.bitrix24.conftest import HOOK


@pytest.fixture
def fast(taskmock):
    from fast_bitrix24 import Bitrix

    return Bitrix(f"{taskmock.url}/rest/{HOOK}", verbose=False)


def test_b24pysdk_upload_attach_read_download_detach(b24, taskmock_https):
    storages = b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result
    assert [s["ENTITY_ID"] for s in storages] == ["2"]
    root = int(storages[0]["ROOT_OBJECT_ID"])
    content = b"quarterly numbers"
    uploaded = b24.disk.folder.upload_file(root, data={"NAME": "report.txt"},
                                           file_content=["report.txt", base64.b64encode(content).decode()]).result
    assert isinstance(uploaded["ID"], int) and uploaded["NAME"] == "report.txt" and uploaded["SIZE"] == "17"

    attached = b24.tasks.task.files.attach(task_id=3701, file_id=uploaded["ID"]).result
    attachment_id = attached["attachmentId"]
    task = b24.tasks.task.get(3701, select=["ID", "UF_TASK_WEBDAV_FILES"]).result["task"]
    assert task["ufTaskWebdavFiles"] == [attachment_id]
    info = b24.disk.attached_object.get(attachment_id).result
    assert (info["OBJECT_ID"], info["ENTITY_ID"], info["ENTITY_TYPE"]) == (str(uploaded["ID"]), "3701", "tasks_task")

    with httpx.Client(verify=ssl.create_default_context(cafile=taskmock_https.ca_path)) as http:
        assert http.get(uploaded["DOWNLOAD_URL"]).content == content
        assert http.get(info["DOWNLOAD_URL"]).content == content
    assert b24.disk.file.get(uploaded["ID"]).result["SIZE"] == "17"

    updated = b24.tasks.task.update(3701, fields={"UF_TASK_WEBDAV_FILES": []}).result      # requests run lazily
    assert updated["task"]["id"] == "3701"
    task = b24.tasks.task.get(3701, select=["UF_TASK_WEBDAV_FILES"]).result["task"]
    assert task["ufTaskWebdavFiles"] is False
    assert b24.disk.file.get(uploaded["ID"]).result["ID"] == str(uploaded["ID"])     # detaching keeps the file


def test_b24pysdk_raises_what_it_raises_against_bitrix(b24, taskmock_https):
    from b24pysdk import BitrixWebhook, Client
    from b24pysdk.errors import (BitrixAPIBadRequest, BitrixAPIError, BitrixAPIInsufficientScope,
                                 BitrixAPIInvalidCredentials)

    domain = taskmock_https.url.split("//", 1)[1]
    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    mine = b24.disk.folder.upload_file(root, data={"NAME": "a.txt"}, file_content=["a.txt", "YQ=="]).result["ID"]

    with pytest.raises(BitrixAPIBadRequest) as denied:
        b24.tasks.task.files.attach(task_id=3702, file_id=mine).result          # Clara's task
    assert (denied.value.error, denied.value.error_description, denied.value.status_code) == (
        "0", "Access denied (internal error)", 400)

    clara = Client(BitrixWebhook(domain=domain, webhook_token="3/c3webhook"), max_retries=1)
    with pytest.raises(BitrixAPIBadRequest) as no_file_right:
        clara.tasks.task.files.attach(task_id=3702, file_id=mine).result        # Boris's private file
    assert (no_file_right.value.error, no_file_right.value.error_description) == (
        "ERROR_CORE", "Insufficient permissions.<br>")

    token = BitrixWebhook(domain=domain, webhook_token=HOOK)        # the raw call: the SDK checks types itself
    with pytest.raises(BitrixAPIBadRequest) as not_int:
        token.call_method("tasks.task.files.attach", {"taskId": 3701, "fileId": "abc"})
    assert (not_int.value.error, not_int.value.error_description) == (
        "100", "Invalid value {abc} to match with parameter {fileId}. Should be value of type int. (internal error)")
    with pytest.raises(BitrixAPIBadRequest) as no_task:
        token.call_method("tasks.task.files.attach", {"fileId": mine})
    assert no_task.value.error_description == ("CTaskItem All parameters in the constructor must have real class "
                                               "type (internal error)")
    with pytest.raises(BitrixAPIBadRequest) as wrong_task:
        token.call_method("tasks.task.files.attach", {"taskId": "abc", "fileId": mine})
    assert (wrong_task.value.error, wrong_task.value.error_description) == ("0", "wrong task id (internal error)")
    with pytest.raises(BitrixAPIBadRequest) as no_file:
        token.call_method("tasks.task.files.attach", {"taskId": 3701})
    assert (no_file.value.error, no_file.value.error_description) == (
        "100", "Could not find value for parameter {fileId} (internal error)")

    wrong_code = Client(BitrixWebhook(domain=domain, webhook_token="2/wrongcode"), max_retries=1)
    with pytest.raises(BitrixAPIInvalidCredentials):
        wrong_code.tasks.task.get(3701).result
    disk_only = Client(BitrixWebhook(domain=domain, webhook_token="2/b2diskonly"), max_retries=1)
    with pytest.raises(BitrixAPIInsufficientScope) as scope:
        disk_only.tasks.task.get(3701).result
    assert scope.value.status_code == 401
    with pytest.raises(BitrixAPIError) as missing:
        token.call_method("no.such.method")
    assert missing.value.error == "ERROR_METHOD_NOT_FOUND" and missing.value.status_code == 404


def test_b24pysdk_batch(taskmock_https, monkeypatch):
    from b24pysdk import BitrixWebhook

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", taskmock_https.ca_path)
    token = BitrixWebhook(domain=taskmock_https.url.split("//", 1)[1], webhook_token=HOOK)
    reply = token.call_batch({"s": ("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "user"}}),
                              "t": ("tasks.task.get", {"taskId": 3701, "select": ["ID"]}),
                              "x": ("tasks.task.files.attach", {"taskId": 3702, "fileId": 1})})
    result = reply["result"]
    assert result["result"]["s"][0]["ENTITY_ID"] == "2"
    assert result["result"]["t"] == {"task": {"id": "3701"}}
    assert result["result_error"] == {"x": {"error": "0", "error_description": "Access denied (internal error)"}}
    assert result["result_total"] == {"s": 1} and result["result_next"] == []
    assert set(result["result_time"]) == {"s", "t"}


def test_fast_bitrix24_through_batch(fast, taskmock):
    storages = fast.get_all("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "user"}})
    root = storages[0]["ROOT_OBJECT_ID"]
    content = bytes(range(256))
    uploaded = fast.call("disk.folder.uploadfile", {"id": root, "data": {"NAME": "blob.bin"},
                                                    "fileContent": ["blob.bin", base64.b64encode(content).decode()]})
    uploaded = uploaded["order0000000000"]        # fast_bitrix24 keys a dict result by its __order
    attachment_id = fast.call("tasks.task.files.attach", {"taskId": 3701, "fileId": uploaded["ID"]})
    assert isinstance(attachment_id, int)
    task = fast.call("tasks.task.get", {"taskId": 3701, "select": ["ID", "UF_TASK_WEBDAV_FILES"]})
    assert task["ufTaskWebdavFiles"] == [attachment_id]
    info = fast.call("disk.attachedObject.get", {"id": attachment_id})["order0000000000"]
    assert hashlib.sha256(httpx.get(info["DOWNLOAD_URL"]).content).digest() == hashlib.sha256(content).digest()
    raw = fast.call("tasks.task.files.attach", {"taskId": 3701, "fileId": uploaded["ID"]}, raw=True)
    assert set(raw) == {"result", "time"} and raw["result"]["attachmentId"] > attachment_id
    fast.call("tasks.task.update", {"taskId": 3701, "fields": {"UF_TASK_WEBDAV_FILES": [str(attachment_id)]}})
    task = fast.call("tasks.task.get", {"taskId": 3701, "select": ["UF_TASK_WEBDAV_FILES"]})
    assert task["ufTaskWebdavFiles"] == [attachment_id]          # the other attachment was detached


def test_fast_bitrix24_raises_on_batch_errors_and_4xx(fast, taskmock):
    from fast_bitrix24 import Bitrix
    from fast_bitrix24.server_response import ErrorInServerResponseException

    with pytest.raises(ErrorInServerResponseException) as denied:
        fast.call("tasks.task.files.attach", {"taskId": 3702, "fileId": 1})
    assert list(denied.value.args[0].values()) == [{"error": "0", "error_description": "Access denied (internal error)"}]
    cases = [({"taskId": 3701}, "100", "Could not find value for parameter {fileId} (internal error)"),
             ({"taskId": 3701, "fileId": "x"}, "100",
              "Invalid value {x} to match with parameter {fileId}. Should be value of type int. (internal error)"),
             ({"taskId": "abc", "fileId": 1}, "0", "wrong task id (internal error)"),
             ({"taskId": 3701, "fileId": 999999}, "ERROR_CORE", "Insufficient permissions.<br>")]
    for params, code, description in cases:
        with pytest.raises(ErrorInServerResponseException) as failed:
            fast.call("tasks.task.files.attach", params)
        assert list(failed.value.args[0].values()) == [{"error": code, "error_description": description}]
    import aiohttp
    wrong = Bitrix(f"{taskmock.url}/rest/2/wrongcode", verbose=False)
    with pytest.raises(aiohttp.ClientResponseError) as unauthorized:
        wrong.call("tasks.task.get", {"taskId": 3701}, raw=True)
    assert unauthorized.value.status == 401


def test_two_step_upload_through_upload_url(fast, taskmock):
    root = fast.get_all("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "user"}})[0]["ROOT_OBJECT_ID"]
    step = fast.call("disk.folder.uploadfile", {"id": root}, raw=True)["result"]
    assert step["field"] == "file"
    data = b"x" * 300_000
    uploaded = httpx.post(step["uploadUrl"], files={"file": ("big.bin", data, "application/octet-stream")})
    body = uploaded.json()
    assert set(body) == {"result"} and body["result"]["SIZE"] == str(len(data))    # no time block
    assert httpx.get(body["result"]["DOWNLOAD_URL"]).content == data
