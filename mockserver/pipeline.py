"""One pipeline around every handler of every vendor.

A route vendor's request goes: the vendor's wire turns it into a call (params, auth, request contract), the
handler (no web framework in it) returns data or a ``Download``, the wire renders it, or renders the
``VendorError`` raised on the way. The dispatcher vendors (Kanboard's JSON-RPC, Bitrix24's ``/rest`` and
``batch``) run their own loop over the same operation table, inside the same ``answer``.

Every operation that runs is noted on the request (``note``), so the journal and the access log can name it. An
exception that is no ``VendorError`` is a bug of the mock, never a vendor's answer: it is logged with its
traceback, recorded on the journal entry and in the runtime's crash list (the pytest fixtures fail the test
that caused it), and answered as the vendor's own internal error.
"""

from __future__ import annotations

import inspect
import logging
import time
import traceback
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Collection

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mockserver.downloads import BlobResponse, Download
from mockserver.faults import RawAnswer
from mockserver.http import NGINX_413, BodyTooLarge
from mockserver.journal import CRASH, OPERATIONS
from mockserver.vendor import Exchange, Operation, Vendor, VendorError

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from mockserver.contracts import Contracts

log = logging.getLogger("taskmock")


def note(request: Request, name: str) -> None:
    """Record that this request ran operation ``name`` (once per sub-call of a batch)."""
    request.scope.setdefault(OPERATIONS, []).append(name)


def arrive(request: Request, vendor: Vendor, name: str, users: Callable[[], Collection[str]]) -> None:
    """Operation ``name`` is about to run for the caller that ``users()`` names: the fault rules of the server
    may act now (raise the vendor's error or a raw answer, or mark a latency or a drop)."""
    faults = request.app.state.runtime.faults
    if faults.rules:
        faults.apply(request, vendor.name, name, users())


def crashed(request: Request, vendor: Vendor) -> None:
    """The mock failed while serving ``request``: log it, keep it for the journal and for the test."""
    text = traceback.format_exc()
    operations = request.scope.get(OPERATIONS, [])
    log.error("taskmock %s %s crashed on %s %s\n%s", vendor.name, ",".join(operations) or "-",
              request.method, request.url.path, text.rstrip())
    request.scope[CRASH] = text
    request.app.state.runtime.crashes.append({
        "time": time.time(), "vendor": vendor.name, "operations": list(operations), "method": request.method,
        "path": request.url.path, "traceback": text})


async def answer(exchange: Exchange, work: Callable[[], Awaitable[Response]]) -> Response:
    """``work()``'s response; a ``VendorError`` rendered by the vendor's wire; a crash recorded, then rendered
    as the vendor's internal error."""
    wire = exchange.vendor.wire
    try:
        return await work()
    except RawAnswer as raw:
        return raw.response()
    except VendorError as exc:
        return wire.error(exchange, exc)
    except BodyTooLarge:
        return wire.too_large(exchange)
    except ClientDisconnect:
        return Response(status_code=499)           # the client is gone: nobody reads this, and nothing failed
    except Exception:
        crashed(exchange.request, exchange.vendor)
        return wire.error(exchange, wire.internal_error())


def serve(vendor: Vendor, op: Operation, contracts: Contracts) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of one operation of a route vendor."""
    wire = vendor.wire
    assert isinstance(wire, RouteWire), f"{vendor.name}: a route vendor's wire is a RouteWire"
    handler = op.handler
    is_async = inspect.iscoroutinefunction(handler)

    async def endpoint(request: Request) -> Response:
        request.scope[OPERATIONS] = [op.name]
        exchange = Exchange(request, vendor, op)

        async def work() -> Response:
            call = exchange.call = await wire.call(exchange, contracts)
            arrive(request, vendor, op.name, lambda: wire.users(call))
            result = await handler(call) if is_async else handler(call)
            return wire.reply(call, result)

        return await answer(exchange, work)
    return endpoint


class VendorRoute(Route):
    """Starlette's ``Route`` without its per-request wrapper of exception handlers: a vendor's endpoint answers
    every error itself (``answer``), so the request goes straight to it."""

    def __init__(self, path: str, endpoint: Callable[[Request], Awaitable[Response]], methods: list[str]):
        super().__init__(path, endpoint, methods=methods)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            response = await endpoint(Request(scope, receive, send))
            await response(scope, receive, send)
        self.app = app


def http_routes(vendor: Vendor, contracts: Contracts) -> list[BaseRoute]:
    """One route per operation, in table order (the first route that matches a path and method wins)."""
    return [VendorRoute(op.path, serve(vendor, op, contracts), methods=[op.method])
            for op in vendor.operations if op.path and op.method]


class RouteWire(ABC):
    """The part of a wire that every route vendor shares: its routes come from its table, one per row; a
    ``Download`` is the stored bytes, any other result is the vendor's ``render``; a request on its paths that
    no route takes is left to the router's plain 404/405."""

    def routes(self, vendor: Vendor, contracts: Contracts) -> list[BaseRoute]:
        return http_routes(vendor, contracts)

    def reply(self, call: Any, result: Any) -> Response:
        if isinstance(result, Download):
            return BlobResponse(result)
        return self.render(call, result)

    @abstractmethod
    async def call(self, exchange: Exchange, contracts: Contracts) -> Any:
        """The handler's call made of the request: params, who is calling, the request contract."""

    @abstractmethod
    def render(self, call: Any, result: Any) -> Response:
        """A handler's result as the vendor answers it."""

    @abstractmethod
    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        """A vendor error as the vendor answers it."""

    def users(self, call: Any) -> Collection[str]:
        """The caller as a fault rule's ``user`` may name him: ids, logins, e-mails."""
        return ()

    def too_large(self, exchange: Exchange) -> Response:
        """A body past a ceiling: by default what the nginx in front of the vendor answers."""
        return Response(NGINX_413, 413, media_type="text/html")

    def route_miss(self, request: Request, status: int) -> Response | None:
        return None
