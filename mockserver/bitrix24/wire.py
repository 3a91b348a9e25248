"""Bitrix24 on the wire: ``/rest/{user_id}/{code}/{method}`` (webhook) and ``/rest/{method}`` (OAuth), an
optional ``.json``/``.xml`` suffix and trailing slash, any HTTP method; params merged PHP-style from the query
and the body; who is calling (webhook or token, and its scopes); the leaky-bucket limit; ``Methods``, which
runs one REST method of the table (lookup, scope, the operating-time limit, the params contract, the handler,
the ``time`` block); the success envelope, the error envelope, and the XML transport. The calls the transport
runs itself (``batch``, ``upload``, ``download``) are in ``batch``."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import unquote_plus
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from mockserver import http
from mockserver.bitrix24 import errors, render
from mockserver.bitrix24.models import BitrixState, User
from mockserver.bitrix24.render import url_quote
from mockserver.contracts import Contracts
from mockserver.downloads import BlobResponse, Download
from mockserver.http import ascii_digits
from mockserver.multipart import MultipartError, is_multipart, parse_form
from mockserver.pipeline import VendorRoute, answer, arrive, note
from mockserver.vendor import Call as BaseCall
from mockserver.vendor import Exchange, Operation, Vendor, VendorError

Check = tuple[str, bool, dict[str, Any], Callable[[Any], bool], type[errors.BitrixError], type[errors.BitrixError]]
_KEY = re.compile(r"([^\[]*)((?:\[[^\]]*\])*)$")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
XML = "bitrix24.xml"           # on the request's scope: the answer, errors included, is XML
V3 = "bitrix24.v3"             # on the request's scope: a REST 3.0 call, its errors in that shape


# -- params ---------------------------------------------------------------------------------------------------------

MAX_INPUT_VARS = 1000          # php.ini's max_input_vars: PHP reads this many variables and drops the rest
MAX_INPUT_NESTING = 64         # php.ini's max_input_nesting_level: a deeper variable is dropped


class _Array(dict):
    """A PHP array while a query is parsed: it knows its next free index, as PHP's does (nNextFreeElement), so
    ``a[]=`` costs the same whatever the array holds."""
    __slots__ = ("next",)

    def __init__(self) -> None:
        super().__init__()
        self.next = 0

    def put(self, part: str) -> str:
        if part == "":
            part = str(self.next)
        if ascii_digits(part) and (part == "0" or part[0] != "0"):
            self.next = max(self.next, int(part) + 1)
        return part


@functools.lru_cache(maxsize=4096)
def _key_path(key: str) -> tuple[str, ...] | None:
    """``fields[TITLE]`` -> ("fields", "TITLE"); None for a key PHP drops (no name, nested too deep). Keys repeat
    (``select[]`` a thousand times), so each is split once."""
    match = _KEY.match(key)
    name, brackets = (match.group(1), match.group(2)) if match else (key.replace("[", "_", 1), "")
    if not name:
        return None
    path = (name, *re.findall(r"\[([^\]]*)\]", brackets))
    return path if len(path) - 1 <= MAX_INPUT_NESTING else None


def php_parse(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """PHP's ``parse_str``: ``fields[TITLE]=x``, ``select[]=ID``; arrays keyed 0..n-1 become lists. Linear in
    the input, and as bounded as PHP: the first ``MAX_INPUT_VARS`` variables, none nested deeper than
    ``MAX_INPUT_NESTING``."""
    root = _Array()
    for key, value in pairs[:MAX_INPUT_VARS]:
        path = _key_path(key)
        if path is None:
            continue
        node = root
        last = len(path) - 1
        for i, part in enumerate(path):
            part = node.put(part)
            if i == last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, _Array):
                    child = node[part] = _Array()
                node = child
    return _lists(root)


_unquote_key = functools.lru_cache(maxsize=4096)(unquote_plus)     # keys repeat: select%5B%5D, a thousand times


def form_pairs(text: str, limit: int = MAX_INPUT_VARS) -> list[tuple[str, str]]:
    """The first ``limit`` pairs of a urlencoded body, as ``parse_qsl`` reads them: PHP stops at
    ``max_input_vars``, so the rest is never split nor decoded, and a 5,000-key body costs what 1,000 do."""
    pairs: list[tuple[str, str]] = []
    for part in text.split("&", limit)[:limit]:
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((_unquote_key(key), unquote_plus(value) if "%" in value or "+" in value else value))
    return pairs


def _lists(value: Any) -> Any:
    if isinstance(value, _Array):
        value = {k: _lists(v) for k, v in value.items()}
        if value and list(value) == [str(i) for i in range(len(value))]:
            return list(value.values())
    return value


async def read_params(request: Request, state: BitrixState) -> dict[str, Any]:
    """Query, then the form body, else the raw body (JSON, or parse_str); the body wins. Bad JSON is {}."""
    params = php_parse(list(request.query_params.multi_items()))
    content_type = http.media_type(request.headers)
    body: dict[str, Any] = {}
    if is_multipart(request.headers):
        try:
            form = await parse_form(request, state.blobs)
        except MultipartError:
            form = None
        if form is not None:
            form.discard()                          # file parts of an ordinary method call are not kept
            body = php_parse(form.fields)
    else:
        raw = await http.read_body(request)
        if content_type == "application/json":
            try:
                decoded = json.loads(raw) if raw.strip() else {}
            except (ValueError, RecursionError):
                decoded = {}
            body = decoded if isinstance(decoded, dict) else {}
        elif raw:
            body = php_parse(form_pairs(raw.decode("utf-8", "replace")))
    params.update(body)
    return params


@dataclass
class Page:
    """A list method's result: one page of items, the total, and where the next page starts; ``key``: the
    items go under that name in ``result`` (``{"tasks": [...]}``), else ``result`` is the list."""
    items: list[Any]
    total: int | None
    next_start: int | None
    key: str | None = None

    @property
    def result(self) -> Any:
        return {self.key: self.items} if self.key else self.items


# -- who is calling -------------------------------------------------------------------------------------------------

@dataclass
class Link:
    """Builds the URLs a reply hands out (upload, download) in the caller's auth form."""
    base: str                       # scheme://host
    prefix: str                     # /rest/{uid}/{code} for a webhook, /rest for OAuth
    auth: str | None = None         # the OAuth token, carried in the query

    def __call__(self, kind: str, token: str) -> str:
        token = url_quote(token, safe="")
        if self.auth is None:
            return f"{self.base}{self.prefix}/{kind}/?token={token}"
        return f"{self.base}{self.prefix}/{kind}.json?auth={self.auth}&token={token}"


