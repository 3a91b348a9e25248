"""Bad input of any kind gets Kanboard's own answer; the server keeps serving and stored files stay intact."""

from __future__ import annotations

import json
import random

import httpx
import pytest

from mockserver.kanboard import render
from tests.kanboard.rpc import Rpc, b64

PARSE_ERROR = {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}
INVALID = {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": None}


@pytest.fixture
def app(taskmock_asgi):
    return Rpc(taskmock_asgi)


@pytest.mark.parametrize("body", [
    b"", b"{", b"null", b"1", b'"x"', b"true", b"\xff\xfe\x00garbage", b'{"a":NaN}', b'[Infinity]',
    b'{"jsonrpc":"2.0","method":"getVersion","id":"\\ud800"}', "\ufeff{}".encode(), b"[" * 100000,
    b'{"jsonrpc":"2.0","method":"getVersion","id":1}\x00',
])
def test_bodies_that_are_not_a_json_array_or_object_are_parse_errors(app, body):
    response = app.raw(body, headers={})           # answered before authentication
    assert (response.status_code, response.json()) == (200, PARSE_ERROR)


@pytest.mark.parametrize("payload", [
    {}, {"jsonrpc": "2.0"}, {"jsonrpc": 2.0, "method": "getVersion", "id": 1}, {"jsonrpc": "1.0", "method": "x"},
    {"jsonrpc": "2.0", "method": 42, "id": 1}, {"jsonrpc": "2.0", "method": "getVersion", "params": "1"},
    {"jsonrpc": "2.0", "method": "getVersion", "params": 5, "id": 1}, [],
])
def test_objects_that_are_not_requests_are_invalid_requests(app, payload):
    response = app.raw(json.dumps(payload), headers={})
    assert (response.status_code, response.json()) == (200, INVALID)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          "application/octet-stream", None])
