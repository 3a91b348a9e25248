"""Whether a request costs more as the server's history grows: each vendor's list route (a task with four files)
measured on a fresh server, then again after many requests to it, then after many files stored for other
owners. Prints the server's CPU time per request at each stage (read from /proc, which moves little with the
machine's noise; each the median of three runs) and the ratio to fresh.

    python bench/growth.py [--requests 100000] [--files 100000] [--vendor NAME ...]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import (  # noqa: E402
    HOOK, KANBOARD, ONLYOFFICE, PNG, TOGGL, MOCK, Workload, byte_compile, cpu_seconds, multipart, seed, start,
    stop,
)

VENDORS = ["kanboard", "bitrix24", "toggl", "projectcor", "onlyoffice"]
SAMPLE = 3000                 # requests a measurement takes


def store_elsewhere(vendor: str, bearer: dict[str, str]) -> Workload:
    """One upload for an owner other than the listed task's, as a request that can be sent again and again."""
    if vendor == "kanboard":
        body = json.dumps({"jsonrpc": "2.0", "method": "createTaskFile", "id": 1,
                           "params": [1, 2, "other.txt", base64.b64encode(b"x").decode()]}).encode()
        return Workload(vendor, "POST", "/jsonrpc.php", {**KANBOARD, "Content-Type": "application/json"}, body)
    if vendor == "bitrix24":
        body = json.dumps({"id": 14, "data": {"NAME": "other.txt"}, "generateUniqueName": True,
                           "fileContent": ["other.txt", base64.b64encode(b"x").decode()]}).encode()
        return Workload(vendor, "POST", f"{HOOK}/disk.storage.uploadfile", {"Content-Type": "application/json"}, body)
    if vendor == "toggl":
        body, kind = multipart({"display_order": "0"}, [("file", "other.txt", b"x")])
        return Workload(vendor, "POST", "/api/organizations/1001/workspaces/2001/projects/3001/attachments",
                        {**TOGGL, "Content-Type": kind}, body)
    if vendor == "projectcor":
        body, kind = multipart({}, [("file", "other.txt", b"x")])
        return Workload(vendor, "POST", "/v1/tasks/7002/attachments", {**bearer, "Content-Type": kind}, body)
    body, kind = multipart({}, [("file", "other.txt", PNG)])
    return Workload(vendor, "POST", "/api/2.0/files/@my/upload", {**ONLYOFFICE, "Content-Type": kind}, body)


async def send_many(url: str, payload: bytes, count: int, connections: int = 16) -> None:
    host, port = url.split("//")[1].rsplit(":", 1)
    left = [count]

    async def one() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        while left[0] > 0:
            left[0] -= 1
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.split(b" ")[1] in (b"200", b"201"), head
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))


def cpu_per_request(process, url: str, payload: bytes, samples: int = 3) -> float:
    """The median of ``samples`` runs of SAMPLE requests (one run alone swings by a quarter on this machine)."""
    runs = []
    for _ in range(samples):
        before = cpu_seconds(process.pid)
        asyncio.run(send_many(url, payload, SAMPLE))
        runs.append((cpu_seconds(process.pid) - before) * 1e6 / SAMPLE)
    return statistics.median(runs)


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--vendor", action="append", dest="vendors", choices=VENDORS)
    args = parser.parse_args()
    print(f"{'vendor':11s} {'fresh µs':>9s} {f'+{args.requests} req':>14s} {'ratio':>6s} "
          f"{f'+{args.files} files':>15s} {'ratio':>6s}")
    for vendor in args.vendors or VENDORS:
        process, url, _ = start(MOCK + ["--journal-size", "1000"])
        try:
            [listing] = seed(url, [vendor])
            host = url.split("//")[1]
            payload = listing.raw(host)
            asyncio.run(send_many(url, payload, 2000))                       # warm
            fresh = cpu_per_request(process, url, payload)
            asyncio.run(send_many(url, payload, args.requests))
            after_requests = cpu_per_request(process, url, payload)
            bearer = {"Authorization": listing.headers.get("Authorization", "")}
            asyncio.run(send_many(url, store_elsewhere(vendor, bearer).raw(host), args.files))
            after_files = cpu_per_request(process, url, payload)
        finally:
            stop(process, wait=300)           # it removes every stored file on the way out
        print(f"{vendor:11s} {fresh:9.0f} {after_requests:14.0f} {after_requests / fresh:6.2f} "
              f"{after_files:15.0f} {after_files / fresh:6.2f}")


if __name__ == "__main__":
    main()
