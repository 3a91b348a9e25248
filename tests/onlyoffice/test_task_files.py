"""ONLYOFFICE Projects task files over real HTTP, in JSON and in XML."""

from __future__ import annotations

import base64
import hashlib
from xml.etree import ElementTree

import httpx
import pytest

API = "/api/2.0"


def login(taskmock, user="member"):
    response = httpx.post(f"{taskmock.url}{API}/authentication.json",
                          json={"userName": user, "password": taskmock.onlyoffice.users[user]})
    assert response.status_code == 201
    return response.json()["response"]["token"]


@pytest.fixture
def client(taskmock):
    with httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock)}, timeout=30) as c:
        yield c


def project_folder(client, project=1):
    return client.get(f"/project/{project}").json()["response"]["projectFolder"]


def upload(client, folder, name="report.docx", data=b"PK docx bytes", field="file"):
    response = client.post(f"/files/{folder}/upload", files={field: (name, data, "application/octet-stream")})
    assert response.status_code == 201, response.text
    return response.json()["response"]


def test_authentication(taskmock):
    ok = httpx.post(f"{taskmock.url}{API}/authentication", data={"userName": "member",
                                                                 "password": "member-password"})
    body = ok.json()
    assert ok.status_code == 201 and (body["count"], body["status"], body["statusCode"]) == (1, 0, 201)
    assert body["response"]["expires"].endswith("Z")
    by_email = httpx.post(f"{taskmock.url}{API}/authentication",
                          params={"userName": "admin@portal.example.com", "password": "admin-password"})
    assert by_email.status_code == 201
    failed = httpx.post(f"{taskmock.url}{API}/authentication", json={"userName": "member", "password": "nope"})
    assert failed.status_code == 500
    assert failed.json() == {"status": 1, "statusCode": 500, "error": {
        "message": "User authentication failed", "hresult": -2146233087, "data": {}}}
    assert httpx.post(f"{taskmock.url}{API}/authentication", json={}).status_code == 500


def test_every_form_of_credentials(taskmock):
    token = login(taskmock)
    basic = base64.b64encode(b"member:member-password").decode()
    for headers, cookies in (({"Authorization": token}, {}), ({"Authorization": f"Bearer {token}"}, {}),
                             ({"Authorization": f"Basic {basic}"}, {}), ({}, {"asc_auth_key": token}),
                             ({"Authorization": f"Bearer {token}, something"}, {})):
        response = httpx.get(f"{taskmock.url}{API}/project/task/1/files", headers=headers, cookies=cookies)
        assert response.status_code == 200, headers


def test_unauthorized_is_plain_text(taskmock):
    bare = httpx.get(f"{taskmock.url}{API}/project/task/1/files")
    assert (bare.status_code, bare.text) == (401, "Unauthorized")
    assert "www-authenticate" not in bare.headers and "json" not in bare.headers["content-type"]
    wrong = httpx.get(f"{taskmock.url}{API}/project/task/1/files", headers={"Authorization": "Bearer nope"})
    assert (wrong.status_code, wrong.text) == (401, "Unauthorized")
    assert wrong.headers["www-authenticate"] == 'Basic Realm="127.0.0.1"'          # the host the client called
    named = httpx.get(f"{taskmock.url}{API}/project/task/1/files", headers={"Authorization": "Bearer nope",
                                                                            "Host": "docs.local:9"})
    assert named.headers["www-authenticate"] == 'Basic Realm="docs.local"'


