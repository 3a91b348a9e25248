"""Kanboard's one route: ``/jsonrpc.php``, any HTTP method, the body read whatever the Content-Type."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.contracts import Contracts
from mockserver.jsonrpc import HttpAbort, JsonRpcServer, procedures_from
from mockserver.kanboard import handlers, render
from mockserver.kanboard.errors import PhpFatalError, RequestEntityTooLarge

MAX_BODY = 32 * 1024 * 1024      # nginx client_max_body_size in Kanboard's Docker image
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def build_server(contracts: Contracts) -> JsonRpcServer:
    request_contract = contracts.check("kanboard/request")
    # only the params contracts that constrain a value need running; the others accept any JSON value
    constrained = {name.split("/")[1][: -len(".params")]: contracts.check(name)
                   for name in contracts.names("kanboard")
                   if name.endswith(".params") and _constrains(contracts.schema(name))}

    def check_args(proc, args) -> None:
        """A value of a JSON type PHP cannot take there (an array blob, a non-array tags) is a TypeError."""
        check = constrained.get(proc.name)
        if check is not None and not check(dict(zip((p.name for p in proc.params), args))):
            raise PhpFatalError()

    return JsonRpcServer(
        procedures_from(handlers.PROCEDURES, lambda n: contracts.schema(f"kanboard/{n}.params"), handlers.meta),
        decode=render.decode,
        encode=render.encode,
        is_valid_request=request_contract,
        authenticate=handlers.authenticate,
        before=handlers.before,
        check_args=check_args,
    )


_ANNOTATIONS = {"default", "description", "title"}


def _constrains(schema: dict) -> bool:
    return any(set(prop) - _ANNOTATIONS for prop in schema.get("properties", {}).values())


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise RequestEntityTooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise RequestEntityTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def routes(contracts: Contracts) -> list[Route]:
    server = build_server(contracts)

    async def jsonrpc(request: Request) -> Response:
        state = request.app.state.runtime.store["kanboard"]
        try:
            body = await _read_body(request)
            custom = request.headers.get(state.auth_header) if state.auth_header else None
            reply = server.handle(body, handlers.Credentials(state, request.headers.get("authorization"), custom))
        except HttpAbort as abort:
            reply = abort
        except Exception:               # anything unforeseen dies as PHP dies: 500, empty body
            reply = PhpFatalError()
        return Response(reply.body, reply.status, headers=reply.headers)

    return [Route("/jsonrpc.php", jsonrpc, methods=METHODS)]
