"""Each vendor's list route against a bare Starlette app on the same server stack, measured in the same run.

Both servers run as their own processes; one asyncio load generator drives each in turn over loopback with many
concurrent keep-alive connections, sending each vendor's list route for a task with four files (the mock; a reply
of about 1 KB) or the same request to a fixed 1 KB reply (the baseline). Rounds interleave the two, so drift on a
noisy machine hits both. Prints, per vendor: requests/s of each, the ratio, p50/p99 latency of the mock, and the
server's CPU time per request (read from /proc: it moves little with the machine's noise); then each server's
time from process start to ``/__admin/health`` answering 200, and the mock's first answer of each vendor.

    python bench/throughput.py [--connections 32] [--seconds 3] [--rounds 3] [--vendor NAME ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import (  # noqa: E402
    BARE, COR_CLIENT, MOCK, Measure, Workload, byte_compile, measure, median, seed, start, stop,
)

VENDORS = ["kanboard", "bitrix24", "toggl", "projectcor", "onlyoffice"]


def first_answers(url: str, loads) -> dict[str, float]:
    """Seconds each vendor's first answer took (its state, with its fake data, is built on first use). A fresh
    ProjectCOR knows no token yet: its first request is the token call."""
    took = {}
    for load in loads:
        if load.vendor == "projectcor":
            load = Workload("projectcor", "POST", "/v1/oauth/token?grant_type=client_credentials", COR_CLIENT)
        began = time.perf_counter()
        request = urllib.request.Request(url + load.path, data=load.body or None, method=load.method,
                                         headers=load.headers)
        urllib.request.urlopen(request, timeout=10).read()
        took[load.vendor] = time.perf_counter() - began
    return took


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vendor", action="append", dest="vendors", choices=VENDORS)
    args = parser.parse_args()
    vendors = args.vendors or VENDORS
    mock: dict[str, list[Measure]] = {v: [] for v in vendors}
    bare: dict[str, list[Measure]] = {v: [] for v in vendors}
    ready: dict[str, list[float]] = {"bare": [], "mock": []}
    first: dict[str, list[float]] = {v: [] for v in vendors}
    for _ in range(args.rounds):
        process, url, took = start(MOCK)
        try:
            ready["mock"].append(took)
            probe = seed(url, vendors)
            loads = {load.vendor: load for load in probe}
            host = url.split("//")[1]
            for vendor in vendors:
                mock[vendor].append(measure(process, url, loads[vendor].raw(host), args.connections, args.seconds))
        finally:
            stop(process)
        process, url, took = start(MOCK)           # a fresh mock: how long each vendor's first answer takes
        try:
            for vendor, seconds in first_answers(url, [loads[v] for v in vendors]).items():
                first[vendor].append(seconds + took)
        finally:
            stop(process)
        process, url, took = start(BARE)
        try:
            ready["bare"].append(took)
            host = url.split("//")[1]
            for vendor in vendors:
                bare[vendor].append(measure(process, url, loads[vendor].raw(host), args.connections, args.seconds))
        finally:
            stop(process)
    print(f"{'vendor':11s} {'mock req/s':>10s} {'bare req/s':>10s} {'ratio':>6s} {'p50 ms':>7s} {'p99 ms':>7s} "
          f"{'mock CPU µs':>11s} {'bare CPU µs':>11s}")
    for vendor in vendors:
        m, b = median(mock[vendor]), median(bare[vendor])
        print(f"{vendor:11s} {m.rate:10.0f} {b.rate:10.0f} {m.rate / b.rate:6.2f} {m.p50:7.2f} {m.p99:7.2f} "
              f"{m.cpu_us:11.0f} {b.cpu_us:11.0f}")
    bare_ready = statistics.median(ready["bare"]) * 1000
    print(f"ready: bare starlette {bare_ready:.0f} ms, mock {statistics.median(ready['mock']) * 1000:.0f} ms "
          f"(+{statistics.median(ready['mock']) * 1000 - bare_ready:.0f} ms)")
    print("first answer of each vendor on a fresh mock, from process start: " + ", ".join(
        f"{v} {statistics.median(first[v]) * 1000:.0f} ms (+{statistics.median(first[v]) * 1000 - bare_ready:.0f})"
        for v in vendors))


if __name__ == "__main__":
    main()