def test_upload_attach_list_detach(client):
    folder = project_folder(client)
    first = upload(client, folder, "report.docx", b"x" * 12345)
    assert (first["folderId"], first["title"], first["pureContentLength"], first["contentLength"],
            first["fileType"], first["fileExst"], first["rootFolderType"]) == (
        folder, "report.docx", 12345, "12.06 KB", 7, ".docx", 2)
    second = upload(client, folder, "photo.png", b"\x89PNG....", field="whatever")
    assert second["webUrl"].endswith(f"/Products/Files/#preview/{second['id']}")

    attached = client.post("/project/task/1/files", json={"files": [first["id"], second["id"]]})
    assert attached.status_code == 201
    body = attached.json()
    assert (body["count"], body["statusCode"], body["response"]["id"]) == (1, 201, 1)
    assert "files" not in body["response"]                       # the TaskWrapper, not the full task

    listed = client.get("/project/task/1/files").json()
    assert listed["count"] == 2 and [f["id"] for f in listed["response"]] == [first["id"], second["id"]]
    full = client.get("/project/task/1").json()["response"]
    assert [f["id"] for f in full["files"]] == [first["id"], second["id"]]
    assert full["project"]["projectFolder"] == folder

    detached = client.delete("/project/task/1/files", params={"fileid": first["id"]})
    assert detached.status_code == 200 and detached.json()["statusCode"] == 200
    assert [f["id"] for f in client.get("/project/task/1/files").json()["response"]] == [second["id"]]
    by_body = client.request("DELETE", "/project/task/1/files", json={"fileid": second["id"]})
    assert by_body.status_code == 200
    empty = client.get("/project/task/1/files").json()
    assert empty == {"status": 0, "statusCode": 200, "response": []}       # no count when 0


def test_files_in_every_encoding(client):
    folder = project_folder(client)
    ids = [upload(client, folder, f"f{i}.txt", b"t")["id"] for i in range(4)]
    client.post("/project/task/1/files", data={"files": [ids[0], ids[1]]})               # files=1&files=2
    client.post("/project/task/1/files", data={"files[]": [ids[2]]})
    client.post("/project/task/1/files", data={"files[0]": ids[3]})
    assert sorted(f["id"] for f in client.get("/project/task/1/files").json()["response"]) == ids
    assert client.post("/project/task/1/files", json={}).status_code == 201             # missing array: []
    assert client.post("/project/task/1/files", json={"files": ["x"]}).status_code == 400


def test_attach_is_not_transactional(client):
    folder = project_folder(client)
    ids = [upload(client, folder, f"f{i}.txt", b"t")["id"] for i in range(2)]
    response = client.post("/project/task/1/files", json={"files": [ids[0], 999999, ids[1]]})
    assert response.status_code == 404 and response.json()["error"]["message"] == "Item not found"
    assert [f["id"] for f in client.get("/project/task/1/files").json()["response"]] == [ids[0]]


def test_filesmany_reattaches_as_the_real_server_does(client):
    file_id = upload(client, project_folder(client))["id"]
    response = client.request("DELETE", "/project/task/1/filesmany", json={"files": [file_id]})
    assert response.status_code == 200
    assert [f["id"] for f in client.get("/project/task/1/files").json()["response"]] == [file_id]


def test_files_outside_the_project_folder_are_dropped_when_read(client):
    mine = upload(client, "@my", "private.txt", b"mine")
    assert mine["rootFolderType"] == 5
    assert client.post("/project/task/1/files", json={"files": [mine["id"]]}).status_code == 201
    assert client.get("/project/task/1/files").json()["response"] == []
    assert client.get("/project/task/1").json()["response"]["files"] == []


def test_errors(client, taskmock):
    assert client.get("/project/task/999/files").json()["error"] == {
        "message": "Item not found", "hresult": -2147467259, "data": {}}
    assert client.delete("/project/task/1/files").status_code == 404                    # fileid 0
    assert client.delete("/project/task/1/files", params={"fileid": "abc"}).status_code == 400
    bad_json = client.post("/project/task/1/files", content=b"{nope", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()["status"] == 1
    assert client.get("/project/task/abc/files").status_code == 404                     # no route matches
    guest = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "guest")})
    denied = guest.get("/project/task/3/files")                  # private project 2, without the Files right
    assert denied.status_code == 403 and denied.json()["error"]["message"] == "Access denied."
    assert guest.get("/project/task/3").json()["response"]["files"] == []               # no 403 on the task
    assert guest.get("/project/task/1/files").status_code == 200                        # an open project
    folder = client.get("/project/2").json()["response"]["projectFolder"]
    assert guest.post(f"/files/{folder}/upload",
                      files={"f": ("a.txt", b"a", "text/plain")}).json()["error"]["message"] == \
        "You don't have enough permission to create"
    stranger = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "stranger")})
    assert stranger.get("/project/task/3").status_code == 404                           # a private project


