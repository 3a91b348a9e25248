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

Settings come from ini options: ``taskmock_fixtures`` (a fixture file), ``taskmock_seed``.

A request on which the mock itself failed (an exception that is no vendor's answer: a bug of taskmock) is
answered as the vendor's internal error, and the ``taskmock``, ``taskmock_https`` and ``taskmock_asgi``
fixtures then fail the test at teardown with the traceback (``handle.crashes()`` lists them).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from pathlib import Path
from typing import Any

import pytest

from mockserver.settings import Settings


def pytest_addoption(parser):
    parser.addini("taskmock_fixtures", "fixture file for the taskmock server", default="")
    parser.addini("taskmock_seed", "seed of taskmock's fake data", default="0")


def settings_from(config) -> Settings:
    fixtures = config.getini("taskmock_fixtures")
    return Settings(host="127.0.0.1", port=0, fixtures=Path(config.rootpath, fixtures) if fixtures else None,
                    seed=int(config.getini("taskmock_seed") or 0))


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

    def _vendor_handles(self) -> None:
        rt = self._runtime()
        for vendor in rt.vendors:
            setattr(self, vendor.name, VendorHandle(self.url + vendor.entry_path, rt.store[vendor.name].credentials()))

    def _call(self, fn):
        return fn()

    def reset(self) -> None:
        def reset_and_describe():
            self._runtime().reset()
            self._vendor_handles()
        self._call(reset_and_describe)

    def requests(self, vendor: str | None = None, method: str | None = None, path: str | None = None,
                 operation: str | None = None) -> list[dict[str, Any]]:
        """The journal, oldest first; ``operation`` is a vendor's operation name (``createTaskFile``), which also
        finds the batch that ran it."""
        return self._call(lambda: self._runtime().journal.entries(vendor=vendor, method=method, path=path,
                                                                  operation=operation))

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
        self._call(self._vendor_handles)

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

        self.app = create_app(settings)
        self.url = "http://taskmock"
        self._vendor_handles()

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
    yield from _session_server(pytestconfig, tls=False)


@pytest.fixture(scope="session")
def taskmock_https_server(pytestconfig):
    yield from _session_server(pytestconfig, tls=True)


@pytest.fixture
def taskmock(taskmock_server):
    """The session's live server, reset to its fixtures; the test fails if a request of it crashed the mock."""
    taskmock_server.reset()
    yield taskmock_server
    taskmock_server.check_crashes()


@pytest.fixture
def taskmock_https(taskmock_https_server):
    """The same over HTTPS; ``.ca_path`` is the CA file to trust."""
    taskmock_https_server.reset()
    yield taskmock_https_server
    taskmock_https_server.check_crashes()


@pytest.fixture
def taskmock_asgi(pytestconfig):
    """A fresh app in-process, no socket; the test fails if a request of it crashed the mock."""
    handle = AsgiHandle(settings_from(pytestconfig))
    try:
        yield handle
        handle.check_crashes()
    finally:
        handle.close()
