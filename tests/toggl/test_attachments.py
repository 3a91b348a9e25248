"""Toggl Focus attachments over real HTTP, as a client written against the Swagger would drive them."""

from __future__ import annotations

import hashlib

import httpx
import pytest

P = "/api/organizations/1001/workspaces/2001"
KEY = "toggl_sk_mock_owner_key"


@pytest.fixture
def client(taskmock):
    with httpx.Client(base_url=taskmock.url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as c:
        yield c


def upload(client, task=4001, filename="spec.pdf", data=b"%PDF-1.4 spec", order="0", **fields):
    return client.post(f"{P}/tasks/{task}/attachments", files={"file": (filename, data, "application/pdf")},
                       data={"display_order": order, **fields})


def test_create_list_view_update_delete(client):
    created = upload(client, order="2")
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in ("task_id", "name", "mime_type", "size", "display_order")} == {
        "task_id": 4001, "name": "spec.pdf", "mime_type": "application/pdf", "size": 13, "display_order": 2}
    assert body["created_at"].endswith("Z") and body["created_at"] == body["updated_at"]
    named = upload(client, filename="raw.bin", order="1", name="Better name.pdf").json()
    assert named["name"] == "Better name.pdf"

    listed = client.get(f"{P}/tasks/4001/attachments")
    assert listed.status_code == 200 and [a["display_order"] for a in listed.json()] == [1, 2]

    view = client.get(f"{P}/tasks/4001/attachments/{body['id']}/view")
    assert view.status_code == 200 and view.content == b"%PDF-1.4 spec"
    assert view.headers["content-type"] == "application/pdf"
    assert view.headers["content-disposition"] == 'inline; filename="spec.pdf"'

    update = client.put(f"{P}/tasks/4001/attachments/{body['id']}", json={"name": "final.pdf", "display_order": 0})
    assert update.status_code == 204 and update.content == b""
    assert [a["name"] for a in client.get(f"{P}/tasks/4001/attachments").json()] == ["final.pdf", "Better name.pdf"]

    assert client.delete(f"{P}/tasks/4001/attachments/{body['id']}").status_code == 204
    gone = client.delete(f"{P}/tasks/4001/attachments/{body['id']}")
    assert (gone.status_code, gone.json()) == (404, "Task attachment does not exist")
    missing_view = client.get(f"{P}/tasks/4001/attachments/{body['id']}/view")
    assert (missing_view.status_code, missing_view.json()) == (404, "TaskAttachment does not exist")


@pytest.mark.parametrize("query, expected", [
    ("order_by=display_order", ["b", "c", "a"]),
    ("order_by=-display_order", ["a", "b", "c"]),           # ties keep creation order
    ("order_by=-created_at", ["c", "b", "a"]),
    ("order_by=created_at", ["a", "b", "c"]),
    ("order_by=display_order,-created_at", ["c", "b", "a"]),
    ("order_by=display_order&order_by=-created_at", ["c", "b", "a"]),
    ("order_by[]=display_order&order_by[]=created_at", ["b", "c", "a"]),
    ("", ["b", "c", "a"]),
])
def test_order_by_in_every_form(client, query, expected):
    for name, order in (("a", "5"), ("b", "1"), ("c", "1")):
        assert upload(client, filename=name, order=order).status_code == 201
    listed = client.get(f"{P}/tasks/4001/attachments?{query}")
    assert [a["name"] for a in listed.json()] == expected


def test_an_unknown_order_is_400(client):
    response = client.get(f"{P}/tasks/4001/attachments?order_by=name")
    assert response.status_code == 400 and isinstance(response.json(), str)


def test_bulk_is_all_or_nothing_and_capped_at_ten(client, taskmock):
    files = [("files", (f"f{i}.txt", f"file {i}".encode(), "text/plain")) for i in range(3)]
    ok = client.post(f"{P}/tasks/4001/attachments/bulk", files=files,
                     data={"display_orders[0]": "3", "display_orders[1]": "1", "display_orders[2]": "2",
                           "names[1]": "second.txt"})
    assert ok.status_code == 201
    assert [(a["name"], a["display_order"]) for a in ok.json()] == [("f0.txt", 3), ("second.txt", 1), ("f2.txt", 2)]
    before = len(taskmock.state("toggl")["toggl"]["attachments"])

    missing_order = client.post(f"{P}/tasks/4001/attachments/bulk", files=files,
                                data={"display_orders[0]": "1", "display_orders[1]": "2"})
    assert missing_order.status_code == 400
    eleven = [("files", (f"f{i}.txt", b"x", "text/plain")) for i in range(11)]
    too_many = client.post(f"{P}/tasks/4001/attachments/bulk", files=eleven,
                           data={f"display_orders[{i}]": str(i) for i in range(11)})
    assert too_many.status_code == 400
    assert len(taskmock.state("toggl")["toggl"]["attachments"]) == before
    blob_dir = taskmock.app.state.runtime.blobs.root
    assert len(list(blob_dir.iterdir())) == before          # refused uploads left no bytes behind


