"""uvicorn around the app: bound to a socket we open ourselves (so port 0 is known before serving), with a
callback once the server really accepts connections. The CLI and the pytest plugin both start it this way."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
import sys
from typing import Any, Callable

import uvicorn

from mockserver.settings import Settings


def configure_logging(level: str) -> None:
    """The ``taskmock`` loggers on stderr at ``level``: the mock's own crashes (ERROR, with the traceback) and,
    at INFO, the access log (one line per request: method, path, vendor, operations, status, milliseconds)."""
    logger = logging.getLogger("taskmock")
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    logger.propagate = False


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and without it
    # a reply written in two parts waits out the peer's delayed ACK (40 ms a request on keep-alive).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, scheme: str = "http") -> str:
    host, port = sock.getsockname()[:2]
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


class Deadlines:
    """For uvicorn's HTTP protocols: a request's head must arrive whole within ``header_timeout`` seconds of the
    connection opening (or of its first byte, on a kept-alive connection), and its body may not stall for
    ``body_timeout``; otherwise the connection is closed. uvicorn itself only times out idle keep-alive
    connections, and any byte a client trickles in resets that."""

    header_timeout = 30.0
    body_timeout = 30.0
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._timer: asyncio.TimerHandle | None = None
        self._seen: Any = None
        self._arm(self.header_timeout)

    def _arm(self, seconds: float | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.loop.call_later(seconds, self._expire) if seconds is not None else None

    def _expire(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        cycle = self.cycle
        if cycle is None or (cycle is self._seen and cycle.response_complete):
            if self._timer is None:                # the first byte of the next head: its deadline starts
                self._arm(self.header_timeout)
            return                                 # the head of a request is still coming: its deadline stands
        self._seen = cycle
        self._arm(self.body_timeout if cycle.more_body else None)

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm(None)                            # idle now: uvicorn's keep-alive timeout applies

    def connection_lost(self, exc: Exception | None) -> None:
        self._arm(None)
        super().connection_lost(exc)  # type: ignore[misc]


def protocol(settings: Settings) -> type[asyncio.Protocol]:
    """uvicorn's fastest HTTP protocol here (httptools, else h11), with ``Deadlines``."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:                                        # pragma: no cover - httptools is a dependency
        from uvicorn.protocols.http.h11_impl import H11Protocol as base  # type: ignore[assignment]
    return type("Protocol", (Deadlines, base), {"header_timeout": settings.header_timeout,
                                                "body_timeout": settings.body_timeout})


FREEZE_EVERY = 10.0         # seconds between two sweeps of the heap (the command-line server alone)


def keep_the_heap_still(loop: asyncio.AbstractEventLoop, every: float = FREEZE_EVERY) -> None:
    """Collect, then freeze what survives, again and again: the states' records (a hundred thousand stored files)
    leave the cyclic collector's generations, so its full sweeps, which would walk them all, stay as cheap as on a
    fresh server (``bench/growth.py``: 1.39-1.46x the CPU a request after 100,000 files, before). A reset unfreezes
    (``StateStore.reset``), so what it drops is collected at the next sweep."""
    gc.collect()
    gc.freeze()
    loop.call_later(every, keep_the_heap_still, loop, every)


class Server(uvicorn.Server):
    """A uvicorn server that calls ``on_ready(loop)`` from its loop once it is listening; with ``freeze_heap``
    (the command-line server, which owns its process) it keeps its long-lived objects out of the collector's way."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[asyncio.AbstractEventLoop], None],
                 freeze_heap: bool = False):
        super().__init__(config)
        self.on_ready = on_ready
        self.freeze_heap = freeze_heap

    def handle_exit(self, sig: int, frame) -> None:
        """SIGTERM/SIGINT ask for a graceful stop that exits 0 (uvicorn would re-raise the signal afterwards);
        a second SIGINT forces it."""
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.should_exit = True

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            loop = asyncio.get_running_loop()
            if self.freeze_heap:
                loop.call_later(FREEZE_EVERY, keep_the_heap_still, loop)
            self.on_ready(loop)


def make_server(app, settings: Settings, on_ready, log_level: str = "warning", tls=None,
                grace: float = 5, freeze_heap: bool = False) -> Server:
    """``tls``: a ``mockserver.tls.TlsFiles`` to serve HTTPS with; ``grace``: seconds in-flight requests get
    at shutdown; ``freeze_heap``: see ``keep_the_heap_still`` (for a process of the server's own)."""
    # "auto" picks uvloop where it is installed (a dependency), else asyncio
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on", loop="auto",
                            http=protocol(settings), limit_concurrency=settings.max_connections,
                            timeout_keep_alive=settings.keep_alive,
                            timeout_graceful_shutdown=grace,  # type: ignore[arg-type]  # seconds; a float waits
                            ssl_certfile=str(tls.certificate) if tls else None,
                            ssl_keyfile=str(tls.key) if tls else None)
    return Server(config, on_ready, freeze_heap)
