"""ONLYOFFICE on the wire: authentication (cookie, Basic, Bearer or a raw token), the API binder's parameters
(route values, query string and body, JSON, XML or a form, merged and looked up in any case), and the answer:
the response envelope in JSON or, for an ``.xml``/``.tml`` path whose request is not ``application/json``,
in XML; a 401 outside the envelope."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
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


class Params:
    """Route values, query string and body, merged and looked up by name in any case, as the API binder does."""

    def __init__(self, values: dict[str, list[Any]]):
        self.values: dict[str, list[Any]] = {}
        for key, found in values.items():
            self.values.setdefault(key.lower(), []).extend(found)

    def text(self, name: str, default: str | None = None) -> str | None:
        found = self.values.get(name.lower())
        return default if not found else str(found[-1])

    def integer(self, name: str) -> int:
        """A missing int binds to 0; one that does not convert is 400."""
        value = self.text(name)
        if value is None or value == "":
            return 0
        try:
            return int(value)
        except ValueError:
            raise errors.InvalidArguments(f"Cannot convert '{value}' to Int32 for parameter '{name}'.") from None

    def integers(self, name: str) -> list[int]:
        """``files`` as a JSON array, repeated ``files=``, ``files[]=`` or ``files[0]=``; missing is []."""
        raw: list[Any] = []
        lowered = name.lower()
        for key, values in self.values.items():
            if key in (lowered, lowered + "[]") or re.fullmatch(re.escape(lowered) + r"\[\d+\]", key):
                raw.extend(values)
        numbers = []
        for value in raw:
            try:
                numbers.append(int(value))
            except (TypeError, ValueError):
                raise errors.InvalidArguments(f"Cannot convert '{value}' to Int32 for parameter '{name}'.") from None
        return numbers

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
    user: User | None             # None only on the anonymous operation (authentication)
    as_xml: bool = False
    start_index: int = 0

    @property
    def me(self) -> User:
        """The authenticated caller."""
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
    return Params(values)


def wants_xml(request: Request) -> bool:
    """An ``.xml``/``.tml`` path whose request is not ``application/json``."""
    return request.url.path.endswith((".xml", ".tml")) and not request.headers.get(
        "content-type", "").lower().startswith("application/json")


class Wire(RouteWire):
    internal_error = errors.OnlyofficeError

    async def call(self, exchange: Exchange, contracts: Contracts) -> Call:
        request, op, state = exchange.request, exchange.op, exchange.state
        assert op is not None
        user = None if op.meta.get("anonymous") else authenticate(state, request)
        params = await read_params(request, op.meta.get("reads_body", True))
        call = Call(state, http.Inbound(request), op, contracts, params, user, wants_xml(request))
        problem = call.breach(params.values)
        if problem:
            raise errors.InvalidArguments(problem.replace("data.", "", 1))
        call.start_index = max(params.integer("startIndex"), 0)
        return call

    def render(self, call: Call, result: Any) -> Response:
        status = call.op.status
        return render.response(render.envelope(result, status, call.start_index), status, call.as_xml)

    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        if isinstance(exc, errors.Unauthorized):
            return render.unauthorized(exc, exchange.state.host)
        if not isinstance(exc, errors.OnlyofficeError):
            exc = errors.OnlyofficeError(exc.message)
        start_index = exchange.call.start_index if exchange.call else 0
        return render.response(render.error_envelope(exc, start_index), exc.status, wants_xml(exchange.request))

    def route_miss(self, request: Request, status: int) -> Response | None:
        """A route's path with a method it has no API method for: 404 "Method not found" in the envelope. A path
        no route matches (a non-numeric id) keeps the portal's plain not-found page."""
        if status != 405:
            return None
        exc = errors.MethodNotFound()
        return render.response(render.error_envelope(exc), exc.status, wants_xml(request))


WIRE = Wire()
