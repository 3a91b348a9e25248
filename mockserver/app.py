"""The app factory: one Starlette app answering every selected vendor on its own natural paths."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from mockserver import admin
from mockserver.blobs import BlobStore
from mockserver.contracts import Contracts
from mockserver.journal import Journal, JournalMiddleware
from mockserver.settings import Settings
from mockserver.store import StateStore
from mockserver import vendors as vendor_registry


@dataclass
class Runtime:
    """Everything a handler may reach: ``runtime(request)`` returns it."""
    settings: Settings
    vendors: list
    blobs: BlobStore
    contracts: Contracts
    journal: Journal
    store: StateStore

    def reset(self) -> None:
        self.store.reset()
        self.journal.clear()

    def vendor_of(self, path: str) -> str | None:
        for vendor in self.vendors:
            if path.startswith(vendor.prefixes):
                return vendor.name
        return None


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    vendors = vendor_registry.load(settings.vendors)
    blobs = BlobStore(settings.blob_dir)
    contracts = Contracts([v.name for v in vendors])
    rt = Runtime(
        settings=settings,
        vendors=vendors,
        blobs=blobs,
        contracts=contracts,
        journal=Journal(settings.journal_size, settings.journal_body_limit),
        store=StateStore(vendors, settings, blobs, contracts),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            blobs.close()

    routes = []
    for vendor in vendors:
        routes.extend(vendor.routes(contracts))
    routes.extend(admin.routes())
    async def route_miss(request: Request, exc: HTTPException):
        """A path or method no route takes: the vendor of that path answers, if it has its own way."""
        vendor = next((v for v in vendors if v.name == rt.vendor_of(request.url.path)), None)
        answer = vendor.route_miss(request, exc.status_code) if vendor and vendor.route_miss else None
        return answer or PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: route_miss, 405: route_miss})
    app.state.runtime = rt
    app.add_middleware(JournalMiddleware, journal=rt.journal, vendor_of=rt.vendor_of)
    return app