def test_uploads(client, taskmock):
    folder = project_folder(client)
    several = client.post(f"/files/{folder}/upload", files=[("a", ("one.txt", b"1", "text/plain")),
                                                              ("b", ("two.txt", b"22", "text/plain"))]).json()
    assert several["count"] == 2 and [f["title"] for f in several["response"]] == ["one.txt", "two.txt"]
    raw = client.post(f"/files/{folder}/upload", content=b"%PDF raw",
                      headers={"Content-Type": "application/pdf",
                               "Content-Disposition": 'attachment; filename="Q1%20report.pdf"'}).json()["response"]
    assert raw["title"] == "Q1 report.pdf" and raw["pureContentLength"] == 8
    unnamed = client.post(f"/files/{folder}/upload", content=b"%PDF raw",
                          headers={"Content-Type": "application/pdf"}).json()["response"]
    assert unnamed["title"] == "file.pdf"
    empty = client.post(f"/files/{folder}/upload", files={"f": ("empty.txt", b"", "text/plain")})
    assert (empty.status_code, empty.json()["error"]["message"]) == (500, "Empty file")
    assert client.post("/files/999999/upload", files={"f": ("a.txt", b"a", "text/plain")}).json()["error"][
        "message"] == "The required folder was not found"
    odd = upload(client, folder, 'a:b*c?.txt', b"x")
    assert odd["title"] == "a_b_c_.txt"
    version = client.post(f"/files/{folder}/upload", params={"createNewIfExist": "false"},
                          files={"f": ("one.txt", b"one, again", "text/plain")}).json()["response"]
    assert (version["id"], version["version"]) == (several["response"][0]["id"], 2)
    assert client.get(f"/files/file/{version['id']}").json()["response"]["pureContentLength"] == 10
    assert client.get("/files/file/999999").json()["error"]["message"] == "File not found"


def test_the_upload_size_limit(tmp_path):
    from mockserver.pytest_plugin import AsgiHandle
    from mockserver.settings import Settings

    fixtures = tmp_path / "oo.json"
    fixtures.write_text('{"onlyoffice": {"max_upload_bytes": 5, "users": [{"user_name": "u", "password": "p"}]}}')
    handle = AsgiHandle(Settings(vendors=("onlyoffice",), fixtures=fixtures))
    try:
        auth = {"Authorization": "Basic " + base64.b64encode(b"u:p").decode()}
        too_big = handle.post(f"{API}/files/@my/upload", headers=auth, files={"f": ("a.bin", b"123456", "x/y")})
        assert too_big.status_code == 500
        assert too_big.json()["error"]["message"] == "The maximum file size is exceeded (5 bytes)."
        assert not any(handle.app.state.runtime.blobs.root.iterdir())
    finally:
        handle.close()


def test_download_through_view_url(client, taskmock):
    """The server builds its links from the request (CommonLinkUtility.GetFullAbsolutePath): they lead back to
    the mock the client called, never away from the machine."""
    data = bytes(range(256)) * 1000
    f = upload(client, project_folder(client), "blob.bin", data)
    assert f["viewUrl"].startswith(f"{taskmock.url}/Products/Files/HttpHandlers/filehandler.ashx?")
    assert f["createdBy"]["profileUrl"].startswith(f"{taskmock.url}/Products/People/Profile.aspx?user=")
    task = client.get("/project/task/1").json()["response"]
    assert task["createdBy"]["profileUrl"].startswith(taskmock.url + "/")
    downloaded = httpx.get(f["viewUrl"], headers=client.headers)
    assert downloaded.status_code == 200
    assert hashlib.sha256(downloaded.content).hexdigest() == hashlib.sha256(data).hexdigest()
    assert httpx.get(f["viewUrl"]).status_code == 401


