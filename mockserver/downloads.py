"""Serving stored bytes: the one result type of every download (``Download``), and the streamed file response
made of it, with a Content-Disposition that survives any filename (RFC 6266: an ASCII ``filename`` plus
``filename*`` in UTF-8)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from starlette.responses import FileResponse

from mockserver.blobs import Blob, BlobStore


@dataclass(frozen=True)
class Download:
    """What a handler returns to answer with stored bytes."""
    blob: Blob
    name: str
    media_type: str = "application/octet-stream"
    inline: bool = False


def content_disposition(kind: str, filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace('"', "").replace("?", "_")
    value = f'{kind}; filename="{ascii_name}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def file_response(blobs: BlobStore, download: Download) -> FileResponse:
    # the stored type as it is: passed as a header, Starlette adds no charset to it
    kind = "inline" if download.inline else "attachment"
    return FileResponse(blobs.path(download.blob.key),
                        headers={"Content-Type": download.media_type,
                                 "Content-Disposition": content_disposition(kind, download.name)})
