"""ONLYOFFICE over real HTTP, the whole life of a task file as an integration lives it, in JSON and in XML: who am
I, find the task, chunk-upload into the project folder, attach, rename, a second version, both versions' bytes,
move it out (an operation, polled) and see it leave the task, delete it. Then the rights matrix on every file
route, and the ``onlyoffice`` client from the package index, unchanged."""

from __future__ import annotations

import hashlib
import os
from typing import Any
from xml.etree import ElementTree

import httpx
import onlyoffice
import pytest

API = "/api/2.0"
CHUNK = 1024 * 1024


def login(taskmock, user):
    response = httpx.post(f"{taskmock.url}{API}/authentication.json",
                          json={"userName": user, "password": taskmock.onlyoffice.users[user]})
    assert response.status_code == 201
    return response.json()["response"]["token"]


class Api:
    """One user's calls in one format: ``.json`` answers are parsed, ``.xml`` ones read by path."""

    def __init__(self, taskmock, user: str, fmt: str):
        self.http = httpx.Client(base_url=taskmock.url, headers={"Authorization": login(taskmock, user)},
                                 timeout=30)
        self.fmt = fmt

    def __call__(self, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        if self.fmt == "xml" and "json" in kw:      # a JSON request is answered in JSON: XML clients send forms
            kw["data"] = kw.pop("json")
        response = self.http.request(method, f"{API}/{path}.{self.fmt}", **kw)
        assert response.status_code == status, response.text
        if self.fmt == "json":
            body = response.json()
            return body["response"] if status < 400 else body["error"]
        return ElementTree.fromstring(response.content)          # XML: the whole <result>

    def get(self, node: Any, path: str) -> str:
        """A value at ``a/b`` of a JSON response or an XML one (an item, or the <result> of one object), as text."""
        if self.fmt == "xml":
            found = node.find(f"response/{path}" if node.tag == "result" else path)
            assert found is not None, path
            return found.text or ""
        for part in path.split("/"):
            node = node[int(part)] if isinstance(node, list) else node[part]
        return str(node).lower() if isinstance(node, bool) else str(node)

    def items(self, node: Any, name: str = "") -> list[Any]:
        """The items of a list response, or of the list ``name`` in an object response (XML: the repeated
        elements, one per item, with no wrapper)."""
        if self.fmt == "json":
            return node if not name else node.get(name, [])
        return node.findall(f"response/{name}" if name else "response")

    def poll(self) -> list[Any]:
        """``GET files/fileops`` until every operation is finished (the mock finishes them at the next poll)."""
        for _ in range(3):
            operations = self.items(self("GET", "files/fileops"))
            if all(self.get(o, "finished") == "true" for o in operations):
                return operations
        raise AssertionError("operations never finished")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_life_of_a_task_file(taskmock, fmt):
    api = Api(taskmock, "manager", fmt)
    me = api("GET", "people/@self")
    assert api.get(me, "userName") == "manager" and api.get(me, "isAdmin") == "false"
    assert api.items(api("GET", "project/task/filter", params={"projectid": 1, "participant": api.get(me, "id")})) \
        == []                                # nobody is responsible for a task yet: found by its title below
    task = next(t for t in api.items(api("GET", "project/task/filter", params={"projectid": 1}))
                if api.get(t, "title") == "Prepare report")
    task_id = api.get(task, "id")
    folder = api.get(api("GET", "project/1"), "projectFolder")

    data = os.urandom(3 * CHUNK + 12345)
    session = api("POST", f"files/{folder}/upload/create_session",
                  json={"fileName": "board deck.pptx", "fileSize": len(data)})
    location = api.get(session, "data/location")
    assert api.get(session, "data/bytes_total") == str(len(data))
    for start in range(0, len(data), CHUNK):
        answer = api.http.post(location, files={"file": ("blob", data[start:start + CHUNK])}).json()
        assert answer["success"] is True, answer
    assert answer["data"]["uploaded"] is True
    file_id = str(answer["data"]["id"])

    api("POST", f"project/task/{task_id}/files", status=201, json={"files": [int(file_id)]})
    listed = api.items(api("GET", f"project/task/{task_id}/files"))
    assert [api.get(f, "id") for f in listed] == [file_id]
    renamed = api("PUT", f"files/file/{file_id}", json={"title": "Board deck, final"})
    assert api.get(renamed, "title") == "Board deck, final.pptx"      # the extension is kept
    second = api.http.post(f"{API}/files/{folder}/upload", params={"createNewIfExist": "false"},
                           files={"file": ("Board deck, final.pptx", b"the second version")})
    assert second.status_code == 201
    history = api.items(api("GET", f"files/file/{file_id}/history"))
    assert [api.get(v, "version") for v in history] == ["2", "1"]
    for version, expected in (("1", data), ("2", b"the second version")):
        got = api.http.get("/Products/Files/HttpHandlers/filehandler.ashx",
                           params={"action": "download", "fileid": file_id, "version": version})
        assert hashlib.sha256(got.content).digest() == hashlib.sha256(expected).digest(), version

    started = api.items(api("PUT", "files/fileops/move", json={"destFolderId": "@my", "fileIds": [int(file_id)]}))
    assert [api.get(o, "finished") for o in started] == ["false"]
    [moved] = api.poll()
    assert api.get(moved, "operation") == "0" and api.get(moved, "progress") == "100"
    assert api.items(api("GET", f"project/task/{task_id}/files")) == []
    mine = api("GET", "files/@my")
    assert file_id in [api.get(f, "id") for f in api.items(mine, "files")]

    api("DELETE", f"files/file/{file_id}", params={"immediately": "true"})
    [deleted] = api.poll()
    assert api.get(deleted, "operation") == "2" and api.get(deleted, "error") == ""
    api("GET", f"files/file/{file_id}", status=404)


def test_chunks_past_the_session_or_the_chunk_limit_are_refused(taskmock):
    api = Api(taskmock, "manager", "json")
    folder = api.get(api("GET", "project/1"), "projectFolder")
    location = api("POST", f"files/{folder}/upload/create_session",
                   json={"fileName": "a.bin", "fileSize": 5})["data"]["location"]
    too_many = api.http.post(location, files={"file": ("blob", b"123456")}).json()
    assert too_many["success"] is False and "maximum file size" in too_many["message"]
    gone = api.http.post(location, files={"file": ("blob", b"1")}).json()        # the session was aborted
    assert gone == {"success": False, "data": None, "message": "Can't authorize given initiate session request "
                    "or session with specified upload id already expired"}
    big = api.http.post(f"{API}/files/{folder}/upload/create_session.json",
                        json={"fileName": "huge.bin", "fileSize": 5 * 1024 ** 3})
    assert big.status_code == 500 and "maximum file size" in big.json()["error"]["message"]
    empty = api("POST", f"files/{folder}/upload/create_session", json={"fileName": "e.bin", "fileSize": 3})
    assert api.http.post(empty["data"]["location"], data={"x": "y"}).json()["message"] == "HttpRequest.Files is empty"


def test_a_slow_operation_finishes_when_the_switch_says(taskmock):
    taskmock.options("onlyoffice", fileops_delay_ms=60_000)
    api = Api(taskmock, "manager", "json")
    folder = api.get(api("GET", "project/1"), "projectFolder")
    f = api.http.post(f"{API}/files/{folder}/upload.json", files={"file": ("a.txt", b"abc")}).json()["response"]
    api("DELETE", f"files/file/{f['id']}")
    assert [o["finished"] for o in api("GET", "files/fileops")] == [False]
    taskmock.advance(61)
    [done] = api("GET", "files/fileops")
    assert done["finished"] is True and api("GET", "files/fileops") == []       # reported once
    assert api("GET", f"files/file/{f['id']}")["rootFolderType"] == 3            # in the trash


# -- who may do what: every file route, five users ------------------------------------------------------------------

USERS = ["admin", "manager", "member", "guest", "stranger"]
# project 1 is open, project 2 private; guest is on both teams but without the Files right in project 2, the
# stranger on neither; the manager is both projects' responsible
EXPECTED = {
    # route: statuses for admin, manager, member, guest, stranger, on a file of the private project 2
    "get": (200, 200, 200, 403, 403),
    "download": (200, 200, 200, 403, 403),
    "history": (200, 200, 200, 403, 403),
    "rename": (200, 200, 200, 403, 403),
    "delete": (200, 200, 200, 403, 403),
    "task files": (200, 200, 200, 403, 404),
    "entity files": (200, 200, 200, 403, 404),
    "project files": (200, 200, 200, 403, 404),
    "attach": (201, 201, 201, 403, 404),
    "detach": (200, 200, 200, 403, 404),
    "entity attach": (201, 201, 201, 403, 404),
    "upload": (201, 201, 201, 403, 403),
    "task": (200, 200, 200, 200, 404),             # the task itself: no Files right needed (its files hidden)
}


def _routes(file_id: int, folder: int) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        "get": ("GET", f"{API}/files/file/{file_id}.json", {}),
        "download": ("GET", "/Products/Files/HttpHandlers/filehandler.ashx",
                     {"params": {"action": "download", "fileid": file_id}}),
        "history": ("GET", f"{API}/files/file/{file_id}/history.json", {}),
        "rename": ("PUT", f"{API}/files/file/{file_id}.json", {"json": {"title": "renamed"}}),
        "delete": ("DELETE", f"{API}/files/file/{file_id}.json", {}),
        "task files": ("GET", f"{API}/project/task/3/files.json", {}),
        "entity files": ("GET", f"{API}/project/3/entityfiles.json", {"params": {"entityType": "task"}}),
        "project files": ("GET", f"{API}/project/2/files.json", {}),
        "attach": ("POST", f"{API}/project/task/3/files.json", {"json": {"files": [file_id]}}),
        "detach": ("DELETE", f"{API}/project/task/3/files.json", {"params": {"fileid": file_id}}),
        "entity attach": ("POST", f"{API}/project/3/entityfiles.json",
                          {"json": {"entityType": "task", "files": [file_id]}}),
        "upload": ("POST", f"{API}/files/{folder}/upload.json", {"files": {"file": ("new.txt", b"new")}}),
        "task": ("GET", f"{API}/project/task/3.json", {}),
    }


