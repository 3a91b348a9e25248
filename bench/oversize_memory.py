"""Peak memory of the server while it refuses bodies past its ceilings, against a bare Starlette app reading the
same stream into nothing, in the same run.

Each body (default 256 MiB) is streamed from a generator without a length, so the server must count as it
reads: a JSON body to a JSON route of each vendor (some need no login), and a multipart form whose plain field
is that large. The server's peak resident memory (VmHWM, from /proc) is read before and after each; its growth
is what refusing the body cost. With the default ``--max-body-mb 64`` a body is refused once 64 MiB of it
were read, so the growth stays near that whatever the body's size; each vendor's status is printed too.

    python bench/oversize_memory.py [--megabytes 256]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload_memory import growth, serving  # noqa: E402

HERE = Path(__file__).resolve().parent
CHUNK = b"x" * 2**20
TOGGL = "/api/organizations/1001/workspaces/2001"
ROUTES = [("kanboard", "/jsonrpc.php", {}), ("bitrix24", "/rest/2/b2webhook/tasks.task.files.attach", {}),
          ("toggl", TOGGL + "/tasks", {"Authorization": "Bearer toggl_sk_mock_owner_key"}),
          ("projectcor", "/v1/oauth/refreshtoken", {}), ("onlyoffice", "/api/2.0/authentication", {})]


def json_body(megabytes: int):
    yield b'{"pad": "'
    for _ in range(megabytes):
        yield CHUNK
    yield b'"}'


def form_body(megabytes: int):
    yield b'--b\r\nContent-Disposition: form-data; name="display_order"\r\n\r\n'
    for _ in range(megabytes):
        yield CHUNK
    yield b"\r\n--b--\r\n"


def send(url: str, body, headers: dict[str, str]) -> str:
    try:
        return str(httpx.post(url, content=body, headers=headers, timeout=600).status_code)
    except httpx.TransportError:
        return "closed while the client still wrote"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=256)
    mb = parser.parse_args().megabytes

    with serving([sys.executable, str(HERE / "bare_app.py")]) as (pid, url):
        _, bare = growth(pid, lambda: send(url + "/upload", json_body(mb), {}))

    cases = [(f"{vendor} JSON", path, {**headers, "Content-Type": "application/json"}, json_body)
             for vendor, path, headers in ROUTES]
    cases.append(("toggl form field", TOGGL + "/tasks/4001/attachments",
                  {"Authorization": "Bearer toggl_sk_mock_owner_key",
                   "Content-Type": "multipart/form-data; boundary=b"}, form_body))
    rows = []
    for name, path, headers, body in cases:      # a fresh server each: the peak is a high-water mark
        with serving([sys.executable, "-m", "mockserver", "serve", "--port", "0"]) as (pid, url):
            status, grown = growth(pid, lambda: send(url + path, body(mb), headers))
            rows.append((name, status, grown, httpx.get(url + "/__admin/health").status_code))

    print(f"a {mb} MiB body streamed without a length; growth of the server's peak resident memory:")
    print(f"  bare starlette (reads into nothing)     {bare:7.1f} MiB")
    for name, status, grown, alive in rows:
        print(f"  taskmock {name:22s} -> {status:4s} {grown:7.1f} MiB   (health afterwards: {alive})")


if __name__ == "__main__":
    main()
