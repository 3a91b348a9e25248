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
    assert store.read(blob) == data and store.path(blob.key).read_bytes() == data
    other = store.put(b"other")
    assert other.key != blob.key
    store.delete(blob.key)
    assert store.read(blob) is None and store.open(blob) is None and store.read(other) == b"other"


def test_an_open_blob_keeps_its_bytes_through_delete_and_clear(tmp_path):
    store = BlobStore(tmp_path / "blobs")
    blob = store.put(b"a" * 300_000)
    first, second = store.open(blob), store.open(blob)
    assert first is not None and second is not None
    store.delete(blob.key)
    assert first.read() == b"a" * 300_000
    store.clear()
    assert second.read() == b"a" * 300_000
    first.close(), second.close()


def test_a_retired_view_keeps_nothing_it_writes(tmp_path):
    """An upload in flight when its vendor is reset: its bytes outlive neither the request nor the reset."""
    store = BlobStore(tmp_path / "blobs")
    view = store.scoped("toggl")
    before = view.open_writer()
    view.retire()
    store.clear()
    before.write(b"late")
    after = view.open_writer()
    after.write(b"later")
    assert before.commit().size == 4 and after.commit().size == 5
    assert list(store.root.iterdir()) == []


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
