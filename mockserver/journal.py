"""The journal: a bounded ring of the requests the server received, newest last, with what it answered.

Mock servers that keep every request grow until they run out of memory, so the ring keeps ``size`` entries
(0 switches recording off) and at most ``body_limit`` bytes of each body. ``JournalMiddleware`` records every
request except the admin API's own, with the vendor operations it ran (``operations``: one name, or the
sub-calls of a JSON-RPC or Bitrix24 batch) and, when the mock itself failed on it, the traceback (``crash``).
It also writes the access log: one line per request on the ``taskmock.access`` logger at level INFO.
"""

from __future__ import annotations

import base64
import itertools
import logging
import time
from collections import deque
from typing import Any, Callable

access_log = logging.getLogger("taskmock.access")
OPERATIONS = "taskmock.operations"      # what the pipeline leaves on the request's scope
CRASH = "taskmock.crash"
FAULTS = "taskmock.faults"              # the fault rules that acted on the request


# a journal entry: a plain tuple of these fields, made of bytes, strings, numbers and tuples of them. The cyclic
# collector stops tracking such tuples, so a full ring does not set off sweeps of the heap (kept as objects, it
# made a request cost up to 1.25x)
FIELDS = ("seq", "time", "vendor", "method", "path", "query", "operations", "crash", "faults", "status", "headers",
          "response_headers", "body", "body_size", "response_body", "response_size")
_VENDOR, _METHOD, _PATH, _OPERATIONS = (FIELDS.index(f) for f in ("vendor", "method", "path", "operations"))


class Journal:
    def __init__(self, size: int = 1000, body_limit: int = 64 * 1024):
        self.size = size
        self.body_limit = body_limit
        self._entries: deque[tuple] = deque(maxlen=max(size, 1))
        self._seq = itertools.count(1)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def add(self, capture: Capture, scope: dict[str, Any], vendor: str | None) -> None:
        """The entry of a request that is over: what ``capture`` took, and what the pipeline left on its scope."""
        if self.size:
            self._entries.append((
                next(self._seq), capture.time, vendor, scope["method"], scope["path"], scope["query_string"],
                tuple(scope.get(OPERATIONS, ())), scope.get(CRASH), tuple(scope.get(FAULTS, ())), capture.status,
                tuple(scope["headers"]), tuple(capture.response_headers), b"".join(capture.body), capture.body_size,
                b"".join(capture.response_body), capture.response_size))

    def clear(self, vendor: str | None = None) -> None:
        """Forget every entry, or those of one vendor."""
        if vendor is None:
            self._entries.clear()
        else:
            kept = [e for e in self._entries if e[_VENDOR] != vendor]
            self._entries.clear()
            self._entries.extend(kept)

    def entries(self, vendor: str | None = None, method: str | None = None, path: str | None = None,
                limit: int | None = None, operation: str | None = None) -> list[dict[str, Any]]:
        """Entries oldest first, as JSON-ready dicts; ``path`` matches as a prefix, ``method`` in any case,
        ``operation`` any of the entry's operations, in any case."""
        wanted = operation.lower() if operation is not None else None
        found = [e for e in self._entries
                 if (vendor is None or e[_VENDOR] == vendor)
                 and (method is None or e[_METHOD] == method.upper())
                 and (path is None or e[_PATH].startswith(path))
                 and (wanted is None or any(o.lower() == wanted for o in e[_OPERATIONS]))]
        if limit is not None:
            found = found[-limit:] if limit else []
        return [_render(e) for e in found]


