"""Checks a journal's exchanges against the response contracts that each vendor's operation table names: every
journaled request of a vendor is checked by that vendor's check, a vendor without one is an error."""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from xml.etree import ElementTree

from jsonschema.validators import validator_for

from mockserver.contracts import Contracts
from mockserver.vendor import Operation, Vendor


def validate(contracts: Contracts, name: str, value: Any) -> None:
    """``value`` keeps contract ``name``; ``name[]``: ``value`` is a list of items that each keep ``name``."""
    if name.endswith("[]"):
        assert isinstance(value, list), (name, value)
        for item in value:
            contracts.validator(name[:-2]).validate(item)
    else:
        contracts.validator(name).validate(value)


def _operation(vendor: Vendor, entry: dict[str, Any]) -> Operation | None:
    """The operation a route vendor's entry ran, or None when no route took the request."""
    names = entry["operations"]
    assert len(names) <= 1, entry
    return vendor.operation(names[0]) if names else None

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


def check_kanboard(contracts: Contracts, vendor: Vendor, entry: dict[str, Any]) -> None:
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
    except (ValueError, RecursionError):
        return
    methods = _kanboard_expected_methods(request)
    if not isinstance(reply, list) or len(methods) != len(replies):
        methods = methods[:1] if not isinstance(reply, list) else []
    for method, r in zip(methods, replies):
        op = vendor.operation(method) if method else None
        if op is not None and "result" in r:
            assert op.response, op
            validate(contracts, op.response, r["result"])


def _json_body(entry: dict[str, Any]) -> Any:
    """The response body as JSON, or None when it is not JSON or was cut by the journal."""
    content_type = dict(entry["response_headers"]).get("content-type", "")
    if entry["response_body_truncated"] or not content_type.startswith("application/json"):
        return None
    return json.loads(entry["response_body"])


def check_toggl(contracts: Contracts, vendor: Vendor, entry: dict[str, Any]) -> None:
    """Against the vendor's own Swagger: the declared schema of the response's status, when it declares one.
    401, 402 and 403 are not declared for these routes (security was cut from the copy): response.Error."""
    op = _operation(vendor, entry)
    status = entry["status"]
    if op is None:                           # no route takes it: the router's own 404/405
        assert status in (404, 405) and entry["response_body"] in ("Not Found", "Method Not Allowed"), entry
        return
    assert status < 500, entry
    # quota headers once a user and an organization are known: not on 401, 403, nor a 400 for a bad path id
    assert "x-toggl-quota-remaining" in dict(entry["response_headers"]) or status in (400, 401, 403), entry
    assert op.response, op
    declared = contracts.declared(op.response, status)
    if status == 204:
        assert declared is not None and entry["response_body"] == "", entry
        return
    body = _json_body(entry)
    if declared is None:
        assert status in (401, 402, 403, 404), entry
        if status != 404 or not isinstance(body, str):      # an attachment route's 404 is a string, as its 400
            contracts.validator("toggl/response.Error").validate(body)
        return
    if body is None:                         # /view: the bytes, in the stored content type
        assert op.name.startswith("view-") and status == 200, entry
        return
    schema = declared["schema"]
    validator_for(schema)(schema).validate(body)


def check_projectcor(contracts: Contracts, vendor: Vendor, entry: dict[str, Any]) -> None:
    status, body = entry["status"], _json_body(entry)
    assert status < 500, entry
    op = _operation(vendor, entry)
    if op is None:                           # no route takes it: the router's own answer
        assert status in (404, 405) and entry["response_body"] in ("Not Found", "Method Not Allowed"), entry
        return
    if op.response is None and status in (200, 204, 302):
        assert status == op.status, entry    # the bytes of a download, a deletion, the consent's redirect
        return
    assert body is not None, entry
    if status >= 400:
        contracts.validator("projectcor/error").validate(body)
    else:
        assert op.response, op
        validate(contracts, op.response, body)


