"""The tokens a vendor issues while it runs (logins, OAuth pairs) are kept in a dict bounded to the newest
``MAX_TOKENS``: a client that logs in before every call, for hours, costs the server nothing that grows. The
oldest go first, as if they had expired; no test suite holds that many at once."""

from __future__ import annotations

from typing import Any, TypeVar

K = TypeVar("K")
MAX_TOKENS = 10_000


def remember(table: dict[K, Any], key: K, value: Any, limit: int = MAX_TOKENS) -> None:
    """``table[key] = value``, dropping the oldest entries past ``limit`` (a dict keeps insertion order)."""
    table[key] = value
    while len(table) > limit:
        del table[next(iter(table))]
