"""Throughput and start-up time of the mock against a bare Starlette app, measured in the same run.

Both servers run as their own processes on the same uvicorn set-up; one asyncio load generator drives each in
turn over loopback with many concurrent keep-alive connections, sending Kanboard ``getAllTaskFiles`` for a task
with a few files (the mock) or the same request to a fixed JSON reply (the baseline). Prints requests/s of each,
the server process's CPU time per request (read from /proc: it moves little with the machine's noise), the
mock's ratio to the baseline, and the time from process start to ``/__admin/health`` answering 200.

    python bench/throughput.py [--connections 32] [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOKEN = base64.b64encode(b"jsonrpc:kanboard-app-token").decode()


def request_bytes(host: str, body: bytes) -> bytes:
    return (f"POST /jsonrpc.php HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def start(command: list[str]) -> tuple[subprocess.Popen, str, float, float]:
    """Start a server; return it, its URL, and seconds from process start to health answering 200 and to the
    first answer on /jsonrpc.php (the mock builds a vendor's state on its first request)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = process.stdout.readline().strip()
    while True:
        try:
            with urllib.request.urlopen(url + "/__admin/health", timeout=2) as response:
                if response.status == 200:
                    ready = time.perf_counter() - started
                    break
        except OSError:
            time.sleep(0.002)
    body = json.dumps({"jsonrpc": "2.0", "method": "getVersion", "id": 1}).encode()
    request = urllib.request.Request(url + "/jsonrpc.php", data=body, method="POST",
                                     headers={"Authorization": f"Basic {TOKEN}"})
    urllib.request.urlopen(request).read()
    return process, url, ready, time.perf_counter() - started


async def drive(url: str, payload: bytes, connections: int, seconds: float) -> float:
    host, port = url.split("//")[1].split(":")
    deadline = time.perf_counter() + seconds
    counts = [0] * connections

    async def one(index: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < deadline:
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            counts[index] += 1
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(connections)))
    return sum(counts) / (time.perf_counter() - began)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed_files(url: str) -> None:
    for name in ("b.txt", "A.png", "c.pdf", "notes.md"):
        data = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"x" * 200).decode()
        body = json.dumps({"jsonrpc": "2.0", "method": "createTaskFile", "params": [1, 1, name, data], "id": 1})
        request = urllib.request.Request(url + "/jsonrpc.php", data=body.encode(), method="POST",
                                         headers={"Authorization": f"Basic {TOKEN}"})
        urllib.request.urlopen(request).read()


def byte_compile() -> None:
    """Compile the package's modules as ``pip install`` does. Without it, a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) compiles every module from source at every start: 60-100 ms."""
    import compileall
    import mockserver
    compileall.compile_dir(str(Path(mockserver.__file__).parent), quiet=1)
    compileall.compile_file(str(HERE / "bare_app.py"), quiet=1)


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    body = json.dumps({"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1], "id": 1}).encode()
    servers = {
        "bare starlette": [sys.executable, str(HERE / "bare_app.py")],
        "taskmock": [sys.executable, "-m", "mockserver", "serve", "--port", "0"],          # every vendor
    }
    rates: dict[str, list[float]] = {name: [] for name in servers}
    cpu: dict[str, list[float]] = {name: [] for name in servers}         # µs of server CPU per request
    ready: dict[str, list[float]] = {name: [] for name in servers}
    first: dict[str, list[float]] = {name: [] for name in servers}
    for _ in range(args.rounds):                      # interleaved, so drift on a noisy machine hits both
        for name, command in servers.items():
            process, url, startup, first_answer = start(command)
            try:
                ready[name].append(startup)
                first[name].append(first_answer)
                if name == "taskmock":
                    seed_files(url)
                host = url.split("//")[1]
                before = cpu_seconds(process.pid)
                rate = asyncio.run(drive(url, request_bytes(host, body), args.connections, args.seconds))
                rates[name].append(rate)
                cpu[name].append((cpu_seconds(process.pid) - before) * 1e6 / (rate * args.seconds))
            finally:
                process.terminate()
                process.wait(10)
    for name in servers:
        print(f"{name:15s} {statistics.median(rates[name]):8.0f} req/s   ready in "
              f"{statistics.median(ready[name]) * 1000:6.1f} ms, first answer in "
              f"{statistics.median(first[name]) * 1000:6.1f} ms, {statistics.median(cpu[name]):5.0f} µs CPU a "
              f"request   (rounds: "
              + ", ".join(f"{r:.0f}" for r in rates[name]) + ")")
    ratio = statistics.median(rates["taskmock"]) / statistics.median(rates["bare starlette"])
    print(f"throughput ratio taskmock / bare starlette: {ratio:.2f}")
    print(f"startup ratio taskmock / bare starlette: "
          f"{statistics.median(ready['taskmock']) / statistics.median(ready['bare starlette']):.2f}")


if __name__ == "__main__":
    main()
