"""The generic JSON-RPC dispatcher on its own, with toy procedures and a plain codec."""

from __future__ import annotations

import json

import pytest

from mockserver.jsonrpc import (
    EncodeError, HttpAbort, InvalidParams, JsonRpcServer, MISSING, Param, ParseError, Procedure, bind_arguments,
    params_from_schema,
)


def subtract(session, minuend, subtrahend):
    return minuend - subtrahend


def greet(session, name, greeting="hello"):
    return f"{greeting} {name}"


def forbidden(session):
    raise HttpAbort(403, b"forbidden", {"content-type": "text/plain"})


def decode(body: bytes):
    try:
        value = json.loads(body)
    except ValueError:
        raise ParseError() from None
    if not isinstance(value, (dict, list)):
        raise ParseError()
    return value


def encode(obj) -> bytes:
    try:
        return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:
        raise EncodeError("cannot encode") from None


def authenticate(credentials):
    if credentials != "ok":
        raise HttpAbort(401, b"no", {})
    return "session"


@pytest.fixture
def server():
    procs = [Procedure("subtract", subtract, (Param("minuend"), Param("subtrahend"))),
             Procedure("greet", greet, (Param("name"), Param("greeting", "hello"))),
             Procedure("forbidden", forbidden, ()),
             Procedure("nan", lambda s: float("nan"), ())]
    return JsonRpcServer(procs, decode=decode, encode=encode, authenticate=authenticate,
                         is_valid_request=lambda r: isinstance(r, dict) and r.get("jsonrpc") == "2.0"
                         and isinstance(r.get("method"), str))


def call(server, payload, credentials="ok"):
    reply = server.handle(json.dumps(payload).encode() if not isinstance(payload, bytes) else payload, credentials)
    return reply.status, (json.loads(reply.body) if reply.body else None)


def test_positional_and_named_parameters(server):
    assert call(server, {"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})[1]["result"] == 19
    assert call(server, {"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 1})[1]["result"] == -19
    named = {"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 1}
    assert call(server, named)[1]["result"] == 19
    assert call(server, {"jsonrpc": "2.0", "method": "greet", "params": {"name": "x"}, "id": 1})[1]["result"] == "hello x"


def test_method_names_are_case_insensitive(server):
    assert call(server, {"jsonrpc": "2.0", "method": "SUBTRACT", "params": [2, 1], "id": 1})[1]["result"] == 1


@pytest.mark.parametrize("params, message", [
    ([1], "Wrong number of arguments"), ([1, 2, 3], "Too many arguments"), ({"minuend": 1, "x": 2},
                                                                            "Missing argument: subtrahend"),
    ({"a": 1, "b": 2, "c": 3}, "Too many arguments"), (None, "Wrong number of arguments"),
])
def test_binding_errors(server, params, message):
    payload = {"jsonrpc": "2.0", "method": "subtract", "id": "7"}
    if params is not None:
        payload["params"] = params
    assert call(server, payload)[1] == {"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params",
                                                                     "data": message}, "id": "7"}


def test_an_object_keyed_0_to_n_is_positional():
    proc = Procedure("subtract", subtract, (Param("minuend"), Param("subtrahend")))
    assert bind_arguments(proc, {"0": 5, "1": 3}) == [5, 3]
    with pytest.raises(InvalidParams):
        bind_arguments(proc, {"1": 5, "0": 3})           # keys out of order: named, and names are missing


def test_notifications_get_no_reply_but_run(server):
    assert call(server, {"jsonrpc": "2.0", "method": "subtract", "params": [1, 2]}) == (200, None)
    assert call(server, {"jsonrpc": "2.0", "method": "nope", "id": None}) == (200, None)


def test_batches(server):
    status, reply = call(server, [
        {"jsonrpc": "2.0", "method": "subtract", "params": [3, 1], "id": 1},
        {"jsonrpc": "2.0", "method": "subtract", "params": [3, 1]},
        {"jsonrpc": "2.0", "method": "nope", "id": 2},
        {"foo": "bar"},
        1,
    ])
    assert status == 200
    assert reply == [{"jsonrpc": "2.0", "result": 2, "id": 1},
                     {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": 2},
                     {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": None},
                     {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}]
    assert call(server, [{"jsonrpc": "2.0", "method": "subtract", "params": [1, 1]}]) == (200, None)
    assert call(server, [])[1]["error"]["code"] == -32600
    assert call(server, [1, 2])[1] == [{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"},
                                        "id": None}] * 2


def test_an_abort_in_any_element_replaces_the_whole_reply(server):
    ran = []
    server.procedures["record"] = Procedure("record", lambda s: ran.append(1) or True, ())
    reply = server.handle(json.dumps([{"jsonrpc": "2.0", "method": "record", "id": 1},
                                      {"jsonrpc": "2.0", "method": "forbidden", "id": 2}]).encode(), "ok")
    assert (reply.status, reply.body) == (403, b"forbidden") and ran == [1]
    assert server.handle(b'{"jsonrpc":"2.0","method":"subtract","params":[1,2],"id":1}', "bad").status == 401


def test_format_and_parse_errors_are_answered_before_authentication(server):
    assert call(server, b"{oops", credentials="bad")[1]["error"]["code"] == -32700
    assert call(server, {"method": 1}, credentials="bad")[1]["error"]["code"] == -32600


def test_results_that_cannot_be_encoded_are_internal_errors(server):
    assert call(server, {"jsonrpc": "2.0", "method": "nan", "id": 3})[1] == {
        "jsonrpc": "2.0", "error": {"code": -32603, "message": "Internal error", "data": "cannot encode"}, "id": 3}


def test_signatures_come_from_a_params_schema():
    schema = {"type": "object", "properties": {"a": {}, "b": {"default": 5}}, "required": ["a"]}
    assert params_from_schema(schema) == (Param("a", MISSING), Param("b", 5))
