"""Fault rules through the admin API: what a rule accepts, how its modifiers count, raw answers, latency and
dropped connections over real HTTP, and that the server keeps serving after each."""

from __future__ import annotations

import base64
import time

import httpx
import pytest

from mockserver.pytest_plugin import AsgiHandle
from mockserver.settings import Settings

KANBOARD_AUTH = ("jsonrpc", "kanboard-app-token")
VERSION = {"jsonrpc": "2.0", "method": "getVersion", "id": 1}


def version(client) -> httpx.Response:
    return client.post("/jsonrpc.php", auth=KANBOARD_AUTH, json=VERSION)


@pytest.mark.parametrize("rule, message", [
    ({"vendor": "kanbord", "status": 500}, "unknown vendor 'kanbord'; known: kanboard, bitrix24, toggl, projectcor, "
                                           "onlyoffice"),
    ({"vendor": "kanboard", "operation": "createFile", "status": 500},
     "kanboard has no operation 'createFile'; its operations: createTaskFile, getTaskFile, "),
    ({"vendor": "kanboard", "error": "Teapot"}, "kanboard has no error 'Teapot'; its errors: Unauthorized, "),
    ({"vendor": "kanboard"}, "a fault acts with exactly one of error, status, latency_ms, drop; this one has none"),
    ({"vendor": "kanboard", "status": 500, "drop": "reset"}, "a fault acts with exactly one of error, status, "
                                                            "latency_ms, drop; this one has status, drop"),
    ({"vendor": "kanboard", "drop": "slowly"}, "drop is one of reset, empty, truncate, not 'slowly'"),
    ({"vendor": "kanboard", "latency_ms": [50, 10]}, "latency_ms is milliseconds >= 0, or [min, max], not [50, 10]"),
    ({"vendor": "kanboard", "status": 700}, "status is an HTTP status, 100 to 599, not 700"),
    ({"vendor": "kanboard", "status": 500, "times": 0}, "times is a whole number >= 1, not 0"),
    ({"vendor": "kanboard", "status": 500, "probability": 2}, "probability is a number from 0 to 1, not 2"),
    ({"vendor": "kanboard", "status": 500, "when": "now"}, "unknown field 'when'; a fault takes "),
])
def test_a_rule_that_is_not_one_is_400_with_one_line_saying_why(taskmock_asgi, rule, message):
    reply = taskmock_asgi.post("/__admin/faults", json=rule)
    assert reply.status_code == 400 and reply.json()["error"].startswith(message), reply.json()
    assert "\n" not in reply.json()["error"]
    assert taskmock_asgi.get("/__admin/faults").json() == {"faults": []}


def test_the_named_errors_of_a_vendor(taskmock_asgi):
    listed = {e["name"]: e for e in taskmock_asgi.get("/__admin/errors", params={"vendor": "bitrix24"}).json()
              ["bitrix24"]}
    assert listed["QueryLimitExceeded"] == {"name": "QueryLimitExceeded", "status": 503,
                                            "code": "QUERY_LIMIT_EXCEEDED", "message": "Too many requests",
                                            "aliases": ["QUERY_LIMIT_EXCEEDED"]}
    assert "BitrixError" not in listed                       # the base of the others is no answer of its own
    assert taskmock_asgi.get("/__admin/errors", params={"vendor": "x"}).status_code == 400
    every = taskmock_asgi.get("/__admin/errors").json()
    assert set(every) == {"kanboard", "bitrix24", "toggl", "projectcor", "onlyoffice"}
    assert {"PhpFatalError", "FalseResult"} <= {e["name"] for e in every["kanboard"]}


def test_after_lets_matches_through_and_times_retires_the_rule(taskmock_asgi):
    rule = taskmock_asgi.post("/__admin/faults", json={"vendor": "kanboard", "operation": "getVersion",
                                                       "status": 503, "body": "busy", "after": 1, "times": 2})
    assert rule.status_code == 201
    statuses = [version(taskmock_asgi).status_code for _ in range(4)]
    assert statuses == [200, 503, 503, 200]
    [listed] = taskmock_asgi.get("/__admin/faults").json()["faults"]
    assert (listed["id"], listed["seen"], listed["hits"], listed["remaining"]) == (rule.json()["id"], 3, 2, 0)
    assert [e["faults"] for e in taskmock_asgi.requests()] == [[], [listed["id"]], [listed["id"]], []]


