"""Hostile input on every vendor, over real HTTP: ids in other scripts' digits, file names with NUL, CR, LF,
quotes and paths, JSON nested 100,000 deep. Each gets the vendor's own answer; nothing resolves to a real id,
every stored name downloads with a header that survives it, and no byte is written outside the blob store."""

from __future__ import annotations

import base64
import os
import re
from typing import Any, Callable
from urllib.parse import quote, unquote

import httpx
import pytest

# ASCII "1" .. "9" in other scripts: Python's int() takes them all, no vendor's server does
DIGITS = {"arabic-indic": "٠١٢٣٤٥٦٧٨٩", "fullwidth": "０１２３４５６７８９", "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
          "devanagari": "०१२३४५६७८९", "math-bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"}
NAMES = ["nul\x00byte.txt", "cr\rlf\nname.txt", "header\r\nSet-Cookie: a=b.txt", '"quoted" name.txt',
         "back\\slash.txt", "../../../../etc/passwd", "/abs/path.txt", "ünïcødé ✓ 名前.txt", "tab\tname.txt",
         "semi;colon=.txt", "x" * 240 + ".txt"]
KEY = re.compile(r"[a-z0-9]+-b[0-9]{8}")


def foreign(number: int | str, script: str) -> str:
    return "".join(DIGITS[script][int(d)] for d in str(number))


