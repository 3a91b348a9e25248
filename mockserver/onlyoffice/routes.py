"""ONLYOFFICE routes under ``/api/2.0/``, each also with a ``.json``, ``.xml`` or ``.tml`` suffix, and the
Documents download handler. Parameters come from the route, the query string and the body (JSON, XML or a
form), merged; the reply is XML only for an ``.xml``/``.tml`` path whose request is not ``application/json``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.contracts import Contracts
from mockserver.onlyoffice import errors, handlers, render


class SuffixConvertor(Convertor):
    regex = r"(?:\.(?:json|xml|tml))?"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("apisuffix", SuffixConvertor())
API = "/api/2.0"


def _flatten(payload: Any) -> dict[str, list[Any]]:
    if not isinstance(payload, dict):
        return {}
    values: dict[str, list[Any]] = {}
    for key, value in payload.items():
        values[key] = list(value) if isinstance(value, list) else [value]
    return values


def _xml_params(body: bytes) -> dict[str, list[Any]]:
    root = ElementTree.fromstring(body)
    values: dict[str, list[Any]] = {}
    for child in root:
        values.setdefault(child.tag, []).append(child.text or "")
    return values


async def read_params(request: Request, with_body: bool) -> handlers.Params:
    values: dict[str, list[Any]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, []).append(value)
    values.update({k: [v] for k, v in request.path_params.items() if k != "suffix"})
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if with_body:
        body = await request.body()
        if body.strip():
            try:
                if content_type == "application/json":
                    body_values = _flatten(json.loads(body))
                elif content_type in ("text/xml", "application/xml"):
                    body_values = _xml_params(body)
                elif request.method != "GET":
                    body_values = {}
                    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
                        body_values.setdefault(key, []).append(value)
                else:
                    body_values = {}
            except (ValueError, ElementTree.ParseError) as exc:
                raise errors.InvalidArguments(
                    f"Unexpected character encountered while parsing value: {str(exc)[:60]}") from None
            for key, found in body_values.items():
                values.setdefault(key, []).extend(found)
    return handlers.Params(values)


def wants_xml(request: Request) -> bool:
    suffix = request.path_params.get("suffix", "")
    return suffix in (".xml", ".tml") and not request.headers.get("content-type", "").lower().startswith(
        "application/json")


def _endpoint(contracts: Contracts, handler, needs_auth: bool = True, reads_body: bool = True, raw: bool = False,
              contract: str | None = None):
    if contract:
        contracts.prepare([f"onlyoffice/{contract}"])
    check = (lambda values: contracts.error(f"onlyoffice/{contract}", values)) if contract else (lambda values: None)

    async def endpoint(request: Request) -> Response:
        state = request.app.state.runtime.store["onlyoffice"]
        as_xml = wants_xml(request)
        start_index = 0
        try:
            user = handlers.authenticate(state, request) if needs_auth else None
            params = await read_params(request, reads_body)
            problem = check(params.values)
            if problem:
                raise errors.InvalidArguments(problem.replace("data.", "", 1))
            start_index = max(params.integer("startIndex"), 0)
            call = handlers.Call(state, request, params, user)
            ids = [int(v) for k, v in request.path_params.items() if k.endswith("id")]
            result = handler(call, *ids)
            if hasattr(result, "__await__"):
                result = await result
            if raw:
                return result
            status, data = result
            return render.response(render.envelope(data, status, start_index), status, as_xml)
        except errors.Unauthorized as exc:
            return render.unauthorized(exc, state.host)
        except errors.OnlyofficeError as exc:
            return render.response(render.error_envelope(exc, start_index), exc.status, as_xml)
        except Exception:
            exc = errors.OnlyofficeError()
            return render.response(render.error_envelope(exc, start_index), exc.status, as_xml)
    return endpoint


def route_miss(request: Request, status: int) -> Response | None:
    """A route's path with a method it has no API method for: 404 "Method not found" in the envelope. A path no
    route matches (a non-numeric id) keeps the portal's plain not-found page."""
    if status != 405:
        return None
    exc = errors.MethodNotFound()
    as_xml = request.url.path.endswith((".xml", ".tml")) and not request.headers.get(
        "content-type", "").lower().startswith("application/json")
    return render.response(render.error_envelope(exc), exc.status, as_xml)


def routes(contracts: Contracts) -> list[Route]:
    def route(path, handler, method, **kwargs):
        return Route(API + path + "{suffix:apisuffix}", _endpoint(contracts, handler, **kwargs), methods=[method])

    return [
        route("/authentication", handlers.authentication, "POST", needs_auth=False,
              contract="authentication.params"),
        route("/files/@my/upload", lambda call: handlers.upload(call, "@my"), "POST", reads_body=False),
        route("/files/@common/upload", lambda call: handlers.upload(call, "@common"), "POST", reads_body=False),
        route("/files/{folder_id:int}/upload", lambda call, folder_id: handlers.upload(call, str(folder_id)),
              "POST", reads_body=False),
        route("/files/file/{file_id:int}", handlers.get_file, "GET"),
        route("/project/task/{task_id:int}/files", handlers.attach, "POST", contract="task.files.attach.params"),
        route("/project/task/{task_id:int}/files", handlers.list_files, "GET"),
        route("/project/task/{task_id:int}/files", handlers.detach, "DELETE", contract="task.files.detach.params"),
        route("/project/task/{task_id:int}/filesmany", handlers.detach_many, "DELETE",
              contract="task.files.attach.params"),
        route("/project/task/{task_id:int}", handlers.get_task, "GET"),
        route("/project/{project_id:int}/task", handlers.create_task, "POST", contract="task.create.params"),
        route("/project/{project_id:int}", handlers.get_project, "GET"),
        route("/project", handlers.create_project, "POST", contract="project.create.params"),
        Route("/Products/Files/HttpHandlers/filehandler.ashx", _endpoint(contracts, handlers.download, raw=True),
              methods=["GET"]),
    ]
