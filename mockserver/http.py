"""The request as a handler sees it (``Inbound``: no web framework in sight), and the small pieces of HTTP that
several vendors parse alike: Bearer and Basic credentials, the media type, a body read up to a limit."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams
    from starlette.requests import Request


class BodyTooLarge(Exception):
    """A body is longer than the limit it was read with; the vendor's wire answers its own error."""


class Inbound:
    """What a handler may read of its request: path parameters, query, headers, its own base URL and the body,
    as a stream or whole."""

    __slots__ = ("_request",)

    def __init__(self, request: Request) -> None:
        self._request = request

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
        """``scheme://host[:port]`` as the client called it."""
        url = self._request.url
        return f"{url.scheme}://{url.netloc}"

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
    """The whole body; past ``limit`` bytes (declared or streamed) ``BodyTooLarge``, before more is read."""
    if limit is None:
        return await request.body()
    declared = request.headers.get("content-length", "")
    if ascii_digits(declared) and int(declared) > limit:
        raise BodyTooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)
