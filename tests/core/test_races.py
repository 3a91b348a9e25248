"""Nothing lost, mixed or cut short under concurrency, over real HTTP: uploads at 100-way concurrency across the
five vendors come back byte for byte; downloads racing deletes, new versions and resets are whole or the
vendor's own not-found; a reset leaves no blob that no state holds."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import random
from typing import Any

import httpx
import pytest

from mockserver.blobs import Blob
from tests.vendors import ALL, Bitrix24, Kanboard, NotTheVendorsAnswer, Toggl

pytestmark = pytest.mark.anyio


def payload(rng: random.Random, size: int) -> bytes:
    return rng.randbytes(size)


async def bounded(limit: int, jobs: list[Any]) -> list[Any]:
    """Run the coroutines ``jobs``, ``limit`` at a time; each one's result or exception, in order."""
    gate = asyncio.Semaphore(limit)

    async def one(job):
        async with gate:
            return await job
    return await asyncio.gather(*(one(job) for job in jobs), return_exceptions=True)


def client(taskmock) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=taskmock.url, timeout=60,
                             limits=httpx.Limits(max_connections=100, max_keepalive_connections=100))


async def open_all(stack: contextlib.AsyncExitStack, taskmock, kinds=ALL) -> list[Any]:
    """Each vendor logged in on a client of its own (their credentials travel in the same header)."""
    return [await kind.open(await stack.enter_async_context(client(taskmock))) for kind in kinds]


def held_blobs(taskmock) -> set[str]:
    """The keys of every blob some vendor's state holds now."""
    found: set[str] = set()
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if id(node) in seen or isinstance(node, (str, bytes, int, float, bool, type(None))):
            return
        seen.add(id(node))
        if isinstance(node, Blob):
            found.add(node.key)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, set)):
            for value in node:
                walk(value)
        elif hasattr(node, "__dict__") and type(node).__module__.startswith("mockserver."):
            walk(vars(node))
    taskmock._call(lambda: walk(taskmock.app.state.runtime.store.states))
    return found


def stored_files(taskmock) -> set[str]:
    return set(os.listdir(taskmock.app.state.runtime.blobs.root))


async def test_a_thousand_concurrent_uploads_across_the_vendors_come_back_whole(taskmock):
    rng = random.Random(1)
    async with contextlib.AsyncExitStack() as stack:
        vendors = await open_all(stack, taskmock)
        jobs = []
        for i in range(1000):
            vendor = vendors[i % len(vendors)]
            data = payload(rng, rng.randrange(1, 48 * 1024))
            jobs.append((vendor, f"file-{i}.bin", data))
        stored = await bounded(100, [vendor.store(name, data) for vendor, name, data in jobs])
        failed = [s for s in stored if isinstance(s, BaseException)]
        assert not failed, failed[:3]
        read = await bounded(100, [s.read() for s in stored])
    lost = sum(1 for got in read if got is None)
    mixed = sum(1 for got, (_, _, data) in zip(read, jobs)
                if got is not None and hashlib.sha256(got).digest() != hashlib.sha256(data).digest())
    assert (lost, mixed) == (0, 0)


@pytest.mark.parametrize("kind", [Kanboard, Bitrix24, Toggl], ids=lambda k: k.name)
async def test_downloads_racing_deletes_are_whole_or_not_found(taskmock, kind):
    rng = random.Random(kind.name)
    async with client(taskmock) as http:
        vendor = await kind.open(http)
        datas = [payload(rng, 700 * 1024) for _ in range(30)]
        stored = [await vendor.store(f"race-{i}.bin", data) for i, data in enumerate(datas)]
        jobs: list[tuple[int, Any]] = []
        for i, s in enumerate(stored):
            jobs += [(i, s.read()) for _ in range(4)] + [(-1, s.delete())]
        rng.shuffle(jobs)
        results = await bounded(60, [job for _, job in jobs])
    whole = gone = 0
    for (i, _), result in zip(jobs, results):
        assert not isinstance(result, BaseException), repr(result)
        if i >= 0:
            assert result is None or result == datas[i], f"{len(result)} bytes of {len(datas[i])}"
            whole, gone = whole + (result is not None), gone + (result is None)
    assert whole + gone == 120


async def test_downloads_racing_new_versions_keep_their_bytes(taskmock):
    """ProjectCOR: a second upload of a name is the next version, with its own bytes and URL; a download of the
    first version while newer ones arrive still gets the first version's bytes."""
    rng = random.Random(7)
    async with client(taskmock) as http:
        vendor = await ALL[3].open(http)
        first_data = payload(rng, 900 * 1024)
        first = await vendor.store("versioned.bin", first_data)
        newer = [payload(rng, 900 * 1024) for _ in range(10)]
        jobs = [first.read() for _ in range(30)] + [vendor.store("versioned.bin", data) for data in newer]
        rng.shuffle(jobs)
        results = await bounded(40, jobs)
    assert not [r for r in results if isinstance(r, BaseException)]
    reads = [r for r in results if isinstance(r, bytes)]
    assert len(reads) == 30 and all(r == first_data for r in reads)


async def test_downloads_and_uploads_racing_resets_finish_whole_and_leave_no_orphan(taskmock):
    """With ids kept across resets, an id from before a reset never names another upload: every read is the
    bytes it was stored with, or the vendor's not-found; no request fails; afterwards the blob store holds
    exactly the blobs the vendors' states hold."""
    rng = random.Random(3)
    async with contextlib.AsyncExitStack() as stack:
        vendors = await open_all(stack, taskmock)
        http = await stack.enter_async_context(client(taskmock))
        datas = [payload(rng, rng.randrange(200 * 1024, 600 * 1024)) for _ in range(40)]
        stored = [await vendors[i % 5].store(f"before-{i}.bin", data) for i, data in enumerate(datas)]
        expected: dict[int, bytes] = {}
        jobs: list[Any] = []
        for i, s in enumerate(stored):
            expected[len(jobs)] = datas[i]
            jobs.append(s.read())
        for i in range(60):
            jobs.append(vendors[i % 5].store(f"during-{i}.bin", payload(rng, 100 * 1024)))
        for _ in range(6):
            jobs.append(http.post("/__admin/reset", json={}, params={"keep_ids": "true"}))
        order = list(range(len(jobs)))
        rng.shuffle(order)
        shuffled = await bounded(50, [jobs[k] for k in order])
        results = dict(zip(order, shuffled))
    # a request that raced a reset may find its login gone: that is the vendor's 401, and no failure here
    logged_out = {k for k, r in results.items() if isinstance(r, NotTheVendorsAnswer) and ": 401 " in str(r)}
    failures = [r for k, r in results.items() if isinstance(r, BaseException) and k not in logged_out]
    assert not failures, failures[:3]
    for k, data in expected.items():
        assert k in logged_out or results[k] is None or results[k] == data
    assert stored_files(taskmock) == held_blobs(taskmock)