def test_create_project_and_task(client):
    project = client.post("/project", json={"title": "New project", "description": "d"})
    assert project.status_code == 201 and project.json()["response"]["projectFolder"] > 0
    project_id = project.json()["response"]["id"]
    task = client.post(f"/project/{project_id}/task", json={"title": "First", "priority": 1})
    assert task.status_code == 201 and task.json()["response"]["priority"] == 1
    assert client.get(f"/project/task/{task.json()['response']['id']}").status_code == 200
    assert client.post("/project", json={"title": ""}).status_code == 400
    assert client.post("/project/999/task", json={"title": "x"}).status_code == 404


# -- XML -------------------------------------------------------------------------------------------------------

def xml(response) -> ElementTree.Element:
    assert response.headers["content-type"] == "text/xml; charset=UTF-8"
    assert not response.text.startswith("<?xml")
    return ElementTree.fromstring(response.text)


def test_xml_arrays_are_repeated_siblings_and_empty_ones_vanish(client):
    folder = project_folder(client)
    ids = [upload(client, folder, f"f{i}.txt", b"t")["id"] for i in range(2)]
    client.post("/project/task/1/files", json={"files": ids})
    root = xml(client.get("/project/task/1/files.xml"))
    assert root.tag == "result"
    assert [child.tag for child in root][:3] == ["count", "status", "statusCode"]
    assert [int(r.find("id").text) for r in root.findall("response")] == ids
    assert root.find("response/shared").text == "false"
    assert root.find("response/viewUrl").text.startswith(str(client.base_url.copy_with(path="/")) + "Products/")
    task = xml(client.get("/project/task/1.tml"))
    assert task.find("response/subtasks") is None                        # [] leaves nothing
    assert task.find("response/description").text is None                # null: an empty element
    assert "<description />" in client.get("/project/task/1.xml").text


def test_xml_of_an_empty_list_and_of_an_error(client):
    empty = client.get("/project/task/2/files.xml")
    assert empty.text == "<result><status>0</status><statusCode>200</statusCode></result>"
    error = client.get("/project/task/999/files.xml")
    assert error.status_code == 404
    assert error.text == ("<result><status>1</status><statusCode>404</statusCode><error><message>Item not found"
                          "</message><hresult>-2147467259</hresult><data /></error></result>")


def test_json_content_type_wins_over_the_xml_suffix_and_accept_is_ignored(client):
    folder = project_folder(client)
    file_id = upload(client, folder)["id"]
    as_json = client.post("/project/task/1/files.xml", json={"files": [file_id]})
    assert as_json.headers["content-type"] == "application/json; charset=UTF-8"
    as_xml = client.post("/project/task/1/files.xml", data={"files": file_id})
    assert xml(as_xml).find("statusCode").text == "201"
    assert client.get("/project/task/1/files", headers={"Accept": "text/xml"}).headers[
        "content-type"].startswith("application/json")
    xml_body = client.post("/project/task/1/files.json", content=f"<request><files>{file_id}</files></request>",
                           headers={"Content-Type": "text/xml"})
    assert xml_body.status_code == 201


def test_slashes_are_escaped_in_json(client):
    raw = client.get("/project/task/1/files.json")
    assert raw.status_code == 200
    f = upload(client, project_folder(client))
    text = client.get(f"/files/file/{f['id']}").text
    origin = str(client.base_url.copy_with(path="")).rstrip("/").replace("/", "\\/")
    assert f'"viewUrl":"{origin}\\/Products\\/Files\\/' in text


def test_common_documents_take_uploads_from_admins_only(taskmock):
    admin = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "admin")})
    member = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "member")})
    shared = admin.post("/files/@common/upload", files={"f": ("policy.pdf", b"%PDF", "application/pdf")})
    assert shared.status_code == 201 and shared.json()["response"]["rootFolderType"] == 1
    refused = member.post("/files/@common/upload", files={"f": ("x.pdf", b"%PDF", "application/pdf")})
    assert (refused.status_code, refused.json()["error"]["message"]) == (
        403, "You don't have enough permission to create")
    assert member.request("DELETE", "/project/task/1/filesmany", json={"files": [999999]}).status_code == 404


def test_a_method_a_route_does_not_have_is_method_not_found(client):
    response = client.put("/project/task/1/files")
    assert (response.status_code, response.json()["error"]["message"]) == (404, "Method not found")
    assert "<message>Method not found</message>" in client.put("/project/task/1/files.xml").text


