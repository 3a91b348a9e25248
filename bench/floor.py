"""How close to bare Starlette any stateful mock can come on Kanboard's list route: a third server, the floor,
does on the same stack only what every mock of that route must do for each request (read and parse the JSON-RPC
body, look the caller's credentials up, build the four file records from stored objects, encode the reply,
keep the exchange in a bounded journal), and nothing of the rest (no vendor checks, faults, contracts, PHP's
encoding rules). The three (bare, floor, mock) are measured in turns in the same run, as in
``bench/throughput.py``. The floor's ratio to bare is the ceiling for the mock's.

    python bench/floor.py [--connections 32] [--seconds 3] [--rounds 3]
    python bench/floor.py --serve        # the floor server alone (what the benchmark starts)
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from collections import deque
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import (  # noqa: E402
    BARE, KANBOARD, MOCK, Measure, Workload, byte_compile, measure, median, seed, start, stop,
)


class File:
    def __init__(self, id_: int, name: str):
        self.id, self.name, self.task_id, self.is_image = id_, name, 1, int(name.endswith(".png"))
        self.path, self.etag = f"tasks/1/{'5e' * 20}", "4b" * 32
        self.date, self.user_id, self.size = 1764800000, 0, 208


FILES = {1: [File(i, n) for i, n in enumerate(("A.png", "b.txt", "c.pdf", "notes.md"), 1)]}
CREDENTIALS = {"jsonrpc:kanboard-app-token": "jsonrpc"}
JOURNAL: deque[tuple] = deque(maxlen=1000)
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


async def jsonrpc(request: Request) -> Response:
    body = await request.body()
    call = json.loads(body)
    user = CREDENTIALS.get(base64.b64decode(request.headers.get("authorization", "")[6:]).decode())
    if user is None:
        return Response(b"", 401)
    records = [{"id": f.id, "name": f.name, "path": f.path, "is_image": f.is_image, "task_id": f.task_id,
                "date": f.date, "user_id": f.user_id, "size": f.size, "username": None, "user_name": None,
                "etag": f.etag} for f in FILES.get(call["params"][0], ())]
    reply = dumps({"jsonrpc": "2.0", "result": records, "id": call["id"]}).encode()
    JOURNAL.append((time.time(), request.scope["method"], request.scope["path"], body, 200, reply, user))
    return Response(reply, media_type="application/json")


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/__admin/health", health), Route("/jsonrpc.php", jsonrpc, methods=["POST"])])
FLOOR = [sys.executable, __file__, "--serve"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    if args.serve:
        from mockserver.server import bind_socket, make_server, url_of
        from mockserver.settings import Settings

        sock = bind_socket("127.0.0.1", 0)
        make_server(app, Settings(), lambda loop: print(url_of(sock), flush=True)).run(sockets=[sock])
        return
    byte_compile()
    results: dict[str, list[Measure]] = {"bare": [], "floor": [], "mock": []}
    for _ in range(args.rounds):
        for label, command in (("mock", MOCK), ("floor", FLOOR), ("bare", BARE)):
            process, url, _ = start(command)
            try:
                load = seed(url, ["kanboard"])[0] if label == "mock" else seed_free_load()
                results[label].append(measure(process, url, load.raw(url.split("//")[1]), args.connections,
                                              args.seconds))
            finally:
                stop(process)
    bare = median(results["bare"])
    print(f"{'server':6s} {'req/s':>8s} {'ratio':>6s} {'CPU µs':>7s}")
    for label, measures in results.items():
        m = median(measures)
        print(f"{label:6s} {m.rate:8.0f} {m.rate / bare.rate:6.2f} {m.cpu_us:7.0f}")


def seed_free_load() -> Workload:
    """Kanboard's list request, for a server that needs no seeding (the floor's files are built in)."""
    return Workload("kanboard", "POST", "/jsonrpc.php", {**KANBOARD, "Content-Type": "application/json"},
                    json.dumps({"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1], "id": 1}).encode())


if __name__ == "__main__":
    main()
