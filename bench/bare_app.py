"""The baseline: a bare Starlette app on the same uvicorn set-up as the mock, answering a fixed JSON reply."""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

REPLY = {"jsonrpc": "2.0", "result": [], "id": 1}


async def fixed(request):
    await request.body()
    return JSONResponse(REPLY)


async def sink(request):
    """Reads an upload to the end and keeps nothing: the memory baseline of bench/upload_memory.py."""
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return JSONResponse({"size": size})


async def health(request):
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/jsonrpc.php", fixed, methods=["POST"]), Route("/upload", sink, methods=["POST"]),
                        Route("/__admin/health", health)])

if __name__ == "__main__":
    from mockserver.server import bind_socket, url_of

    sock = bind_socket("127.0.0.1", 0)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets=sockets)
            print(url_of(sock), flush=True)

    Server(uvicorn.Config(app, log_level="warning", access_log=False, loop="asyncio")).run(sockets=[sock])
    sys.exit(0)
