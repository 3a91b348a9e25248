"""The baseline: a bare Starlette app on the mock's own server stack (``mockserver.server.make_server``: the same
uvicorn, HTTP parser and event loop), answering every path with a fixed JSON reply of about 1 KB, the size of the
list replies the benchmarks ask the mock for."""

from __future__ import annotations

import json
import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

RECORD = {"id": 1, "name": "notes.md", "path": "tasks/1/4b4a0e3f0e0c6e0b7e2d9c3a1f5e6d7c8b9a0f1e", "is_image": 0,
          "task_id": 1, "date": 1764800000, "user_id": 0, "size": 208, "username": None, "user_name": None,
          "etag": "4b4a0e3f0e0c6e0b7e2d9c3a1f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2"}
REPLY = json.dumps({"jsonrpc": "2.0", "result": [RECORD] * 4, "id": 1}).encode()


async def fixed(request: Request) -> Response:
    await request.body()
    return Response(REPLY, media_type="application/json")


async def sink(request: Request) -> Response:
    """Reads an upload to the end and keeps nothing: the memory baseline of bench/upload_memory.py."""
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return JSONResponse({"size": size})


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/upload", sink, methods=["POST"]), Route("/__admin/health", health),
                        Route("/{path:path}", fixed, methods=["GET", "POST"])])

if __name__ == "__main__":
    from mockserver.server import bind_socket, make_server, url_of
    from mockserver.settings import Settings

    sock = bind_socket("127.0.0.1", 0)
    make_server(app, Settings(), lambda loop: print(url_of(sock), flush=True)).run(sockets=[sock])
    sys.exit(0)
