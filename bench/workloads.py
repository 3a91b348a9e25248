"""What the benchmarks send: for each vendor, its list route for a task with a few files (a reply of about 1 KB),
seeded over HTTP first; a load generator that drives one raw keep-alive request over many connections and
measures rate and latency; the server process's CPU time from /proc; and server start-up."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import statistics
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
KANBOARD = {"Authorization": "Basic " + base64.b64encode(b"jsonrpc:kanboard-app-token").decode()}
TOGGL = {"Authorization": "Bearer toggl_sk_mock_owner_key"}
ONLYOFFICE = {"Authorization": "Basic " + base64.b64encode(b"member:member-password").decode()}
COR_CLIENT = {"Authorization": "Basic " + base64.b64encode(b"cor-api-key:cor-client-secret").decode()}
HOOK = "/rest/2/b2webhook"
TOGGL_TASK = "/api/organizations/1001/workspaces/2001/tasks/4001/attachments"
NAMES = ("b.txt", "A.png", "c.pdf", "notes.md")
def _png() -> bytes:
    """A real 8x8 PNG: Kanboard has GD decode an image name's bytes whole (a signature alone is a 500)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = _png()


@dataclass
class Workload:
    vendor: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    reply: bytes = b""          # what the mock answered it (a peer server is stubbed with it)

    def raw(self, host: str) -> bytes:
        head = f"{self.method} {self.path} HTTP/1.1\r\nHost: {host}\r\n"
        for name, value in self.headers.items():
            head += f"{name}: {value}\r\n"
        if self.body or self.method == "POST":
            head += f"Content-Length: {len(self.body)}\r\n"
        return (head + "\r\n").encode() + self.body


def call(url: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    request = urllib.request.Request(url + path, data=body if method != "GET" else None, method=method,
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "taskmock-bench"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
              f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b"\r\n"
              for field, name, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def kanboard_upload(url: str, name: str) -> None:
    body = json.dumps({"jsonrpc": "2.0", "method": "createTaskFile", "id": 1,
                       "params": [1, 1, name, base64.b64encode(PNG).decode()]}).encode()
    call(url, "POST", "/jsonrpc.php", {**KANBOARD, "Content-Type": "application/json"}, body)


def seed(url: str, vendors: list[str]) -> list[Workload]:
    """A few files on one task of each vendor; the request that lists them."""
    loads = []
    if "kanboard" in vendors:
        for name in NAMES:
            kanboard_upload(url, name)
        loads.append(Workload("kanboard", "POST", "/jsonrpc.php", {**KANBOARD, "Content-Type": "application/json"},
                              json.dumps({"jsonrpc": "2.0", "method": "getAllTaskFiles", "params": [1],
                                          "id": 1}).encode()))
    if "bitrix24" in vendors:
        for name in NAMES:
            call(url, "POST", f"{HOOK}/disk.storage.uploadfile", {"Content-Type": "application/json"},
                 json.dumps({"id": 12, "data": {"NAME": name},
                             "fileContent": [name, base64.b64encode(PNG).decode()]}).encode())
        loads.append(Workload("bitrix24", "POST", f"{HOOK}/disk.storage.getchildren",
                              {"Content-Type": "application/json"}, b'{"id": 12}'))
    if "toggl" in vendors:
        for i, name in enumerate(NAMES):
            body, kind = multipart({"display_order": str(i)}, [("file", name, PNG)])
            call(url, "POST", TOGGL_TASK, {**TOGGL, "Content-Type": kind}, body)
        loads.append(Workload("toggl", "GET", TOGGL_TASK, TOGGL))
    if "projectcor" in vendors:
        token = json.loads(call(url, "POST", "/v1/oauth/token?grant_type=client_credentials", COR_CLIENT))
        bearer = {"Authorization": f"Bearer {token['access_token']}"}
        body, kind = multipart({}, [("file", name, PNG) for name in NAMES])
        call(url, "POST", "/v1/tasks/7001/attachments", {**bearer, "Content-Type": kind}, body)
        loads.append(Workload("projectcor", "GET", "/v1/tasks/7001/attachments?perPage=4", bearer))
    if "onlyoffice" in vendors:
        folder = json.loads(call(url, "GET", "/api/2.0/project/1", ONLYOFFICE))["response"]["projectFolder"]
        ids = []
        for name in NAMES:
            body, kind = multipart({}, [("file", name, PNG)])
            ids.append(json.loads(call(url, "POST", f"/api/2.0/files/{folder}/upload", {
                **ONLYOFFICE, "Content-Type": kind}, body))["response"]["id"])
        call(url, "POST", "/api/2.0/project/task/1/files", {**ONLYOFFICE, "Content-Type": "application/json"},
             json.dumps({"files": ids}).encode())
        loads.append(Workload("onlyoffice", "GET", "/api/2.0/project/task/1/files", ONLYOFFICE))
    return loads


def start(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str, float]:
    """Start a server; return it, its URL, and seconds from process start to /__admin/health answering 200."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, **(env or {})})
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    while True:
        try:
            with urllib.request.urlopen(url + "/__admin/health", timeout=2) as response:
                if response.status == 200:
                    return process, url, time.perf_counter() - started
        except OSError:
            time.sleep(0.002)


def stop(process: subprocess.Popen, wait: float = 10) -> None:
    process.terminate()
    process.wait(wait)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Measure:
    rate: float              # requests a second
    p50: float               # latency, ms
    p99: float
    cpu_us: float            # server CPU µs a request


async def _drive(url: str, payload: bytes, connections: int, seconds: float) -> list[float]:
    host, port = url.split("//")[1].rsplit(":", 1)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []

    async def one() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - began)
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return latencies


def measure(process: subprocess.Popen, url: str, payload: bytes, connections: int, seconds: float) -> Measure:
    before, began = cpu_seconds(process.pid), time.perf_counter()
    latencies = asyncio.run(_drive(url, payload, connections, seconds))
    elapsed, cpu = time.perf_counter() - began, cpu_seconds(process.pid) - before
    latencies.sort()
    return Measure(len(latencies) / elapsed, latencies[len(latencies) // 2] * 1000,
                   latencies[int(len(latencies) * 0.99)] * 1000, cpu * 1e6 / len(latencies))


def median(measures: list[Measure]) -> Measure:
    return Measure(*(statistics.median(getattr(m, f) for m in measures) for f in ("rate", "p50", "p99", "cpu_us")))


def byte_compile() -> None:
    """Compile the package's modules as ``pip install`` does. Without it, a machine that sets
    PYTHONDONTWRITEBYTECODE compiles every module from source at every start: 60-100 ms."""
    import compileall

    import mockserver
    compileall.compile_dir(str(Path(mockserver.__file__).parent), quiet=1)
    compileall.compile_file(str(HERE / "bare_app.py"), quiet=1)


MOCK = [sys.executable, "-m", "mockserver", "serve", "--port", "0"]
BARE = [sys.executable, str(HERE / "bare_app.py")]
