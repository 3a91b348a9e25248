"""ONLYOFFICE over real HTTP: the file operations past move and single delete (copy, delete of many, bulk
download into a zip at the operation's ``url``), the ``presigneduri`` stream link, and the ``onlyoffice``
client's two download paths, unchanged."""

from __future__ import annotations

import io
import os
import zipfile

import httpx
import onlyoffice
import pytest

from tests.onlyoffice.test_documents import API, Api

HANDLER = "/Products/Files/HttpHandlers/filehandler.ashx"


def upload(api: Api, folder: str, name: str, data: bytes, new_version: bool = False) -> int:
    """The file's id; ``new_version``: a file of that name there takes the bytes as its next version."""
    answer = api.http.post(f"{API}/files/{folder}/upload.json", files={"file": (name, data)},
                           params={"createNewIfExist": "false"} if new_version else None)
    assert answer.status_code == 201, answer.text
    return answer.json()["response"]["id"]


@pytest.fixture
def manager(taskmock):
    return Api(taskmock, "manager", "json")


@pytest.fixture
def project_folder(manager):
    return str(manager("GET", "project/1")["projectFolder"])


def test_copy_makes_new_files_with_their_own_bytes_and_resolves_name_clashes(manager, project_folder):
    source = upload(manager, project_folder, "plan.txt", b"first plan")
    started = manager("PUT", "files/fileops/copy", json={"destFolderId": "@my", "fileIds": [source]})
    assert [(o["operation"], o["finished"]) for o in started] == [(1, False)]
    [done] = manager.poll()
    assert done["error"] == "" and done["processed"] == "1"
    [made] = done["files"]
    assert made["id"] != source and made["title"] == "plan.txt" and made["folderId"] != int(project_folder)
    assert manager("GET", f"files/file/{source}")["folderId"] == int(project_folder)      # the source stays

    # the original's new version leaves the copy's bytes alone
    assert upload(manager, project_folder, "plan.txt", b"second plan", new_version=True) == source
    copy_bytes = manager.http.get(HANDLER, params={"action": "download", "fileid": made["id"]}).content
    assert copy_bytes == b"first plan"

    # a clash: skipped (0), duplicated as "name (1).ext" (2), overwritten as a new version (1)
    for conflict in (0, 2, 1):
        manager("PUT", "files/fileops/copy", json={"destFolderId": "@my", "fileIds": [source],
                                                   "conflictResolveType": conflict})
        manager.poll()
    mine = {f["title"]: f for f in manager("GET", "files/@my")["files"]}
    assert sorted(mine) == ["plan (1).txt", "plan.txt"]
    assert mine["plan.txt"]["id"] == made["id"] and mine["plan.txt"]["version"] == 2
    assert manager.http.get(HANDLER, params={"action": "download", "fileid": made["id"]}).content == b"second plan"

    manager("PUT", "files/fileops/copy", json={"destFolderId": "@my", "fileIds": [999999]})
    [missing] = manager.poll()
    assert missing["error"] == "The required file was not found" and missing["files"] is None


def test_delete_of_many_reports_what_it_could_not_delete_in_the_operation(taskmock, manager, project_folder):
    keep, gone = upload(manager, project_folder, "a.txt", b"a"), upload(manager, project_folder, "b.txt", b"b")
    started = manager("PUT", "files/fileops/delete", json={"fileIds": [keep, 999999]})
    assert started[0]["operation"] == 2
    [done] = manager.poll()
    assert done["error"] == "The required file was not found" and done["files"] is None
    trash = manager("GET", "files/@trash")["files"]
    assert [f["id"] for f in trash] == [keep]

    manager("PUT", "files/fileops/delete", data={"fileIds": [str(gone)], "immediately": "true"})
    manager.poll()
    manager("GET", f"files/file/{gone}", status=404)
    assert [f["id"] for f in manager("GET", "files/@trash")["files"]] == [keep]

    member = Api(taskmock, "member", "json")
    theirs = upload(manager, "@my", "private.txt", b"p")
    member("PUT", "files/fileops/delete", json={"fileIds": [theirs]})
    [refused] = member.poll()
    assert refused["error"] == "You don't have enough permission to delete the file"
    assert manager("GET", f"files/file/{theirs}")["title"] == "private.txt"


