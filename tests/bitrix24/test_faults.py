"""The real Bitrix24 clients against faults and the clock: fast_bitrix24 retries QUERY_LIMIT_EXCEEDED and gives up
clearly when it never ends; b24pysdk raises its own expired-token error once the clock passes the token's life."""

from __future__ import annotations

import base64

import httpx
import pytest

HOOK = "2/b2webhook"


@pytest.fixture
def fast(taskmock):
    from fast_bitrix24 import Bitrix

    return Bitrix(f"{taskmock.url}/rest/{HOOK}", verbose=False)


def drive_file(taskmock) -> int:
    reply = httpx.post(f"{taskmock.url}/rest/{HOOK}/disk.storage.uploadfile", json={
        "id": 12, "data": {"NAME": "a.txt"}, "fileContent": ["a.txt", base64.b64encode(b"a").decode()]})
    return reply.json()["result"]["ID"]


def test_fast_bitrix24_rides_out_two_query_limit_answers(taskmock, fast):
    file_id = drive_file(taskmock)
    taskmock.fault("bitrix24", operation="tasks.task.files.attach", error="QUERY_LIMIT_EXCEEDED", times=2)
    reply = fast.call("tasks.task.files.attach", {"taskId": 3701, "fileId": file_id}, raw=True)
    assert reply["result"]["attachmentId"]
    taskmock.assert_called("bitrix24", "tasks.task.files.attach", times=3)
    assert [e["status"] for e in taskmock.requests(operation="tasks.task.files.attach")] == [503, 503, 200]


def test_fast_bitrix24_gives_up_clearly_when_the_limit_never_ends(taskmock, fast, monkeypatch):
    from fast_bitrix24 import srh

    monkeypatch.setattr(srh, "INITIAL_TIMEOUT", 0.001)          # its back-off, not its behaviour, made short
    file_id = drive_file(taskmock)
    taskmock.fault("bitrix24", operation="tasks.task.files.attach", error="QUERY_LIMIT_EXCEEDED")
    with pytest.raises(RuntimeError, match="All attempts to get data from server exhausted"):
        fast.call("tasks.task.files.attach", {"taskId": 3701, "fileId": file_id}, raw=True)
    assert {e["status"] for e in taskmock.requests(operation="tasks.task.files.attach")} == {503}


def test_b24pysdk_raises_expired_token_once_the_clock_passes_the_tokens_life(taskmock_https, monkeypatch):
    from b24pysdk import BitrixApp, BitrixToken, Client
    from b24pysdk.errors import BitrixAPIExpiredToken

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", taskmock_https.ca_path)
    domain = taskmock_https.url.split("//", 1)[1]
    app = BitrixApp(client_id="local.app", client_secret="secret")        # an OAuth app's token, one-off
    client = Client(BitrixToken(domain=domain, auth_token="oauth-token-user-2", bitrix_app=app), max_retries=1)
    assert client.tasks.task.get(3701).result["task"]["id"] == "3701"
    taskmock_https.advance(3601)                                 # the fixture token lives 3600 s
    with pytest.raises(BitrixAPIExpiredToken):
        client.tasks.task.get(3701).result
    taskmock_https.assert_called("bitrix24", "tasks.task.get", times=1)


def test_a_rule_on_a_method_acts_on_that_command_of_a_batch(taskmock):
    taskmock.fault("bitrix24", operation="tasks.task.files.attach", error="OPERATION_TIME_LIMIT")
    reply = httpx.post(f"{taskmock.url}/rest/{HOOK}/batch", json={"cmd": {
        "attach": "tasks.task.files.attach?taskId=3701&fileId=1", "task": "tasks.task.get?taskId=3701"}})
    body = reply.json()["result"]
    assert reply.status_code == 200 and body["result"]["task"]["task"]["id"] == "3701"
    assert body["result_error"] == {"attach": {"error": "OPERATION_TIME_LIMIT",
                                               "error_description": "Method is blocked due to operation time limit."}}


def test_time_blocks_and_dates_follow_the_clock(taskmock):
    before = httpx.post(f"{taskmock.url}/rest/{HOOK}/tasks.task.get", json={"taskId": 3701}).json()["time"]
    taskmock.advance(86400)
    moved = httpx.post(f"{taskmock.url}/rest/{HOOK}/tasks.task.add", json={"fields": {
        "TITLE": "later", "RESPONSIBLE_ID": 2}}).json()
    assert moved["time"]["start"] - before["start"] >= 86400
    assert moved["result"]["task"]["createdDate"][:10] == moved["time"]["date_start"][:10]
    assert moved["time"]["date_start"][:10] != before["date_start"][:10]
