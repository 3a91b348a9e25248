"""Streaming ``multipart/form-data``: file parts go straight from the socket into the blob store, chunk by
chunk, so an upload is never held whole in memory; plain fields are kept (each up to ``max_field_size``).

``parse_form`` returns a ``Form``; on any error every blob it wrote is discarded and ``MultipartError`` is raised,
which each vendor turns into its own 400. A vendor that rejects the form afterwards calls ``form.discard()``.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from typing import AsyncIterator, Mapping, Protocol, Sequence

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from mockserver.blobs import Blob, BlobStore, BlobWriter


class MultipartError(ValueError):
    """The body is not a well-formed multipart form, or breaks a limit."""


@dataclass
class FilePart:
    field: str
    filename: str
    content_type: str          # the part's own Content-Type, else guessed from the filename
    blob: Blob


@dataclass
class Form:
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[FilePart] = field(default_factory=list)
    blobs: BlobStore | None = None

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.fields if k == name), default)

    def files_named(self, name: str) -> list[FilePart]:
        return [f for f in self.files if f.field == name]

    def discard(self, keep: Sequence[FilePart] = ()) -> None:
        """Drop the stored bytes of every file part but those in ``keep``."""
        kept = {id(f) for f in keep}
        for part in self.files:
            if id(part) not in kept and self.blobs is not None:
                self.blobs.delete(part.blob.key)


class Body(Protocol):
    """Where a form comes from: a request's headers and its body as a stream."""
    @property
    def headers(self) -> Mapping[str, str]: ...
    def stream(self) -> AsyncIterator[bytes]: ...


def is_multipart(headers: Mapping[str, str]) -> bool:
    return parse_options_header(headers.get("content-type"))[0] == b"multipart/form-data"


class _Part:
    def __init__(self):
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.data = bytearray()
        self.writer: BlobWriter | None = None


async def parse_form(request: Body, blobs: BlobStore, *, max_field_size: int = 1024 * 1024,
                     max_parts: int = 1000) -> Form:
    content_type, options = parse_options_header(request.headers.get("content-type"))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise MultipartError("the body is not multipart/form-data with a boundary")
    form = Form(blobs=blobs)
    writers: list[BlobWriter] = []
    state = {"part": None, "header_name": b"", "header_value": b"", "count": 0, "ended": False}

    def on_part_begin():
        state["count"] += 1
        if state["count"] > max_parts:
            raise MultipartError(f"more than {max_parts} parts")
        state["part"] = _Part()

    def on_header_field(data, start, end):
        state["header_name"] += data[start:end]

    def on_header_value(data, start, end):
        state["header_value"] += data[start:end]

    def on_header_end():
        state["part"].headers[state["header_name"].lower()] = state["header_value"]
        state["header_name"] = state["header_value"] = b""

    def on_headers_finished():
        part: _Part = state["part"]
        disposition, params = parse_options_header(part.headers.get(b"content-disposition"))
        if disposition != b"form-data" or b"name" not in params:
            raise MultipartError("a part without Content-Disposition: form-data; name=...")
        part.name = params[b"name"].decode("utf-8", "replace")
        if b"filename" in params:
            part.filename = params[b"filename"].decode("utf-8", "replace")
            part.writer = blobs.open_writer()
            writers.append(part.writer)

    def on_part_data(data, start, end):
        part: _Part = state["part"]
        if part.writer is not None:
            part.writer.write(data[start:end])
        else:
            part.data += data[start:end]
            if len(part.data) > max_field_size:
                raise MultipartError(f"field {part.name!r} is over {max_field_size} bytes")

    def on_part_end():
        part: _Part = state["part"]
        if part.writer is None:
            form.fields.append((part.name, part.data.decode("utf-8", "replace")))
            return
        declared = part.headers.get(b"content-type", b"").decode("latin-1").strip()
        guessed = mimetypes.guess_type(part.filename or "")[0]
        form.files.append(FilePart(part.name, part.filename or "", declared or guessed or "application/octet-stream",
                                   part.writer.commit()))

    def on_end():
        state["ended"] = True

    parser = MultipartParser(options[b"boundary"], {
        "on_end": on_end,
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    })
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        if state["count"] == 0:
            raise MultipartError("an empty multipart body")
        if not state["ended"]:
            raise MultipartError("the body ends before the closing boundary")
    except (MultipartError, MultipartParseError, ValueError) as exc:
        for writer in writers:
            writer.discard()
        raise MultipartError(str(exc)) from None
    except BaseException:
        for writer in writers:
            writer.discard()
        raise
    return form