CONTENT = {"open project": b"open", "private project": b"board", "member's documents": b"mine",
           "common documents": b"all"}
READERS = {  # file -> who may read it: the Files module's CanRead over the Projects module's team security
    "open project": {"admin", "manager", "member", "guest", "stranger"},
    "private project": {"admin", "manager", "member"},           # guest: a participant without the Files right
    "member's documents": {"member"},                             # My documents: the owner alone
    "common documents": {"admin", "manager", "member", "guest", "stranger"},
}


def test_who_reads_which_file_through_the_api_and_the_download_url(taskmock):
    clients = {user: httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, user)})
               for user in ("admin", "manager", "member", "guest", "stranger")}
    files = {
        "open project": upload(clients["member"], project_folder(clients["member"], 1), "open.txt",
                               CONTENT["open project"]),
        "private project": upload(clients["manager"], project_folder(clients["manager"], 2), "board.txt",
                                  CONTENT["private project"]),
        "member's documents": upload(clients["member"], "@my", "mine.txt", CONTENT["member's documents"]),
        "common documents": upload(clients["admin"], "@common", "all.txt", CONTENT["common documents"]),
    }
    for where, f in files.items():
        for user, client in clients.items():
            info = client.get(f"/files/file/{f['id']}")
            download = client.get(f["viewUrl"])
            if user in READERS[where]:
                assert (info.status_code, download.status_code) == (200, 200), (where, user)
                assert info.json()["response"]["id"] == f["id"] and download.content == CONTENT[where]
            else:
                assert info.status_code == 403, (where, user, info.text)
                assert info.json()["error"] == {"message": "You don't have enough permission to view the file",
                                                "hresult": -2146233079, "data": {}}
                assert (download.status_code, download.content) == (403, b""), (where, user)
    gone = clients["admin"].get(f"{taskmock.url}/Products/Files/HttpHandlers/filehandler.ashx",
                                params={"action": "download", "fileid": 999999})
    assert (gone.status_code, gone.content) == (404, b"")


def test_find_my_tasks_filter_them_and_delete_one(taskmock):
    manager = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "manager")})
    member = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "member")})
    stranger = httpx.Client(base_url=taskmock.url + API, headers={"Authorization": login(taskmock, "stranger")})
    users = taskmock.state("onlyoffice")["onlyoffice"]["users"]
    member_id = next(u["id"] for u in users if u["userName"] == "member")
    made = [manager.post("/project/1/task", json={"title": f"Report {i}", "responsibles": [member_id]})
            .json()["response"]["id"] for i in range(3)]
    mine = member.get("/project/task/@self").json()
    assert [t["id"] for t in mine["response"]] == made and mine["count"] == 3
    assert member.get("/project/task/@self/closed").json()["response"] == []
    assert [t["id"] for t in member.get("/project/task/@self/open").json()["response"]] == made
    assert xml(member.get("/project/task/@self.xml")).find("count").text == "3"
    page = member.get("/project/task/filter", params={"projectid": 1, "count": 2, "startIndex": 1}).json()
    assert page["total"] == 5 and page["startIndex"] == 1 and len(page["response"]) == 2    # 2 fixture + 3
    assert list(page)[:4] == ["count", "startIndex", "total", "status"]
    by_participant = manager.get("/project/task/filter", params={"participant": member_id}).json()
    assert [t["id"] for t in by_participant["response"]] == made
    assert manager.get("/project/task/filter", params={"status": "closed"}).json()["response"] == []
    assert manager.get("/project/task/filter", params={"status": "sideways"}).status_code == 400
    assert stranger.get("/project/task/filter", params={"projectid": 2}).json()["total"] == 0    # private
    # delete: a team member who did not create it may not; the project's manager may
    assert member.delete(f"/project/task/{made[0]}").status_code == 403
    deleted = manager.delete(f"/project/task/{made[0]}")
    assert deleted.status_code == 200 and deleted.json()["response"]["id"] == made[0]
    assert manager.get(f"/project/task/{made[0]}").status_code == 404
    assert manager.delete(f"/project/task/{made[0]}").status_code == 404
