"""The ids a vendor hands out, and whether they go on counting after a reset.

A fresh vendor after a reset hands out the same ids again, as a freshly installed server would: a client that
kept an id from before the reset then reads another upload. ``keep_ids`` (``--keep-ids``, the
``taskmock_keep_ids`` ini option, or ``POST /__admin/reset?keep_ids=true``) makes a reset carry on counting
instead: each vendor's own rule still picks the id (``max + 1``, a counter), but never one at or below the
highest of that kind handed out before the reset. The fixtures keep their own ids either way.
"""

from __future__ import annotations


class Ids:
    def __init__(self) -> None:
        self.high: dict[str, int] = {}          # the highest id of each kind handed out by this world
        self.floor: dict[str, int] = {}         # the highest of each kind before the last reset, when kept

    def take(self, kind: str, candidate: int) -> int:
        """The id the vendor's rule gives (``candidate``), or the first above the floor of its kind."""
        floor = self.floor.get(kind, 0)
        if candidate <= floor:
            candidate = floor + 1
        if candidate > self.high.get(kind, 0):
            self.high[kind] = candidate
        return candidate

    def carried(self) -> dict[str, int]:
        """The floors the next world starts from, when ids are kept."""
        return {kind: max(self.high.get(kind, 0), self.floor.get(kind, 0)) for kind in {*self.high, *self.floor}}
