"""Garbage at every vendor's routes, over real HTTP: each answer is the vendor's own error (never a 5xx nor a
traceback), the server keeps serving, and a file stored before comes back byte for byte."""

from __future__ import annotations

import base64
import random

import httpx
import pytest

GUARD = bytes(range(256)) * 64
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                 "multipart/form-data", "text/xml", "application/octet-stream", "text/plain; charset=latin-1", None]


def bitrix24(client):
    root = client.post("/rest/2/b2webhook/disk.storage.getlist", json={}).json()["result"][0]["ROOT_OBJECT_ID"]
    stored = client.post("/rest/2/b2webhook/disk.folder.uploadfile", json={
        "id": root, "data": {"NAME": "guard.bin"}, "fileContent": ["guard.bin", base64.b64encode(GUARD).decode()]})
    url = stored.json()["result"]["DOWNLOAD_URL"]
    paths = ["/rest/2/b2webhook/tasks.task.files.attach", "/rest/2/b2webhook/batch", "/rest/tasks.task.get",
             "/rest/2/b2webhook/disk.folder.uploadfile.xml", "/rest/2/b2webhook/upload/",
             "/rest/2/b2webhook/disk.file.get/", "/rest/1/adminhook/tasks.task.update",
             "/rest/1/adminhook/sonet_group.get"]
    return paths, lambda: client.get(url).content


def onlyoffice(client):
    token = client.post("/api/2.0/authentication", json={"userName": "member", "password": "member-password"})
    client.headers["Authorization"] = token.json()["response"]["token"]
    folder = client.get("/api/2.0/project/1").json()["response"]["projectFolder"]
    stored = client.post(f"/api/2.0/files/{folder}/upload", files={"f": ("guard.bin", GUARD, "x/y")})
    file_id = stored.json()["response"]["id"]
    paths = ["/api/2.0/project/task/1/files", "/api/2.0/project/task/1/files.xml", "/api/2.0/authentication",
             f"/api/2.0/files/{folder}/upload", "/api/2.0/project/task/1/filesmany", "/api/2.0/project/1/task",
             "/api/2.0/project", f"/api/2.0/files/folder/{folder}", "/api/2.0/files/fileops/move",
             "/api/2.0/files/fileops/delete"]
    return paths, lambda: client.get(f"/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid={file_id}").content


def projectcor(client):
    token = client.post("/v1/oauth/token?grant_type=client_credentials", auth=("cor-api-key", "cor-client-secret"))
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    stored = client.post("/v1/tasks/7001/attachments", files={"file": ("guard.bin", GUARD, "x/y")})
    url = stored.json()["files"][0]["url"]
    paths = ["/v1/tasks/7001/attachments", "/v1/oauth/token?grant_type=client_credentials",
             "/v1/oauth/refreshtoken", "/v1/me", "/v1/tasks/abc/attachments", "/v1/tasks/7001/messages",
             "/v1/projects"]
    return paths, lambda: client.get(url).content


def toggl(client):
    client.headers["Authorization"] = "Bearer toggl_sk_mock_owner_key"
    base = "/api/organizations/1001/workspaces/2001"
    stored = client.post(f"{base}/tasks/4002/attachments", files={"file": ("guard.bin", GUARD, "x/y")},
                         data={"display_order": "0"})
    view = f"{base}/tasks/4002/attachments/{stored.json()['id']}/view"
    paths = [f"{base}/tasks/4001/attachments", f"{base}/tasks/4001/attachments/bulk",
             f"{base}/tasks/4001/attachments/1", f"{base}/tasks", f"{base}/projects/3001/attachments"]
    return paths, lambda: client.get(view).content


@pytest.mark.parametrize("vendor", [bitrix24, onlyoffice, projectcor, toggl], ids=lambda v: v.__name__)
def test_garbage_gets_the_vendors_errors_and_breaks_nothing(taskmock, vendor):
    rng = random.Random(vendor.__name__)
    with httpx.Client(base_url=taskmock.url, timeout=30) as client:
        paths, read_guard = vendor(client)
        for _ in range(150):
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
            if rng.random() < 0.4:
                body = rng.choice([b"{", b"[]", b'{"a":', b"null", b"<x>", b"--xyz\r\n", b"a=1&a[]=2&a[b]=3",
                                   b'{"files": ["x"], "taskId": {"a": []}, "fileId": [1], "cmd": 5}']) + body
            headers = {}
            content_type = rng.choice(CONTENT_TYPES)
            if content_type:
                headers["Content-Type"] = content_type
            method = rng.choice(["GET", "POST", "PUT", "DELETE"])
            response = client.request(method, rng.choice(paths), content=body, headers=headers)
            assert response.status_code < 500 or response.status_code in (500,) and vendor is onlyoffice and \
                response.json()["status"] == 1, (method, response.status_code, response.text[:200])
            assert b"Traceback" not in response.content
        assert read_guard() == GUARD
