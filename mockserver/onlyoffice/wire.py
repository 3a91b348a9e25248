"""ONLYOFFICE on the wire: authentication (cookie, Basic, Bearer or a raw token), the API binder's parameters
(route values, query string and body, JSON, XML or a form, merged and looked up in any case), and the answer:
the response envelope in Json.NET's JSON (``/`` escaped as ``\\/``, non-ASCII raw) or, for an ``.xml``/``.tml``
path whose request is not ``application/json``, the XML that ``XmlNodeConverter`` makes of it; a 401 outside
the envelope."""

from __future__ import annotations

import itertools
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Collection, Mapping
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import Response

from mockserver import http
from mockserver.contracts import Contracts
from mockserver.onlyoffice import errors, render
from mockserver.onlyoffice.models import OnlyofficeState, User
from mockserver.pipeline import RouteWire
from mockserver.vendor import Call as BaseCall
from mockserver.vendor import Exchange, VendorError


_INT32 = re.compile(r"\s*[+-]?[0-9]+\s*", re.ASCII)


_API_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})"
                       r"(?:T(\d{2})[-:](\d{2})[-:](\d{2})(?:\.(\d{3}|\d{7}))?(Z|[+-]\d{2}:\d{2})?)?")


def int32(value: Any, bits: int = 32) -> int:
    """``value`` as .NET's ``Int32.Parse`` (``Int64.Parse`` with ``bits=64``) with the invariant culture reads it
    (ASCII digits, a sign, spaces around); ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not _INT32.fullmatch(str(value)):
        raise ValueError(value)
    number = int(value)
    if not -2**(bits - 1) <= number < 2**(bits - 1):
        raise ValueError(value)
    return number


class Params:
    """Route values, query string and body, merged and looked up by name in any case, as the API binder does."""

    def __init__(self, values: dict[str, list[Any]]):
        self.values: dict[str, list[Any]] = {}
        for key, found in values.items():
            self.values.setdefault(key.lower(), []).extend(found)

    def text(self, name: str, default: str | None = None) -> str | None:
        found = self.values.get(name.lower())
        return default if not found or found[-1] is None else str(found[-1])

    def integer(self, name: str, bits: int = 32) -> int:
        """A missing int (or long, ``bits=64``) binds to 0; one that does not convert is 400."""
        value = self.text(name)
        if value is None or value == "":
            return 0
        try:
            return int32(value, bits)
        except ValueError:
            raise errors.InvalidArguments(f"Cannot convert '{value}' to Int{bits} for parameter '{name}'.") from None

    def integers(self, name: str) -> list[int]:
        """``files`` as a JSON array, repeated ``files=``, ``files[]=`` or ``files[0]=``; missing is []."""
        raw: list[Any] = []
        lowered = name.lower()
        for key, values in self.values.items():
            if key in (lowered, lowered + "[]") or re.fullmatch(re.escape(lowered) + r"\[[0-9]+\]", key):
                raw.extend(values)
        numbers = []
        for value in raw:
            try:
                numbers.append(int32(value))
            except ValueError:
                raise errors.InvalidArguments(f"Cannot convert '{value}' to Int32 for parameter '{name}'.") from None
        return numbers

    def api_datetime(self, name: str) -> datetime | None:
        """An ``ApiDateTime`` (``ApiDateTime.Parse``'s formats: ``yyyy-MM-dd``, or with ``THH:mm:ss`` (``-`` also
        separates the time), 3 or 7 decimals, and ``Z`` or an offset); missing is None; a bad one is 400 with
        its text. A time without an offset is the portal's, UTC here."""
        value = self.text(name)
        if not value:
            return None
        if len(value) < 7:
            raise errors.InvalidArguments("invalid date time format")
        found = _API_DATE.fullmatch(value)
        try:
            if found is None:
                raise ValueError(value)
            year, month, day, hour, minute, second, fraction, zone = found.groups()
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                              int((fraction or "0").ljust(6, "0")[:6]), timezone.utc)
            if zone and zone != "Z":
                hours, minutes = int(zone[1:3]), int(zone[-2:])
                offset = timedelta(hours=hours, minutes=minutes)
                moment -= offset if zone[0] == "+" else -offset
        except ValueError:
            raise errors.InvalidArguments(f"invalid date time format: {value}") from None
        return moment

    def boolean(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in ("true", "1"):
            return True
        if value.lower() in ("false", "0"):
            return False
        raise errors.InvalidArguments(f"Cannot convert '{value}' to Boolean for parameter '{name}'.")


@dataclass
class Call(BaseCall[OnlyofficeState]):
    params: Params
    user: User | None             # None on an anonymous operation, or one whose caller may have no credentials
    as_xml: bool = False
    start_index: int = 0
    total: int | None = None      # set by a filter endpoint: the envelope's ``total``
    refused: errors.Unauthorized | None = None     # why ``user`` is None, on an ``optional_auth`` operation

    @property
    def me(self) -> User:
        """The authenticated caller (on an ``optional_auth`` operation, the 401 when there is none)."""
        if self.user is None and self.refused is not None:
            raise self.refused
        assert self.user is not None
        return self.user


def authenticate(state: OnlyofficeState, request: Request) -> User:
    """Cookie ``asc_auth_key``, then Basic, then Bearer or the raw token; before the first comma only."""
    cookie = request.cookies.get("asc_auth_key")
    if cookie and (user := state.user_by_token(cookie)):
        return user
    header = request.headers.get("authorization")
    if header:
        value = header.split(",", 1)[0].strip()
        if value[:6].lower() == "basic ":
            login, password = http.basic(value) or ("", "")
            user = state.user_by_login(login) if login else None
            if user is not None and user.password == password:
                return user
        else:
            if user := state.user_by_token(http.bearer(value) or value):
                return user
    raise errors.Unauthorized(header_sent=header is not None)


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


async def read_params(request: Request, with_body: bool) -> Params:
    values: dict[str, list[Any]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, []).append(value)
    values.update({k: [v] for k, v in request.path_params.items() if k != "suffix"})
    content_type = http.media_type(request.headers)
    if with_body:
        body = await http.read_body(request)
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
            except (ValueError, RecursionError, ElementTree.ParseError) as exc:
                raise errors.InvalidArguments(
                    f"Unexpected character encountered while parsing value: {str(exc)[:60]}") from None
            for key, found in body_values.items():
                values.setdefault(key, []).extend(found)
    return Params(values)


def wants_xml(request: Request) -> bool:
    """An ``.xml``/``.tml`` path whose request is not ``application/json``."""
    return request.url.path.endswith((".xml", ".tml")) and not request.headers.get(
        "content-type", "").lower().startswith("application/json")


def json_text(body: Any) -> str:
    """Json.NET with the portal's string converter: ``/`` written as ``\\/``, non-ASCII raw."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")


def _xml_value(parent: ElementTree.Element, name: str, value: Any) -> None:
    if isinstance(value, list):                 # no wrapper: one sibling per item; [] leaves nothing
        for item in value:
            _xml_value(parent, name, item)
        return
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def xml_text(body: dict[str, Any]) -> str:
    """``XmlNodeConverter`` on ``{"result": body}``: no declaration, no indentation."""
    root = ElementTree.Element("result")
    for key, value in body.items():
        _xml_value(root, key, value)
    return ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)


_etags = itertools.count(int.from_bytes(secrets.token_bytes(6), "big") << 16)   # a new tag for every answer


def response(body: dict[str, Any], status: int, as_xml: bool, extra: Mapping[str, str] = {}) -> Response:
    """Json.NET's JSON, or the XML of ``XmlNodeConverter``, with the headers the server sends."""
    headers = {"ETag": f"{next(_etags):016x}", "Cache-Control": "private, max-age=0", **extra}
    if as_xml:
        return Response(xml_text(body).encode("utf-8"), status, headers=headers,
                        media_type="text/xml; charset=UTF-8")
    return Response(json_text(body).encode("utf-8"), status, headers=headers,
                    media_type="application/json; charset=UTF-8")


def unauthorized(exc: errors.Unauthorized, host: str) -> Response:
    headers = {"WWW-Authenticate": f'Basic Realm="{host}"'} if exc.header_sent else {}
    return Response(b"Unauthorized", 401, headers=headers, media_type="text/html")


class Wire(RouteWire):
    internal_error = errors.InternalServerError

    async def call(self, exchange: Exchange, contracts: Contracts) -> Call:
        request, op, state = exchange.request, exchange.op, exchange.state
        assert op is not None
        user, refused = None, None
        if not op.meta.get("anonymous"):
            try:
                user = authenticate(state, request)
            except errors.Unauthorized as exc:
                if not op.meta.get("optional_auth"):
                    raise
                refused = exc
        params = await read_params(request, op.meta.get("reads_body", True))
        call = Call(state, http.Inbound(request), op, contracts, params, user, wants_xml(request), refused=refused)
        problem = call.breach(params.values)
        if problem:
            raise errors.InvalidArguments(problem.replace("data.", "", 1))
        call.start_index = max(params.integer("startIndex"), 0)
        return call

    def users(self, call: Call) -> Collection[str]:
        return {call.user.id, call.user.user_name, call.user.email} if call.user else ()

    def render(self, call: Call, result: Any) -> Response:
        if isinstance(result, render.ChunkAnswer):        # the chunked uploader's own JSON (Json.NET, plain)
            return Response(json.dumps(result.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                            result.status, media_type="application/json")
        status = call.op.status
        return response(render.envelope(result, status, call.start_index, call.total), status, call.as_xml)

    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        if isinstance(exc, errors.Unauthorized):
            return unauthorized(exc, exchange.request.url.hostname or "")
        if not isinstance(exc, errors.OnlyofficeError):
            exc = errors.InternalServerError(exc.message)
        if exchange.op is not None and exchange.op.meta.get("bare_errors"):
            return Response(exc.handler_body, exc.status, headers=dict(exc.headers),
                            media_type="text/html" if exc.handler_body else None)
        start_index = exchange.call.start_index if exchange.call else 0
        return response(render.error_envelope(exc, start_index), exc.status, wants_xml(exchange.request), exc.headers)

    def route_miss(self, request: Request, status: int) -> Response | None:
        """A route's path with a method it has no API method for: 404 "Method not found" in the envelope. A path
        no route matches (a non-numeric id) keeps the portal's plain not-found page."""
        if status != 405:
            return None
        exc = errors.MethodNotFound()
        return response(render.error_envelope(exc), exc.status, wants_xml(request))


WIRE = Wire()
