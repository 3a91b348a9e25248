"""The served specs: OpenAPI documents a user can point Prism, schemathesis or a code generator at.

- ``/__admin/openapi.json``: this server's admin API, written here by hand.
- ``/__admin/specs/toggl.json``: Toggl Focus's own Swagger 2.0, as the vendor publishes it, with ``host`` and
  ``schemes`` set to the mock the request reached, and one repair that makes it a valid Swagger 2.0 document:
  the bulk routes' ``files`` parameter is an array of ``file``, which 2.0 cannot express; it is served as one
  ``file`` parameter (clients repeat it); and the answers the service gives that its Swagger leaves out are
  added where missing (401, 402, 403 and 413 as ``response.Error``; 404 in the route's own error shape;
  ``application/json`` among what a download route produces, for its errors). Every repair is listed in
  ``x-taskmock-repairs``.
- ``/__admin/specs/onlyoffice.json`` and ``/__admin/specs/projectcor.json``: OpenAPI 3.1 made from each vendor's
  operation table and contracts (its JSON Schemas become the document's components, 2020-12 as 3.1 takes them):
  one path per operation with its parameters, request body and success answer, and each error status the vendor
  answers with the vendor's error shape. Kanboard (JSON-RPC) and Bitrix24 (methods behind one URL) have no
  document that describes them per path.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Sequence

from mockserver.contracts import Contracts
from mockserver.vendor import Vendor, load

# what the table and contracts do not say: how each generated vendor wraps answers, and which errors it answers
GENERATED: dict[str, dict[str, Any]] = {
    "onlyoffice": {"title": "ONLYOFFICE Projects API 2.0 and Documents (taskmock)", "envelope": True,
                   "errors": [400, 401, 403, 404, 500], "auth": "apiKey"},
    "projectcor": {"title": "ProjectCOR API (taskmock)", "envelope": False, "error": "projectcor/error",
                   "errors": [400, 401, 403, 404, 413, 417, 429, 500, 503], "auth": "bearer"},
}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def served(vendors: Sequence[Vendor]) -> list[str]:
    """The vendors among ``vendors`` that have a document."""
    return [v.name for v in vendors if v.name == "toggl" or v.name in GENERATED]


def document(name: str, contracts: Contracts, origin: str) -> dict[str, Any]:
    if name == "toggl":
        swagger = copy.deepcopy(contracts.document("toggl/focus"))
        scheme, _, host = origin.partition("://")
        swagger.update(host=host, schemes=[scheme])
        discovery = contracts.document("toggl/focus-discovery")
        swagger["paths"].update(copy.deepcopy(discovery["paths"]))
        swagger["definitions"].update(copy.deepcopy(discovery["definitions"]))
        repairs = [f"GET {path}: added from the vendor's documentation pages (focus-discovery.swagger.json)"
                   for path in discovery["paths"]]
        for path, item in swagger["paths"].items():
            for method, operation in item.items():
                for parameter in operation.get("parameters", []):
                    if parameter.get("type") == "array" and parameter.get("items", {}).get("type") == "file":
                        del parameter["items"], parameter["collectionFormat"]
                        parameter["type"] = "file"
                        repairs.append(f"{method.upper()} {path}: {parameter['name']} is one file parameter, "
                                       f"repeated, not an array of files (which Swagger 2.0 cannot express)")
        repairs += _undeclared_answers(swagger)
        swagger["x-taskmock-repairs"] = repairs
        return swagger
    [vendor] = load([name])
    return _generated(vendor, contracts, GENERATED[name], origin)


def _undeclared_answers(swagger: dict[str, Any]) -> list[str]:
    """Toggl Focus: declare the statuses the service answers that its Swagger leaves out."""
    [vendor] = load(["toggl"])
    error = {"$ref": "#/definitions/response.Error"}
    added = []
    for path, item in swagger["paths"].items():
        for method, operation in item.items():
            row = vendor.operation(operation.get("operationId", ""))
            if row is None:
                continue
            responses = operation["responses"]
            missing = [s for s in ("401", "402", "403", "404", "413") if s not in responses]
            for status in missing:
                shape = {"type": "string"} if status == "404" and row.meta.get("string_errors") else error
                responses[status] = {"description": "added by taskmock: the service answers it", "schema": shape}
            produces = operation.get("produces")
            if produces and "application/json" not in produces:
                produces.append("application/json")
                missing.append("application/json errors")
            if missing:
                added.append(f"{method.upper()} {path}: added {', '.join(missing)}")
    return added


def _schema(node: Any) -> Any:
    """A contract as a component: its ``$schema`` dropped, ``$ref: other.json`` pointing at the component."""
    if isinstance(node, dict):
        out = {k: _schema(v) for k, v in node.items() if k != "$schema"}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.endswith(".json"):
            out["$ref"] = f"#/components/schemas/{ref[:-5]}"
        return out
    if isinstance(node, list):
        return [_schema(v) for v in node]
    return node


def _ref(contract: str) -> dict[str, Any]:
    if contract.endswith("[]"):
        return {"type": "array", "items": _ref(contract[:-2])}
    return {"$ref": f"#/components/schemas/{contract.split('/', 1)[1]}"}


def _generated(vendor: Vendor, contracts: Contracts, how: dict[str, Any], origin: str) -> dict[str, Any]:
    components = {n.split("/", 1)[1]: _schema(contracts.schema(n)) for n in contracts.names(vendor.name)
                  if not n.endswith("/fixtures")}
    if how["envelope"]:
        error = {"$ref": "#/components/schemas/envelope"}
    else:
        error = _ref(how["error"])
    security = ({"bearer": {"type": "http", "scheme": "bearer"}} if how["auth"] == "bearer" else
                {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}})
    paths: dict[str, dict[str, Any]] = {}
    for op in vendor.operations:
        if not op.path or not op.method:
            continue
        path = _PARAM.sub(lambda m: "" if m[2] == "apisuffix" else "{" + m[1] + "}", op.path)
        parameters = [{"name": m[1], "in": "path", "required": True,
                       "schema": {"type": "integer", "minimum": 0} if m[2] == "int" else {"type": "string"}}
                      for m in _PARAM.finditer(op.path) if m[2] != "apisuffix"]
        answer: dict[str, Any] = {"description": "the bytes" if op.response is None else "success"}
        if op.response:
            body = _ref(op.response)
            if how["envelope"]:
                body = {"type": "object", "required": ["response"],
                        "properties": {"status": {"type": "integer"}, "statusCode": {"type": "integer"},
                                       "response": body}}
            answer["content"] = {"application/json": {"schema": body}}
        else:
            answer["content"] = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
        responses = {str(op.status): answer}
        for status in how["errors"]:
            responses.setdefault(str(status), {"description": "the vendor's error",
                                               "content": {"application/json": {"schema": error}}})
        operation: dict[str, Any] = {"operationId": op.name, "parameters": parameters, "responses": responses}
        if op.request:
            form = op.request.endswith(".form")
            schema = _ref(op.request)
            if form:
                schema = {"allOf": [schema, {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}]}
            operation["requestBody"] = {"required": form, "content": {
                "multipart/form-data" if form else "application/json": {"schema": schema}}}
        if op.meta.get("bearer") or (how["auth"] == "apiKey" and not op.meta.get("anonymous")
                                     and op.response is not None):
            operation["security"] = [{next(iter(security)): []}]
        paths.setdefault(path, {})[op.method.lower()] = operation
    return {"openapi": "3.1.0", "info": {"title": how["title"], "version": "taskmock"},
            "servers": [{"url": origin}], "paths": paths,
            "components": {"schemas": components, "securitySchemes": security}}


def admin_document() -> dict[str, Any]:
    """The admin API (``mockserver.admin``), route by route."""
    json_body = {"application/json": {"schema": {"type": "object"}}}

    def op(summary: str, *, body: bool = False, status: str = "200", query: Sequence[str] = ()) -> dict[str, Any]:
        found: dict[str, Any] = {"summary": summary, "responses": {status: {"description": summary}},
                                 "parameters": [{"name": q, "in": "query", "schema": {"type": "string"}}
                                                for q in query]}
        if status != "204":
            found["responses"][status]["content"] = json_body
        if body:
            found["requestBody"] = {"required": True, "content": json_body}
        return found
    return {
        "openapi": "3.1.0",
        "info": {"title": "taskmock admin API", "version": "1",
                 "description": "Answers only requests whose Host is this machine, or that carry --admin-token "
                                "as a Bearer token (health, the dashboard's page and these documents are open "
                                "to all); a POST must be application/json."},
        "paths": {
            "/__admin/health": {"get": op("the server is ready, and which vendors it serves")},
            "/__admin/reset": {"post": op("every vendor (or one) back to its fixtures", body=True,
                                          query=["vendor", "keep_ids"])},
            "/__admin/state": {"get": op("what the server holds, per vendor", query=["vendor"])},
            "/__admin/vendors": {"get": op("each vendor's base URL, credentials and switches; the served specs")},
            "/__admin/requests": {"get": op("the journal, oldest first",
                                            query=["vendor", "method", "path", "operation", "limit"]),
                                  "delete": op("empty the journal (or one vendor's entries)", status="204",
                                               query=["vendor"])},
            "/__admin/crashes": {"get": op("the requests the mock itself failed on")},
            "/__admin/options": {"get": op("every vendor switch"),
                                 "patch": op("change switches: {vendor: {switch: value}}", body=True)},
            "/__admin/faults": {"get": op("the fault rules with their hits"),
                                "post": op("add a fault rule", body=True, status="201"),
                                "delete": op("remove every rule", status="204")},
            "/__admin/faults/{rule_id}": {"delete": {**op("remove one rule", status="204"), "parameters": [
                {"name": "rule_id", "in": "path", "required": True, "schema": {"type": "integer"}}]}},
            "/__admin/errors": {"get": op("the named errors a fault rule may use", query=["vendor"])},
            "/__admin/clock": {"get": op("the server's time"),
                               "post": op("move the clock forward: {\"advance\": seconds}", body=True)},
            "/__admin/openapi.json": {"get": op("this document")},
            "/__admin/specs/{vendor}.json": {"get": {**op("a vendor's OpenAPI document"), "parameters": [
                {"name": "vendor", "in": "path", "required": True, "schema": {"type": "string"}}]}},
            "/__admin/": {"get": {"summary": "the dashboard", "responses": {"200": {
                "description": "an HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
        },
    }
