"""Kanboard on the wire: one route, ``/jsonrpc.php``, any HTTP method, the body read whatever the Content-Type
(up to the 32 MiB of the nginx in front of Kanboard's Docker image), and the JSON-RPC server over the
operation table. An error that ends the exchange is its status, body and headers; PHP dies with a 500 and an
empty body."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from mockserver import http
from mockserver.contracts import Contracts
from mockserver.jsonrpc import HttpAbort, JsonRpcServer, Procedure, procedures_from
from mockserver.kanboard import handlers, render
from mockserver.kanboard.errors import PhpFatalError, RequestEntityTooLarge
from mockserver.kanboard.models import KanboardState
from mockserver.pipeline import VendorRoute, answer, arrive, note
from mockserver.vendor import Exchange, Vendor, VendorError

MAX_BODY = 32 * 1024 * 1024      # nginx client_max_body_size in Kanboard's Docker image
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_ANNOTATIONS = {"default", "description", "title"}


def _constrains(schema: dict[str, Any]) -> bool:
    return any(set(prop) - _ANNOTATIONS for prop in schema.get("properties", {}).values())


def build_server(vendor: Vendor, contracts: Contracts) -> JsonRpcServer:
    request_contract = contracts.check("kanboard/request")
    # only the params contracts that constrain a value need running; the others accept any JSON value
    constrained = {op.name: contracts.check(op.request) for op in vendor.operations
                   if op.request and _constrains(contracts.schema(op.request))}

    def check_args(proc: Procedure, args: list[Any]) -> None:
        """A value of a JSON type PHP cannot take there (an array blob, a non-array tags) is a TypeError."""
        check = constrained.get(proc.name)
        if check is not None and not check(dict(zip((p.name for p in proc.params), args))):
            raise PhpFatalError()

    return JsonRpcServer(
        procedures_from(vendor.operations, contracts.schema),
        decode=render.decode,
        encode=render.encode,
        is_valid_request=request_contract,
        authenticate=handlers.authenticate,
        before=handlers.before,
        check_args=check_args,
    )


class Wire:
    internal_error = PhpFatalError

    def routes(self, vendor: Vendor, contracts: Contracts) -> list[BaseRoute]:
        server = build_server(vendor, contracts)

        async def jsonrpc(request: Request) -> Response:
            exchange = Exchange(request, vendor)

            async def work() -> Response:
                state: KanboardState = exchange.state
                body = await http.read_body(request, MAX_BODY)
                custom = request.headers.get(state.auth_header) if state.auth_header else None
                credentials = handlers.Credentials(state, request.headers.get("authorization"), custom)
                def on_call(name: str, session: handlers.Session) -> None:
                    note(request, name)
                    user = session.user
                    arrive(request, vendor, name, lambda: {user.username, str(user.id)} if user else {"jsonrpc"})

                reply = server.handle(body, credentials, on_call)
                return Response(reply.body, reply.status, headers=reply.headers)

            return await answer(exchange, work)

        return [VendorRoute("/jsonrpc.php", jsonrpc, methods=METHODS)]

    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        if not isinstance(exc, HttpAbort):
            exc = PhpFatalError()
        return Response(exc.body, exc.status, headers=dict(exc.headers))

    def too_large(self, exchange: Exchange) -> Response:
        return self.error(exchange, RequestEntityTooLarge())

    def route_miss(self, request: Request, status: int) -> Response | None:
        return None


WIRE = Wire()
