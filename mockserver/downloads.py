"""Serving stored bytes: a streamed file response from the blob store, with a Content-Disposition that
survives any filename (RFC 6266: an ASCII ``filename`` plus ``filename*`` in UTF-8)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import FileResponse

from mockserver.blobs import Blob, BlobStore


def content_disposition(kind: str, filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace('"', "").replace("?", "_")
    value = f'{kind}; filename="{ascii_name}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def file_response(blobs: BlobStore, blob: Blob, media_type: str, filename: str, kind: str = "attachment"):
    # the stored type as it is: passed as a header, Starlette adds no charset to it
    return FileResponse(blobs.path(blob.key), headers={"Content-Type": media_type,
                                                        "Content-Disposition": content_disposition(kind, filename)})
