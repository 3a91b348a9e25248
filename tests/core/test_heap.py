"""The command-line server keeps its long-lived objects out of the cyclic collector's sweeps, and a reset gives
them back (bench/growth.py measures what it saves)."""

from __future__ import annotations

import gc

from mockserver.server import keep_the_heap_still


class Loop:
    def __init__(self):
        self.later = []

    def call_later(self, delay, callback, *args):
        self.later.append((delay, callback, args))


def test_a_sweep_freezes_what_survives_and_comes_again_and_a_reset_unfreezes(taskmock_asgi):
    loop = Loop()
    try:
        keep_the_heap_still(loop, every=5)
        assert gc.get_freeze_count() > 0
        assert loop.later == [(5, keep_the_heap_still, (loop, 5))]
        taskmock_asgi.post("/__admin/reset", json={})
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_journal_entries_leave_the_collectors_view(taskmock_asgi):
    """A full journal ring must not lengthen every sweep of the heap: once collections have seen them, its
    entries are no longer tracked (plain tuples of bytes, strings and numbers; a pass untracks one level of
    their nesting)."""
    taskmock_asgi.post("/jsonrpc.php", json={"jsonrpc": "2.0", "method": "getVersion", "id": 1},
                       auth=("jsonrpc", "kanboard-app-token"))
    taskmock_asgi.get("/api/2.0/people/@self", auth=("member", "member-password"))
    for _ in range(3):
        gc.collect()
    entries = list(taskmock_asgi.app.state.runtime.journal._entries)
    assert len(entries) == 2
    assert not any(gc.is_tracked(entry) for entry in entries)
    assert taskmock_asgi.requests(vendor="kanboard")[0]["operations"] == ["getVersion"]
