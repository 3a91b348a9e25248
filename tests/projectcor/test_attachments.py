"""ProjectCOR over real HTTP: tokens, multipart uploads of several files with per-file errors, versions, the
paginated list of chains, deleting, and the bytes behind each ``url``; each answer and error in the shape of the
vendor's OpenAPI document."""

from __future__ import annotations

import hashlib

import httpx
import pytest


@pytest.fixture
def token(taskmock):
    response = httpx.post(f"{taskmock.url}/v1/oauth/token", params={"grant_type": "client_credentials"},
                          auth=(taskmock.projectcor.api_key, taskmock.projectcor.client_secret))
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def client(taskmock, token):
    with httpx.Client(base_url=taskmock.url, headers={"Authorization": f"Bearer {token['access_token']}"},
                      timeout=30) as c:
        yield c


def test_client_credentials_and_refresh(taskmock, token):
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and token["access_token"].count(".") == 2
    refreshed = httpx.post(f"{taskmock.url}/v1/oauth/refreshtoken", data={"refresh_token": token["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["access_token"] != token["access_token"]
    headers = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert httpx.get(f"{taskmock.url}/v1/me", headers=headers).json()["id"] == 61
    old = httpx.get(f"{taskmock.url}/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert old.status_code == 401                                  # the old pair is spent
    again = httpx.post(f"{taskmock.url}/v1/oauth/refreshtoken", data={"refresh_token": token["refresh_token"]})
    assert again.status_code == 401
    via_token = httpx.post(f"{taskmock.url}/v1/oauth/token", params={"grant_type": "refresh_token"},
                           json={"refresh_token": refreshed.json()["refresh_token"]})
    assert via_token.status_code == 200


@pytest.mark.parametrize("auth", [("cor-api-key", "wrong"), ("nobody", "cor-client-secret"), None])
def test_wrong_client_credentials_are_401(taskmock, auth):
    response = httpx.post(f"{taskmock.url}/v1/oauth/token", params={"grant_type": "client_credentials"}, auth=auth)
    assert response.status_code == 401 and response.json()["message"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "nope"}, {"Authorization": "Bearer nope"},
                                     {"Authorization": "Token x"}])
def test_bearer_is_required(taskmock, headers):
    response = httpx.get(f"{taskmock.url}/v1/tasks/7001/attachments", headers=headers)
    assert response.status_code == 401 and "message" in response.json()


def test_tokens_expire(taskmock_asgi):
    token = taskmock_asgi.post("/v1/oauth/token?grant_type=client_credentials",
                               auth=("cor-api-key", "cor-client-secret")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert taskmock_asgi.get("/v1/me", headers=headers).status_code == 200
    taskmock_asgi.advance(3601)
    expired = taskmock_asgi.get("/v1/me", headers=headers)
    assert (expired.status_code, expired.json()) == (401, {"message": "Token expired"})


def test_several_files_some_refused_by_the_rules(client, taskmock):
    response = client.post("/v1/tasks/7001/attachments", data={"available": "false", "status": "pending",
                                                                "session_token": "s-1", "created_from": "rework"},
                           files=[("file", ("brief.pdf", b"%PDF brief", "application/pdf")),
                                  ("file", ("setup.exe", b"MZ", "application/octet-stream")),
                                  ("file", ("notes.txt", b"notes", "text/plain"))])
    assert response.status_code == 200
    body = response.json()
    assert [f["originalname"] for f in body["files"]] == ["brief.pdf", "notes.txt"]
    assert body["files_q"] == 2
    assert body["errors"] == [{"filename": "setup.exe", "message": "Invalid file extension: .exe"}]
    first = body["files"][0]
    assert (first["available"], first["status"], first["token"], first["created_from"], first["version"],
            first["task_log_id"], first["media_type"], first["file_type"], first["size"]) == (
        False, "pending", "s-1", "rework", 1, 7001, "pdf", "pdf", 10)
    assert (first["source"], first["type"], first["parent_id"]) == ("S3", "tasks", 7001)
    blob_files = list(taskmock.app.state.runtime.blobs.root.iterdir())
    assert len(blob_files) == 2                               # the refused file's bytes were not kept


def test_errors_key_only_when_a_file_failed_and_files_q_counts_the_task(client):
    one = client.post("/v1/tasks/7001/attachments", files={"file": ("a.txt", b"a", "text/plain")}).json()
    assert "errors" not in one and one["files_q"] == 1
    two = client.post("/v1/tasks/7001/attachments", files={"file": ("b.txt", b"b", "text/plain")}).json()
    assert two["files_q"] == 2
    assert one["files"][0]["available"] is True and one["files"][0]["created_from"] == "task_panel"


def test_size_limit_from_the_fixtures(tmp_path):
    from mockserver.pytest_plugin import AsgiHandle
    from mockserver.settings import Settings

    fixtures = tmp_path / "cor.json"
    fixtures.write_text('{"projectcor": {"clients": [{"api_key": "k", "client_secret": "s", "user_id": 1}],'
                        ' "users": [{"id": 1}], "tasks": [{"id": 10}], "upload_rules": {"max_file_size": 4}}}')
    handle = AsgiHandle(Settings(vendors=("projectcor",), fixtures=fixtures))
    try:
        token = handle.post("/v1/oauth/token?grant_type=client_credentials", auth=("k", "s")).json()["access_token"]
        reply = handle.post("/v1/tasks/10/attachments", headers={"Authorization": f"Bearer {token}"},
                            files=[("file", ("ok.txt", b"1234", "text/plain")), ("file", ("big.txt", b"12345", "text/plain"))])
        assert [f["name"] for f in reply.json()["files"]] == ["ok.txt"]
        assert reply.json()["errors"] == [{"filename": "big.txt", "message": "File size exceeds the limit of 4 bytes"}]
    finally:
        handle.close()


def test_versions_count_up_from_a_parent(client):
    original = client.post("/v1/tasks/7001/attachments", files={"file": ("plan.txt", b"v1", "text/plain")}).json()
    root = original["files"][0]["id"]
    v2 = client.post("/v1/tasks/7001/attachments", data={"attachment_parent_id": str(root)},
                     files={"file": ("plan.txt", b"v2", "text/plain")}).json()["files"][0]
    v3 = client.post("/v1/tasks/7001/attachments", data={"attachment_parent_id": str(v2["id"])},
                     files={"file": ("plan.txt", b"v3", "text/plain")}).json()["files"][0]
    assert (v2["version"], v2["attachment_parent_id"]) == (2, root)
    assert (v3["version"], v3["attachment_parent_id"]) == (3, root)
    other_task = client.post("/v1/tasks/7002/attachments", data={"attachment_parent_id": str(root)},
                             files={"file": ("plan.txt", b"x", "text/plain")})
    assert (other_task.status_code, other_task.json()) == (404, {"status": "ERROR", "code": "FS003",
                                                                 "message": "Undefined attachment"})

    # the list shows the chain once, at its root, the newest version in currentVersion*
    [listed] = client.get("/v1/tasks/7001/attachments").json()["data"]
    assert (listed["id"], listed["version"], listed["currentVersion"], listed["currentVersionId"]) == (
        root, 1, 3, v3["id"])
    assert listed["currentVersionData"]["id"] == v3["id"] and httpx.get(
        listed["currentVersionData"]["url"]).content == b"v3"
    assert listed["user"]["id"] == 61 and listed["parent_type"] == "tasks"


@pytest.mark.parametrize("fields", [{"status": "done"}, {"created_from": "email"}, {"available": "maybe"},
                                    {"attachment_parent_id": "abc"}])
def test_enum_and_type_breaches_are_400(client, fields):
    response = client.post("/v1/tasks/7001/attachments", data=fields, files={"file": ("a.txt", b"a", "text/plain")})
    assert response.status_code == 400 and response.json()["message"]
    assert client.get("/v1/tasks/7001/attachments").json()["total"] == 0


def test_nothing_stored_unknown_task_and_a_broken_body(client):
    none = client.post("/v1/tasks/7001/attachments", data={"status": "pending"}, files={"other": ("a", b"a", "x/y")})
    assert (none.status_code, none.json()) == (400, {"status": "ERROR", "code": "FS001",
                                                     "message": "Unable to upload any file", "errors": []})
    refused = client.post("/v1/tasks/7001/attachments", files={"file": ("run.exe", b"MZ")})
    assert (refused.status_code, refused.json()["code"], refused.json()["errors"]) == (
        400, "FS001", [{"filename": "run.exe", "message": "Invalid file extension: .exe"}])
    unknown = client.post("/v1/tasks/999/attachments", files={"file": ("a", b"a", "x/y")})
    assert (unknown.status_code, unknown.json()) == (417, [{"message": "exists validation failed on task_id",
                                                            "field": "task_id", "validation": "exists"}])
    truncated = client.post("/v1/tasks/7001/attachments", content=b"--b\r\nContent-Disposition: form-data; "
                            b'name="file"; filename="a.txt"\r\n\r\nhalf a file',
                            headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert truncated.status_code == 400
    assert client.post("/v1/tasks/7001/attachments", json={"file": "x"}).status_code == 400


def test_the_list_is_paginated_newest_first(client, taskmock):
    for i in range(5):
        client.post("/v1/tasks/7001/attachments", files={"file": (f"f{i}.txt", b"x", "text/plain")})
        taskmock.advance(1)
    first = client.get("/v1/tasks/7001/attachments", params={"per_page": 2}).json()
    assert (first["total"], first["perPage"], first["page"], first["lastPage"]) == (5, 2, 1, 3)
    assert [f["name"] for f in first["data"]] == ["f4.txt", "f3.txt"]
    last = client.get("/v1/tasks/7001/attachments", params={"per_page": 2, "page": 3}).json()
    assert [f["name"] for f in last["data"]] == ["f0.txt"]
    oldest = client.get("/v1/tasks/7001/attachments", params={"perPage": 2, "order": '{"created_at": "ASC"}'})
    assert [f["name"] for f in oldest.json()["data"]] == ["f0.txt", "f1.txt"]
    assert client.get("/v1/tasks/7001/attachments", params={"per_page": 500}).json()["perPage"] == 50
    assert len(client.get("/v1/tasks/7001/attachments", params={"page": "false"}).json()) == 5
    assert client.get("/v1/tasks/7001/attachments", params={"page": "x"}).status_code == 400
    assert client.get("/v1/tasks/999/attachments").status_code == 404


def test_a_large_upload_streams_and_reads_back_identical(client):
    piece = bytes(range(256)) * 4096
    digest = hashlib.sha256()

    def multipart():
        yield b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
        for i in range(16):
            chunk = piece[i:] + piece[:i]
            digest.update(chunk)
            yield chunk
        yield b"\r\n--bnd--\r\n"

    reply = client.post("/v1/tasks/7001/attachments", content=multipart(),
                        headers={"Content-Type": "multipart/form-data; boundary=bnd"}).json()
    record = reply["files"][0]
    assert record["size"] == 16 * len(piece)
    with client.stream("GET", record["url"]) as download:
        assert download.status_code == 200
        read_back = hashlib.sha256()
        for chunk in download.iter_bytes():
            read_back.update(chunk)
    assert read_back.hexdigest() == digest.hexdigest()


@pytest.mark.parametrize("name", ["report.p?d#f", "notes.t%20x", "odd.a/b", "dir/../x.t?t", "plain"])
def test_a_name_with_url_characters_after_its_last_dot_still_downloads(client, name):
    data = hashlib.sha256(name.encode()).digest() * 100
    stored = client.post("/v1/tasks/7001/attachments", files={"file": (name, data)}).json()["files"][0]
    assert stored["name"] == name
    assert httpx.get(stored["url"]).content == data


def test_deleting_attachments(client, taskmock):
    ids = []
    for i in range(22):
        ids.append(client.post("/v1/tasks/7001/attachments", files={"file": (f"d{i}.txt", b"x")}).json()["files"][0]["id"])
        taskmock.advance(1)
    version = client.post("/v1/tasks/7001/attachments", data={"attachment_parent_id": str(ids[0])},
                          files={"file": ("d0.txt", b"y")}).json()["files"][0]
    gone = client.request("DELETE", "/v1/tasks/7001/attachments", json={"attachments": ids[0]})
    assert gone.json() == {"deleted": True, "elements": []}
    assert httpx.get(version["url"]).status_code == 404                       # its versions went with it
    # newest first, 20 a page: a client showing page 1 (d21..d2) deletes two there and gets what moves up into
    # it: d1, the one attachment left below
    refill = client.request("DELETE", "/v1/tasks/7001/attachments",
                            json={"attachments": [ids[21], ids[20]], "lastPage": 1}).json()
    assert refill["deleted"] is True and [e["id"] for e in refill["elements"]] == [ids[1]]
    assert len(client.get("/v1/tasks/7001/attachments").json()["data"]) == 19

    missing = client.request("DELETE", "/v1/tasks/7001/attachments", json={"attachments": [ids[1], 999]})
    assert (missing.status_code, missing.json()) == (404, {"status": "ERROR", "code": "FS003",
                                                           "message": "Undefined attachment"})
    assert client.get("/v1/tasks/7001/attachments").json()["total"] == 19          # nothing went
    no_task = client.request("DELETE", "/v1/tasks/999/attachments", json={"attachments": [ids[1]]})
    assert (no_task.status_code, no_task.json()) == (417, {"status": 417, "name": "CORCustomError", "code": "AC001",
                                                           "message": "exists validation failed on taskId"})


def test_a_file_of_an_external_source_is_attached_by_its_link(client):
    link = "https://drive.google.com/file/d/abc123/view"
    made = client.post("/v1/tasks/7001/attachments/source/GoogleDrive",
                       json={"filename": link, "originalname": "brief.pdf", "size": 2048, "session_token": "s-9"})
    assert made.status_code == 200
    body = made.json()
    assert (body["url"], body["source"], body["size"], body["file_type"], body["media_type"], body["session_token"]) \
        == (link, "GoogleDrive", 2048, "pdf", "pdf", "s-9")
    [listed] = client.get("/v1/tasks/7001/attachments").json()["data"]
    assert (listed["id"], listed["source"], listed["url"]) == (body["id"], "GoogleDrive", link)
    wrong = client.post("/v1/tasks/7001/attachments/source/Box", json={"filename": link, "originalname": "a"})
    assert (wrong.status_code, wrong.json()) == (400, {"status": 400, "name": "CORCustomError", "code": "AC001",
                                                       "message": "Invalid source type"})
    missing = client.post("/v1/tasks/7001/attachments/source/DropBox", json={"filename": link})
    assert (missing.status_code, missing.json()[0]["field"]) == (417, "originalname")
    assert client.post("/v1/tasks/999/attachments/source/OneDrive",
                       json={"filename": link, "originalname": "a"}).status_code == 417
    gone = client.request("DELETE", "/v1/tasks/7001/attachments", json={"attachments": body["id"]})
    assert gone.json()["deleted"] is True and client.get("/v1/tasks/7001/attachments").json()["total"] == 0
