"""The ``taskmock`` pytest plugin, registered through the ``pytest11`` entry point: installing the package is
enough.

- ``taskmock``: the session's live server (real uvicorn on a port it bound itself), reset to its fixtures before
  each test. ``taskmock.url`` is the base URL; ``taskmock.kanboard.url`` / ``.token`` / ``.username`` /
  ``.users`` what a client needs; ``taskmock.requests(...)`` the journal; ``taskmock.state()`` the state.
- ``taskmock_server``: the session-scoped server itself, for a test that wants the state it left.
- ``taskmock_https`` / ``taskmock_https_server``: the same over HTTPS, with a throw-away CA whose file is
  ``.ca_path`` (for requests-based clients: ``REQUESTS_CA_BUNDLE``).
- ``taskmock_asgi``: a fresh app in-process, no socket: ``taskmock_asgi.post(path, ...)`` answers an
  ``httpx.Response`` through httpx's ASGI transport (``get``, ``put`` and ``delete`` likewise); ``taskmock_asgi.async_client()`` for async tests.

Settings come from ini options: ``taskmock_fixtures`` (a fixture file), ``taskmock_seed``, ``taskmock_options``
(``VENDOR.KEY=VALUE`` lines, the switches the server starts with).

A test steers the mock through its handle: ``fault(vendor, ...)`` (a context manager too), ``options(vendor,
**values)``, ``advance(seconds)``, and checks it with ``assert_called`` / ``assert_not_called``; the marker
``@pytest.mark.taskmock(options={vendor: {...}}, faults=[{...}])`` sets switches and faults before the test.
When a test fails, its report has a ``taskmock requests`` section: each request it sent, with its operations
and status.

A request on which the mock itself failed (an exception that is no vendor's answer: a bug of taskmock) is
answered as the vendor's internal error, and the ``taskmock``, ``taskmock_https`` and ``taskmock_asgi``
fixtures then fail the test at teardown with the traceback (``handle.crashes()`` lists them).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest

from mockserver.options import parse_pairs
from mockserver.settings import Settings

HANDLE = pytest.StashKey["_Handle"]()          # the handle a test used, for its failure report


def pytest_addoption(parser):
    parser.addini("taskmock_fixtures", "fixture file for the taskmock server", default="")
    parser.addini("taskmock_seed", "seed of taskmock's fake data", default="0")
    parser.addini("taskmock_options", "switches the taskmock server starts with, VENDOR.KEY=VALUE a line",
                  type="linelist", default=[])
    parser.addini("taskmock_keep_ids", "resets go on counting ids instead of starting again", type="bool",
                  default=False)


def pytest_configure(config):
    settings_from(config)               # a wrong ini option stops the session at once, in one line
    config.addinivalue_line("markers", "taskmock(options=None, faults=None): vendor switches ({vendor: {key: "
                                       "value}}) and fault rules ([{vendor: ..., ...}]) set before the test")


def settings_from(config) -> Settings:
    """The fixtures' settings from the ini options; a wrong one is a one-line usage error."""
    fixtures = config.getini("taskmock_fixtures")
    seed = config.getini("taskmock_seed") or "0"
    if not str(seed).lstrip("-").isdigit():
        raise pytest.UsageError(f"taskmock_seed = {seed}: the seed is a whole number")
    try:
        extra = parse_pairs(config.getini("taskmock_options"))
    except ValueError as exc:
        raise pytest.UsageError(f"taskmock_options: {exc}") from None
    return Settings(host="127.0.0.1", port=0, fixtures=Path(config.rootpath, fixtures) if fixtures else None,
                    seed=int(seed), extra=extra, keep_ids=bool(config.getini("taskmock_keep_ids")))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    handle = item.stash.get(HANDLE, None)
    if handle is not None and report.when == "call" and report.failed:
        report.sections.append(("taskmock requests", handle.describe_requests()))


class VendorHandle:
    """What a client of one vendor needs: ``url`` plus that vendor's credentials as attributes."""

    def __init__(self, url: str, credentials: dict[str, Any]):
        self.url = url
        self.credentials = credentials
        for key, value in credentials.items():
            setattr(self, key, value)

    def __repr__(self) -> str:
        return f"VendorHandle({self.url!r})"


