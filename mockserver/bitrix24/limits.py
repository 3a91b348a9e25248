"""Bitrix24's two rate limiters, each in constant time a request whatever the history: the leaky bucket of a
client (X requests, drained at Y a second: 503 ``QUERY_LIMIT_EXCEEDED``) and the operating time each method may
spend for one auth in a sliding 10-minute window (429 ``OPERATION_TIME_LIMIT``)."""

from __future__ import annotations

from collections import deque

WINDOW = 600.0


class LeakyBucket:
    def __init__(self) -> None:
        self.levels: dict[str, tuple[float, float]] = {}         # client -> (level, when)

    def take(self, client: str, now: float, size: float, drain: float) -> bool:
        """One request into the client's bucket; False when it would overflow."""
        level, when = self.levels.get(client, (0.0, now))
        level = max(0.0, level - (now - when) * drain)
        if level + 1 > size:
            self.levels[client] = (level, now)
            return False
        self.levels[client] = (level + 1, now)
        return True


class _Window:
    """The calls of the last 10 minutes, summed per whole second (at most 600 entries, however many calls)."""
    __slots__ = ("calls", "total")

    def __init__(self) -> None:
        self.calls: deque[list[float]] = deque()                  # [second, seconds spent in it], oldest first
        self.total = 0.0                                          # the seconds of the calls still in the window


class OperatingTime:
    def __init__(self) -> None:
        self.windows: dict[tuple[str, str], _Window] = {}        # (auth, method) -> its window

    def spent(self, key: tuple[str, str], now: float) -> tuple[float, float]:
        """(seconds spent in the window, when its oldest call drops out); old calls leave as they expire."""
        window = self.windows.get(key)
        if window is None:
            return 0.0, now + WINDOW
        calls = window.calls
        while calls and calls[0][0] <= now - WINDOW:
            window.total -= calls.popleft()[1]
        if not calls:
            window.total = 0.0
        return max(window.total, 0.0), (calls[0][0] if calls else now) + WINDOW

    def record(self, key: tuple[str, str], now: float, seconds: float) -> None:
        window = self.windows.setdefault(key, _Window())
        second = float(int(now))
        if window.calls and window.calls[-1][0] == second:
            window.calls[-1][1] += seconds
        else:
            window.calls.append([second, seconds])
        window.total += seconds