@pytest.mark.parametrize("fields, files", [
    ({}, {"file": ("a.txt", b"a", "text/plain")}),                                   # no display_order
    ({"display_order": "first"}, {"file": ("a.txt", b"a", "text/plain")}),
    ({"display_order": "1.5"}, {"file": ("a.txt", b"a", "text/plain")}),
    ({"display_order": "1"}, None),                                                   # no file
    ({"display_order": "1"}, {"other": ("a.txt", b"a", "text/plain")}),
])
def test_create_contract_breaches_are_400(client, fields, files):
    response = client.post(f"{P}/tasks/4001/attachments", data=fields, files=files)
    assert response.status_code == 400 and isinstance(response.json(), str)


def test_unknown_tasks_and_bad_ids(client):
    assert upload(client, task=9999).json() == "Task does not exist"
    assert client.get(f"{P}/tasks/9999/attachments").status_code == 404
    assert client.get(f"{P}/tasks/abc/attachments").status_code == 400
    assert client.put(f"{P}/tasks/4001/attachments/1", json={"name": "x", "display_order": 1}).status_code == 404
    assert client.put(f"{P}/tasks/4001/attachments/1", content=b"{nope").status_code in (400, 404)
    assert upload(client, task=4003).status_code == 404        # a task of another workspace


def test_update_requires_both_fields(client):
    attachment = upload(client).json()
    for payload in ({"name": "x"}, {"display_order": 1}, {"name": 1, "display_order": 1}, [], "x"):
        response = client.put(f"{P}/tasks/4001/attachments/{attachment['id']}", json=payload)
        assert response.status_code == 400, payload


def test_project_attachments(client):
    created = client.post(f"{P}/projects/3001/attachments", files={"file": ("p.png", b"\x89PNG", "image/png")},
                          data={"display_order": "0"})
    assert created.status_code == 201 and created.json()["project_id"] == 3001
    listed = client.get(f"{P}/projects/3001/attachments").json()
    assert [a["id"] for a in listed] == [created.json()["id"]]
    assert client.get(f"{P}/projects/3001/attachments/999/view").json() == "ProjectAttachment does not exist"
    assert client.delete(f"{P}/projects/999/attachments/1").json() == "Project does not exist"


def test_storage_usage_moves_with_the_files(client):
    usage = lambda: client.get(f"{P}/attachments/storage").json()  # noqa: E731
    assert usage() == {"enforced": False, "limit_bytes": 1024 ** 3, "used_bytes": 0}
    first = upload(client, data=b"x" * 1000).json()
    upload(client, data=b"y" * 24)
    assert usage()["used_bytes"] == 1024
    client.delete(f"{P}/tasks/4001/attachments/{first['id']}")
    assert usage()["used_bytes"] == 24


def test_a_free_organization_enforces_its_storage_limit(client):
    free = "/api/organizations/1002/workspaces/2002"
    assert client.get(f"{free}/attachments/storage").json()["enforced"] is True
    ok = client.post(f"{free}/tasks/4003/attachments", files={"file": ("a.bin", b"a" * 1000, "x/y")},
                     data={"display_order": "0"})
    assert ok.status_code == 201
    over = client.post(f"{free}/tasks/4003/attachments", files={"file": ("b.bin", b"b" * 1048576, "x/y")},
                       data={"display_order": "0"})
    assert over.status_code == 400


def test_tasks_can_be_created_read_and_deleted(client):
    created = client.post(f"{P}/tasks", json={"name": "Write tests", "project_id": 3001, "priority": "high"})
    assert created.status_code == 201
    task = created.json()
    assert task["name"] == "Write tests" and task["project_id"] == 3001 and task["workspace_id"] == 2001
    upload(client, task=task["id"])
    fetched = client.get(f"{P}/tasks/{task['id']}")
    assert fetched.status_code == 200 and fetched.json()["total_tracked_time"] == 0
    assert client.delete(f"{P}/tasks/{task['id']}").status_code == 204
    assert client.get(f"{P}/tasks/{task['id']}").status_code == 404
    assert client.get(f"{P}/tasks/{task['id']}/attachments").status_code == 404
    for bad in ({}, {"name": ""}, {"name": 5}, {"name": "x", "project_id": 999}):
        response = client.post(f"{P}/tasks", json=bad)
        assert response.status_code == 400 and response.json()["error"] == "validation", bad


def test_auth_and_workspaces(taskmock):
    with httpx.Client(base_url=taskmock.url) as anonymous:
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic dG9rZW46YXBpX3Rva2Vu"},
                        {"Authorization": "Bearer toggl_sk_unknown"}):
            response = anonymous.get(f"{P}/tasks/4001/attachments", headers=headers)
            assert response.status_code == 401 and response.json()["error"] == "unauthorized"
        assert anonymous.get(f"{P}/tasks/4001/attachments", params={"token": KEY}).status_code == 200
        outsider = {"Authorization": "Bearer toggl_sk_mock_outsider_key"}
        assert anonymous.get(f"{P}/tasks/4001/attachments", headers=outsider).status_code == 403
        assert anonymous.get("/api/organizations/1001/workspaces/2002/tasks/4003/attachments",
                             headers={"Authorization": f"Bearer {KEY}"}).status_code == 403


