"""Bitrix24's form parser under many keys: the same method called with a form body of 10 keys and of 5,000
(past PHP's ``max_input_vars``, which the mock keeps too), on the mock and on the bare Starlette app of the same
server stack reading the same bodies, in the same run. Prints requests a second, the p50 latency, the server's
CPU microseconds a request, and the 5,000-key cost over the 10-key one on each server.

    python bench/form_keys.py [--seconds 3] [--connections 8]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import BARE, MOCK  # noqa: E402
from workloads import byte_compile, measure, start, stop  # noqa: E402

PATH = "/rest/2/b2webhook/profile"


def request(host: str, keys: int) -> bytes:
    body = urlencode([("select[]", str(i)) for i in range(keys)]).encode()
    return (f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    rows = {}
    for name, command in (("mock", MOCK), ("bare", BARE)):
        process, url, _ = start(command)
        try:
            host = url.split("//")[1]
            for keys in (10, 5000):
                rows[name, keys] = measure(process, url, request(host, keys), args.connections, args.seconds)
        finally:
            stop(process)
    print(f"{'server':6} {'keys':>6} {'req/s':>8} {'p50 ms':>8} {'CPU us/req':>11}")
    for (name, keys), m in rows.items():
        print(f"{name:6} {keys:>6} {m.rate:>8.0f} {m.p50:>8.2f} {m.cpu_us:>11.0f}")
    for name in ("mock", "bare"):
        small, large = rows[name, 10], rows[name, 5000]
        print(f"{name}: 5,000 keys cost {large.cpu_us / small.cpu_us:.2f}x the CPU of 10 keys "
              f"({large.cpu_us - small.cpu_us:.0f} us more a request)")


if __name__ == "__main__":
    main()
