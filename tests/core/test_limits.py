"""Resource bounds and a safe admin API, over real HTTP on a server of its own with small limits: oversize
bodies get each vendor's own answer while they stream, slow clients are cut off, and no other web page can
read or wipe the mock through a developer's browser."""

from __future__ import annotations

import base64
import dataclasses
import os
import socket
import time

import httpx
import pytest

from mockserver.pytest_plugin import LiveServer
from mockserver.settings import Settings
from tests.core.test_races import held_blobs, stored_files

MAX_BODY = 256 * 1024
MAX_UPLOAD = 1024 * 1024
NGINX = b"<center><h1>413 Request Entity Too Large</h1></center>"


@pytest.fixture(scope="module")
def server():
    live = LiveServer(Settings(host="127.0.0.1", port=0, max_body=MAX_BODY, max_upload=MAX_UPLOAD,
                               header_timeout=0.5, body_timeout=0.5))
    yield live
    live.stop()


@pytest.fixture
def small(server):
    server.reset()
    yield server
    server.check_crashes()


def login(url: str) -> dict[str, dict[str, str]]:
    office = httpx.post(f"{url}/api/2.0/authentication", json={"userName": "member", "password": "member-password"})
    cor = httpx.post(f"{url}/v1/oauth/token", params={"grant_type": "client_credentials"},
                     auth=("cor-api-key", "cor-client-secret"))
    return {"kanboard": {"Authorization": "Basic " + base64.b64encode(b"jsonrpc:kanboard-app-token").decode()},
            "toggl": {"Authorization": "Bearer toggl_sk_mock_owner_key"},
            "onlyoffice": {"Authorization": office.json()["response"]["token"]},
            "projectcor": {"Authorization": "Bearer " + cor.json()["access_token"]}, "bitrix24": {}}


TOGGL = "/api/organizations/1001/workspaces/2001"
JSON_ROUTES = [("kanboard", "/jsonrpc.php"), ("bitrix24", "/rest/2/b2webhook/tasks.task.files.attach"),
               ("toggl", TOGGL + "/tasks"), ("projectcor", "/v1/oauth/refreshtoken"),
               ("onlyoffice", "/api/2.0/project/task/1/files"), ("onlyoffice", "/api/2.0/authentication")]
UPLOAD_ROUTES = [("toggl", TOGGL + "/tasks/4001/attachments"), ("projectcor", "/v1/tasks/7001/attachments"),
                 ("onlyoffice", "/api/2.0/files/@my/upload"), ("bitrix24", "/rest/2/b2webhook/batch")]


def assert_too_large(vendor: str, reply: httpx.Response) -> None:
    assert reply.status_code == 413, (vendor, reply.status_code, reply.text[:200])
    if vendor in ("kanboard", "bitrix24", "onlyoffice"):
        assert NGINX in reply.content and reply.headers["content-type"].startswith("text/html")
    elif vendor == "toggl":
        assert reply.json()["error_description"] == "http: request body too large"
    else:
        assert reply.json() == {"message": "request entity too large"}


def test_a_json_body_past_the_ceiling_is_each_vendors_413(small):
    headers = login(small.url)
    body = b'{"pad": "' + b"x" * (MAX_BODY + 1) + b'"}'
    for vendor, path in JSON_ROUTES:
        reply = httpx.post(small.url + path, content=body, headers={**headers[vendor],
                                                                    "Content-Type": "application/json"})
        assert_too_large(vendor, reply)
    # a body just under it is read and answered as usual
    fits = httpx.post(small.url + "/jsonrpc.php", headers=headers["kanboard"], content=b'{"pad": "' +
                      b"x" * (MAX_BODY - 100) + b'", "jsonrpc": "2.0", "method": "getVersion", "id": 1}')
    assert fits.status_code == 200 and fits.json()["result"]


