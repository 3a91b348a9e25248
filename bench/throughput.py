"""Each vendor's list route against a bare Starlette app on the same server stack, measured in the same run.

Both servers run as their own processes; one asyncio load generator drives each in turn over loopback with many
concurrent keep-alive connections, sending each vendor's list route for a task with four files (the mock; a reply
of about 1 KB) or the same request to a fixed 1 KB reply (the baseline). Rounds interleave the two, so drift on a
noisy machine hits both. Prints, per vendor: requests/s of each, the ratio, p50/p99 latency of the mock, and the
server's CPU time per request (read from /proc: it moves little with the machine's noise). How soon each
answers after a start is ``bench/startup.py``'s.

With ``--wiremock JAR`` (WireMock standalone: ``npm install wiremock`` puts it under
``node_modules/wiremock/build/``; it needs Java), WireMock runs as a peer: one stub per vendor's request, answering
the mock's own reply bytes, its JIT warmed for ``--warm`` seconds first, its request journal bounded as the
mock's (1000 entries). Its CPU per request is the whole JVM's.

    python bench/throughput.py [--connections 32] [--seconds 3] [--rounds 3] [--vendor NAME ...] [--wiremock JAR]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import (  # noqa: E402
    BARE, MOCK, Measure, Workload, byte_compile, call, measure, median, seed, start, stop,
)

VENDORS = ["kanboard", "bitrix24", "toggl", "projectcor", "onlyoffice"]


def start_wiremock(jar: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:                      # WireMock takes a port number, not 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(["java", "-jar", jar, "--port", str(port), "--bind-address", "127.0.0.1",
                                "--disable-banner", "--max-request-journal-entries", "1000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/__admin/health", timeout=2).read()
            return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("WireMock did not start") from None
            time.sleep(0.1)


def stub(url: str, load: Workload, reply: bytes) -> None:
    """WireMock answers ``load``'s request with the mock's reply (a Content-Length, so it does not chunk)."""
    mapping = {"request": {"method": load.method, "url": load.path},
               "response": {"status": 200, "body": reply.decode(),
                            "headers": {"Content-Type": "application/json", "Content-Length": str(len(reply))}}}
    call(url, "POST", "/__admin/mappings", {"Content-Type": "application/json"}, json.dumps(mapping).encode())


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vendor", action="append", dest="vendors", choices=VENDORS)
    parser.add_argument("--wiremock", metavar="JAR", help="WireMock standalone's jar: measure it as a peer")
    parser.add_argument("--warm", type=float, default=10.0, help="seconds of load that warm WireMock's JIT")
    args = parser.parse_args()
    vendors = args.vendors or VENDORS
    mock: dict[str, list[Measure]] = {v: [] for v in vendors}
    bare: dict[str, list[Measure]] = {v: [] for v in vendors}
    peer: dict[str, list[Measure]] = {v: [] for v in vendors}
    wiremock = start_wiremock(args.wiremock) if args.wiremock else None
    try:
        for round_ in range(args.rounds):
            loads = measure_round(args, vendors, mock, bare)
            if wiremock is not None:
                process, url = wiremock
                host = url.split("//")[1]
                if round_ == 0:
                    for vendor in vendors:
                        stub(url, loads[vendor], loads[vendor].reply)
                    for vendor in vendors:
                        measure(process, url, loads[vendor].raw(host), args.connections, args.warm / len(vendors))
                for vendor in vendors:
                    peer[vendor].append(measure(process, url, loads[vendor].raw(host), args.connections,
                                                args.seconds))
    finally:
        if wiremock is not None:
            stop(wiremock[0])
    report(vendors, mock, bare, peer if wiremock else None)


def measure_round(args, vendors, mock, bare) -> dict[str, Workload]:
    """One round: the mock, then the bare app; the workloads, each with the mock's reply."""
    process, url, _ = start(MOCK)
    try:
        probe = seed(url, vendors)
        loads = {load.vendor: load for load in probe}
        host = url.split("//")[1]
        for vendor in vendors:
            load = loads[vendor]
            load.reply = call(url, load.method, load.path, load.headers, load.body)
            mock[vendor].append(measure(process, url, load.raw(host), args.connections, args.seconds))
    finally:
        stop(process)
    process, url, _ = start(BARE)
    try:
        host = url.split("//")[1]
        for vendor in vendors:
            bare[vendor].append(measure(process, url, loads[vendor].raw(host), args.connections, args.seconds))
    finally:
        stop(process)
    return loads


def report(vendors, mock, bare, peer) -> None:
    wm = f" {'WireMock req/s':>14s} {'WireMock CPU µs':>15s}" if peer else ""
    print(f"{'vendor':11s} {'mock req/s':>10s} {'bare req/s':>10s} {'ratio':>6s} {'p50 ms':>7s} {'p99 ms':>7s} "
          f"{'mock CPU µs':>11s} {'bare CPU µs':>11s}{wm}")
    for vendor in vendors:
        m, b = median(mock[vendor]), median(bare[vendor])
        w = median(peer[vendor]) if peer else None
        print(f"{vendor:11s} {m.rate:10.0f} {b.rate:10.0f} {m.rate / b.rate:6.2f} {m.p50:7.2f} {m.p99:7.2f} "
              f"{m.cpu_us:11.0f} {b.cpu_us:11.0f}" + (f" {w.rate:14.0f} {w.cpu_us:15.0f}" if w else ""))


if __name__ == "__main__":
    main()
