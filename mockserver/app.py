"""The app factory: one Starlette app answering every selected vendor on its own natural paths."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator

from starlette.applications import Starlette
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from mockserver import admin
from mockserver import vendor as vendor_registry
from mockserver.blobs import BlobStore
from mockserver.clock import Clock
from mockserver.contracts import Contracts
from mockserver.faults import FaultMiddleware, Faults
from mockserver.http import BodyLimits
from mockserver.journal import Journal, JournalMiddleware
from mockserver.settings import Settings
from mockserver.store import StateStore
from mockserver.vendor import Vendor


@dataclass
class Runtime:
    """Everything a handler may reach: ``runtime(request)`` returns it."""
    settings: Settings
    vendors: list[Vendor]
    blobs: BlobStore
    contracts: Contracts
    journal: Journal
    store: StateStore
    clock: Clock
    faults: Faults
    crashes: list[dict[str, Any]] = field(default_factory=list)   # the mock's own failures, since the last reset

    def reset(self, vendor: str | None = None, keep_ids: bool | None = None) -> None:
        """Everything back as the server started; for one vendor: its state, bytes, switches, fault rules and
        journal entries (the clock is every vendor's, and stays). ``keep_ids``: see ``mockserver.ids``."""
        self.store.reset(vendor, keep_ids)
        self.journal.clear(vendor)
        self.faults.clear(vendor)
        if vendor is None:
            self.crashes.clear()
            self.clock.reset()
        else:
            self.crashes[:] = [c for c in self.crashes if c["vendor"] != vendor]

    def vendor_for(self, path: str) -> Vendor | None:
        for vendor in self.vendors:
            if path.startswith(vendor.prefixes):
                return vendor
        return None

    def vendor_of(self, path: str) -> str | None:
        vendor = self.vendor_for(path)
        return vendor.name if vendor else None


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def check_tables(vendors: list[Vendor], contracts: Contracts) -> None:
    """Every contract an operation table names exists. The test-suite checks every vendor's; a table that names
    a missing one builds no routes, so each request to the vendor is a 500 that names the missing contracts in
    the server's log."""
    for vendor in vendors:
        missing = sorted({n for n in vendor.contracts_named() if n not in contracts})
        if missing:
            raise ValueError(f"{vendor.name}: the operation table names contracts that do not exist: "
                             f"{', '.join(missing)}")


class _Shape:
    """What a route's path template says of a path's segments before any regular expression runs: how many
    there are and the literal text each starts with. A path it does not admit cannot match the route, so the
    route's own match is skipped; a template with a ``path`` parameter (any number of segments) admits all."""

    __slots__ = ("count", "literals")

    def __init__(self, template: str | None):
        self.count: int | None = None
        self.literals: list[tuple[int, str, bool]] = []   # (segment, its literal start, the whole segment?)
        if template is None or ":path}" in template:
            return
        segments = template.split("/")
        self.count = len(segments)
        for i, segment in enumerate(segments):
            literal = segment.split("{", 1)[0]
            if literal:
                self.literals.append((i, literal, literal == segment))

    def admits(self, parts: list[str]) -> bool:
        if self.count is None:
            return True
        if len(parts) != self.count:
            return False
        for i, literal, whole in self.literals:
            if (parts[i] != literal) if whole else not parts[i].startswith(literal):
                return False
        return True


class VendorRoutes(BaseRoute):
    """A vendor's routes behind its path prefixes: a request for another vendor costs one ``startswith`` here,
    not a regular expression per route. The routes are built at the vendor's first request (importing its
    modules and checking its table against its contracts), so a vendor nobody calls costs nothing at start."""

    CHOSEN = "taskmock.route"
    ALLOW = "taskmock.allow"

    def __init__(self, vendor: Vendor, contracts: Contracts):
        self.prefixes = vendor.prefixes
        self._vendor = vendor
        self._contracts = contracts
        self._table: list[tuple[_Shape, BaseRoute]] | None = None
        self._by_count: dict[int, list[tuple[_Shape, BaseRoute]]] = {}

    @property
    def routes(self) -> list[BaseRoute]:
        return [route for _, route in self.table()]

    def table(self) -> list[tuple[_Shape, BaseRoute]]:
        """The vendor's routes, each with its shape; built on the first call."""
        if self._table is None:
            check_tables([self._vendor], self._contracts)
            self._table = [(_Shape(getattr(route, "path", None)), route)
                           for route in self._vendor.wire.routes(self._vendor, self._contracts)]
        return self._table

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """The first route that takes the path and method; else, when routes take the path alone, a 405 whose
        ``Allow`` names every method they take together (one route per operation, so a path has several)."""
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            return Match.NONE, {}
        partial: Scope | None = None
        allowed: set[str] = set()
        parts = scope["path"].split("/")
        for shape, route in self._candidates(len(parts)):
            if not shape.admits(parts):
                continue
            match, child = route.matches(scope)
            if match is Match.FULL:
                return match, {**child, self.CHOSEN: route}
            if match is Match.PARTIAL:
                partial = child if partial is None else partial
                allowed.update(getattr(route, "methods", None) or ())
        if partial is None:
            return Match.NONE, {}
        return Match.PARTIAL, {**partial, self.ALLOW: allowed}

    def _candidates(self, count: int) -> list[tuple[_Shape, BaseRoute]]:
        """The routes a path of ``count`` segments may match, in table order (kept per count: a handful)."""
        found = self._by_count.get(count)
        if found is None:
            found = [(shape, route) for shape, route in self.table() if shape.count in (None, count)]
            if count <= 32:                      # a path of hundreds of segments is not worth keeping
                self._by_count[count] = found
        return found

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.ALLOW in scope and self.CHOSEN not in scope:
            raise HTTPException(405, headers={"Allow": ", ".join(sorted(scope[self.ALLOW]))})
        await scope[self.CHOSEN].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)


