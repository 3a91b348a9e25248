"""ONLYOFFICE folders below the roots, over real HTTP: an integration that files a task's documents in folders of
its own inside the project folder (create, nest, upload into, attach, rename, path, move, copy, download as a
zip, delete), and the answers the server gives when a folder call is refused."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from tests.onlyoffice.test_documents import Api


def upload(api: Api, folder: int, name: str, data: bytes) -> dict:
    return api("POST", f"files/{folder}/upload", 201, files={"file": (name, data, "application/octet-stream")})


@pytest.fixture
def manager(taskmock):
    return Api(taskmock, "manager", "json")


def project_folder(api: Api, project: int = 1) -> int:
    return api("GET", f"project/{project}")["projectFolder"]


def test_the_life_of_a_task_folder(manager, taskmock):
    root = project_folder(manager)
    contracts = manager("POST", f"files/folder/{root}", 201, json={"title": "Contracts"})
    assert (contracts["parentId"], contracts["title"], contracts["filesCount"], contracts["foldersCount"]) == \
        (root, "Contracts", 0, 0)
    year = manager("POST", f"files/folder/{contracts['id']}", 201, json={"title": "2026: signed"})
    assert year["title"] == "2026_ signed"                      # what a title may not hold is replaced
    signed = upload(manager, year["id"], "lease.pdf", b"%PDF lease")
    manager("POST", "project/task/1/files", 201, json={"files": [signed["id"]]})
    assert [f["title"] for f in manager("GET", "project/task/1/files")] == ["lease.pdf"]   # its root is the project's

    listed = manager("GET", f"files/{root}")
    [shown] = listed["folders"]
    assert (shown["id"], shown["foldersCount"]) == (contracts["id"], 1)
    inner = manager("GET", f"files/{year['id']}")
    assert inner["pathParts"] == [listed["pathParts"][0], root, contracts["id"], year["id"]]
    assert [f["title"] for f in inner["files"]] == ["lease.pdf"]
    path = manager("GET", f"files/folder/{year['id']}/path")
    assert [x["title"] for x in path] == ["Projects Documents", "Website relaunch", "Contracts", "2026_ signed"]

    made = {x["title"]: x for x in taskmock.state("onlyoffice")["onlyoffice"]["folders"]}
    assert made["2026_ signed"]["parentId"] == contracts["id"]

    renamed = manager("PUT", f"files/folder/{contracts['id']}", json={"title": "Agreements"})
    assert renamed["title"] == "Agreements" and manager("GET", f"files/folder/{contracts['id']}")["title"] == \
        "Agreements"

    my = manager("GET", "files/@my")["current"]["id"]
    manager("PUT", "files/fileops/move", json={"destFolderId": my, "folderIds": [year["id"]]})
    [moved] = manager.poll()
    assert moved["error"] == "" and [x["id"] for x in moved["folders"]] == [year["id"]]
    assert manager("GET", f"files/folder/{year['id']}")["parentId"] == my
    assert manager("GET", "project/task/1/files") == []          # out of the project's tree, out of the task

    manager("DELETE", f"files/folder/{year['id']}")
    assert manager.poll()[0]["error"] == ""
    trash = manager("GET", "files/@trash")
    assert [x["title"] for x in trash["folders"]] == ["2026_ signed"]
    manager("DELETE", f"files/folder/{year['id']}")              # from the trash: for good
    manager.poll()
    assert manager("GET", "files/@trash")["folders"] == []
    assert manager("GET", f"files/file/{signed['id']}", 404)["message"] == "File not found"


def test_a_copied_folder_holds_copies_and_a_second_copy_merges(manager):
    root = project_folder(manager)
    folder = manager("POST", f"files/folder/{root}", 201, json={"title": "Drafts"})
    sub = manager("POST", f"files/folder/{folder['id']}", 201, json={"title": "old"})
    first = upload(manager, folder["id"], "a.txt", b"A")
    upload(manager, sub["id"], "b.txt", b"B")
    my = manager("GET", "files/@my")["current"]["id"]
    manager("PUT", "files/fileops/copy", json={"destFolderId": my, "folderIds": [folder["id"]]})
    [copied] = manager.poll()
    [made] = copied["folders"]
    assert made["id"] != folder["id"] and made["title"] == "Drafts" and made["parentId"] == my
    inside = manager("GET", f"files/{made['id']}")
    assert [f["title"] for f in inside["files"]] == ["a.txt"] and inside["files"][0]["id"] != first["id"]
    assert [x["title"] for x in inside["folders"]] == ["old"]
    upload(manager, folder["id"], "c.txt", b"C")
    manager("PUT", "files/fileops/copy", json={"destFolderId": my, "folderIds": [folder["id"]]})
    [merged] = manager.poll()
    assert [x["id"] for x in merged["folders"]][0] == made["id"]          # the folder there takes the new file
    assert sorted(f["title"] for f in manager("GET", f"files/{made['id']}")["files"]) == ["a.txt", "c.txt"]
    assert len(manager("GET", f"files/{my}")["folders"]) == 1
    assert len(manager("GET", f"files/{folder['id']}")["files"]) == 2      # a copy leaves the source whole


def test_a_folder_downloads_as_a_zip_with_its_folders(manager, taskmock):
    root = project_folder(manager)
    folder = manager("POST", f"files/folder/{root}", 201, json={"title": "Pack"})
    sub = manager("POST", f"files/folder/{folder['id']}", 201, json={"title": "inner"})
    manager("POST", f"files/folder/{folder['id']}", 201, json={"title": "empty"})
    upload(manager, folder["id"], "top.txt", b"top")
    upload(manager, sub["id"], "deep.txt", b"deep")
    manager("PUT", "files/fileops/bulkdownload", json={"folderIds": [folder["id"]]})
    [done] = manager.poll()
    archive = zipfile.ZipFile(io.BytesIO(manager.http.get(done["url"]).content))
    assert sorted(archive.namelist()) == ["empty/", "inner/deep.txt", "top.txt"]
    assert archive.read("inner/deep.txt") == b"deep"


def test_refused_folder_calls(taskmock, manager):
    root = project_folder(manager)
    projects_root = manager("GET", "files/@projects")["current"]["id"]
    trash = manager("GET", "files/@trash")["current"]["id"]
    assert manager("POST", f"files/folder/{root}", 400, json={"title": " "})["message"] == \
        "Value does not fall within the expected range."
    for parent, status, text in ((999999, 403, "The required folder was not found"),
                                 (projects_root, 403, "You don't have enough permission to create"),
                                 (trash, 403, "You don't have enough permission to create")):
        error = manager("POST", f"files/folder/{parent}", status, json={"title": "x"})
        assert error["message"] == text and error["hresult"] == -2146233079
    assert manager("PUT", f"files/folder/{root}", 403, json={"title": "mine"})["message"] == \
        "You don't have enough permission to rename the folder"
    manager("DELETE", f"files/folder/{root}")
    assert manager.poll()[0]["error"] == "You don't have enough permission to delete the folder"

    outer = manager("POST", f"files/folder/{root}", 201, json={"title": "outer"})
    inner = manager("POST", f"files/folder/{outer['id']}", 201, json={"title": "inner"})
    manager("PUT", "files/fileops/move", json={"destFolderId": inner["id"], "folderIds": [outer["id"]]})
    assert manager.poll()[0]["error"] == "You cannot copy the folder to its subfolder"

    private = manager("POST", f"files/folder/{project_folder(manager, 2)}", 201, json={"title": "board"})
    guest, stranger = Api(taskmock, "guest", "json"), Api(taskmock, "stranger", "json")
    assert guest("GET", f"files/folder/{private['id']}", 403)["message"] == \
        "You don't have enough permission to view the folder content"           # no Files right in project 2
    assert guest("GET", f"files/folder/{outer['id']}")["title"] == "outer"
    assert stranger("GET", f"files/folder/{outer['id']}")["title"] == "outer"       # an open project's
    assert stranger("PUT", f"files/folder/{outer['id']}", 403, json={"title": "s"})["message"] == \
        "You don't have enough permission to rename the folder"
    assert stranger("POST", f"files/folder/{outer['id']}", 403, json={"title": "s"})["message"] == \
        "You don't have enough permission to create"                             # not on the team
    assert manager("GET", "files/folder/@my", 403)["message"] == "The required folder was not found"


def test_a_tree_deeper_than_the_stack_moves_copies_zips_and_goes(taskmock_asgi):
    """1,200 folders one inside the other: every operation on the tree finishes, without an error."""
    auth = {"Authorization": "Basic " + base64.b64encode(b"manager:manager-password").decode()}

    def call(method: str, path: str, **kw):
        response = taskmock_asgi.request(method, f"/api/2.0/{path}.json", headers=auth, **kw)
        assert response.status_code < 400, response.text
        return response.json()["response"]

    def run(path: str, **body) -> dict:
        call("PUT", f"files/fileops/{path}", json=body)
        [done] = call("GET", "files/fileops")
        assert done["finished"] and done["error"] == "", done
        return done

    my = call("GET", "files/@my")["current"]["id"]
    top = parent = call("POST", f"files/folder/{my}", json={"title": "deep"})["id"]
    for _ in range(1200):
        parent = call("POST", f"files/folder/{parent}", json={"title": "d"})["id"]
    call("POST", f"files/{parent}/upload", files={"file": ("bottom.txt", b"bottom", "text/plain")})
    assert len(call("GET", f"files/folder/{parent}/path")) == 1202         # My documents, deep, 1,200 below
    [copy] = run("copy", destFolderId=my, folderIds=[top], conflictResolveType=2)["folders"]
    elsewhere = call("POST", f"files/folder/{my}", json={"title": "elsewhere"})["id"]
    run("move", destFolderId=elsewhere, folderIds=[copy["id"]])
    done = run("bulkdownload", folderIds=[top])
    names = zipfile.ZipFile(io.BytesIO(taskmock_asgi.get(done["url"], headers=auth).content)).namelist()
    assert names == ["d/" * 1200 + "bottom.txt"]
    run("delete", folderIds=[top, elsewhere], immediately=True)
    assert call("GET", "files/@my")["folders"] == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_folder_calls_in_either_format(taskmock, fmt):
    """An XML client sends forms and reads ``<response>``: the folder routes answer it as they answer JSON."""
    api = Api(taskmock, "manager", fmt)
    root = api.get(api("GET", "project/1"), "projectFolder")
    made = api("POST", f"files/folder/{root}", 201, json={"title": "Minutes"})
    folder_id = api.get(made, "id")
    assert api.get(made, "title") == "Minutes" and api.get(made, "parentId") == root
    renamed = api("PUT", f"files/folder/{folder_id}", json={"title": "Minutes 2026"})
    assert api.get(renamed, "title") == "Minutes 2026"
    assert [api.get(x, "title") for x in api.items(api("GET", f"files/folder/{folder_id}/path"))][-2:] == \
        ["Website relaunch", "Minutes 2026"]