@dataclass
class Identity:
    """Who is calling and with what: user, scopes, the key the operating-time limiter counts under, and the
    form of the URLs handed to him."""
    user: User
    scopes: set[str]
    is_token: bool
    key: str
    link: Link


def identify(state: BitrixState, request: Request, route: list[str], params: dict[str, Any]) -> Identity:
    base = f"{request.url.scheme}://{request.url.netloc}"
    if len(route) == 2:
        user_id, code = route
        hook = state.webhook(int(user_id), code) if ascii_digits(user_id) else None
        if hook is None or hook.user_id not in state.users:
            raise errors.InvalidCredentials()
        return Identity(state.users[hook.user_id], hook.scopes, False, f"hook:{user_id}/{code}",
                        Link(base, f"/rest/{user_id}/{code}"))
    value = http.bearer(request.headers.get("authorization"))
    if value is None:
        value = params.get("auth") or params.get("access_token")
    if not value or not isinstance(value, str):
        raise errors.NoAuthFound()
    token = state.tokens.get(value)
    if token is None:
        raise errors.InvalidToken()
    if token.expires_at <= state.clock.time():
        raise errors.ExpiredToken()
    if token.user_id not in state.users:
        raise errors.InvalidToken()
    return Identity(state.users[token.user_id], token.scopes, True, f"token:{value}", Link(base, "/rest", auth=value))


@dataclass
class Call(BaseCall[BitrixState]):
    who: Identity | None
    methods: Methods | None = None
    note: Callable[[str], None] = field(default=lambda name: None)    # tells the journal of each sub-call

    @property
    def user(self) -> User:
        assert self.who is not None
        return self.who.user

    @property
    def link(self) -> Link:
        assert self.who is not None
        return self.who.link


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


# -- methods ---------------------------------------------------------------------------------------------------------