def check_onlyoffice(contracts: Contracts, vendor: Vendor, entry: dict[str, Any]) -> None:
    status, body = entry["status"], entry["response_body"]
    content_type = dict(entry["response_headers"]).get("content-type", "")
    if status == 401:
        assert body == "Unauthorized" and "json" not in content_type, entry
        return
    op = _operation(vendor, entry)
    if op is not None and op.response is None and status == 200:
        return                              # the bytes of a download
    if op is not None and op.meta.get("bare_errors") and status != 200:
        # FileHandler.ashx: a bare status, or the one text it writes (a stream link refused)
        assert body in ("", "You don't have enough permission to perform the operation"), entry
        assert status != 500 or body == "", entry
        return
    assert status != 500 or "json" in content_type or "xml" in content_type, entry
    if entry["response_body_truncated"]:
        return
    if op is not None and op.meta.get("raw"):
        validate(contracts, op.response, json.loads(body))   # the chunked uploader: its own JSON
        return
    if status == 404 and content_type.startswith("text/plain"):
        return                              # no API route matched (a non-numeric id): the portal's not-found page
    if content_type.startswith("text/xml"):
        root = ElementTree.fromstring(body)
        assert root.tag == "result" and root.find("status") is not None, entry
        return
    assert content_type == "application/json; charset=UTF-8", entry
    assert "/" not in body.replace("\\/", ""), "every '/' is written as '\\/'"
    envelope = json.loads(body)
    contracts.validator("onlyoffice/envelope").validate(envelope)
    assert envelope["statusCode"] == status, entry
    if "response" not in envelope:
        return
    assert op is not None and op.response, entry
    validate(contracts, op.response, envelope["response"])


def _bitrix_result(contracts: Contracts, vendor: Vendor, method: str, result: Any) -> None:
    op = vendor.operation(method)
    assert op is not None and op.response, method
    validate(contracts, op.response, result)


def check_bitrix24(contracts: Contracts, vendor: Vendor, entry: dict[str, Any]) -> None:
    status = entry["status"]
    content_type = dict(entry["response_headers"]).get("content-type", "")
    if content_type.startswith("text/xml"):
        root = ElementTree.fromstring(entry["response_body"])
        assert root.tag == "response" and (root.find("error") is not None) == (status >= 400), entry
        return
    if entry["response_body_truncated"] or not content_type.startswith("application/json"):
        assert status == 200, entry                  # downloads
        return
    assert content_type == "application/json; charset=utf-8", entry
    body = json.loads(entry["response_body"])
    contracts.validator("bitrix24/envelope").validate(body)
    method = entry["path"].rstrip("/").rsplit("/", 1)[-1].lower()
    method = re.sub(r"\.(json|xml)$", "", method)
    if "error" in body:
        assert status >= 400 and "time" not in body, entry
        return
    assert status == 200 and ("time" in body) == (method != "upload"), entry
    _bitrix_result(contracts, vendor, method, body["result"])
    if method == "batch":
        for key, sub in (body["result"]["result"].items() if isinstance(body["result"]["result"], dict)
                         else enumerate(body["result"]["result"])):
            command = _batch_command(entry, key)
            if command:
                _bitrix_result(contracts, vendor, command, sub)


def _batch_command(entry: dict[str, Any], key: Any) -> str | None:
    """The method a batch key ran, read back from the journaled request (JSON bodies only)."""
    try:
        cmd = json.loads(entry["body"]).get("cmd")
    except (ValueError, RecursionError, AttributeError):
        return None
    command = cmd[int(key)] if isinstance(cmd, list) else (cmd or {}).get(str(key))
    if not isinstance(command, str):
        return None
    return re.sub(r"\.json$", "", command.split("?", 1)[0].strip().lower())


CHECKS: dict[str, Callable[[Contracts, Vendor, dict[str, Any]], None]] = {
    "bitrix24": check_bitrix24, "onlyoffice": check_onlyoffice, "kanboard": check_kanboard, "toggl": check_toggl,
    "projectcor": check_projectcor,
}


def check_journal(contracts: Contracts, vendors: list[Vendor], entries: list[dict[str, Any]]) -> None:
    by_name = {v.name: v for v in vendors}
    for entry in entries:
        if entry["vendor"] is None or entry["faults"]:
            continue                          # a path of no vendor (the router's 404), or a fault's answer
        CHECKS[entry["vendor"]](contracts, by_name[entry["vendor"]], entry)
