"""Checks a journal's exchanges against the response contracts in ``contracts/``."""

from __future__ import annotations

import json
import re
from typing import Any

from xml.etree import ElementTree

from jsonschema.validators import validator_for

from mockserver.contracts import Contracts, swagger_schema


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


def _json_body(entry: dict[str, Any]) -> Any:
    """The response body as JSON, or None when it is not JSON or was cut by the journal."""
    content_type = dict(entry["response_headers"]).get("content-type", "")
    if entry["response_body_truncated"] or not content_type.startswith("application/json"):
        return None
    return json.loads(entry["response_body"])


def _swagger_operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    base = document.get("basePath", "")
    for template, operations in document["paths"].items():
        pattern = "^" + re.escape(base + template).replace(r"\{", "{").replace(r"\}", "}") + "$"
        pattern = re.sub(r"\{[a-z_]+\}", "[^/]+", pattern)
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    return None


def check_toggl(contracts: Contracts, entry: dict[str, Any]) -> None:
    """Against the vendor's own Swagger: the declared schema of the response's status, when it declares one.
    401, 402 and 403 are not declared for these routes (security was cut from the copy): response.Error."""
    document = contracts.documents["toggl/focus"]
    operation = _swagger_operation(document, entry["method"], entry["path"])
    status = entry["status"]
    if operation is None:                    # no route takes it: the router's own 404/405
        assert status in (404, 405) and entry["response_body"] in ("Not Found", "Method Not Allowed"), entry
        return
    assert status < 500, entry
    # quota headers once a user and an organization are known: not on 401, 403, nor a 400 for a bad path id
    assert "x-toggl-quota-remaining" in dict(entry["response_headers"]) or status in (400, 401, 403), entry
    declared = operation["responses"].get(str(status))
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
        assert operation["operationId"].startswith("view-") and status == 200, entry
        return
    schema = swagger_schema(declared["schema"], document)
    validator_for(schema)(schema).validate(body)


def check_projectcor(contracts: Contracts, entry: dict[str, Any]) -> None:
    status, path, body = entry["status"], entry["path"], _json_body(entry)
    assert status < 500, entry
    if status in (404, 405) and entry["response_body"] in ("Not Found", "Method Not Allowed"):
        return                               # no route takes it: the router's own answer
    if path.startswith("/projectcor-files/") and status == 200:
        return
    assert body is not None, entry
    if status >= 400:
        contracts.validator("projectcor/error").validate(body)
    elif path.startswith("/v1/oauth/"):
        contracts.validator("projectcor/token.result").validate(body)
    elif path.endswith("/attachments"):
        name = "upload" if entry["method"] == "POST" else "list"
        contracts.validator(f"projectcor/attachments.{name}.result").validate(body)


ONLYOFFICE_RESULTS = [        # (method, path pattern after /api/2.0, contract of "response"; a list: an array of it)
    ("POST", r"/authentication", "authentication"),
    ("POST", r"/files/[^/]+/upload", "file*"),
    ("GET", r"/files/file/\d+", "file"),
    ("GET", r"/project/task/\d+/files", ["file"]),
    ("POST", r"/project/task/\d+/files", "task"),
    ("DELETE", r"/project/task/\d+/files(many)?", "task"),
    ("GET", r"/project/task/\d+", "task.full"),
    ("POST", r"/project/\d+/task", "task"),
    ("GET", r"/project/\d+", "project"),
    ("POST", r"/project", "project"),
]


def check_onlyoffice(contracts: Contracts, entry: dict[str, Any]) -> None:
    status, body = entry["status"], entry["response_body"]
    content_type = dict(entry["response_headers"]).get("content-type", "")
    assert status != 500 or "json" in content_type or "xml" in content_type, entry
    if status == 401:
        assert body == "Unauthorized" and "json" not in content_type, entry
        return
    if entry["path"].startswith("/Products/Files/") and status == 200:
        return
    if entry["response_body_truncated"]:
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
    path = re.sub(r"\.(json|xml|tml)$", "", entry["path"][len("/api/2.0"):])
    for method, pattern, contract in ONLYOFFICE_RESULTS:
        if method == entry["method"] and re.fullmatch(pattern, path):
            response = envelope["response"]
            if isinstance(contract, list) or contract.endswith("*") and isinstance(response, list):
                items = response
            else:
                items = [response]
            name = contract[0] if isinstance(contract, list) else contract.rstrip("*")
            for item in items:
                contracts.validator(f"onlyoffice/{name}").validate(item)
            return
    raise AssertionError(f"no response contract for {entry['method']} {entry['path']}")


BITRIX_RESULTS = {                 # method -> contract of "result" ("[x]": a list of x)
    "batch": "batch.result", "disk.storage.getlist": "[storage]", "disk.storage.get": "storage",
    "disk.folder.getchildren": "[file]", "disk.storage.getchildren": "[file]", "disk.file.get": "file",
    "disk.attachedobject.get": "attached_object", "tasks.task.add": "task", "tasks.task.update": "task",
    "tasks.task.files.attach": "attach.result", "upload": "file.uploaded",
}


def _bitrix_result(contracts: Contracts, method: str, result: Any) -> None:
    name = BITRIX_RESULTS.get(method)
    if method in ("disk.folder.uploadfile", "disk.storage.uploadfile", "disk.folder.addsubfolder"):
        name = "upload_url.result" if "uploadUrl" in result else "file.uploaded"
    if method == "tasks.task.get":
        name = "task" if result != [] else None
    if name is None:
        return
    if name.startswith("["):
        for item in result:
            contracts.validator(f"bitrix24/{name[1:-1]}").validate(item)
    else:
        contracts.validator(f"bitrix24/{name}").validate(result)


def check_bitrix24(contracts: Contracts, entry: dict[str, Any]) -> None:
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
    _bitrix_result(contracts, method, body["result"])
    if method == "batch":
        for key, sub in (body["result"]["result"].items() if isinstance(body["result"]["result"], dict)
                         else enumerate(body["result"]["result"])):
            command = _batch_command(entry, key)
            if command:
                _bitrix_result(contracts, command, sub)


def _batch_command(entry: dict[str, Any], key: Any) -> str | None:
    """The method a batch key ran, read back from the journaled request (JSON bodies only)."""
    try:
        cmd = json.loads(entry["body"]).get("cmd")
    except (ValueError, AttributeError):
        return None
    command = cmd[int(key)] if isinstance(cmd, list) else (cmd or {}).get(str(key))
    if not isinstance(command, str):
        return None
    return re.sub(r"\.json$", "", command.split("?", 1)[0].strip().lower())


CHECKS = {"bitrix24": check_bitrix24, "onlyoffice": check_onlyoffice, "kanboard": check_kanboard, "toggl": check_toggl, "projectcor": check_projectcor}


def check_journal(contracts: Contracts, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        check = CHECKS.get(entry["vendor"])
        if check is not None:
            check(contracts, entry)