def test_a_raw_answer_replaces_the_vendors_and_rules_go_away(taskmock_asgi):
    rule_id = taskmock_asgi.post("/__admin/faults", json={"vendor": "kanboard", "status": 502,
                                                          "body": {"down": True}, "headers": {"Retry-After": "3"}}
                                 ).json()["id"]
    reply = version(taskmock_asgi)
    assert (reply.status_code, reply.json(), reply.headers["retry-after"]) == (502, {"down": True}, "3")
    assert taskmock_asgi.delete(f"/__admin/faults/{rule_id}").status_code == 204
    assert taskmock_asgi.delete(f"/__admin/faults/{rule_id}").status_code == 404
    assert version(taskmock_asgi).status_code == 200
    taskmock_asgi.post("/__admin/faults", json={"vendor": "kanboard", "status": 500})
    taskmock_asgi.post("/__admin/reset", json={})
    assert taskmock_asgi.get("/__admin/faults").json() == {"faults": []}


def test_a_rule_for_one_user_spares_the_others(taskmock_asgi):
    taskmock_asgi.post("/__admin/faults", json={"vendor": "kanboard", "user": "viewer", "error": "Forbidden"})
    assert version(taskmock_asgi).status_code == 200
    viewer = taskmock_asgi.post("/jsonrpc.php", auth=("viewer", taskmock_asgi.kanboard.users["viewer"]),
                                json=VERSION)
    assert (viewer.status_code, viewer.json()["error"]["message"]) == (403, "Forbidden")


def test_probability_is_drawn_from_the_seed():
    def outcomes(seed: int) -> list[int]:
        handle = AsgiHandle(Settings(vendors=("kanboard",), seed=seed))
        try:
            handle.post("/__admin/faults", json={"vendor": "kanboard", "status": 500, "probability": 0.5})
            return [version(handle).status_code for _ in range(20)]
        finally:
            handle.close()

    first = outcomes(7)
    assert first == outcomes(7) and {200, 500} == set(first)


def test_in_process_a_dropped_connection_raises_in_the_client(taskmock_asgi):
    taskmock_asgi.post("/__admin/faults", json={"vendor": "kanboard", "drop": "reset", "times": 1})
    with pytest.raises(ConnectionResetError):
        version(taskmock_asgi)
    assert version(taskmock_asgi).status_code == 200


def test_latency_is_seen_by_a_client_over_http(taskmock):
    with httpx.Client(base_url=taskmock.url) as client:
        quick = time.perf_counter()
        version(client)
        quick = time.perf_counter() - quick
        taskmock.fault("kanboard", operation="getVersion", latency_ms=300, times=1)
        slow = time.perf_counter()
        assert version(client).json()["result"]
        slow = time.perf_counter() - slow
    assert slow >= 0.3 > quick


@pytest.mark.parametrize("drop, error", [("reset", httpx.RemoteProtocolError),
                                         ("empty", httpx.RemoteProtocolError),
                                         ("truncate", httpx.RemoteProtocolError)])
def test_a_dropped_connection_over_http_and_the_server_serves_on(taskmock, drop, error):
    blob = base64.b64encode(b"0123456789" * 100).decode()
    with httpx.Client(base_url=taskmock.url, auth=KANBOARD_AUTH) as client:
        file_id = client.post("/jsonrpc.php", json={"jsonrpc": "2.0", "method": "createTaskFile",
                                                    "params": [1, 1, "a.txt", blob], "id": 1}).json()["result"]
        taskmock.fault("kanboard", operation="downloadTaskFile", drop=drop, times=1)
        download = {"jsonrpc": "2.0", "method": "downloadTaskFile", "params": [file_id], "id": 2}
        with pytest.raises(error):
            client.post("/jsonrpc.php", json=download)
    with httpx.Client(base_url=taskmock.url, auth=KANBOARD_AUTH) as client:
        assert client.post("/jsonrpc.php", json=download).json()["result"] == blob
    assert taskmock.crashes() == []