class ParamsContracts:
    """Each method's params contract, read at start and compiled on first use: property by property in the
    contract's order, so that a breach is the error Bitrix24 answers for that property: the class of ``errors``
    its ``x-missing`` or ``x-invalid`` names (an unknown name stops the server at start)."""

    def __init__(self, operations: Iterable[Operation], contracts: Contracts):
        self.methods: dict[str, list[Check]] = {}
        for op in operations:
            if op.request is None:
                continue
            schema = contracts.schema(op.request)
            required = set(schema.get("required", ()))
            self.methods[op.name.lower()] = [
                (prop, prop in required, sub,
                 contracts.compile({k: v for k, v in sub.items() if not k.startswith("x-")}),
                 _error_class(op, sub.get("x-missing")), _error_class(op, sub.get("x-invalid")))
                for prop, sub in schema.get("properties", {}).items()]

    def check(self, method: str, params: dict[str, Any]) -> None:
        for prop, required, sub, keeps, missing, invalid in self.methods.get(method, ()):
            value = params.get(prop)
            if value is None or (value == "" and not missing.binder):
                if required:
                    raise missing.for_value(_text(value))
            elif not keeps(value):
                raise invalid.for_value(_text(value))


def _error_class(op: Operation, name: str | None) -> type[errors.BitrixError]:
    if name is None:
        return errors.ArgumentError
    found = getattr(errors, name, None)
    if not (isinstance(found, type) and issubclass(found, errors.BitrixError)):
        raise ValueError(f"bitrix24: {op.request} names {name!r}, which is no error class of "
                         f"mockserver.bitrix24.errors")
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else render.encode(value)


class Methods:
    """The REST methods of the table, by lower-case name, and how one is called."""

    def __init__(self, operations: Iterable[Operation], contracts: Contracts, v3: bool = False):
        self.table = {op.name.lower(): op for op in operations
                      if "scope" in op.meta and bool(op.meta.get("v3")) == v3}
        self.contracts = contracts
        self.params = ParamsContracts(self.table.values(), contracts)

    def invoke(self, state: BitrixState, who: Identity, inbound: http.Inbound, method: str, params: dict[str, Any],
               on_call: Callable[[str], None]) -> tuple[Any, dict[str, Any]]:
        """One method call: lookup (404), scope (401), the operating-time limit (429), the params contract, the
        handler; and its time block."""
        name = method.lower()
        op = self.table.get(name)
        if op is None:
            raise errors.MethodNotFound()
        on_call(op.name)
        needed = op.meta["scope"]
        if not set(needed if isinstance(needed, tuple) else (needed,)) & (who.scopes | {"basic"}):
            if op.meta.get("v3"):
                raise errors.V3InsufficientScope()
            raise errors.InsufficientScope(errors.InsufficientScope.token_message if who.is_token else None)
        if state.rate_limits:
            spent, _ = state.operating_spent(who.key, name)
            if spent > state.operating_limit:
                raise errors.OperationTimeLimit()
        self.params.check(name, params)
        started = state.clock.time()
        result = op.handler(Call(state, inbound, op, self.contracts, who, self, on_call), params)
        finished = state.clock.time()
        state.record_operating(who.key, name, finished - started)
        spent, reset_at = state.operating_spent(who.key, name)
        return result, render.time_block(started, finished, spent, reset_at)



# -- answers --------------------------------------------------------------------------------------------------------

