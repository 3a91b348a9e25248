"""What the pytest fixtures cost a test: ``taskmock_asgi``'s set-up and teardown (a fresh in-process app, reset,
closed) and ``taskmock``'s per-test reset of the session's live server; then the first request of a vendor in a
fresh app, which builds that vendor's state. Medians and 95th percentiles over many tests.

    python bench/fixtures.py [--tests 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

from mockserver.pytest_plugin import AsgiHandle, LiveServer
from mockserver.settings import Settings


def timed(fn, count: int) -> list[float]:
    took = []
    for _ in range(count):
        began = time.perf_counter()
        fn()
        took.append((time.perf_counter() - began) * 1000)
    return sorted(took)


def show(label: str, took: list[float]) -> None:
    print(f"{label:52s} median {statistics.median(took):7.3f} ms   p95 {took[int(len(took) * 0.95)]:7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, default=200)
    args = parser.parse_args()
    settings = Settings(host="127.0.0.1", port=0)
    AsgiHandle(settings).close()                      # the process's first app pays the imports

    def asgi_test() -> None:
        handle = AsgiHandle(settings)
        handle.reset()
        handle.close()

    show("taskmock_asgi: set-up and teardown of a test", timed(asgi_test, args.tests))

    def first_kanboard_request() -> None:
        handle = AsgiHandle(settings)
        handle.post("/jsonrpc.php", auth=("jsonrpc", handle.kanboard.token),
                    json={"jsonrpc": "2.0", "method": "getVersion", "id": 1})
        handle.close()

    show("taskmock_asgi: the same with one Kanboard call", timed(first_kanboard_request, max(args.tests // 4, 10)))
    server = LiveServer(settings)
    try:
        show("taskmock: reset of the live server between tests", timed(server.reset, args.tests))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