def test_the_rights_matrix_of_the_file_routes(taskmock):
    manager = Api(taskmock, "manager", "json")
    folder = manager.get(manager("GET", "project/2"), "projectFolder")
    file_id = manager.http.post(f"{API}/files/{folder}/upload.json",
                                files={"file": ("minutes.docx", b"secret")}).json()["response"]["id"]
    seen = {}
    for user in USERS:
        http = Api(taskmock, user, "json").http
        for name, (method, path, kw) in _routes(file_id, folder).items():
            response = http.request(method, path, **kw)
            seen.setdefault(name, []).append(response.status_code)
            if response.status_code == 403 and path.startswith(API):
                assert response.json()["error"]["message"] in (
                    "You don't have enough permission to view the file", "Access denied.",
                    "Access to files is denied", "You don't have enough permission to edit the file",
                    "You don't have enough permission to create"), response.text
    assert {name: tuple(statuses) for name, statuses in seen.items()} == EXPECTED


def test_who_may_move_and_what_an_operation_reports(taskmock):
    member, guest = Api(taskmock, "member", "json"), Api(taskmock, "guest", "json")
    folder = member.get(member("GET", "project/1"), "projectFolder")
    f = member.http.post(f"{API}/files/{folder}/upload.json", files={"file": ("a.txt", b"abc")}).json()["response"]
    # the guest may read the open project's files, not move them into a private project's folder
    private = Api(taskmock, "manager", "json").get(Api(taskmock, "manager", "json")("GET", "project/2"),
                                                    "projectFolder")
    guest("PUT", "files/fileops/move", json={"destFolderId": private, "fileIds": [f["id"]]})
    [refused] = guest.poll()
    assert refused["error"] == "You don't have enough permission to create" and refused["files"] is None
    member("PUT", "files/fileops/move", json={"destFolderId": private, "fileIds": [f["id"]]})
    [moved] = member.poll()
    assert moved["error"] == "" and [x["folderId"] for x in moved["files"]] == [int(private)]


