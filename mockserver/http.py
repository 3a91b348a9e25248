"""The request as a handler sees it (``Inbound``: no web framework in sight), and the small pieces of HTTP that
several vendors parse alike: Bearer and Basic credentials, the media type, a body read up to a limit.

Two ceilings bound every body (``BodyLimits``, on every request): no body at all past ``max_upload`` bytes
(uploads stream to disk, so this bounds the disk, not the memory), and no body read whole (JSON, forms, the
plain fields of a multipart form) past ``max_body``, which bounds the memory. Either raises ``BodyTooLarge``
while the body streams, before more is read; the pipeline answers it as the vendor's wire says
(``too_large``)."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping

from starlette.requests import ClientDisconnect

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams
    from starlette.requests import Request
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024 * 1024              # a body read whole, by default
MAX_UPLOAD = 2 * 1024 * 1024 * 1024      # any body, by default: Bitrix24's cloud takes POST bodies up to 2 GB
_MAX_BODY = "taskmock.max_body"          # the scope key where BodyLimits leaves the ceiling of a whole body

# what an nginx in front of a vendor answers past its client_max_body_size
NGINX_413 = (b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
             b"<center><h1>413 Request Entity Too Large</h1></center>\r\n"
             b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


class BodyTooLarge(Exception):
    """A body is longer than the limit it was read with; the vendor's wire answers its own error."""


class BodyLimits:
    """ASGI middleware: a request body past ``max_upload`` bytes (declared, or as it streams) raises
    ``BodyTooLarge`` from ``receive``, in the handler that reads it; ``max_body`` is left in the scope for
    ``read_body`` and ``max_body()``."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY, max_upload: int = MAX_UPLOAD) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[_MAX_BODY] = self.max_body
        limit = self.max_upload
        seen = -1                                  # -1: the declared length is not checked yet

        async def limited() -> Message:
            nonlocal seen
            if seen < 0:
                seen = 0
                declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
                if declared.isdigit() and int(declared) > limit:
                    raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)


def max_body(request: Request | Inbound) -> int:
    """The ceiling of a body read whole, for this request."""
    scope = request._request.scope if isinstance(request, Inbound) else request.scope
    return scope.get(_MAX_BODY, MAX_BODY)


class Inbound:
    """What a handler may read of its request: path parameters, query, headers, its own base URL and the body,
    as a stream or whole."""

    __slots__ = ("_base_url", "_request")

    def __init__(self, request: Request) -> None:
        self._request = request
        self._base_url: str | None = None

    @property
    def path_params(self) -> Mapping[str, Any]:
        return self._request.path_params

    @property
    def query(self) -> QueryParams:
        return self._request.query_params

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    @property
    def base_url(self) -> str:
        """``scheme://host[:port]`` as the client called it (worked out once: a list renders it per record)."""
        if self._base_url is None:
            url = self._request.url
            self._base_url = f"{url.scheme}://{url.netloc}"
        return self._base_url

    def stream(self) -> AsyncIterator[bytes]:
        return self._request.stream()

    async def body(self, limit: int | None = None) -> bytes:
        return await read_body(self._request, limit)


def ascii_digits(text: str) -> bool:
    """One or more ASCII digits and nothing else: the only digits the vendors' servers read in an id (Python's
    ``isdigit`` and ``int`` also take superscripts, Arabic-Indic and other Unicode digits)."""
    return text.isascii() and text.isdigit()


def bearer(header: str | None) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (scheme in any case), else None."""
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def basic(header: str | None, strict: bool = True) -> tuple[str, str] | None:
    """``(user, password)`` of ``Authorization: Basic <base64>``, else None. ``strict``: the base64 must be
    canonical; otherwise characters outside the alphabet are skipped, as PHP's ``base64_decode`` does."""
    if not header or header[:6].lower() != "basic ":
        return None
    return basic_pair(header[6:], strict)


def basic_pair(value: str, strict: bool = True) -> tuple[str, str] | None:
    """``user:password`` from its base64 form; None when it does not decode or has no colon."""
    try:
        raw = base64.b64decode(value.strip(), validate=strict)
        decoded = raw.decode("utf-8") if strict else raw.decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def media_type(headers: Mapping[str, str]) -> str:
    """The Content-Type without its parameters, lower case: ``application/json``."""
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def read_body(request: Request, limit: int | None = None) -> bytes:
    """The whole body; past ``limit`` bytes (default: the server's ceiling of a body read whole), declared or
    streamed, ``BodyTooLarge``, before more is read."""
    limit = min(limit, max_body(request)) if limit is not None else max_body(request)
    declared = request.headers.get("content-length", "")
    if ascii_digits(declared) and int(declared) > limit:
        raise BodyTooLarge()
    if hasattr(request, "_body"):                  # read before, whole
        if len(request._body) > limit:
            raise BodyTooLarge()
        return request._body
    # the ASGI messages read here directly (Starlette's stream is an async generator: a few µs a request)
    chunks, size, more = [], 0, True
    while more:
        message = await request.receive()
        if message["type"] != "http.request":
            raise ClientDisconnect()
        chunk, more = message.get("body", b""), message.get("more_body", False)
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
    request._stream_consumed = True
    request._body = body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return body
