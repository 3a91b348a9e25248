"""One way per vendor to store a file and read it back over HTTP, as a client of that vendor does: the tests of
races and hostile input run the same steps on every vendor through these.

``await Vendor.open(client)`` logs in; ``await v.store(name, data)`` uploads and returns a ``Stored``, whose
``read()`` is the bytes (``None``: the vendor's own not-found) and ``delete()`` removes the file where the
vendor can (``None`` where it cannot)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import httpx

Read = Callable[[], Awaitable["bytes | None"]]
Delete = Callable[[], Awaitable[None]] | None


class NotTheVendorsAnswer(AssertionError):
    """A download answered something no client of that vendor would accept: a 5xx, or a short body."""


@dataclass
class Stored:
    name: str
    read: Read
    delete: Delete = None


def _checked(response: httpx.Response, *not_found: int, ok: int = 200) -> httpx.Response | None:
    if response.status_code in not_found:
        return None
    if response.status_code != ok:
        raise NotTheVendorsAnswer(f"{response.request.method} {response.request.url.path}: "
                                  f"{response.status_code} {response.text[:200]}")
    return response


class Kanboard:
    name = "kanboard"

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    @classmethod
    async def open(cls, client: httpx.AsyncClient) -> "Kanboard":
        return cls(client)

    async def call(self, method: str, **params: Any) -> Any:
        response = await self.client.post("/jsonrpc.php", auth=("jsonrpc", "kanboard-app-token"),
                                          json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        body = _checked(response)
        assert body is not None
        reply = body.json()
        if "error" in reply:
            raise NotTheVendorsAnswer(f"{method}: {reply['error']}")
        return reply["result"]

    async def store(self, name: str, data: bytes) -> Stored:
        file_id = await self.call("createTaskFile", project_id=1, task_id=1, filename=name,
                                  blob=base64.b64encode(data).decode())
        assert isinstance(file_id, int) and file_id > 0, file_id

        async def read() -> bytes | None:
            text = await self.call("downloadTaskFile", file_id=file_id)
            return base64.b64decode(text) if text else None

        async def delete() -> None:
            await self.call("removeTaskFile", file_id=file_id)
        return Stored(name, read, delete)


class Bitrix24:
    name = "bitrix24"
    hook = "/rest/2/b2webhook"

    def __init__(self, client: httpx.AsyncClient, folder: int):
        self.client = client
        self.folder = folder

    @classmethod
    async def open(cls, client: httpx.AsyncClient) -> "Bitrix24":
        storages = (await client.post(f"{cls.hook}/disk.storage.getlist", json={})).json()["result"]
        return cls(client, storages[0]["ROOT_OBJECT_ID"])

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post(f"{self.hook}/disk.folder.uploadfile", json={
            "id": self.folder, "data": {"NAME": name}, "generateUniqueName": True,
            "fileContent": [name, base64.b64encode(data).decode()]})
        body = _checked(response)
        assert body is not None, response.text
        result = body.json()["result"]
        url = result["DOWNLOAD_URL"]

        async def read() -> bytes | None:
            response = await self.client.get(url)
            if response.status_code == 400 and response.json()["error"] == "ERROR_NOT_FOUND":
                return None
            got = _checked(response)
            return got.content if got else None

        async def delete() -> None:
            await self.client.post(f"{self.hook}/disk.file.delete", json={"id": result["ID"]})
        return Stored(result["NAME"], read, delete)


class Toggl:
    name = "toggl"
    base = "/api/organizations/1001/workspaces/2001/tasks/4002/attachments"

    def __init__(self, client: httpx.AsyncClient):
        self.client = client
        client.headers["Authorization"] = "Bearer toggl_sk_mock_owner_key"

    @classmethod
    async def open(cls, client: httpx.AsyncClient) -> "Toggl":
        return cls(client)

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post(self.base, files={"file": (name, data, "application/octet-stream")},
                                          data={"display_order": "0"})
        _checked(response, ok=201)
        attachment = response.json()

        async def read() -> bytes | None:
            got = _checked(await self.client.get(f"{self.base}/{attachment['id']}/view"), 404)
            return got.content if got else None

        async def delete() -> None:
            await self.client.delete(f"{self.base}/{attachment['id']}")
        return Stored(attachment["name"], read, delete)


class ProjectCor:
    name = "projectcor"

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    @classmethod
    async def open(cls, client: httpx.AsyncClient) -> "ProjectCor":
        token = await client.post("/v1/oauth/token", params={"grant_type": "client_credentials"},
                                  auth=("cor-api-key", "cor-client-secret"))
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        return cls(client)

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post("/v1/tasks/7001/attachments",
                                          files={"file": (name, data, "application/octet-stream")})
        body = _checked(response)
        assert body is not None and not body.json().get("errors"), response.text
        stored = body.json()["files"][0]

        async def read() -> bytes | None:
            got = _checked(await self.client.get(stored["url"]), 404)
            return got.content if got else None
        return Stored(stored["originalname"], read)


class Onlyoffice:
    name = "onlyoffice"

    def __init__(self, client: httpx.AsyncClient, folder: int):
        self.client = client
        self.folder = folder

    @classmethod
    async def open(cls, client: httpx.AsyncClient) -> "Onlyoffice":
        token = await client.post("/api/2.0/authentication",
                                  json={"userName": "member", "password": "member-password"})
        client.headers["Authorization"] = token.json()["response"]["token"]
        project = await client.get("/api/2.0/project/1")
        return cls(client, project.json()["response"]["projectFolder"])

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post(f"/api/2.0/files/{self.folder}/upload",
                                          files={"file": (name, data, "application/octet-stream")})
        _checked(response, ok=201)
        stored = response.json()["response"]

        async def read() -> bytes | None:
            got = _checked(await self.client.get("/Products/Files/HttpHandlers/filehandler.ashx",
                                                 params={"action": "download", "fileid": stored["id"]}), 404)
            return got.content if got else None
        return Stored(stored["title"], read)


ALL = [Kanboard, Bitrix24, Toggl, ProjectCor, Onlyoffice]
