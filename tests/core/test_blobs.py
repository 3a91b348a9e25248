"""The blob store keeps bytes on disk, streams them in and out, and cleans up after itself."""

from __future__ import annotations

import hashlib

from mockserver.blobs import BlobStore


def test_streamed_write_read_and_delete(tmp_path):
    store = BlobStore(tmp_path / "blobs")
    writer = store.open_writer()
    chunks = [bytes([i]) * 100_000 for i in range(5)]
    for chunk in chunks:
        writer.write(chunk)
    blob = writer.commit()
    data = b"".join(chunks)
    assert blob.size == len(data) and blob.sha256 == hashlib.sha256(data).hexdigest()
    assert store.read(blob.key) == data and store.path(blob.key).read_bytes() == data
    other = store.put(b"other")
    assert other.key != blob.key
    store.delete(blob.key)
    assert not store.exists(blob.key) and store.read(other.key) == b"other"


def test_discard_and_clear(tmp_path):
    store = BlobStore(tmp_path / "blobs")
    writer = store.open_writer()
    writer.write(b"half")
    writer.discard()
    assert not any(store.root.iterdir())
    store.put(b"x")
    store.clear()
    assert not any(store.root.iterdir())


def test_an_own_temp_directory_is_removed_on_close():
    store = BlobStore()
    store.put(b"x")
    root = store.root
    store.close()
    assert not root.exists()