def test_entity_files_are_the_task_files_under_another_name(taskmock):
    api = Api(taskmock, "manager", "json")
    folder = api.get(api("GET", "project/1"), "projectFolder")
    uploaded = api("POST", "project/1/entityfiles/upload", status=201, params={"entityType": "task",
                   "folderid": folder}, files={"file": ("spec.pdf", b"%PDF spec")})
    assert [f["id"] for f in api("GET", "project/1/entityfiles", params={"entityType": "task"})] == [uploaded["id"]]
    assert api("GET", "project/task/1/files")[0]["id"] == uploaded["id"]
    assert api("GET", "project/1/entityfiles") == []                    # no entityType: a project, nothing listed
    assert api("DELETE", "project/1/entityfiles", params={"entityType": "task", "fileid": uploaded["id"]})["id"] \
        == uploaded["id"]
    assert api("GET", "project/task/1/files") == []
    api("DELETE", "project/1/entityfilesmany", params={"entityType": "task", "files": [uploaded["id"]]})
    assert [f["id"] for f in api("GET", "project/task/1/files")] == [uploaded["id"]]   # the same bug as filesmany


def test_projects_and_their_tasks_as_clients_find_them(taskmock):
    member = Api(taskmock, "member", "json")
    stranger = Api(taskmock, "stranger", "json")
    assert [p["id"] for p in member("GET", "project")] == [1, 2]
    assert [p["id"] for p in stranger("GET", "project")] == [1]          # the private one is not his to see
    assert [p["id"] for p in member("GET", "project/@self")] == [1, 2] and stranger("GET", "project/@self") == []
    found = member.http.get(f"{API}/project/filter.json", params={"count": 1}).json()
    assert (found["total"], found["count"], found["response"][0]["id"]) == (2, 1, 1)
    assert [t["title"] for t in member("GET", "project/1/task")][0] == "Prepare report"
    member("GET", "project/99/task", status=404)
    folders = member("GET", "files/@projects")["folders"]
    assert [f["title"] for f in folders] == ["Website relaunch", "Board matters"]
    assert [f["title"] for f in stranger("GET", "files/@projects")["folders"]] == ["Website relaunch"]