class _Handle:
    """Shared by the live and in-process handles: vendor handles, journal and state views."""

    url: str
    app: Any

    def _runtime(self):
        return self.app.state.runtime

    def __getattr__(self, name: str) -> VendorHandle:
        """``handle.kanboard`` and the like: made on first use (building a vendor's state costs its fake data),
        kept until the next reset."""
        if name.startswith("_") or name in ("app", "url"):
            raise AttributeError(name)
        rt = self._runtime()
        vendor = next((v for v in rt.vendors if v.name == name), None)
        if vendor is None:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r} and serves no vendor of that name")
        found = VendorHandle(self.url + vendor.entry_path, self._call(lambda: rt.store[name].credentials()))
        self.__dict__[name] = found
        return found

    def _call(self, fn):
        return fn()

    def reset(self, vendor: str | None = None, keep_ids: bool | None = None) -> None:
        """Every vendor back to its fixtures (or one: its state, bytes, switches, faults and journal);
        ``keep_ids``: new ids go on from the highest handed out before (default: ``taskmock_keep_ids``)."""
        self._call(lambda: self._runtime().reset(vendor, keep_ids))
        for served in self._runtime().vendors:
            if vendor in (None, served.name):
                self.__dict__.pop(served.name, None)

    def requests(self, vendor: str | None = None, method: str | None = None, path: str | None = None,
                 operation: str | None = None) -> list[dict[str, Any]]:
        """The journal, oldest first; ``operation`` is a vendor's operation name (``createTaskFile``), which also
        finds the batch that ran it."""
        return self._call(lambda: self._runtime().journal.entries(vendor=vendor, method=method, path=path,
                                                                  operation=operation))

    def fault(self, vendor: str, **rule: Any) -> "Fault":
        """Add a fault rule (the fields of ``POST /__admin/faults``: operation, user, error, status, body, headers,
        latency_ms, drop, times, after, probability); ValueError says what is wrong with it. The returned
        ``Fault`` removes the rule when used as a context manager, at its exit."""
        added = self._call(lambda: self._runtime().faults.add({"vendor": vendor, **rule}))
        return Fault(self, added.id)

    def faults(self) -> list[dict[str, Any]]:
        """The rules in force, with their hits and what remains."""
        return self._call(lambda: [rule.describe() for rule in self._runtime().faults.rules])

    def options(self, vendor: str, **values: Any) -> None:
        """Set some of a vendor's switches while the server runs; a reset puts back those it started with."""
        self._call(lambda: self._runtime().store.options.patch({vendor: values}))

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward: tokens expire, rate limits drain, quotas reset, without sleeping."""
        self._call(lambda: self._runtime().clock.advance(seconds))

    def calls(self, vendor: str | None = None) -> Counter[tuple[str, str]]:
        """How many times each ``(vendor, operation)`` ran, a batch's sub-calls one by one."""
        counted: Counter[tuple[str, str]] = Counter()
        for entry in self.requests(vendor=vendor):
            counted.update((entry["vendor"], name) for name in entry["operations"])
        return counted

    def assert_called(self, vendor: str | None = None, operation: str | None = None,
                      times: int | None = None) -> None:
        """``operation`` (of ``vendor``, or any operation of it) ran, ``times`` times when given; the message
        lists what ran instead."""
        done = self._count(vendor, operation)
        if (times is None and done == 0) or (times is not None and done != times):
            wanted = f"{times} time(s)" if times is not None else "at least once"
            raise AssertionError(f"taskmock: expected {self._what(vendor, operation)} {wanted}, it ran {done} "
                                 f"time(s); {self._ran(vendor)}")

    def assert_not_called(self, vendor: str | None = None, operation: str | None = None) -> None:
        done = self._count(vendor, operation)
        if done:
            raise AssertionError(f"taskmock: expected no {self._what(vendor, operation)}, it ran {done} time(s); "
                                 f"{self._ran(vendor)}")

    def _count(self, vendor: str | None, operation: str | None) -> int:
        wanted = operation.lower() if operation else None
        return sum(n for (v, name), n in self.calls(vendor).items() if wanted in (None, name.lower()))

    @staticmethod
    def _what(vendor: str | None, operation: str | None) -> str:
        if operation:
            return f"{vendor} {operation}" if vendor else operation
        return f"a call to {vendor}" if vendor else "a call"

    def _ran(self, vendor: str | None) -> str:
        ran = self.calls(vendor)
        if not ran:
            return "nothing ran" + (f" on {vendor}" if vendor else "")
        return "what ran: " + ", ".join(f"{v} {name} x{n}" for (v, name), n in sorted(ran.items()))

    def describe_requests(self) -> str:
        """This test's requests, one a line: method, path, operations, status (and faults, crashes)."""
        lines = []
        for e in self.requests():
            extra = (f"  faults {e['faults']}" if e["faults"] else "") + ("  CRASHED" if e["crash"] else "")
            lines.append(f"{e['method']} {e['path']} {','.join(e['operations']) or '-'} -> {e['status']}{extra}")
        return "\n".join(lines) or "(no request)"

    def steer(self, marker: Any) -> None:
        """Apply a ``@pytest.mark.taskmock(options=..., faults=...)`` marker."""
        if marker is None:
            return
        for vendor, values in (marker.kwargs.get("options") or {}).items():
            self.options(vendor, **values)
        for rule in marker.kwargs.get("faults") or ():
            self.fault(**rule)

    def crashes(self) -> list[dict[str, Any]]:
        """The requests the mock itself failed on since the last reset, each with its traceback."""
        return self._call(lambda: list(self._runtime().crashes))

    def check_crashes(self) -> None:
        """Fail the running test if a request crashed the mock (the fixtures call this at teardown)."""
        crashes = self.crashes()
        if crashes:
            lines = [f"taskmock: the mock itself failed on {len(crashes)} request(s) of this test; this is a bug "
                     f"of taskmock, not an answer of the vendor (the client got the vendor's internal error):"]
            for crash in crashes:
                lines.append(f"\n{crash['method']} {crash['path']} ({crash['vendor']}: "
                             f"{', '.join(crash['operations']) or 'no operation'})\n{crash['traceback']}")
            pytest.fail("\n".join(lines), pytrace=False)

    def state(self, vendor: str | None = None) -> dict[str, Any]:
        def snapshot():
            states = self._runtime().store.all()
            return {n: s.snapshot() for n, s in states.items() if vendor is None or n == vendor}
        return self._call(snapshot)


