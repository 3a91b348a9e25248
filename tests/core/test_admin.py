"""The admin API and the journal."""

from __future__ import annotations

import pytest

from mockserver.pytest_plugin import AsgiHandle
from mockserver.vendor import REGISTRY
from mockserver.settings import Settings
from tests.kanboard.rpc import Rpc


def test_health_lists_the_vendors(taskmock_asgi):
    response = taskmock_asgi.get("/__admin/health")
    assert response.status_code == 200 and "kanboard" in response.json()["vendors"]


def test_reset_returns_to_the_fixtures_and_drops_blobs(taskmock_asgi):
    rpc = Rpc(taskmock_asgi)
    file_id = rpc("createTaskFile", 1, 1, "a.txt", "eA==")
    blob_dir = taskmock_asgi.app.state.runtime.blobs.root
    assert any(blob_dir.iterdir())
    before = taskmock_asgi.get("/__admin/state").json()
    assert before["kanboard"]["tasks"][0]["files"][0]["id"] == file_id
    assert taskmock_asgi.post("/__admin/reset", json={}).json() == {"reset": list(REGISTRY)}
    after = taskmock_asgi.get("/__admin/state?vendor=kanboard").json()
    assert after["kanboard"]["tasks"][0]["files"] == []
    assert not any(blob_dir.iterdir())
    assert rpc("getTaskFile", file_id) is None
    assert [e["path"] for e in taskmock_asgi.requests()] == ["/jsonrpc.php"]   # reset cleared the journal


def test_state_of_an_unknown_vendor_is_404(taskmock_asgi):
    assert taskmock_asgi.get("/__admin/state?vendor=nope").status_code == 404


def test_the_journal_records_requests_and_answers_newest_last(taskmock_asgi):
    rpc = Rpc(taskmock_asgi)
    rpc("getVersion")
    rpc("getAllTaskFiles", 1)
    taskmock_asgi.get("/nowhere")
    entries = taskmock_asgi.get("/__admin/requests", params={"vendor": "kanboard"}).json()["requests"]
    assert [e["body"] for e in entries][-1].find("getAllTaskFiles") > 0
    assert entries[0]["method"] == "POST" and entries[0]["path"] == "/jsonrpc.php"
    assert entries[0]["status"] == 200 and '"result"' in entries[0]["response_body"]
    assert ["authorization", rpc.headers["Authorization"]] in entries[0]["headers"]
    assert len(taskmock_asgi.get("/__admin/requests", params={"method": "get"}).json()["requests"]) == 1
    assert len(taskmock_asgi.get("/__admin/requests", params={"path": "/jsonrpc"}).json()["requests"]) == 2
    assert len(taskmock_asgi.get("/__admin/requests", params={"limit": "1"}).json()["requests"]) == 1
    assert taskmock_asgi.get("/__admin/requests", params={"limit": "x"}).status_code == 400
    assert taskmock_asgi.get("/__admin/requests", params={"limit": "0"}).json()["requests"] == []
    assert taskmock_asgi.request("DELETE", "/__admin/requests").status_code == 204
    assert taskmock_asgi.get("/__admin/requests").json()["requests"] == []
    assert taskmock_asgi.requests() == []


@pytest.mark.parametrize("size", [0, 3])
def test_the_journal_is_a_bounded_ring_and_can_be_switched_off(size):
    handle = AsgiHandle(Settings(journal_size=size, journal_body_limit=10))
    try:
        rpc = Rpc(handle)
        for _ in range(5):
            rpc("getVersion")
        listed = handle.get("/__admin/requests").json()
        assert listed["enabled"] is (size > 0)
        assert len(listed["requests"]) == size
        if size:
            assert [e["seq"] for e in listed["requests"]] == [3, 4, 5]
            entry = listed["requests"][0]
            assert len(entry["body"]) == 10 and entry["body_truncated"] and entry["body_size"] > 10
    finally:
        handle.close()


def test_binary_bodies_are_journaled_as_base64(taskmock_asgi):
    taskmock_asgi.post("/jsonrpc.php", content=b"\xff\xfe")
    entry = taskmock_asgi.requests()[-1]
    assert entry["body"] == "//4=" and entry["body_encoding"] == "base64"


def test_reset_and_journal_clearing_for_one_vendor(taskmock_asgi):
    rpc = Rpc(taskmock_asgi)
    rpc("createTaskFile", 1, 1, "a.txt", "eA==")
    toggl = "/api/organizations/1001/workspaces/2001/tasks/4001/attachments"
    auth = {"Authorization": f"Bearer {taskmock_asgi.toggl.api_key}"}
    assert taskmock_asgi.post(toggl, headers=auth, files={"file": ("t.txt", b"t")},
                              data={"display_order": "0"}).status_code == 201
    taskmock_asgi.request("PATCH", "/__admin/options", json={"toggl": {"error_body": "object"}})
    blob_dir = taskmock_asgi.app.state.runtime.blobs.root
    assert sorted(p.name.split("-")[0] for p in blob_dir.iterdir()) == ["kanboard", "toggl"]

    assert taskmock_asgi.post("/__admin/reset", json={}, params={"vendor": "toggl"}).json() == {"reset": ["toggl"]}
    assert [p.name.split("-")[0] for p in blob_dir.iterdir()] == ["kanboard"]
    assert taskmock_asgi.get(toggl, headers=auth).json() == []
    assert taskmock_asgi.get("/__admin/options").json()["toggl"]["error_body"]["value"] == "swagger"
    assert rpc("getAllTaskFiles", 1)[0]["name"] == "a.txt"               # kanboard untouched
    assert {e["vendor"] for e in taskmock_asgi.requests()} == {"kanboard", "toggl"}

    assert taskmock_asgi.delete("/__admin/requests", params={"vendor": "kanboard"}).status_code == 204
    assert {e["vendor"] for e in taskmock_asgi.requests()} == {"toggl"}
    for call in (lambda: taskmock_asgi.post("/__admin/reset", json={}, params={"vendor": "kanbord"}),
                 lambda: taskmock_asgi.get("/__admin/requests", params={"vendor": "kanbord"}),
                 lambda: taskmock_asgi.delete("/__admin/requests", params={"vendor": "kanbord"})):
        reply = call()
        assert reply.status_code == 404 and reply.json()["error"].startswith("unknown vendor 'kanbord'")