_ROUTES: dict[tuple[str, Path], VendorRoutes] = {}


def _vendor_routes(vendor: Vendor, contracts: Contracts) -> VendorRoutes:
    """A vendor's routes depend on its table and its contracts' files alone, and hold no state of an app (they
    reach it through the request), so every app of a process shares them: a pytest session builds one per test."""
    key = (vendor.name, contracts.root)
    if key not in _ROUTES:
        _ROUTES[key] = VendorRoutes(vendor, contracts)
    return _ROUTES[key]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    vendors = vendor_registry.load(settings.vendors)
    contracts = Contracts([v.name for v in vendors])
    blobs = BlobStore(settings.blob_dir)
    clock = Clock()
    try:
        store = StateStore(vendors, settings, blobs, contracts, clock)
    except BaseException:
        blobs.close()                   # a start that fails leaves no directory behind
        raise
    rt = Runtime(
        settings=settings,
        vendors=vendors,
        blobs=blobs,
        contracts=contracts,
        journal=Journal(settings.journal_size, settings.journal_body_limit),
        store=store,
        clock=clock,
        faults=Faults(vendors, settings.seed),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            blobs.close()

    routes: list[BaseRoute] = [_vendor_routes(vendor, contracts) for vendor in vendors]
    routes.extend(admin.routes())

    async def route_miss(request: Request, exc: Exception) -> Response:
        """A path or method no route takes: the vendor of that path answers, if it has its own way."""
        assert isinstance(exc, HTTPException)
        vendor = rt.vendor_for(request.url.path)
        answer = vendor.wire.route_miss(request, exc.status_code) if vendor else None
        return answer or PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: route_miss, 405: route_miss})
    app.state.runtime = rt
    app.add_middleware(BodyLimits, max_body=settings.max_body, max_upload=settings.max_upload)
    app.add_middleware(JournalMiddleware, journal=rt.journal, vendor_of=rt.vendor_of)
    app.add_middleware(FaultMiddleware, faults=rt.faults)          # outermost: it holds the connection
    return app