def test_bulk_download_zips_files_and_folders_at_the_operations_url(taskmock, manager, project_folder):
    upload(manager, project_folder, "notes.txt", b"project notes")
    mine = upload(manager, "@my", "notes.txt", b"my notes")
    other = upload(manager, "@my", "budget.csv", b"1,2,3")
    started = manager("PUT", "files/fileops/bulkdownload",
                      json={"fileIds": [mine, other], "folderIds": [int(project_folder)]})
    assert [(o["operation"], o["finished"], "url" in o) for o in started] == [(3, False, False)]
    [done] = manager.poll()
    assert done["error"] == "" and done["files"] is None and done["folders"] is None
    url = done["url"]
    assert url.startswith(f"{taskmock.url}{HANDLER}?action=bulk&filename=")

    got = manager.http.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    today = httpx.get(f"{taskmock.url}/__admin/clock").json()["now"][:10]     # the mock's clock, which a test moves
    assert got.headers["content-disposition"] == f'attachment; filename="portal-download-{today}.zip"'
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    assert entries == {"notes.txt": b"my notes", "budget.csv": b"1,2,3",
                       "Website relaunch/notes.txt": b"project notes"}

    # the archive is the caller's own: another user finds none, a caller without credentials is refused
    assert Api(taskmock, "member", "json").http.get(url).status_code == 404
    assert httpx.get(url).status_code == 403
    assert manager.http.get(HANDLER, params={"action": "bulk", "filename": "%%%"}).status_code == 500

    # nothing readable: the operation's error, and no url
    manager("PUT", "files/fileops/bulkdownload", json={"fileIds": [999999]})
    [empty] = manager.poll()
    assert empty["error"] == "The required file was not found" and "url" not in empty


def test_a_single_folder_is_zipped_without_its_own_name(manager, project_folder):
    upload(manager, project_folder, "a.txt", b"A")
    upload(manager, project_folder, "b.txt", b"B")
    manager("PUT", "files/fileops/bulkdownload", json={"folderIds": [int(project_folder)]})
    [done] = manager.poll()
    got = manager.http.get(done["url"])
    assert got.headers["content-disposition"] == 'attachment; filename="Website relaunch.zip"'
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        assert sorted(archive.namelist()) == ["a.txt", "b.txt"]


def test_presigned_links_stream_without_credentials_until_they_expire(taskmock, manager, project_folder):
    file_id = upload(manager, project_folder, "deck.pptx", b"version one")
    upload(manager, project_folder, "deck.pptx", b"version two", new_version=True)
    link = manager("GET", f"files/file/{file_id}/presigneduri")
    assert link.startswith(f"{taskmock.url}{HANDLER}?action=stream&fileid={file_id}&version=2&stream_auth=")
    assert httpx.get(link).content == b"version two"
    old = manager("GET", f"files/file/{file_id}/presigneduri", params={"version": 1})
    answer = httpx.get(old)
    assert answer.content == b"version one" and "deck.pptx" in answer.headers["content-disposition"]

    forged = link[:-4] + ("0000" if not link.endswith("0000") else "1111")
    refused = httpx.get(forged)
    assert refused.status_code == 403 and refused.text == "You don't have enough permission to perform the operation"
    assert httpx.get(link.replace(f"fileid={file_id}", "fileid=1")).status_code == 403    # the key is the file's

    # with credentials the key is not needed, but the right to read is
    assert manager.http.get(f"{HANDLER}?action=stream&fileid={file_id}").content == b"version two"
    stranger = Api(taskmock, "stranger", "json")
    own = upload(manager, "@my", "mine.txt", b"m")
    assert stranger.http.get(f"{HANDLER}?action=stream&fileid={own}").status_code == 403
    manager("GET", f"files/file/{file_id}/presigneduri", params={"version": 7}, status=404)
    assert manager.http.get(HANDLER, params={"action": "nonsense"}).status_code == 400

    taskmock.advance(16 * 60 + 1)                                     # files.stream-url-minute: 16
    assert httpx.get(link).status_code == 403


def test_the_onlyoffice_clients_downloads(taskmock, tmp_path):
    """``onlyoffice`` 0.1.0, unchanged: ``download`` (bulk download, then ``?action=bulk&ext=.zip``, the link
    servers before 12.0 gave: switch ``bulk_download_name=plain``; a 12.0 server has no archive there) and
    ``download_folder`` (a ``presigneduri`` per file)."""
    client = onlyoffice.OnlyOffice(taskmock.url, "manager", taskmock.onlyoffice.users["manager"])
    manager = Api(taskmock, "manager", "json")
    folder = str(manager("GET", "project/1")["projectFolder"])
    ids = [upload(manager, folder, "one.txt", b"first"), upload(manager, folder, "two.txt", b"second")]

    assert client.download(ids, str(tmp_path / "dated.zip")) is True       # it does not look at the status
    assert (tmp_path / "dated.zip").read_bytes() == b""                    # the 404's empty body

    taskmock.options("onlyoffice", bulk_download_name="plain")
    assert client.download(ids, str(tmp_path / "all.zip")) is True
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == {"one.txt": b"first", "two.txt": b"second"}

    client.download_folder(folder, f"{tmp_path}{os.sep}")
    assert (tmp_path / "one.txt").read_bytes() == b"first" and (tmp_path / "two.txt").read_bytes() == b"second"