def _pairs(raw: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _body_fields(prefix: str, data: bytes, size: int) -> dict[str, Any]:
    fields: dict[str, Any] = {f"{prefix}_size": size, f"{prefix}_truncated": size > len(data)}
    try:
        fields[prefix] = data.decode("utf-8")
        fields[f"{prefix}_encoding"] = "utf-8"
    except UnicodeDecodeError:
        fields[prefix] = base64.b64encode(data).decode("ascii")
        fields[f"{prefix}_encoding"] = "base64"
    return fields


def _keep(chunks: list[bytes], kept: int, chunk: bytes, limit: int) -> int:
    """Keep what fits of ``chunk`` under ``limit`` bytes (as it came, no copy, when it all fits); the new count."""
    room = limit - kept
    if len(chunk) <= room:
        if chunk:
            chunks.append(chunk)
        return kept + len(chunk)
    if room > 0:
        chunks.append(chunk[:room])
    return limit


class Capture:
    """What the journal takes of a request while it runs, through its own ``receive`` and ``send``: the status and
    headers answered, and the first ``limit`` bytes of each body (as they came, no copy)."""

    __slots__ = ("time", "limit", "status", "response_headers", "body", "body_kept", "body_size", "response_body",
                 "response_kept", "response_size", "_receive", "_send")

    def __init__(self, receive: Callable, send: Callable, limit: int):
        self.time = time.time()
        self.limit = limit
        self.status: int | None = None
        self.response_headers: Any = ()
        self.body: list[bytes] = []
        self.response_body: list[bytes] = []
        self.body_kept = self.body_size = self.response_kept = self.response_size = 0
        self._receive, self._send = receive, send

    async def receive(self) -> dict[str, Any]:
        message = await self._receive()
        chunk = message.get("body")
        if chunk:                                  # an http.request with bytes (a disconnect has none)
            self.body_size += len(chunk)
            self.body_kept = _keep(self.body, self.body_kept, chunk, self.limit)
        return message

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status, self.response_headers = message["status"], message["headers"]
        elif chunk := message.get("body"):
            self.response_size += len(chunk)
            self.response_kept = _keep(self.response_body, self.response_kept, chunk, self.limit)
        await self._send(message)


def _render(entry: tuple) -> dict[str, Any]:
    e = dict(zip(FIELDS, entry))
    return {"time": e["time"], "vendor": e["vendor"], "method": e["method"], "path": e["path"],
            "operations": list(e["operations"]), "crash": e["crash"], "faults": list(e["faults"]),
            "status": e["status"], "seq": e["seq"], "query": e["query"].decode("latin-1"),
            "headers": _pairs(e["headers"]), "response_headers": _pairs(e["response_headers"]),
            **_body_fields("body", e["body"], e["body_size"]),
            **_body_fields("response_body", e["response_body"], e["response_size"])}


class JournalMiddleware:
    def __init__(self, app, journal: Journal, vendor_of: Callable[[str], str | None]):
        self.app = app
        self.journal = journal
        self.vendor_of = vendor_of

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/__admin"):
            await self.app(scope, receive, send)
            return
        logged = access_log.isEnabledFor(logging.INFO)
        if not self.journal.size:
            if not logged:
                await self.app(scope, receive, send)
                return
            await self._log_only(scope, receive, send)
            return
        capture = Capture(receive, send, self.journal.body_limit)
        try:
            await self.app(scope, capture.receive, capture.send)
        finally:
            vendor = self.vendor_of(scope["path"])
            if logged:
                _access(scope, vendor, capture.status, capture.time)
            self.journal.add(capture, scope, vendor)

    async def _log_only(self, scope, receive, send):
        status: list[int] = []

        async def send_and_note(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        started = time.time()
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            _access(scope, self.vendor_of(scope["path"]), status[0] if status else None, started)


def _access(scope, vendor: str | None, status: int | None, started: float) -> None:
    """One access-log line: method, path, vendor, operations, status, milliseconds."""
    if access_log.isEnabledFor(logging.INFO):
        access_log.info("%s %s %s %s %s %.1f ms", scope["method"], scope["path"], vendor or "-",
                        ",".join(scope.get(OPERATIONS, ())) or "-", status if status is not None else "-",
                        (time.time() - started) * 1000)