class Fault:
    """A fault rule of a running server; as a context manager it removes the rule at its exit."""

    def __init__(self, handle: _Handle, rule_id: int):
        self.handle = handle
        self.id = rule_id

    def describe(self) -> dict[str, Any] | None:
        """The rule with its hits and what remains, or None once removed."""
        return next((r for r in self.handle.faults() if r["id"] == self.id), None)

    @property
    def hits(self) -> int:
        found = self.describe()
        return found["hits"] if found else 0

    def remove(self) -> None:
        self.handle._call(lambda: self.handle._runtime().faults.remove(self.id))

    def __enter__(self) -> "Fault":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


class LiveServer(_Handle):
    """uvicorn in a thread of the test process, on a port it bound itself; ready when it says so."""

    def __init__(self, settings: Settings):
        from mockserver.app import create_app
        from mockserver.server import bind_socket, make_server, url_of

        self.app = create_app(settings)
        sock = bind_socket(settings.host, 0)
        self.tls = None
        if settings.tls:
            from mockserver.tls import make_certificates
            self.tls = make_certificates()
        self.ca_path = str(self.tls.ca) if self.tls else None
        self.url = url_of(sock, "https" if self.tls else "http")
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

        def on_ready(loop):
            self._loop = loop
            self._ready.set()

        # clients of a test session may keep idle connections open: they need no grace at the end
        self._server = make_server(self.app, settings, on_ready, log_level="critical", tls=self.tls, grace=0.5)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="taskmock-server", daemon=True)
        self._thread.start()
        while not self._ready.wait(0.5):
            if not self._thread.is_alive():
                raise RuntimeError("taskmock server failed to start")

    def _call(self, fn):
        """Run ``fn`` on the server's loop, so it never races a request being served."""
        async def run():
            return fn()
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(run(), self._loop).result()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        if self.tls:
            self.tls.close()


class AsgiHandle(_Handle):
    """The app in-process: requests go through httpx's ASGI transport, no socket."""

    def __init__(self, settings: Settings):
        from mockserver.app import create_app

        self.app = create_app(dataclasses.replace(settings, admin_hosts=("taskmock",)))
        self.url = "http://taskmock"

    def async_client(self, **kwargs):
        import httpx
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=self.url, **kwargs)

    def request(self, method: str, path: str, **kwargs):
        async def send():
            async with self.async_client() as client:
                return await client.request(method, path, **kwargs)
        return asyncio.run(send())

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        self._runtime().blobs.close()


def _session_server(pytestconfig, tls: bool):
    server = LiveServer(dataclasses.replace(settings_from(pytestconfig), tls=tls))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def taskmock_server(pytestconfig):
    """The session's live server (uvicorn in a thread, on a free port), started on first use; tests take
    ``taskmock``, which resets it for each of them."""
    yield from _session_server(pytestconfig, tls=False)


@pytest.fixture(scope="session")
def taskmock_https_server(pytestconfig):
    """The session's live HTTPS server, with a throw-away CA; tests take ``taskmock_https``."""
    yield from _session_server(pytestconfig, tls=True)


def _for_the_test(handle: _Handle, request: pytest.FixtureRequest) -> Iterator[_Handle]:
    """Reset, steered by the test's marker, reported on if it fails, failed if it crashed the mock."""
    handle.reset()
    handle.steer(request.node.get_closest_marker("taskmock"))
    request.node.stash[HANDLE] = handle
    yield handle
    handle.check_crashes()


@pytest.fixture
def taskmock(taskmock_server, request):
    """The session's live server, reset to its fixtures; the test fails if a request of it crashed the mock."""
    yield from _for_the_test(taskmock_server, request)


@pytest.fixture
def taskmock_https(taskmock_https_server, request):
    """The same over HTTPS; ``.ca_path`` is the CA file to trust."""
    yield from _for_the_test(taskmock_https_server, request)


@pytest.fixture
def taskmock_asgi(pytestconfig, request):
    """A fresh app in-process, no socket; the test fails if a request of it crashed the mock."""
    handle = AsgiHandle(settings_from(pytestconfig))
    try:
        yield from _for_the_test(handle, request)
    finally:
        handle.close()
