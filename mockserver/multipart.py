"""Streaming ``multipart/form-data``: file parts go straight from the socket into the blob store, chunk by
chunk, so an upload is never held whole in memory; plain fields are kept, together up to the server's ceiling
of a body read whole (past it, ``BodyTooLarge``). A file part past ``max_file_size`` stops being written where
it crosses the limit and is listed in ``Form.oversize`` instead of ``files``: each vendor answers its own error.

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
from mockserver.http import BodyTooLarge, max_body


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
    oversize: list[tuple[str, str]] = field(default_factory=list)    # (field, filename) of parts past the limit
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
    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.data = bytearray()
        self.writer: BlobWriter | None = None
        self.size = 0
        self.oversize = False


class _FormBuilder:
    """The parser's callbacks: headers and plain fields into memory, file parts into blob writers."""

    def __init__(self, blobs: BlobStore, max_fields: int, max_parts: int, max_file_size: int | None) -> None:
        self.blobs = blobs
        self.max_fields = max_fields
        self.fields_size = 0
        self.max_parts = max_parts
        self.max_file_size = max_file_size
        self.form = Form(blobs=blobs)
        self.writers: list[BlobWriter] = []
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.count = 0
        self.ended = False

    def callbacks(self) -> dict[str, object]:
        return {"on_part_begin": self.on_part_begin, "on_header_field": self.on_header_field,
                "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
                "on_headers_finished": self.on_headers_finished, "on_part_data": self.on_part_data,
                "on_part_end": self.on_part_end, "on_end": self.on_end}

    def on_part_begin(self) -> None:
        self.count += 1
        if self.count > self.max_parts:
            raise MultipartError(f"more than {self.max_parts} parts")
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers[self.header_name.lower()] = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        part = self.part
        disposition, params = parse_options_header(part.headers.get(b"content-disposition"))
        if disposition != b"form-data" or b"name" not in params:
            raise MultipartError("a part without Content-Disposition: form-data; name=...")
        part.name = params[b"name"].decode("utf-8", "replace")
        if b"filename" in params:
            part.filename = params[b"filename"].decode("utf-8", "replace")
            part.writer = self.blobs.open_writer()
            self.writers.append(part.writer)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.part
        if part.filename is None:
            self.fields_size += end - start
            if self.fields_size > self.max_fields:
                raise BodyTooLarge()
            part.data += data[start:end]
            return
        part.size += end - start
        if part.writer is not None and self.max_file_size is not None and part.size > self.max_file_size:
            part.writer.discard()                  # past the vendor's limit: the rest of it goes nowhere
            self.writers.remove(part.writer)
            part.writer, part.oversize = None, True
        if part.writer is not None:
            part.writer.write(data[start:end])

    def on_part_end(self) -> None:
        part = self.part
        if part.oversize:
            self.form.oversize.append((part.name, part.filename or ""))
            return
        if part.writer is None:
            self.form.fields.append((part.name, part.data.decode("utf-8", "replace")))
            return
        declared = part.headers.get(b"content-type", b"").decode("latin-1").strip()
        guessed = mimetypes.guess_type(part.filename or "")[0]
        self.form.files.append(FilePart(part.name, part.filename or "",
                                        declared or guessed or "application/octet-stream", part.writer.commit()))

    def on_end(self) -> None:
        self.ended = True

    def discard(self) -> None:
        for writer in self.writers:
            writer.discard()


async def parse_form(request: Body, blobs: BlobStore, *, max_parts: int = 1000,
                     max_file_size: int | None = None) -> Form:
    content_type, options = parse_options_header(request.headers.get("content-type"))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise MultipartError("the body is not multipart/form-data with a boundary")
    builder = _FormBuilder(blobs, max_body(request), max_parts, max_file_size)  # type: ignore[arg-type]
    parser = MultipartParser(options[b"boundary"], builder.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        if builder.count == 0:
            raise MultipartError("an empty multipart body")
        if not builder.ended:
            raise MultipartError("the body ends before the closing boundary")
    except (MultipartError, MultipartParseError, ValueError) as exc:
        builder.discard()
        raise MultipartError(str(exc)) from None
    except BaseException:
        builder.discard()
        raise
    return builder.form
