"""The registry of vendors, and the shape each vendor sub-package exports as ``VENDOR``.

Vendor packages are imported only when selected, so a server started with ``--vendor kanboard`` loads nothing
of the others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from starlette.routing import BaseRoute

from mockserver.blobs import BlobStore
from mockserver.contracts import Contracts
from mockserver.fixtures import Fake

# name -> module; the order is the order of the admin API's listings.
REGISTRY: dict[str, str] = {
    "kanboard": "mockserver.kanboard",
    "bitrix24": "mockserver.bitrix24",
    "toggl": "mockserver.toggl",
    "projectcor": "mockserver.projectcor",
    "onlyoffice": "mockserver.onlyoffice",
}


class VendorState(Protocol):
    def snapshot(self) -> dict[str, Any]: ...          # what GET /__admin/state shows
    def credentials(self) -> dict[str, Any]: ...       # what the pytest fixtures hand a test


@dataclass(frozen=True)
class VendorContext:
    """What a vendor's state is built with."""
    fixture: dict[str, Any]
    fake: Fake
    blobs: BlobStore
    options: dict[str, Any]


@dataclass(frozen=True)
class Vendor:
    name: str
    prefixes: tuple[str, ...]                            # URL path prefixes, for the journal's vendor field
    entry_path: str                                      # what a client's base URL points at, e.g. /jsonrpc.php
    routes: Callable[[Contracts], list[BaseRoute]]
    make_state: Callable[[VendorContext], VendorState]
    # how a request on the vendor's paths that no route takes is answered (404 no path, 405 no such method);
    # None, or a None answer, leaves Starlette's plain-text 404/405
    route_miss: Callable[[Any, int], Any] | None = None


def load(names: tuple[str, ...] | list[str] = ()) -> list[Vendor]:
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown vendor {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    chosen = [n for n in REGISTRY if not names or n in names]
    return [importlib.import_module(REGISTRY[n]).VENDOR for n in chosen]