def rpc(client: httpx.Client, method: str, **params: Any) -> Any:
    reply = client.post("/jsonrpc.php", auth=("jsonrpc", "kanboard-app-token"),
                        json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
    assert reply.status_code == 200, reply.text
    return reply.json().get("result")


@pytest.fixture
def http(taskmock):
    with httpx.Client(base_url=taskmock.url, timeout=30) as client:
        yield client


def as_client(http: httpx.Client, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=str(http.base_url), timeout=30, headers=headers)


def onlyoffice_token(http: httpx.Client) -> str:
    reply = http.post("/api/2.0/authentication", json={"userName": "member", "password": "member-password"})
    return reply.json()["response"]["token"]


def projectcor_token(http: httpx.Client) -> str:
    reply = http.post("/v1/oauth/token", params={"grant_type": "client_credentials"},
                      auth=("cor-api-key", "cor-client-secret"))
    return "Bearer " + reply.json()["access_token"]


# -- ids -------------------------------------------------------------------------------------------------------------

Probe = tuple[str, int, Callable[[str], bool]]     # label, a real id, reaches(id as text): the real object answered


def reaches(reply: httpx.Response) -> bool:
    assert reply.status_code < 500 or "statusCode" in reply.text, (reply.request.url, reply.text[:200])
    return reply.status_code < 300


def kanboard_probes(http: httpx.Client) -> list[Probe]:
    file_id = rpc(http, "createTaskFile", project_id=1, task_id=1, filename="k.txt", blob="aw==")
    rpc(http, "createProjectFile", project_id=1, filename="p.txt", blob="aw==")
    return [
        ("getTaskFile", file_id, lambda i: bool(rpc(http, "getTaskFile", file_id=i))),
        ("downloadTaskFile", file_id, lambda i: bool(rpc(http, "downloadTaskFile", file_id=i))),
        ("getAllTaskFiles", 1, lambda i: bool(rpc(http, "getAllTaskFiles", task_id=i))),
        ("createTaskFile", 1, lambda i: bool(rpc(http, "createTaskFile", project_id=1, task_id=i, filename="n.txt",
                                                 blob="aw=="))),
        ("getAllProjectFiles", 1, lambda i: bool(rpc(http, "getAllProjectFiles", project_id=i))),
    ]


def toggl_probes(http: httpx.Client) -> list[Probe]:
    toggl = as_client(http, Authorization="Bearer toggl_sk_mock_owner_key")
    base = "/api/organizations/{org}/workspaces/2001"
    made = toggl.post(base.format(org=1001) + "/tasks/4002/attachments", files={"file": ("t.txt", b"t")},
                      data={"display_order": "0"}).json()["id"]
    at = base.format(org=1001)
    return [
        ("get-task", 4001, lambda i: reaches(toggl.get(f"{at}/tasks/{i}"))),
        ("list-task-attachments", 4002, lambda i: reaches(toggl.get(f"{at}/tasks/{i}/attachments"))),
        ("view-task-attachment", made, lambda i: reaches(toggl.get(f"{at}/tasks/4002/attachments/{i}/view"))),
        ("update-task-attachment", made, lambda i: reaches(toggl.put(f"{at}/tasks/4002/attachments/{i}",
                                                                    json={"name": "n", "display_order": 0}))),
        ("organization", 1001, lambda i: reaches(toggl.get(base.format(org=i) + "/tasks/4001"))),
        ("workspace", 2001, lambda i: reaches(toggl.get(f"/api/organizations/1001/workspaces/{i}/tasks/4001"))),
    ]


def projectcor_probes(http: httpx.Client) -> list[Probe]:
    cor = as_client(http, Authorization=projectcor_token(http))
    stored = cor.post("/v1/tasks/7001/attachments", files={"file": ("c.txt", b"c")}).json()["files"][0]
    return [
        ("attachments.list", 7001, lambda i: reaches(cor.get(f"/v1/tasks/{i}/attachments"))),
        ("attachments.upload", 7001, lambda i: reaches(cor.post(f"/v1/tasks/{i}/attachments",
                                                                files={"file": ("u.txt", b"u")}))),
        ("attachments.download", stored["id"],
         lambda i: reaches(cor.get(f"/projectcor-files/{i}/{stored['filename']}"))),
    ]


def onlyoffice_probes(http: httpx.Client) -> list[Probe]:
    office = as_client(http, Authorization=onlyoffice_token(http))
    folder = office.get("/api/2.0/project/1").json()["response"]["projectFolder"]
    made = office.post(f"/api/2.0/files/{folder}/upload", files={"file": ("o.txt", b"o")}).json()["response"]["id"]
    return [
        ("files.file.get", made, lambda i: reaches(office.get(f"/api/2.0/files/file/{i}"))),
        ("files.download", made, lambda i: reaches(office.get("/Products/Files/HttpHandlers/filehandler.ashx",
                                                              params={"action": "download", "fileid": i}))),
        ("task.files.attach", made, lambda i: reaches(office.post("/api/2.0/project/task/1/files",
                                                                  json={"files": [i]}))),
        ("task.files.attach form", made, lambda i: reaches(office.post("/api/2.0/project/task/1/files",
                                                                       data={"files[]": i}))),
        ("task.get", 1, lambda i: reaches(office.get(f"/api/2.0/project/task/{i}"))),
        ("files.upload", folder, lambda i: reaches(office.post(f"/api/2.0/files/{i}/upload",
                                                               files={"file": ("u.txt", b"u")}))),
    ]


def bitrix24_probes(http: httpx.Client) -> list[Probe]:
    hook = "/rest/2/b2webhook"
    root = http.post(f"{hook}/disk.storage.getlist", json={}).json()["result"][0]["ROOT_OBJECT_ID"]
    up = http.post(f"{hook}/disk.folder.uploadfile", json={"id": root, "data": {"NAME": "b.txt"},
                                                           "fileContent": ["b.txt", "Yg=="]}).json()["result"]
    task_id = int(http.post(f"{hook}/tasks.task.add", json={"fields": {"TITLE": "t", "RESPONSIBLE_ID": 2}}
                            ).json()["result"]["task"]["id"])

    def method(name: str, **params: Any) -> Callable[[str], bool]:
        def reached(i: str) -> bool:
            reply = http.post(f"{hook}/{name}", json={k: (i if v is None else v) for k, v in params.items()})
            return reaches(reply) and "result" in reply.json()
        return reached
    return [
        ("disk.file.get", int(up["ID"]), method("disk.file.get", id=None)),
        ("tasks.task.get", task_id, method("tasks.task.get", taskId=None)),
        ("tasks.task.files.attach", int(up["ID"]), method("tasks.task.files.attach", taskId=task_id, fileId=None)),
        ("disk.folder.uploadfile", int(root), method("disk.folder.uploadfile", id=None, data={"NAME": "x.txt"},
                                                     generateUniqueName=True, fileContent=["x.txt", "eA=="])),
        ("webhook user", 2, lambda i: reaches(http.post(f"/rest/{i}/b2webhook/disk.storage.getlist", json={}))),
    ]


PROBES = [kanboard_probes, toggl_probes, projectcor_probes, onlyoffice_probes, bitrix24_probes]


@pytest.mark.parametrize("probes", PROBES, ids=lambda p: p.__name__.split("_")[0])
def test_ids_in_other_scripts_digits_never_reach_a_real_object(http, probes):
    for label, real, reached in probes(http):
        assert reached(str(real)), f"{label}: the probe does not reach {real} written in ASCII"
        for script in DIGITS:
            assert not reached(foreign(real, script)), f"{label}: {real} in {script} digits reached it"


# -- names -----------------------------------------------------------------------------------------------------------

def multipart(name: str, data: bytes, **fields: str) -> tuple[bytes, dict[str, str]]:
    """A form as a client writes it by hand: the name raw in the part header, but for CR, LF and the quote,
    which no header can hold (browsers and httpx send them as %0D, %0A, %22)."""
    boundary = "hostile-boundary-7f3a"
    quoted = name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in fields.items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
             f"Content-Type: application/octet-stream\r\n\r\n").encode("utf-8")
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def disposition_name(header: str) -> str:
    """The file name a client reads from a Content-Disposition (``filename*`` wins, as RFC 6266 says)."""
    assert not set(header) & {"\r", "\n", "\x00"}
    extended = re.search(r"filename\*=UTF-8''([^;]+)", header)
    if extended:
        return unquote(extended.group(1))
    return re.search(r'filename="([^"]*)"', header).group(1)


