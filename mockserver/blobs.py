"""The blob store: uploaded bytes live in files under one temporary directory, never in Python memory for long.

Vendors keep a ``Blob`` (key, size, digests) in their models and ask the store for the bytes when a client
downloads them (``open``: the open file keeps them readable whatever happens to the blob afterwards). Writing is
streamed: ``open_writer`` returns a writer that takes chunks and hashes them on the way, so an upload is never
held whole. A blob is written once and never changed; each new version of a file is a new blob.

``clear`` empties the store (admin reset); a vendor's ``scoped`` view is ``retire``d by a reset first, so that
an upload still in flight on the world before the reset writes nothing that outlives it. ``close`` removes the
directory (shutdown).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from mockserver import tempdirs


@dataclass(frozen=True)
class Blob:
    key: str
    size: int
    sha256: str


class BlobWriter:
    """Takes the bytes of one blob chunk by chunk; ``commit`` makes it a ``Blob``, ``discard`` drops it.
    ``pause`` closes its file until the next chunk (a writer that waits for a client's next request holds no
    file descriptor meanwhile)."""

    def __init__(self, store: "BlobStore", key: str):
        self._store = store
        self.key = key
        self._file: BinaryIO | None = self._open("wb")
        self._sha256 = hashlib.sha256()
        self.size = 0

    def _open(self, mode: str) -> BinaryIO:
        file = cast(BinaryIO, open(self._store.path(self.key), mode))
        if self._store.retired:
            os.unlink(self._store.path(self.key))  # the bytes of a world that is gone: kept nowhere
        return file

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            self._file = self._open("ab")
        self._file.write(chunk)
        self._sha256.update(chunk)
        self.size += len(chunk)

    def pause(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def commit(self) -> Blob:
        self.pause()
        return Blob(self.key, self.size, self._sha256.hexdigest())

    def discard(self) -> None:
        self.pause()
        self._store.delete(self.key)


class BlobStore:
    def __init__(self, root: Path | None = None):
        self._own_root = root is None
        self.root = tempdirs.make("blobs") if root is None else Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._ids = itertools.count(1)
        self.prefix = ""
        self.retired = False

    def scoped(self, owner: str) -> "BlobStore":
        """The same store for one owner (a vendor): its keys start with the owner's name, so that ``clear`` can
        drop its bytes alone."""
        view = copy.copy(self)
        view._own_root = False
        view.prefix = f"{owner}-"
        return view

    def path(self, key: str) -> Path:
        return self.root / key

    def open_writer(self) -> BlobWriter:
        return BlobWriter(self, f"{self.prefix}b{next(self._ids):08d}")

    def put(self, data: bytes) -> Blob:
        writer = self.open_writer()
        writer.write(data)
        return writer.commit()

    def append(self, writer: BlobWriter, blob: Blob) -> bool:
        """Stream a stored blob's bytes onto ``writer`` (False: the blob is gone already)."""
        source = self.open(blob)
        if source is None:
            return False
        with source:
            while piece := source.read(1024 * 1024):
                writer.write(piece)
        return True

    def copy(self, blob: Blob) -> Blob | None:
        """A new blob with the same bytes, streamed (None: gone already)."""
        writer = self.open_writer()
        if not self.append(writer, blob):
            writer.discard()
            return None
        return writer.commit()

    def open(self, blob: Blob) -> BinaryIO | None:
        """The blob's bytes, open for reading (None: gone already). They stay readable through this file to
        the end, whatever is deleted or reset meanwhile."""
        try:
            return open(self.path(blob.key), "rb")
        except FileNotFoundError:
            return None

    def read(self, blob: Blob) -> bytes | None:
        """The blob's bytes whole (None: gone already); for vendors whose protocol holds them whole anyway."""
        file = self.open(blob)
        if file is None:
            return None
        with file:
            return file.read()

    def retire(self) -> None:
        """This view's world is reset: what its requests still in flight write is dropped as it is written."""
        self.retired = True

    def delete(self, key: str) -> None:
        try:
            os.unlink(self.path(key))
        except FileNotFoundError:
            pass

    def clear(self) -> None:
        """Drop every blob of this store (of this owner, for a scoped one)."""
        for entry in os.scandir(self.root):
            if entry.name.startswith(self.prefix):
                os.unlink(entry.path)

    def close(self) -> None:
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            self.clear()