def test_the_onlyoffice_client_from_the_package_index(taskmock, tmp_path):
    """``onlyoffice`` 0.1.0, unchanged: login, a raw upload, the folder list, the download, a delete whose
    flags it sends as headers (so the file goes to the trash), and the operations it polls."""
    client = onlyoffice.OnlyOffice(taskmock.url, "member", taskmock.onlyoffice.users["member"])
    folder = httpx.get(f"{taskmock.url}{API}/project/1.json", headers=client.auth).json()["response"]["projectFolder"]
    source = tmp_path / "numbers.xlsx"
    source.write_bytes(b"PK sheet bytes")
    os.chdir(tmp_path)
    uploaded = client.upload(str(folder), "numbers.xlsx")
    file_id = uploaded["response"]["id"]
    ids, listing = client.getFileList(str(folder))
    assert ids == [file_id] and listing["response"]["files"][0]["title"] == "numbers.xlsx"
    client.downloadFile(file_id, str(tmp_path / "back.xlsx"))
    assert (tmp_path / "back.xlsx").read_bytes() == b"PK sheet bytes"
    answer = client.deleteFile(str(file_id), False, True)
    assert answer["response"][0]["operation"] == 2
    finished, _ = client.getFileops()
    assert finished is True
    assert client.getFileList(str(folder))[0] == []


def test_a_chunked_session_holds_no_file_open_between_chunks_and_is_dropped_when_it_expires(taskmock):
    api = Api(taskmock, "manager", "json")
    folder = api.get(api("GET", "project/1"), "projectFolder")
    root = taskmock.app.state.runtime.blobs.root

    def held_open() -> list[str]:
        paths = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                paths.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                pass                                # the directory's own descriptor, closed by now
        return [p for p in paths if p.startswith(str(root))]

    before = set(os.listdir(root))
    location = api("POST", f"files/{folder}/upload/create_session",
                   json={"fileName": "left.bin", "fileSize": 10})["data"]["location"]
    assert api.http.post(location, files={"file": ("blob", b"1234")}).json()["success"] is True
    [partial] = set(os.listdir(root)) - before
    assert (root / partial).read_bytes() == b"1234" and held_open() == []

    taskmock.advance(12 * 3600 + 1)                 # past the sliding 12 hours: the next session sweeps it away
    api("POST", f"files/{folder}/upload/create_session", json={"fileName": "next.bin", "fileSize": 3})
    assert partial not in os.listdir(root)
    assert api.http.post(location, files={"file": ("blob", b"56")}).json()["success"] is False
