"""Every response the test-suite sees is checked against the contracts: the plugin's fixtures are wrapped so
that, after each test, the journal of the server it used (live or in-process) is read and each exchange
validated against ``contracts/``."""

from __future__ import annotations

import pytest

from tests.contracts import check_journal

pytest_plugins = ["pytester"]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _check(handle) -> None:
    rt = handle.app.state.runtime
    check_journal(rt.contracts, rt.vendors, handle.requests())


@pytest.fixture
def taskmock(taskmock):
    yield taskmock
    _check(taskmock)


@pytest.fixture
def taskmock_asgi(taskmock_asgi):
    yield taskmock_asgi
    _check(taskmock_asgi)
