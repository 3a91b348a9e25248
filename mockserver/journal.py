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


class Journal:
    def __init__(self, size: int = 1000, body_limit: int = 64 * 1024):
        self.size = size
        self.body_limit = body_limit
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(size, 1))
        self._seq = itertools.count(1)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def add(self, entry: dict[str, Any]) -> None:
        if self.enabled:
            entry["seq"] = next(self._seq)
            self._entries.append(entry)

    def clear(self, vendor: str | None = None) -> None:
        """Forget every entry, or those of one vendor."""
        if vendor is None:
            self._entries.clear()
        else:
            kept = [e for e in self._entries if e["vendor"] != vendor]
            self._entries.clear()
            self._entries.extend(kept)

    def entries(self, vendor: str | None = None, method: str | None = None, path: str | None = None,
                limit: int | None = None, operation: str | None = None) -> list[dict[str, Any]]:
        """Entries oldest first, as JSON-ready dicts; ``path`` matches as a prefix, ``method`` in any case,
        ``operation`` any of the entry's operations, in any case."""
        wanted = operation.lower() if operation is not None else None
        found = [e for e in self._entries
                 if (vendor is None or e["vendor"] == vendor)
                 and (method is None or e["method"] == method.upper())
                 and (path is None or e["path"].startswith(path))
                 and (wanted is None or any(o.lower() == wanted for o in e["operations"]))]
        if limit is not None:
            found = found[-limit:] if limit else []
        return [_render(e) for e in found]


def _pairs(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _body_fields(prefix: str, capture: "_Capture") -> dict[str, Any]:
    data = b"".join(capture.chunks)
    fields: dict[str, Any] = {f"{prefix}_size": capture.size, f"{prefix}_truncated": capture.size > len(data)}
    try:
        fields[prefix] = data.decode("utf-8")
        fields[f"{prefix}_encoding"] = "utf-8"
    except UnicodeDecodeError:
        fields[prefix] = base64.b64encode(data).decode("ascii")
        fields[f"{prefix}_encoding"] = "base64"
    return fields


def _render(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry is kept raw (bytes, captures) and decoded only when someone reads the journal."""
    out = {k: v for k, v in entry.items() if not k.startswith("_")}
    out["query"] = entry["_query"].decode("latin-1")
    out["headers"] = _pairs(entry["_headers"])
    out["response_headers"] = _pairs(entry["_response_headers"])
    out.update(_body_fields("body", entry["_body"]))
    out.update(_body_fields("response_body", entry["_response_body"]))
    return out


class _Capture:
    """Keeps the first ``limit`` bytes of a body that streams past, and counts the rest."""

    __slots__ = ("chunks", "kept", "size", "limit")

    def __init__(self, limit: int):
        self.chunks: list[bytes] = []
        self.kept = 0
        self.size = 0
        self.limit = limit

    def add(self, chunk: bytes) -> None:
        size = len(chunk)
        self.size += size
        room = self.limit - self.kept
        if size <= room:                     # the usual case: kept as it came, no copy
            if size:
                self.chunks.append(chunk)
                self.kept += size
        elif room > 0:
            self.chunks.append(chunk[:room])
            self.kept = self.limit


class JournalMiddleware:
    def __init__(self, app, journal: Journal, vendor_of: Callable[[str], str | None]):
        self.app = app
        self.journal = journal
        self.vendor_of = vendor_of

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/__admin"):
            await self.app(scope, receive, send)
            return
        if not self.journal.enabled:
            if not access_log.isEnabledFor(logging.INFO):
                await self.app(scope, receive, send)
                return
            await self._log_only(scope, receive, send)
            return
        limit = self.journal.body_limit
        request_body, response_body = _Capture(limit), _Capture(limit)
        response: dict[str, Any] = {"status": None, "headers": ()}

        async def receive_and_record():
            message = await receive()
            if message["type"] == "http.request":
                request_body.add(message.get("body", b""))
            return message

        async def send_and_record(message):
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                response["headers"] = message["headers"]
            elif message["type"] == "http.response.body":
                response_body.add(message.get("body", b""))
            await send(message)

        started = time.time()
        try:
            await self.app(scope, receive_and_record, send_and_record)
        finally:
            vendor = self.vendor_of(scope["path"])
            if access_log.isEnabledFor(logging.INFO):
                _access(scope, vendor, response["status"], started)
            self.journal.add({
                "time": started,
                "vendor": vendor,
                "method": scope["method"],
                "path": scope["path"],
                "_query": scope["query_string"],
                "operations": scope.get(OPERATIONS, []),
                "crash": scope.get(CRASH),
                "faults": scope.get(FAULTS, []),
                "status": response["status"],
                "_headers": scope["headers"],
                "_response_headers": response["headers"],
                "_body": request_body,
                "_response_body": response_body,
            })

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
