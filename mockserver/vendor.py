"""What a vendor is: the registry of vendor sub-packages, the ``Vendor`` each exports as ``VENDOR``, its table of
``Operation`` rows, the ``Wire`` that speaks its dialect, the ``Call`` a handler gets, and ``VendorError``, the
base of every error a vendor answers.

Vendor packages are imported only when selected, so a server started with ``--vendor kanboard`` loads nothing
of the others; of a selected one, only its declaration (``Vendor``) until it is first used.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Generic, Mapping, Protocol, Sequence, TypeVar

from mockserver.blobs import BlobStore
from mockserver.clock import Clock
from mockserver.fixtures import Fake
from mockserver.ids import Ids

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from mockserver.contracts import Contracts
    from mockserver.http import Inbound
    from mockserver.options import Option

# name -> module; the order is the order of the admin API's listings.
REGISTRY: dict[str, str] = {
    "kanboard": "mockserver.kanboard",
    "bitrix24": "mockserver.bitrix24",
    "toggl": "mockserver.toggl",
    "projectcor": "mockserver.projectcor",
    "onlyoffice": "mockserver.onlyoffice",
}

# the modules every vendor package has, each with one role (tests/core/test_vendor_shape.py holds them to it)
MODULES = ("routes", "wire", "handlers", "render", "models", "errors")


class VendorError(Exception):
    """One answer of a vendor that is not a success: its HTTP status, its own error code, its text, and any
    headers it sends with it. Every vendor's errors subclass it; its wire renders it."""

    status: int = 500
    code: str | int = ""
    message: str = "Internal error"
    headers: Mapping[str, str] = {}

    def __init__(self, message: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(self.message if message is None else message)
        if message is not None:
            self.message = message
        if headers is not None:
            self.headers = headers


class VendorState(Protocol):
    blobs: BlobStore                                    # where its uploaded bytes live
    def snapshot(self) -> dict[str, Any]: ...          # what GET /__admin/state shows
    def credentials(self) -> dict[str, Any]: ...       # what the pytest fixtures hand a test


S = TypeVar("S", bound=VendorState)


@dataclass(frozen=True)
class VendorContext:
    """What a vendor's state is built with."""
    fixture: dict[str, Any]
    fake: Fake
    blobs: BlobStore
    options: dict[str, Any]            # the vendor's switches in force; a test may change them while it runs
    clock: Clock
    ids: Ids = field(default_factory=Ids)   # every id the vendor hands out after its fixtures goes through it


@dataclass(frozen=True)
class Operation:
    """One row of a vendor's operation table: the vendor's own name for it, how it is reached (an HTTP method and
    path, or only its name for an RPC vendor), its handler, its contracts, its success status and what else
    the vendor's wire needs to know of it (``meta``: scope, role, anonymous, ...).

    ``request`` names the contract its parameters keep, ``response`` the contract of its result (``name[]``: a
    list of them; None: the answer is no JSON, a download or an empty body). A name that is no contract stops
    the server at start."""

    name: str
    handler: Callable[..., Any]
    method: str | None = None
    path: str | None = None
    request: str | None = None
    response: str | None = None
    status: int = 200
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Call(Generic[S]):
    """What a handler of a route vendor gets: the vendor's state, the request as plain data, its operation.
    A vendor's own ``Call`` subclasses this one with who is calling."""

    state: S
    http: Inbound
    op: Operation
    contracts: Contracts

    def breach(self, instance: Any) -> str | None:
        """Why ``instance`` breaks the operation's request contract, or None."""
        return self.contracts.error(self.op.request, instance) if self.op.request else None


@dataclass
class Exchange:
    """One request to a vendor as the pipeline carries it: the operation once known, the call once made."""
    request: Request
    vendor: Vendor
    op: Operation | None = None
    call: Any = None

    @property
    def state(self) -> Any:
        return self.vendor.state(self.request)


class Wire(Protocol):
    """A vendor's dialect on the wire: its routes, how an error looks, and what answers a request on its paths
    that no route takes (None: the router's plain 404/405), and a body past a ceiling. ``internal_error`` is the
    vendor's own answer when the mock itself fails. A route vendor's wire is a ``pipeline.RouteWire``, which also
    turns a request into a handler's call and a result into the answer."""

    @property
    def internal_error(self) -> type[VendorError]: ...

    def routes(self, vendor: Vendor, contracts: Contracts) -> list[BaseRoute]: ...
    def error(self, exchange: Exchange, exc: VendorError) -> Response: ...
    def too_large(self, exchange: Exchange) -> Response: ...            # a body past a ceiling (mockserver.http)
    def route_miss(self, request: Request, status: int) -> Response | None: ...


@dataclass(frozen=True)
class Vendor:
    """A vendor as its package's ``__init__`` declares it: what the server needs at start. The rest is in the
    package's modules, imported on first use (the vendor's first request, or its state): ``routes.OPERATIONS``,
    ``wire.WIRE``, and ``models.STATE``, its state's class. A server ready in a fraction of a second pays
    nothing for the vendors a test does not call."""

    name: str
    prefixes: tuple[str, ...]                            # URL path prefixes, for the journal's vendor field
    entry_path: str                                      # what a client's base URL points at, e.g. /jsonrpc.php
    options: Sequence[Option] = ()                       # its switches, read live from VendorContext.options

    def _module(self, role: str) -> Any:
        return importlib.import_module(f"{REGISTRY[self.name]}.{role}")

    @functools.cached_property
    def operations(self) -> Sequence[Operation]:
        return self._module("routes").OPERATIONS

    @functools.cached_property
    def wire(self) -> Wire:
        return self._module("wire").WIRE

    @functools.cached_property
    def make_state(self) -> Callable[[VendorContext], Any]:
        return self._module("models").STATE

    @functools.cached_property
    def by_name(self) -> dict[str, Operation]:
        """Lower-case name -> row."""
        return {op.name.lower(): op for op in self.operations}

    def state(self, request: Request) -> Any:
        """This vendor's state in the app that serves ``request``."""
        return request.app.state.runtime.store[self.name]

    def operation(self, name: str) -> Operation | None:
        """The row of operation ``name``, in any case."""
        return self.by_name.get(name.lower())

    def contracts_named(self) -> list[str]:
        """Every contract the operation table names."""
        return [name for op in self.operations for name in (op.request, op.response) if name]


def unknown_vendor(name: str, served: list[str]) -> str:
    """One line for a vendor name that this server does not serve."""
    if name in REGISTRY:
        return f"vendor {name!r} is not served by this server (served: {', '.join(served)})"
    return f"unknown vendor {name!r}; known: {', '.join(REGISTRY)}"


def load(names: tuple[str, ...] | list[str] = ()) -> list[Vendor]:
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown vendor {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    chosen = [n for n in REGISTRY if not names or n in names]
    return [importlib.import_module(REGISTRY[n]).VENDOR for n in chosen]
