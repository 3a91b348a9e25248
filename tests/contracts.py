"""Checks a journal's exchanges against the response contracts in ``contracts/``."""

from __future__ import annotations

import json
from typing import Any

from mockserver.contracts import Contracts


def _kanboard_expected_methods(request: Any) -> list[str | None]:
    """The procedure behind each reply object, in reply order (None where the reply is an error by format)."""
    elements = request if isinstance(request, list) and request else [request]
    methods: list[str | None] = []
    for element in elements:
        if not isinstance(element, dict) or not isinstance(element.get("method"), str) \
                or element.get("jsonrpc") != "2.0":
            methods.append(None)
        elif element.get("id") is not None:
            methods.append(element["method"])
    return methods


def check_kanboard(contracts: Contracts, entry: dict[str, Any]) -> None:
    status, body = entry["status"], entry["response_body"]
    assert status in (200, 401, 403, 413, 500), entry
    if status == 500:
        assert body == "", entry
        return
    if status == 413 or body == "" or entry["response_body_truncated"] or entry["body_truncated"]:
        return
    reply = json.loads(body)
    envelope = contracts.validator("kanboard/response")
    replies = reply if isinstance(reply, list) else [reply]
    for r in replies:
        envelope.validate(r)
    try:
        request = json.loads(entry["body"])
    except ValueError:
        return
    methods = _kanboard_expected_methods(request)
    if not isinstance(reply, list) or len(methods) != len(replies):
        methods = methods[:1] if not isinstance(reply, list) else []
    names = {n.split("/")[1][: -len(".result")].lower(): n for n in contracts.names("kanboard")
             if n.endswith(".result")}
    for method, r in zip(methods, replies):
        if method and "result" in r and method.lower() in names:
            contracts.validator(names[method.lower()]).validate(r["result"])


CHECKS = {"kanboard": check_kanboard}


def check_journal(contracts: Contracts, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        check = CHECKS.get(entry["vendor"])
        if check is not None:
            check(contracts, entry)
