"""Bitrix24 transport: ``/rest/{user_id}/{code}/{method}`` (webhook) and ``/rest/{method}`` (OAuth), an optional
``.json``/``.xml`` suffix and trailing slash, any HTTP method; params merged PHP-style from the query and the
body; auth, scopes, the two rate limiters, ``batch``, and the ``upload``/``download`` token calls."""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.bitrix24 import errors, handlers, render
from mockserver.bitrix24.handlers import Call, Link, Page, as_int, boolean
from mockserver.bitrix24.models import BitrixState
from mockserver.contracts import Contracts
from mockserver.downloads import file_response
from mockserver.multipart import MultipartError, is_multipart, parse_form

MAX_BATCH = 50
_KEY = re.compile(r"([^\[]*)((?:\[[^\]]*\])*)$")
_REFERENCE = re.compile(r"\$result\[([^\]]*)\]((?:\[[^\]]*\])*)")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


# -- params ---------------------------------------------------------------------------------------------------------

def php_parse(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """PHP's ``parse_str``: ``fields[TITLE]=x``, ``select[]=ID``; arrays keyed 0..n-1 become lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        name, brackets = (match.group(1), match.group(2)) if match else (key.replace("[", "_", 1), "")
        if not name:
            continue
        path = [name] + re.findall(r"\[([^\]]*)\]", brackets)
        node = root
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if part == "":
                part = str(1 + max((int(k) for k in node if k.isdigit()), default=-1))
            if last:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
    return _lists(root)


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        value = {k: _lists(v) for k, v in value.items()}
        if value and list(value) == [str(i) for i in range(len(value))]:
            return list(value.values())
    return value


async def read_params(request: Request, state: BitrixState) -> dict[str, Any]:
    """Query, then the form body, else the raw body (JSON, or parse_str); the body wins. Bad JSON is {}."""
    params = php_parse(list(request.query_params.multi_items()))
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body: dict[str, Any] = {}
    if is_multipart(request):
        try:
            form = await parse_form(request, state.blobs)
        except MultipartError:
            form = None
        if form is not None:
            form.discard()                          # file parts of an ordinary method call are not kept
            body = php_parse(form.fields)
    else:
        raw = await request.body()
        if content_type == "application/json":
            try:
                decoded = json.loads(raw) if raw.strip() else {}
            except (ValueError, RecursionError):
                decoded = {}
            body = decoded if isinstance(decoded, dict) else {}
        elif raw:
            body = php_parse(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    params.update(body)
    return params


# -- auth -----------------------------------------------------------------------------------------------------------

class Caller:
    """Who is calling and with what: user, scopes, the key the operating-time limiter counts under."""

    def __init__(self, state: BitrixState, request: Request, route: list[str], params: dict[str, Any]):
        base = f"{request.url.scheme}://{request.url.netloc}"
        if len(route) == 2:
            user_id, code = route
            hook = state.webhook(int(user_id), code) if user_id.isdigit() else None
            if hook is None or hook.user_id not in state.users:
                raise errors.InvalidCredentials()
            self.user, self.scopes, self.is_token = state.users[hook.user_id], hook.scopes, False
            self.key = f"hook:{user_id}/{code}"
            self.link = Link(base, f"/rest/{user_id}/{code}")
            return
        header = request.headers.get("authorization", "")
        value = header[7:].strip() if header[:7].lower() == "bearer " else params.get("auth") or params.get(
            "access_token")
        if not value or not isinstance(value, str):
            raise errors.NoAuthFound()
        token = state.tokens.get(value)
        if token is None:
            raise errors.InvalidToken()
        if token.expires_at <= time.time():
            raise errors.ExpiredToken()
        if token.user_id not in state.users:
            raise errors.InvalidToken()
        self.user, self.scopes, self.is_token = state.users[token.user_id], token.scopes, True
        self.key = f"token:{value}"
        self.link = Link(base, "/rest", auth=value)


def _route(path: str) -> tuple[list[str], str, bool]:
    """``1/abc/tasks.task.get.json/`` -> (["1", "abc"], "tasks.task.get", False)."""
    parts = [p for p in path.split("/") if p]
    if len(parts) not in (1, 3) or parts[0] == "api":
        raise errors.MethodNotFound()
    method = parts[-1]
    as_xml = method.lower().endswith(".xml")
    if as_xml or method.lower().endswith(".json"):
        method = method.rsplit(".", 1)[0]
    return parts[:-1], method, as_xml


# -- calls ----------------------------------------------------------------------------------------------------------

class ParamsContracts:
    """Each method's params contract (``contracts/bitrix24/<method>.params.json``), compiled when the routes are
    built: property by property in the contract's order, so that a breach is the error Bitrix24 answers for
    that property: the class of ``errors`` its ``x-missing`` or ``x-invalid`` names."""

    def __init__(self, contracts: Contracts):
        self.methods: dict[str, list[tuple[str, bool, dict[str, Any], Any]]] = {}
        for name in contracts.names("bitrix24"):
            if name.endswith(".params"):
                schema = contracts.schema(name)
                required = set(schema.get("required", ()))
                self.methods[name.split("/", 1)[1][: -len(".params")]] = [
                    (prop, prop in required, sub,
                     contracts.compile({k: v for k, v in sub.items() if not k.startswith("x-")}))
                    for prop, sub in schema.get("properties", {}).items()]

    def check(self, method: str, params: dict[str, Any]) -> None:
        for prop, required, sub, keeps in self.methods.get(method, ()):
            value = params.get(prop)
            if value is None or value == "":
                if required:
                    raise _contract_error(sub.get("x-missing"), value)
            elif not keeps(value):
                raise _contract_error(sub.get("x-invalid"), value)


def _contract_error(error_name: str | None, value: Any) -> errors.BitrixError:
    cls = getattr(errors, error_name) if error_name else errors.ArgumentError
    return cls.for_value(value if isinstance(value, str) else render.encode(value))


def invoke(state: BitrixState, caller: Caller, method: str, params: dict[str, Any],
           contracts: ParamsContracts) -> tuple[Any, dict[str, Any]]:
    """One method call: lookup (404), scope (401), the operating-time limit (429), the params contract, the
    handler; and its time block."""
    name = method.lower()
    found = handlers.METHODS.get(name)
    if found is None:
        raise errors.MethodNotFound()
    handler, scope = found
    if scope not in caller.scopes:
        raise errors.InsufficientScope(errors.InsufficientScope.token_description if caller.is_token else None)
    if state.rate_limits:
        spent, _ = state.operating_spent(caller.key, name)
        if spent > state.operating_limit:
            raise errors.OperationTimeLimit()
    contracts.check(name, params)
    started = time.time()
    result = handler(Call(state, caller.user, caller.link), params)
    state.record_operating(caller.key, name, time.time() - started)
    spent, reset_at = state.operating_spent(caller.key, name)
    return result, render.time_block(started, spent, reset_at)


def _substitute(value: Any, results: dict[Any, Any]) -> Any:
    """``$result[key][field]...``: a whole-value reference keeps the referenced type; inline ones become text."""
    if isinstance(value, dict):
        return {k: _substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, results) for v in value]
    if not isinstance(value, str) or "$result[" not in value:
        return value

    def lookup(match: re.Match) -> Any:
        key = match.group(1)
        node = results.get(int(key) if key.isdigit() else key, results.get(key))
        for part in re.findall(r"\[([^\]]*)\]", match.group(2)):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict):
                node = node.get(part, node.get(int(part)) if part.isdigit() else None)
            else:
                return None
        return node

    whole = _REFERENCE.fullmatch(value)
    if whole:
        found = lookup(whole)
        return value if found is None else found
    return _REFERENCE.sub(lambda m: "" if lookup(m) is None else str(lookup(m)), value)


def _key(key: Any) -> Any:
    return int(key) if isinstance(key, str) and key.isdigit() and (key == "0" or not key.startswith("0")) else key


def batch(state: BitrixState, caller: Caller, params: dict[str, Any], contracts: ParamsContracts) -> dict[str, Any]:
    lowered = {str(k).lower(): v for k, v in params.items()}
    cmd, halt = lowered.get("cmd"), boolean(lowered.get("halt", False))
    items = list(enumerate(cmd)) if isinstance(cmd, list) else [(_key(k), v) for k, v in cmd.items()] \
        if isinstance(cmd, dict) else []
    results, failures, totals, nexts, times = {}, {}, {}, {}, {}
    for index, (key, command) in enumerate(items):
        if not isinstance(command, str):
            continue
        if index >= MAX_BATCH:
            failures[key] = render.error_body(errors.BatchLengthExceeded())
            continue
        method, _, query = command.partition("?")
        method = method.strip()
        if method.lower().endswith(".json"):
            method = method[:-5]
        try:
            if method.lower() in ("batch", "upload", "download"):
                raise errors.BatchMethodNotAllowed()
            sub_params = _substitute(php_parse(parse_qsl(query, keep_blank_values=True)), results)
            result, block = invoke(state, caller, method, sub_params, contracts)
        except errors.BitrixError as exc:
            failures[key] = render.error_body(exc)
            if halt:
                break
            continue
        if isinstance(result, Page):
            results[key] = result.items
            if result.total is not None:
                totals[key] = result.total
            if result.next_start is not None:
                nexts[key] = result.next_start
        else:
            results[key] = result
        times[key] = block
    return {"result": render.php_array(results), "result_error": render.php_array(failures),
            "result_total": render.php_array(totals), "result_next": render.php_array(nexts),
            "result_time": render.php_array(times)}


async def upload(state: BitrixState, caller: Caller, request: Request, params: dict[str, Any]) -> dict[str, Any]:
    """The ``uploadUrl`` of ``disk.*.uploadfile``: a multipart POST with the file in ``file``. No time block."""
    token = str(params.get("token", ""))
    scope, _, rest = token.partition("|")
    payload, _, signature = rest.partition("|")
    if scope != "disk" or not payload or signature != state.sign(payload):
        raise errors.AccessDenied()
    options = dict(parse_qsl(base64.urlsafe_b64decode(payload.encode()).decode()))
    folder = state.objects.get(int(options["folder"]))
    if folder is None:
        raise errors.NotFound(options["folder"])
    try:
        form = await parse_form(request, state.blobs)
    except MultipartError:
        raise errors.CouldNotSaveFile() from None
    parts = form.files_named("file")
    if not parts:
        form.discard()
        raise errors.CouldNotSaveFile()
    form.discard(keep=parts[:1])
    call = Call(state, caller.user, caller.link)
    try:
        obj = handlers.store_file(call, folder, options.get("name") or parts[0].filename, parts[0].blob,
                                  options.get("unique") == "1")
    except errors.BitrixError:
        state.blobs.delete(parts[0].blob.key)
        raise
    return {"result": render.disk_object(state, obj, caller.link, as_upload=True)}


def download(state: BitrixState, params: dict[str, Any]) -> Response:
    token = str(params.get("token", ""))
    scope, _, rest = token.partition("|")
    payload, _, signature = rest.partition("|")
    values = dict(parse_qsl(payload))
    obj = state.objects.get(as_int(values.get("id")) or 0)
    if scope != "disk" or signature != state.sign(payload) or obj is None or obj.type != "file":
        raise errors.NotFound(values.get("id", ""))
    return file_response(state.blobs, obj.blob, "application/octet-stream", obj.name)


# -- endpoints ------------------------------------------------------------------------------------------------------

async def rest(request: Request, contracts: ParamsContracts) -> Response:
    state: BitrixState = request.app.state.runtime.store["bitrix24"]
    as_xml = False
    try:
        route, method, as_xml = _route(request.path_params["path"])
        if state.rate_limits and not state.take_from_bucket(request.client.host if request.client else "-"):
            raise errors.QueryLimitExceeded()
        name = method.lower()
        # the upload call's body is the file itself: its params come from the query only
        params = dict(request.query_params) if name == "upload" else await read_params(request, state)
        caller = Caller(state, request, route, params)
        if name == "upload":
            return render.response(await upload(state, caller, request, params), as_xml=as_xml)
        if name == "download":
            return download(state, params)
        if name == "batch":
            started = time.time()
            return render.response(render.success(batch(state, caller, params, contracts),
                                                  render.time_block(started)), as_xml=as_xml)
        result, block = invoke(state, caller, method, params, contracts)
        if isinstance(result, Page):
            return render.response(render.success(result.items, block, result.total, result.next_start),
                                   as_xml=as_xml)
        return render.response(render.success(result, block), as_xml=as_xml)
    except errors.BitrixError as exc:
        return render.response(render.error_body(exc), exc.status, as_xml)
    except Exception:
        exc = errors.InternalServerError()
        return render.response(render.error_body(exc), exc.status, as_xml)


async def attached_download(request: Request) -> Response:
    """``DOWNLOAD_URL`` of ``disk.attachedObject.get``."""
    state: BitrixState = request.app.state.runtime.store["bitrix24"]
    attached = request.query_params.get("attachedId", "")
    attachment = state.attachments.get(as_int(attached) or 0)
    if attachment is None or request.query_params.get("auth[auth]") != state.sign(f"attached={attachment.id}"):
        exc = errors.NotFound(attached)
        return render.response(render.error_body(exc), exc.status)
    obj = state.objects[attachment.object_id]
    return file_response(state.blobs, obj.blob, "application/octet-stream", obj.name)


def routes(contracts: Contracts) -> list[Route]:
    params_contracts = ParamsContracts(contracts)

    async def endpoint(request: Request) -> Response:
        return await rest(request, params_contracts)

    return [Route("/rest/{path:path}", endpoint, methods=METHODS),
            Route("/bitrix/tools/disk/uf.php", attached_download, methods=["GET"])]
