"""How soon the mock answers after it is started, against a bare Starlette app on the same server stack.

Starts each in turn, interleaved, with no load between (a start measured right after a load run is slower for
both, unevenly): the time from process start to ``/__admin/health`` answering 200, and, on the mock, one
vendor's first answer from process start (its modules and state are built at its first request), each vendor
in turn, ``--runs`` starts each. Prints medians, and each against bare Starlette's ready time.

    python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import (  # noqa: E402
    BARE, COR_CLIENT, HOOK, KANBOARD, MOCK, ONLYOFFICE, TOGGL, TOGGL_TASK, Workload, byte_compile, start, stop,
)

# each vendor's first request on a fresh server: its list route (ProjectCOR's first request is the token call)
FIRST = [
    Workload("kanboard", "POST", "/jsonrpc.php", {**KANBOARD, "Content-Type": "application/json"},
             json.dumps({"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1], "id": 1}).encode()),
    Workload("bitrix24", "POST", f"{HOOK}/disk.storage.getchildren", {"Content-Type": "application/json"},
             b'{"id": 12}'),
    Workload("toggl", "GET", TOGGL_TASK, TOGGL),
    Workload("projectcor", "POST", "/v1/oauth/token?grant_type=client_credentials", COR_CLIENT),
    Workload("onlyoffice", "GET", "/api/2.0/project/task/1/files", ONLYOFFICE),
]


def ask(url: str, load: Workload) -> None:
    request = urllib.request.Request(url + load.path, data=load.body or None, method=load.method,
                                     headers=load.headers)
    urllib.request.urlopen(request, timeout=10).read()


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="starts per vendor")
    args = parser.parse_args()
    ready: dict[str, list[float]] = {"bare": [], "mock": []}
    first: dict[str, list[float]] = {load.vendor: [] for load in FIRST}
    for _ in range(args.runs):
        for load in FIRST:
            process, url, took = start(BARE)
            stop(process)
            ready["bare"].append(took * 1000)
            began = time.perf_counter()
            process, url, took = start(MOCK)
            try:
                ready["mock"].append(took * 1000)
                ask(url, load)
                first[load.vendor].append((time.perf_counter() - began) * 1000)
            finally:
                stop(process)
    bare, mock = statistics.median(ready["bare"]), statistics.median(ready["mock"])
    print(f"ready (median of {len(ready['mock'])} starts): bare starlette {bare:.0f} ms, mock {mock:.0f} ms "
          f"(+{mock - bare:.0f} ms)")
    print("a vendor's first answer on a fresh mock, from process start: " + ", ".join(
        f"{v} {statistics.median(ms):.0f} ms (+{statistics.median(ms) - bare:.0f})" for v, ms in first.items()))


if __name__ == "__main__":
    main()
