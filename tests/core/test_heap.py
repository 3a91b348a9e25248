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