def _xml(parent: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            name = str(key) if str(key)[:1].isalpha() else f"item{key}"
            _xml(ElementTree.SubElement(parent, name), inner)
    elif isinstance(value, list):
        for inner in value:
            _xml(ElementTree.SubElement(parent, "item"), inner)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = str(value)


def response(body: dict[str, Any], status: int = 200, as_xml: bool = False,
             extra: Mapping[str, str] = {}) -> Response:
    headers = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff", **extra}
    if as_xml:
        root = ElementTree.Element("response")
        _xml(root, body)
        text = '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(root, encoding="unicode")
        return Response(text.encode("utf-8"), status, headers=headers, media_type="text/xml; charset=utf-8")
    return Response(render.encode(body).encode("utf-8"), status, headers=headers,
                    media_type="application/json; charset=utf-8")


# -- the transport --------------------------------------------------------------------------------------------------

class Wire:
    internal_error = errors.InternalServerError

    def too_large(self, exchange: Exchange) -> Response:
        """Past the ceiling: the nginx in front of the portal answers [INFER: Bitrix24's cloud takes POST bodies
        up to 2 GB, the on-premise bundle is nginx in front of PHP]."""
        return Response(http.NGINX_413, 413, media_type="text/html")

    def routes(self, vendor: Vendor, contracts: Contracts) -> list[BaseRoute]:
        methods = Methods(vendor.operations, contracts)
        transport = {op.name: op for op in vendor.operations if op.meta.get("transport")}

        async def rest(request: Request) -> Response:
            exchange = Exchange(request, vendor)
            request.scope[XML] = False

            async def work() -> Response:
                state: BitrixState = exchange.state
                route, method, as_xml = _route(request.path_params["path"])
                request.scope[XML] = as_xml
                if state.rate_limits and not state.take_from_bucket(request.client.host if request.client else "-"):
                    raise errors.QueryLimitExceeded()
                op = transport.get(method.lower())
                # the upload call's body is the file itself: its params come from the query only
                params = dict(request.query_params) if op is not None and op.name == "upload" \
                    else await read_params(request, state)
                who = identify(state, request, route, params)
                inbound = http.Inbound(request)

                def on_call(name: str) -> None:
                    note(request, name)
                    arrive(request, vendor, name, lambda: {str(who.user.id), who.user.email})

                if op is None:
                    result, block = methods.invoke(state, who, inbound, method, params, on_call)
                    if isinstance(result, Page):
                        return response(render.success(result.result, block, result.total, result.next_start),
                                        as_xml=as_xml)
                    return response(render.success(result, block), as_xml=as_xml)
                exchange.op = op
                on_call(op.name)
                call = Call(state, inbound, op, contracts, who, methods, on_call)
                if op.name == "upload":
                    return response(await op.handler(call, params), as_xml=as_xml)
                if op.name == "download":
                    return BlobResponse(op.handler(call, params))
                started = state.clock.time()
                result = op.handler(call, params)
                return response(render.success(result, render.time_block(started, state.clock.time())),
                                as_xml=as_xml)

            return await answer(exchange, work)

        v3_methods = Methods(vendor.operations, contracts, v3=True)

        async def rest_v3(request: Request) -> Response:
            """REST 3.0: ``/rest/api/{user}/{code}/{method}`` or ``/rest/api/{method}`` with ``auth`` in the body;
            the body is JSON (anything else ``INVALIDJSONEXCEPTION``), the query string is not read."""
            exchange = Exchange(request, vendor)
            request.scope[V3] = True

            async def work() -> Response:
                state: BitrixState = exchange.state
                parts = [p for p in request.path_params["path"].split("/") if p]
                if len(parts) not in (1, 3):
                    raise errors.MethodNotFound()
                raw = await http.read_body(request)
                try:
                    body = json.loads(raw) if raw.strip() else {}
                except (ValueError, RecursionError):
                    raise errors.V3InvalidJson() from None
                is_json = http.media_type(request.headers) == "application/json"
                if not isinstance(body, dict) or (raw.strip() and not is_json):
                    raise errors.V3InvalidJson()
                who = identify(state, request, parts[:-1], body)

                def on_call(name: str) -> None:
                    note(request, name)
                    arrive(request, vendor, name, lambda: {str(who.user.id), who.user.email})

                result, block = v3_methods.invoke(state, who, http.Inbound(request), parts[-1], body, on_call)
                return response({"result": result, "time": block})

            return await answer(exchange, work)

        routes: list[BaseRoute] = [VendorRoute("/rest/api/{path:path}", rest_v3, methods=METHODS),
                                   VendorRoute("/rest/{path:path}", rest, methods=METHODS)]
        for op in vendor.operations:
            if op.path and op.method:
                routes.append(VendorRoute(op.path, self._serve(vendor, op, contracts), methods=[op.method]))
        return routes

    def _serve(self, vendor: Vendor, op: Operation, contracts: Contracts) -> Callable[..., Any]:
        """A URL that no REST method is behind (an attached object's ``DOWNLOAD_URL``): its params from the query."""
        async def endpoint(request: Request) -> Response:
            note(request, op.name)
            exchange = Exchange(request, vendor, op)

            async def work() -> Response:
                state: BitrixState = exchange.state
                result = op.handler(Call(state, http.Inbound(request), op, contracts, None), dict(request.query_params))
                if isinstance(result, Download):
                    return BlobResponse(result)
                return response(render.success(result, None))

            return await answer(exchange, work)
        return endpoint

    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        if not isinstance(exc, errors.BitrixError):
            exc = errors.InternalServerError()
        if exchange.request.scope.get(V3):
            return response(render.v3_error_body(exc), exc.status, extra=exc.headers)
        return response(render.error_body(exc), exc.status, exchange.request.scope.get(XML, False), exc.headers)

    def route_miss(self, request: Request, status: int) -> Response | None:
        return None


WIRE = Wire()