def test_quota_headers_count_down(client):
    first = client.get(f"{P}/attachments/storage")
    second = client.get(f"{P}/attachments/storage")
    remaining = int(first.headers["x-toggl-quota-remaining"])
    assert int(second.headers["x-toggl-quota-remaining"]) == remaining - 1 and remaining <= 600
    assert 0 < int(second.headers["x-toggl-quota-resets-in"]) <= 3600


def test_the_quota_when_enforced(tmp_path):
    from mockserver.pytest_plugin import AsgiHandle
    from mockserver.settings import Settings

    handle = AsgiHandle(Settings(vendors=("toggl",), extra={"toggl": {"quota_enforced": True}}))
    try:
        headers = {"Authorization": "Bearer toggl_sk_mock_owner_key"}
        free = "/api/organizations/1002/workspaces/2002/attachments/storage"
        statuses = [handle.get(free, headers=headers).status_code for _ in range(31)]
        assert statuses == [200] * 30 + [402]
        spent = handle.get(free, headers=headers)
        assert spent.json()["error"] == "quota_exceeded" and spent.headers["x-toggl-quota-remaining"] == "0"
        assert handle.get(P + "/attachments/storage", headers=headers).status_code == 200   # another organization
    finally:
        handle.close()


def test_error_bodies_can_be_objects_everywhere():
    from mockserver.pytest_plugin import AsgiHandle
    from mockserver.settings import Settings

    handle = AsgiHandle(Settings(vendors=("toggl",), extra={"toggl": {"error_body": "object",
                                                                      "unknown_task_list": "empty"}}))
    try:
        headers = {"Authorization": f"Bearer {KEY}"}
        assert handle.get(f"{P}/tasks/9999/attachments", headers=headers).json() == []
        response = handle.request("DELETE", f"{P}/tasks/4001/attachments/5", headers=headers)
        assert response.json()["error_description"] == "Task attachment does not exist"
    finally:
        handle.close()


def test_a_large_upload_streams_and_reads_back_identical(client):
    chunk = bytes(range(256)) * 4096                         # 1 MiB
    digest = hashlib.sha256()

    def body():
        for i in range(24):
            piece = chunk[i:] + chunk[:i]
            digest.update(piece)
            yield piece

    boundary = "taskmockboundary"
    def multipart():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"display_order\"\r\n\r\n0\r\n"
               f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
               "Content-Type: application/octet-stream\r\n\r\n").encode()
        yield from body()
        yield f"\r\n--{boundary}--\r\n".encode()

    created = client.post(f"{P}/tasks/4001/attachments", content=multipart(),
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert created.status_code == 201 and created.json()["size"] == 24 * len(chunk)
    with client.stream("GET", f"{P}/tasks/4001/attachments/{created.json()['id']}/view") as view:
        read_back = hashlib.sha256()
        for piece in view.iter_bytes():
            read_back.update(piece)
    assert read_back.hexdigest() == digest.hexdigest()


def test_json_is_written_as_go_writes_it(client):
    created = upload(client, filename="<R&D> é.pdf")
    assert '"name":"\\u003cR\\u0026D\\u003e é.pdf"' in created.text
    assert created.json()["name"] == "<R&D> é.pdf"


@pytest.mark.anyio
async def test_an_upload_racing_its_tasks_deletion_keeps_nothing(taskmock_asgi):
    """The task is deleted while the upload's body streams in: the upload is the vendor's 404, and nothing of it
    stays behind to count against the storage quota."""
    import asyncio

    reading, deleted = asyncio.Event(), asyncio.Event()

    async def body():
        yield b'--b\r\nContent-Disposition: form-data; name="display_order"\r\n\r\n0\r\n'
        reading.set()                                   # the server has checked the task and reads on
        await deleted.wait()
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="late.bin"\r\n\r\n'
        yield b"x" * 100_000 + b"\r\n--b--\r\n"

    headers = {"Authorization": f"Bearer {KEY}"}
    async with taskmock_asgi.async_client() as client:
        task = (await client.post(f"{P}/tasks", headers=headers, json={"name": "short-lived"})).json()["id"]
        before = (await client.get(f"{P}/attachments/storage", headers=headers)).json()["used_bytes"]
        upload = asyncio.create_task(client.post(f"{P}/tasks/{task}/attachments", content=body(), headers={
            **headers, "Content-Type": "multipart/form-data; boundary=b"}))
        await reading.wait()
        assert (await client.delete(f"{P}/tasks/{task}", headers=headers)).status_code == 204
        deleted.set()
        answer = await upload
        assert (answer.status_code, answer.json()) == (404, "Task does not exist")
        after = (await client.get(f"{P}/attachments/storage", headers=headers)).json()["used_bytes"]
    assert after == before
    assert not [a for a in taskmock_asgi.state("toggl")["toggl"]["attachments"]
                if (a["owner"], a["owner_id"]) == ("task", task)]
