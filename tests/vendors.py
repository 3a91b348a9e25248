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


class Client:
    """One vendor on its own HTTP client (their credentials travel in the same header); ``open`` logs in."""
    name = ""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    @classmethod
    async def open(cls, client: httpx.AsyncClient):
        self = cls(client)
        await self.login()
        return self

    async def login(self) -> None:
        """What a client of the vendor does before its first call (nothing, for a fixed credential)."""

    async def download(self, url: str, **params: Any) -> bytes | None:
        """The bytes behind ``url``; None for the vendor's 404."""
        got = _checked(await self.client.get(url, params=params or None), 404)
        return got.content if got else None


class Kanboard(Client):
    name = "kanboard"

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


class Bitrix24(Client):
    name = "bitrix24"
    hook = "/rest/2/b2webhook"

    async def login(self) -> None:
        storages = (await self.client.post(f"{self.hook}/disk.storage.getlist", json={})).json()["result"]
        self.folder = storages[0]["ROOT_OBJECT_ID"]

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


class Toggl(Client):
    name = "toggl"
    base = "/api/organizations/1001/workspaces/2001/tasks/4002/attachments"

    async def login(self) -> None:
        self.client.headers["Authorization"] = "Bearer toggl_sk_mock_owner_key"

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post(self.base, files={"file": (name, data, "application/octet-stream")},
                                          data={"display_order": "0"})
        _checked(response, ok=201)
        attachment = response.json()

        async def read() -> bytes | None:
            return await self.download(f"{self.base}/{attachment['id']}/view")

        async def delete() -> None:
            await self.client.delete(f"{self.base}/{attachment['id']}")
        return Stored(attachment["name"], read, delete)


class ProjectCor(Client):
    name = "projectcor"

    async def login(self) -> None:
        token = await self.client.post("/v1/oauth/token", params={"grant_type": "client_credentials"},
                                       auth=("cor-api-key", "cor-client-secret"))
        self.client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post("/v1/tasks/7001/attachments",
                                          files={"file": (name, data, "application/octet-stream")})
        body = _checked(response)
        assert body is not None and not body.json().get("errors"), response.text
        stored = body.json()["files"][0]

        async def read() -> bytes | None:
            return await self.download(stored["url"])
        return Stored(stored["originalname"], read)


class Onlyoffice(Client):
    name = "onlyoffice"

    async def login(self) -> None:
        token = await self.client.post("/api/2.0/authentication",
                                       json={"userName": "member", "password": "member-password"})
        self.client.headers["Authorization"] = token.json()["response"]["token"]
        project = await self.client.get("/api/2.0/project/1")
        self.folder = project.json()["response"]["projectFolder"]

    async def store(self, name: str, data: bytes) -> Stored:
        response = await self.client.post(f"/api/2.0/files/{self.folder}/upload",
                                          files={"file": (name, data, "application/octet-stream")})
        _checked(response, ok=201)
        stored = response.json()["response"]

        async def read() -> bytes | None:
            return await self.download("/Products/Files/HttpHandlers/filehandler.ashx", action="download",
                                       fileid=stored["id"])
        return Stored(stored["title"], read)


ALL = [Kanboard, Bitrix24, Toggl, ProjectCor, Onlyoffice]
