"""The server's one clock: real time plus an offset that a test moves forward (``POST /__admin/clock``,
``taskmock.advance``). Every vendor reads time from it: token lifetimes, rate-limit windows, quotas, signed
URLs, and the dates and ``time`` blocks of replies. A reset sets it back to real time."""

from __future__ import annotations

import time
from datetime import datetime, timezone


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        """Seconds since the epoch, as ``time.time()``."""
        return time.time() + self.offset

    def monotonic(self) -> float:
        """For intervals, as ``time.monotonic()``; moves with ``advance`` too."""
        return time.monotonic() + self.offset

    def now(self) -> datetime:
        """The current moment, UTC."""
        return datetime.fromtimestamp(self.time(), timezone.utc)

    def advance(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ValueError("the clock only moves forward: advance takes a number of seconds >= 0")
        self.offset += seconds

    def reset(self) -> None:
        self.offset = 0.0