def test_the_body_is_read_whatever_the_content_type(app, content_type):
    headers = dict(app.headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = app.raw('{"jsonrpc":"2.0","method":"getVersion","id":1}', headers=headers)
    assert response.json()["result"] == app("getVersion")


def test_any_http_method_is_read_like_post(taskmock_asgi, app):
    response = taskmock_asgi.request("GET", "/jsonrpc.php", content=b'{"jsonrpc":"2.0","method":"getVersion","id":1}',
                                     headers=app.headers)
    assert response.json()["result"]
    assert taskmock_asgi.get("/jsonrpc.php").json() == PARSE_ERROR


def test_ids_are_echoed_after_phps_round_trip(app):
    for sent, echoed in [(2.0, 2), ({}, []), ({"a": {}}, {"a": []}), ("é/✓", "é/✓"), (0, 0), (False, False),
                         ([1, "x"], [1, "x"]), (1.5, 1.5), ("", "")]:
        assert app.call("getVersion", request_id=sent)["id"] == echoed
    for literal, written in [("1e20", "1.0e+20"), ("-0.0", "-0"), ("1.5e-7", "1.5e-7"), ("0.1", "0.1"),
                             ("100000000000000000000", "1.0e+20")]:
        text = app.raw('{"jsonrpc":"2.0","method":"getVersion","id":%s}' % literal).text
        assert text.endswith(f',"id":{written}}}'), (literal, text)
    # an id past the double range cannot be encoded: one -32603 answers the request, a batch included
    whole = {"jsonrpc": "2.0", "error": {"code": -32603, "message": "Internal error", "data": "Unknown error"},
             "id": None}
    past = "1" + "0" * 400
    assert app.raw('{"jsonrpc":"2.0","method":"getVersion","id":1e400}').json() == whole
    assert app.raw('{"jsonrpc":"2.0","method":"getVersion","id":%s}' % past).json() == whole
    assert app.raw('[{"jsonrpc":"2.0","method":"getVersion","id":1},'
                   '{"jsonrpc":"2.0","method":"getVersion","id":%s}]' % past).json() == whole


def test_line_separators_are_escaped_and_slashes_are_not(app):
    raw = app.raw('{"jsonrpc":"2.0","method":"getVersion","id":"a/\u2028b"}').content
    assert b'"id":"a/\\u2028b"' in raw


def test_a_body_over_32_megabytes_is_refused_by_the_web_server(app):
    response = app.raw(b"[" + b" " * (32 * 1024 * 1024) + b"]")
    assert response.status_code == 413 and b"413 Request Entity Too Large" in response.content
    assert app("getVersion")


def test_random_garbage_never_breaks_the_server_nor_the_stored_files(taskmock):
    """A seeded stream of mangled requests over real HTTP: only Kanboard's own statuses, never a traceback,
    and the file stored before comes back byte for byte."""
    rpc = Rpc(taskmock)
    headers = rpc.headers
    with httpx.Client(base_url=taskmock.url, headers=headers, timeout=10) as client:
        def call(body: bytes):
            return client.post("/jsonrpc.php", content=body)

        guard = call(json.dumps({"jsonrpc": "2.0", "method": "createTaskFile", "id": 1,
                                 "params": [1, 3, "guard.bin", b64(bytes(range(256)))]}).encode()).json()["result"]
        rng = random.Random(1234)
        methods = ["createTaskFile", "getTaskFile", "getAllTaskFiles", "downloadTaskFile", "removeAllTaskFiles",
                   "createTask", "createUser", "getTask", "addProjectUser", "nope"]
        values = [None, True, False, 0, -1, 2**70, 1.5, "", "1", "abc", "é", [], {}, [1, 2], {"a": 1}, "A" * 300,
                  "\u0000", "eA==", "fake.png"]
        statuses = set()
        for _ in range(400):
            kind = rng.random()
            if kind < 0.15:
                body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))
            else:
                params: object = [rng.choice(values) for _ in range(rng.randrange(0, 6))]
                if rng.random() < 0.3:
                    params = {rng.choice(["file_id", "task_id", "project_id", "blob", "x"]): rng.choice(values)}
                request = {"jsonrpc": rng.choice(["2.0", "2.0", "1.0", 2]), "method": rng.choice(methods),
                           "params": params, "id": rng.choice([1, None, "x", 2.0, {}])}
                if rng.random() < 0.2:
                    request = [request, dict(request, id=7), rng.choice(values)]
                body = json.dumps(request).encode()
                if rng.random() < 0.1:
                    body = body[: rng.randrange(len(body))]
            response = call(body)
            statuses.add(response.status_code)
            assert response.status_code in (200, 500), (body, response.status_code)
            assert b"Traceback" not in response.content
            if response.status_code == 500:
                assert response.content == b""
            elif response.content:
                response.json()
        assert 200 in statuses
        assert call(json.dumps({"jsonrpc": "2.0", "method": "downloadTaskFile", "params": [guard], "id": 1})
                    .encode()).json()["result"] == b64(bytes(range(256)))


# what PHP 8.2 printed for json_encode($x) and (string)$x (serialize_precision -1, precision 14)
PHP_FLOATS = [
    (1e20, "1.0e+20", "1.0E+20"), (1e15, "1000000000000000", "1.0E+15"), (0.1 + 0.2, "0.30000000000000004", "0.3"),
    (-0.0, "-0", "-0"), (1.5e-7, "1.5e-7", "1.5E-7"), (1e-5, "1.0e-5", "1.0E-5"), (0.0001, "0.0001", "0.0001"),
    (123456789012345678.0, "1.2345678901234568e+17", "1.2345678901235E+17"), (1e16, "10000000000000000", "1.0E+16"),
    (9007199254740993.0, "9007199254740992", "9.007199254741E+15"), (1.0, "1", "1"), (-1e20, "-1.0e+20", "-1.0E+20"),
]


@pytest.mark.parametrize("value, json_text, string", PHP_FLOATS)
def test_floats_are_written_as_php_writes_them(value, json_text, string):
    assert (render.php_float(value), render.php_float(value, 14, "E")) == (json_text, string)