def test_a_body_past_the_upload_ceiling_is_refused_as_it_streams_and_keeps_nothing(small):
    headers = login(small.url)

    def chunks():                     # streamed without a length: the server must count as it reads
        for _ in range(MAX_UPLOAD // 65536 + 4):
            yield b"x" * 65536
    answered = 0
    for vendor, path in UPLOAD_ROUTES:
        prefix = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'

        def body():
            yield prefix
            yield from chunks()
        try:
            reply = httpx.post(small.url + path, content=body(), headers={
                **headers[vendor], "Content-Type": "multipart/form-data; boundary=b"}, timeout=30)
        except httpx.TransportError:
            continue                  # the server answered and closed while the client still wrote: as nginx does
        assert_too_large(vendor, reply)
        answered += 1
    assert answered >= 2, "most clients read the 413 before they finish writing"
    assert stored_files(small) == held_blobs(small)
    # declared up front: refused before a byte of the body is read
    with socket.create_connection(small.url.removeprefix("http://").split(":")) as sock:
        sock.sendall(f"POST {TOGGL}/tasks/4001/attachments HTTP/1.1\r\nHost: localhost\r\n"
                     f"Authorization: Bearer toggl_sk_mock_owner_key\r\nContent-Type: multipart/form-data; "
                     f"boundary=b\r\nContent-Length: {10 * 1024 ** 3}\r\n\r\n".encode())
        sock.settimeout(10)
        assert sock.recv(65536).startswith(b"HTTP/1.1 413 ")


def test_each_vendors_own_file_limit_applies_while_the_file_streams(small):
    headers = login(small.url)
    small._call(lambda: setattr(small.app.state.runtime.store["onlyoffice"], "max_upload", 100_000))
    small._call(lambda: small.app.state.runtime.store["projectcor"].rules.update(max_file_size=100_000))
    big, fits = os.urandom(150_000), os.urandom(50_000)
    reply = httpx.post(small.url + "/api/2.0/files/@my/upload", headers=headers["onlyoffice"],
                       files={"file": ("big.bin", big)})
    assert reply.status_code == 500
    assert reply.json()["error"]["message"] == "The maximum file size is exceeded (97.66 KB)."
    raw = httpx.post(small.url + "/api/2.0/files/@my/upload", headers={**headers["onlyoffice"],
                     "Content-Type": "application/octet-stream"}, content=big)
    assert raw.json()["error"]["message"].startswith("The maximum file size is exceeded")
    reply = httpx.post(small.url + "/v1/tasks/7001/attachments", headers=headers["projectcor"],
                       files=[("file[]", ("big.bin", big)), ("file[]", ("fits.bin", fits))])
    assert reply.status_code == 200
    assert reply.json()["errors"] == [{"filename": "big.bin",
                                       "message": "File size exceeds the limit of 100000 bytes"}]
    [stored] = reply.json()["files"]
    assert httpx.get(stored["url"]).content == fits
    assert stored_files(small) == held_blobs(small)


def test_slow_clients_are_cut_off_and_the_server_keeps_serving(small):
    host, port = small.url.removeprefix("http://").split(":")
    slow = []
    for i in range(6):
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"POST /jsonrpc.php HTTP/1.1\r\nHost: localhost\r\n")         # a head never finished
        slow.append(sock)
    kept = socket.create_connection((host, int(port)))            # kept alive after an answer, then slow
    kept.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    kept.settimeout(10)
    assert kept.recv(65536).startswith(b"HTTP/1.1 200 ")
    kept.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: loc")
    slow.append(kept)
    stalled = socket.create_connection((host, int(port)))
    stalled.sendall(b"POST /jsonrpc.php HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"json")
    slow.append(stalled)
    started = time.monotonic()
    assert httpx.get(small.url + "/__admin/health").status_code == 200
    for sock in slow:
        sock.settimeout(20)
        try:
            while sock.recv(4096):                 # whatever comes, then the server closes
                pass
        except ConnectionResetError:
            pass
        sock.close()
    assert time.monotonic() - started < 20
    assert httpx.get(small.url + "/__admin/health").status_code == 200


# -- the admin API ---------------------------------------------------------------------------------------------------

def test_the_admin_api_refuses_a_foreign_host_and_a_cross_site_form(small):
    url = small.url
    token = httpx.post(f"{url}/v1/oauth/token", params={"grant_type": "client_credentials"},
                       auth=("cor-api-key", "cor-client-secret")).json()["access_token"]
    me = {"Authorization": f"Bearer {token}"}
    rebound = {"Host": "attacker.example:8000"}
    assert httpx.get(f"{url}/__admin/state", headers=rebound).status_code == 403
    assert httpx.get(f"{url}/__admin/requests", headers=rebound).status_code == 403
    assert httpx.post(f"{url}/__admin/reset", headers=rebound, json={}).status_code == 403
    for form in ({"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"},
                 {"Content-Type": "multipart/form-data; boundary=x"}, {}):
        refused = httpx.post(f"{url}/__admin/reset", headers={"Origin": "https://attacker.example", **form},
                             content=b"x")
        assert refused.status_code == 415 and "access-control-allow-origin" not in refused.headers
    assert httpx.get(f"{url}/v1/me", headers=me).status_code == 200            # nothing was reset
    preflight = httpx.options(f"{url}/__admin/reset", headers={
        "Origin": "https://attacker.example", "Access-Control-Request-Method": "POST"})
    assert not any(h.startswith("access-control-") for h in preflight.headers)
    for host in ("localhost", "127.0.0.1", "[::1]"):
        assert httpx.get(f"{url}/__admin/state", headers={"Host": f"{host}:1"}).status_code == 200
    assert httpx.post(f"{url}/__admin/reset", json={}).status_code == 200
    assert httpx.get(f"{url}/v1/me", headers=me).status_code == 401


def test_an_admin_token_guards_the_admin_api_but_health_the_page_and_the_documents():
    live = LiveServer(dataclasses.replace(Settings(host="127.0.0.1", port=0), admin_token="s3cret"))
    try:
        assert httpx.get(f"{live.url}/__admin/state").status_code == 401
        assert httpx.get(f"{live.url}/__admin/state", headers={"Authorization": "Bearer nope"}).status_code == 401
        good = {"Authorization": "Bearer s3cret", "Host": "anywhere.example"}
        assert httpx.get(f"{live.url}/__admin/state", headers=good).status_code == 200
        assert httpx.post(f"{live.url}/__admin/reset", headers=good, json={}).status_code == 200
        assert httpx.get(f"{live.url}/__admin/health").status_code == 200
        # what shows and changes nothing is open: the dashboard's page (its data needs the token), the documents
        for path in ("/__admin/", "/__admin/openapi.json", "/__admin/specs/toggl.json"):
            assert httpx.get(f"{live.url}{path}", headers={"Host": "anywhere.example"}).status_code == 200
        assert httpx.get(f"{live.url}/__admin/vendors").status_code == 401
    finally:
        live.stop()


def test_issued_tokens_are_bounded_oldest_first(taskmock_asgi):
    from mockserver.tokens import MAX_TOKENS

    office = taskmock_asgi.app.state.runtime.store["onlyoffice"]
    member = office.user_by_login("member")
    issued = [office.issue_token(member)[0] for _ in range(MAX_TOKENS + 50)]
    assert len(office.tokens) == MAX_TOKENS
    assert office.user_by_token(issued[0]) is None and office.user_by_token(issued[-1]) is member
    cor = taskmock_asgi.app.state.runtime.store["projectcor"]
    pairs = [cor.issue(61) for _ in range(MAX_TOKENS + 50)]
    assert len(cor.tokens) == MAX_TOKENS
    assert cor.refresh(pairs[0].refresh_token) is None and cor.refresh(pairs[-1].refresh_token) is not None
