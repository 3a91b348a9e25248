"""Serving stored bytes: the one result type of every download (``Download``), and the response made of it,
with a Content-Disposition that survives any filename (RFC 6266: an ASCII ``filename`` plus ``filename*`` in
UTF-8).

A ``Download`` holds its blob open from the moment the handler found it: whatever happens to the blob while the
bytes go out (a delete, a new version, a reset), the client gets the bytes the download started with, whole.
A blob already gone when the handler looks is the vendor's own not-found, before any byte is sent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mockserver.blobs import Blob, BlobStore

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Download:
    """What a handler returns to answer with stored bytes: the blob's file, open."""
    file: BinaryIO
    name: str
    media_type: str = "application/octet-stream"
    inline: bool = False


def open_download(blobs: BlobStore, blob: Blob, name: str, media_type: str = "application/octet-stream",
             inline: bool = False, *, missing: Exception) -> Download:
    """The bytes of ``blob`` as a ``Download``; ``missing`` is raised when they are gone already."""
    file = blobs.open(blob)
    if file is None:
        raise missing
    return Download(file, name, media_type, inline)


def content_disposition(kind: str, filename: str) -> str:
    """``kind; filename="..."`` with an ASCII fallback that holds no quote, backslash or control character,
    plus ``filename*`` (RFC 5987) whenever the name is not that fallback: a name with NUL, CR or LF in it can
    never split or break the header."""
    fallback = "".join(c if " " <= c < "\x7f" and c not in '"\\' else "_" for c in filename)
    value = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


class BlobResponse(Response):
    """The bytes of an open blob, streamed in chunks; the file is closed when the answer ends, however."""

    def __init__(self, item: Download) -> None:
        self.file = item.file
        self.size = os.fstat(item.file.fileno()).st_size
        self.status_code = 200
        kind = "inline" if item.inline else "attachment"
        # the stored type as it is: Starlette adds no charset to a header given this way
        self.init_headers({"Content-Type": item.media_type, "Content-Length": str(self.size),
                           "Content-Disposition": content_disposition(kind, item.name)})
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                return
            left = self.size
            while True:
                chunk = self.file.read(min(CHUNK, left))
                left -= len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": left > 0 and bool(chunk)})
                if left <= 0 or not chunk:
                    break
        finally:
            self.file.close()