def upload_everywhere(http: httpx.Client, name: str, data: bytes) -> list[tuple[str, str, httpx.Response]]:
    """``name`` uploaded through every vendor's upload route: (route, stored name, download answer) of each
    upload the vendor took."""
    taken: list[tuple[str, str, httpx.Response]] = []
    toggl = as_client(http, Authorization="Bearer toggl_sk_mock_owner_key")
    base = "/api/organizations/1001/workspaces/2001/tasks/4002/attachments"
    body, headers = multipart(name, data, display_order="0")
    made = toggl.post(base, content=body, headers=headers)
    assert made.status_code == 201, made.text
    taken.append(("toggl create", made.json()["name"], toggl.get(f"{base}/{made.json()['id']}/view")))
    renamed = toggl.put(f"{base}/{made.json()['id']}", json={"name": name, "display_order": 0})
    assert renamed.status_code == 204, renamed.text
    taken.append(("toggl rename", name, toggl.get(f"{base}/{made.json()['id']}/view")))
    project = "/api/organizations/1001/workspaces/2001/projects/3001/attachments"
    made = toggl.post(project, content=body, headers=headers)
    assert made.status_code == 201, made.text
    taken.append(("toggl project", made.json()["name"], toggl.get(f"{project}/{made.json()['id']}/view")))
    bulk = toggl.post(f"{base}/bulk", files=[("files", ("plain.bin", data))],
                      data={"display_orders[0]": "0", "names[0]": name})
    assert bulk.status_code == 201, bulk.text
    taken.append(("toggl bulk", bulk.json()[0]["name"], toggl.get(f"{base}/{bulk.json()[0]['id']}/view")))

    cor = as_client(http, Authorization=projectcor_token(http))
    body, headers = multipart(name, data)
    made = cor.post("/v1/tasks/7001/attachments", content=body, headers=headers)
    assert made.status_code == 200, made.text
    for stored in made.json()["files"]:
        taken.append(("projectcor upload", stored["name"], cor.get(stored["url"])))

    office = as_client(http, Authorization=onlyoffice_token(http))
    folder = office.get("/api/2.0/project/1").json()["response"]["projectFolder"]
    made = office.post(f"/api/2.0/files/{folder}/upload", content=body, headers=headers)
    assert made.status_code == 201, made.text
    stored = made.json()["response"]
    taken.append(("onlyoffice upload", stored["title"], office.get(
        "/Products/Files/HttpHandlers/filehandler.ashx", params={"action": "download", "fileid": stored["id"]})))
    made = office.post(f"/api/2.0/files/{folder}/upload", content=data, headers={
        "Content-Type": "application/octet-stream",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"})
    assert made.status_code == 201, made.text
    stored = made.json()["response"]
    taken.append(("onlyoffice raw upload", stored["title"], office.get(
        "/Products/Files/HttpHandlers/filehandler.ashx", params={"action": "download", "fileid": stored["id"]})))

    hook = "/rest/2/b2webhook"
    root = http.post(f"{hook}/disk.storage.getlist", json={}).json()["result"][0]["ROOT_OBJECT_ID"]
    made = http.post(f"{hook}/disk.folder.uploadfile", json={
        "id": root, "data": {"NAME": name}, "generateUniqueName": True,
        "fileContent": [name, base64.b64encode(data).decode()]})
    assert made.status_code < 500, made.text
    if made.status_code == 200:
        result = made.json()["result"]
        taken.append(("bitrix24 uploadfile", result["NAME"], http.get(result["DOWNLOAD_URL"])))
        attached = http.post(f"{hook}/tasks.task.files.attach", json={"taskId": 3701, "fileId": result["ID"]})
        got = http.post(f"{hook}/disk.attachedObject.get", json={"id": attached.json()["result"]["attachmentId"]})
        result = got.json()["result"]
        taken.append(("bitrix24 attached", result["NAME"], http.get(result["DOWNLOAD_URL"])))
    step = http.post(f"{hook}/disk.folder.uploadfile", json={"id": root, "data": {"NAME": name},
                                                              "generateUniqueName": True})
    made = http.post(step.json()["result"]["uploadUrl"], content=body, headers=headers)
    assert made.status_code < 500, made.text
    if made.status_code == 200:
        result = made.json()["result"]
        taken.append(("bitrix24 uploadUrl", result["NAME"], http.get(result["DOWNLOAD_URL"])))

    file_id = rpc(http, "createTaskFile", project_id=1, task_id=1, filename=name,
                  blob=base64.b64encode(data).decode())
    assert file_id, name
    stored_name = rpc(http, "getTaskFile", file_id=file_id)["name"]
    content = base64.b64decode(rpc(http, "downloadTaskFile", file_id=file_id))
    taken.append(("kanboard createTaskFile", stored_name, httpx.Response(200, content=content)))
    file_id = rpc(http, "createProjectFile", project_id=1, filename=name, blob=base64.b64encode(data).decode())
    content = base64.b64decode(rpc(http, "downloadProjectFile", project_id=1, file_id=file_id))
    taken.append(("kanboard createProjectFile", name, httpx.Response(200, content=content)))
    return taken


@pytest.mark.parametrize("name", NAMES, ids=lambda n: repr(n)[1:12])
def test_any_file_name_is_stored_and_downloads_whole_with_a_header_that_survives_it(taskmock, http, name):
    data = os.urandom(70_000)
    taken = upload_everywhere(http, name, data)
    assert len(taken) >= 10
    for route, stored_name, download in taken:
        assert download.status_code == 200, (route, download.text[:200])
        assert download.content == data, route
        if not route.startswith("kanboard"):
            assert disposition_name(download.headers["content-disposition"]) == stored_name, route
    root = taskmock.app.state.runtime.blobs.root
    assert all(KEY.fullmatch(entry.name) and entry.is_file() for entry in os.scandir(root))


# -- deep JSON -------------------------------------------------------------------------------------------------------

def json_routes(http: httpx.Client) -> list[tuple[str, str, dict[str, str]]]:
    """(method, path, headers) of a JSON route of each vendor, with credentials where it needs them."""
    office = {"Authorization": onlyoffice_token(http)}
    cor = {"Authorization": projectcor_token(http)}
    toggl = {"Authorization": "Bearer toggl_sk_mock_owner_key"}
    kanboard = {"Authorization": "Basic " + base64.b64encode(b"jsonrpc:kanboard-app-token").decode()}
    return [("POST", "/jsonrpc.php", kanboard), ("POST", "/jsonrpc.php", {}),
            ("POST", "/rest/2/b2webhook/tasks.task.files.attach", {}), ("POST", "/rest/2/b2webhook/batch", {}),
            ("POST", "/api/organizations/1001/workspaces/2001/tasks", toggl),
            ("PUT", "/api/organizations/1001/workspaces/2001/tasks/4001/attachments/1", toggl),
            ("POST", "/v1/oauth/refreshtoken", {}), ("POST", "/v1/oauth/token?grant_type=refresh_token", {}),
            ("POST", "/api/2.0/authentication", {}), ("POST", "/api/2.0/project/task/1/files", office),
            ("DELETE", "/api/2.0/project/task/1/filesmany", office), ("POST", "/api/2.0/project", office),
            ("POST", "/v1/tasks/7001/attachments", cor)]


@pytest.mark.parametrize("deep", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
                                  '{"files": ' + "[" * 50_000], ids=["arrays", "objects", "unclosed"])
def test_json_nested_past_any_parser_is_the_vendors_malformed_json_answer(http, deep):
    for method, path, headers in json_routes(http):
        headers = {**headers, "Content-Type": "application/json"}
        malformed = http.request(method, path, content=b'{"a": ', headers=headers)
        answer = http.request(method, path, content=deep.encode(), headers=headers)
        assert answer.status_code == malformed.status_code, (path, answer.text[:200], malformed.text[:200])
        assert b"Traceback" not in answer.content and b"Recursion" not in answer.content
