"""Faults a test sets on the running server, in the vendor's own terms or raw.

A rule matches a ``vendor`` and optionally an ``operation`` of its table (a sub-call of a JSON-RPC or Bitrix24
batch matches too) and a ``user`` (an id, login or e-mail of the caller, as the vendor knows him), and acts with
exactly one of:

- ``error``: a named error of that vendor (``GET /__admin/errors``), raised where the operation would run, so
  the vendor's own wire answers it (status, envelope, headers; inside a Bitrix24 batch, that command's error);
- ``status`` (with ``body`` and ``headers``): that raw answer, for the whole request;
- ``latency_ms``: a number, or ``[min, max]`` drawn from the ``--seed`` PRNG, waited before the real answer;
- ``drop``: ``reset`` (the connection closed with no answer), ``empty`` (the headers, then closed) or
  ``truncate`` (half the body, then closed). In-process (the ASGI fixture) there is no connection: the app
  raises ``ConnectionResetError`` at that point instead.

``after`` lets the first N matches through, ``times`` retires the rule after acting N times, ``probability``
acts on that share of matches (seeded). The first rule that acts wins; a reset removes every rule.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import itertools
import json
import random
from dataclasses import dataclass, field
from typing import Any, Collection, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.journal import FAULTS
from mockserver.vendor import REGISTRY, Vendor, VendorError, unknown_vendor

DELAY = "taskmock.delay"              # on the request's scope: seconds to wait before the answer
DROP = "taskmock.drop"                # how to drop the connection
DROPS = ("reset", "empty", "truncate")
ACTIONS = ("error", "status", "latency_ms", "drop")
FIELDS = {"vendor", "operation", "user", *ACTIONS, "body", "headers", "times", "after", "probability"}


class RawAnswer(Exception):
    """A fault's raw answer: it replaces whatever the vendor would have said."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str]):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, dict(headers)

    def response(self) -> Response:
        """A text body as it is, any other JSON value as JSON, none as an empty body."""
        if self.body is None or isinstance(self.body, str):
            return Response((self.body or "").encode("utf-8"), self.status, headers=self.headers)
        return Response(json.dumps(self.body).encode("utf-8"), self.status,
                        headers={"content-type": "application/json", **self.headers})


@functools.lru_cache(maxsize=None)
def named_errors(vendor: str) -> dict[str, type[VendorError]]:
    """The errors a rule of ``vendor`` may name: each error class of the vendor that takes no argument (but the
    base class of its others), by its class name, and by the vendor's own code where that code names one only."""
    module = importlib.import_module(f"{REGISTRY[vendor]}.errors")
    own = [cls for cls in vars(module).values()
           if isinstance(cls, type) and issubclass(cls, VendorError) and cls.__module__ == module.__name__]
    roots = {cls for cls in own if cls.__bases__ == (VendorError,) and any(o is not cls and issubclass(o, cls)
                                                                            for o in own)}
    classes = {cls.__name__: cls for cls in own if cls not in roots and _takes_no_argument(cls)}
    by_code: dict[str, list[type[VendorError]]] = {}
    for cls in classes.values():
        if isinstance(cls.code, str) and cls.code:
            by_code.setdefault(cls.code, []).append(cls)
    aliases = {code: found[0] for code, found in by_code.items() if len(found) == 1 and code not in classes}
    return {**classes, **aliases}


def _takes_no_argument(cls: type[VendorError]) -> bool:
    try:
        cls()
    except TypeError:
        return False
    return True


def describe_errors(vendor: str) -> list[dict[str, Any]]:
    names = named_errors(vendor)
    rows = []
    for name, cls in names.items():
        if cls.__name__ != name:
            continue
        error = cls()
        aliases = [alias for alias, other in names.items() if other is cls and alias != name]
        rows.append({"name": name, "status": error.status, "code": error.code, "message": error.message,
                     **({"aliases": aliases} if aliases else {})})
    return rows


@dataclass
class Rule:
    id: int
    vendor: str
    operation: str | None = None
    user: str | None = None
    error: str | None = None
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    latency_ms: float | list[float] | None = None
    drop: str | None = None
    times: int | None = None
    after: int = 0
    probability: float | None = None
    seen: int = 0                    # matching requests so far
    hits: int = 0                    # times it acted
    raises: type[VendorError] | None = None

    def describe(self) -> dict[str, Any]:
        shown = {k: v for k, v in vars(self).items()
                 if k != "raises" and v is not None and not (k == "headers" and not v)}
        shown["remaining"] = None if self.times is None else max(self.times - self.hits, 0)
        return shown

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times


class Faults:
    def __init__(self, vendors: list[Vendor], seed: int):
        self.vendors = {v.name: v for v in vendors}
        self.seed = seed
        self.rules: list[Rule] = []
        self._ids = itertools.count(1)
        self.random = random.Random(seed)

    def add(self, spec: Any) -> Rule:
        """A new rule from its JSON form; ValueError with one line when it is not one."""
        if not isinstance(spec, dict):
            raise ValueError("a fault is an object: {\"vendor\": ..., and one of error, status, latency_ms, drop}")
        unknown = sorted(set(spec) - FIELDS)
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}; a fault takes {', '.join(sorted(FIELDS))}")
        name = spec.get("vendor")
        vendor = self.vendors.get(name) if isinstance(name, str) else None
        if vendor is None:
            raise ValueError(unknown_vendor(str(spec.get("vendor")), list(self.vendors)))
        operation = spec.get("operation")
        if operation is not None:
            op = vendor.operation(str(operation))
            if op is None:
                known = ", ".join(o.name for o in vendor.operations)
                raise ValueError(f"{vendor.name} has no operation {operation!r}; its operations: {known}")
            operation = op.name
        actions = [a for a in ACTIONS if spec.get(a) is not None]
        if len(actions) != 1:
            raise ValueError(f"a fault acts with exactly one of {', '.join(ACTIONS)}; this one has "
                             f"{', '.join(actions) or 'none'}")
        rule = Rule(next(self._ids), vendor.name, operation, _text(spec, "user"), times=_count(spec, "times"),
                    after=_count(spec, "after") or 0, probability=_probability(spec))
        action = actions[0]
        if action == "error":
            names = named_errors(vendor.name)
            rule.error = str(spec["error"])
            rule.raises = names.get(rule.error)
            if rule.raises is None:
                raise ValueError(f"{vendor.name} has no error {rule.error!r}; its errors: "
                                 f"{', '.join(r['name'] for r in describe_errors(vendor.name))}")
        elif action == "status":
            rule.status = spec["status"]
            if not isinstance(rule.status, int) or isinstance(rule.status, bool) or not 100 <= rule.status <= 599:
                raise ValueError(f"status is an HTTP status, 100 to 599, not {spec['status']!r}")
            rule.body = spec.get("body")
            headers = spec.get("headers") or {}
            if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
                raise ValueError("headers is an object of strings")
            rule.headers = headers
        elif action == "latency_ms":
            rule.latency_ms = _latency(spec["latency_ms"])
        else:
            rule.drop = spec["drop"]
            if rule.drop not in DROPS:
                raise ValueError(f"drop is one of {', '.join(DROPS)}, not {spec['drop']!r}")
        self.rules.append(rule)
        return rule

    def remove(self, rule_id: int) -> bool:
        before = len(self.rules)
        self.rules = [r for r in self.rules if r.id != rule_id]
        return len(self.rules) < before

    def clear(self, vendor: str | None = None) -> None:
        """Remove every rule (the PRNG seeded again), or one vendor's."""
        if vendor is None:
            self.rules = []
            self.random = random.Random(self.seed)
        else:
            self.rules = [r for r in self.rules if r.vendor != vendor]

    def hit(self, vendor: str, operation: str, users: Collection[str]) -> Rule | None:
        """The rule that acts on this operation now, if any; every matching rule counts the match."""
        acting = None
        for rule in self.rules:
            if rule.vendor != vendor or rule.spent or (rule.operation is not None and rule.operation != operation) \
                    or (rule.user is not None and rule.user not in users):
                continue
            rule.seen += 1
            if acting is not None or rule.seen <= rule.after:
                continue
            if rule.probability is not None and self.random.random() >= rule.probability:
                continue
            rule.hits += 1
            acting = rule
        return acting

    def apply(self, request: Request, vendor: str, operation: str, users: Collection[str]) -> None:
        """Act on this request where ``operation`` is about to run: raise the rule's error or raw answer, or
        leave its latency or drop on the request for ``FaultMiddleware``."""
        rule = self.hit(vendor, operation, users)
        if rule is None:
            return
        request.scope.setdefault(FAULTS, []).append(rule.id)
        if rule.raises is not None:
            raise rule.raises()
        if rule.status is not None:
            raise RawAnswer(rule.status, rule.body, rule.headers)
        if rule.latency_ms is not None:
            low, high = (rule.latency_ms, rule.latency_ms) if isinstance(rule.latency_ms, (int, float)) \
                else rule.latency_ms
            request.scope[DELAY] = request.scope.get(DELAY, 0.0) + self.random.uniform(low, high) / 1000
        if rule.drop is not None:
            request.scope[DROP] = rule.drop


def _text(spec: dict[str, Any], name: str) -> str | None:
    value = spec.get(name)
    return None if value is None else str(value)


def _count(spec: dict[str, Any], name: str) -> int | None:
    value = spec.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if name == "times" else 0):
        raise ValueError(f"{name} is a whole number {'>= 1' if name == 'times' else '>= 0'}, not {value!r}")
    return value


def _probability(spec: dict[str, Any]) -> float | None:
    value = spec.get("probability")
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise ValueError(f"probability is a number from 0 to 1, not {value!r}")
    return float(value)


def _latency(value: Any) -> float | list[float]:
    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
    if number(value):
        return float(value)
    if isinstance(value, list) and len(value) == 2 and all(number(v) for v in value) and value[0] <= value[1]:
        return [float(value[0]), float(value[1])]
    raise ValueError(f"latency_ms is milliseconds >= 0, or [min, max], not {value!r}")


class FaultMiddleware:
    """Waits out a rule's latency before the answer starts, and drops the connection as a rule says. Costs one
    check per request while no rule is set."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.faults.rules:
            await self.app(scope, receive, send)
            return
        transport = getattr(getattr(receive, "__self__", None), "transport", None)   # uvicorn's, when served
        dropped = False
        limit: int | None = None              # truncate: bytes of the body still sent
        sent = 0

        async def close(reset: bool) -> None:
            nonlocal dropped
            dropped = True
            if transport is None:
                raise ConnectionResetError("taskmock fault: the connection was dropped")
            if reset:
                transport.abort()
            else:
                transport.close()
            await asyncio.sleep(0)           # let the server see the connection go before the app returns

        async def send_with_faults(message: Message) -> None:
            nonlocal limit, sent
            if dropped:
                return
            if message["type"] == "http.response.start":
                delay = scope.get(DELAY)
                if delay:
                    await asyncio.sleep(delay)
                drop = scope.get(DROP)
                if drop == "reset":
                    await close(reset=True)
                    return
                await send(message)
                if drop == "empty":
                    await close(reset=False)
                elif drop == "truncate":
                    length = dict(message.get("headers", ())).get(b"content-length")
                    limit = int(length) // 2 if length else 0
                return
            if message["type"] == "http.response.body" and limit is not None:
                body = message.get("body", b"")
                if sent < limit:
                    part = body[:limit - sent]
                    sent += len(part)
                    await send({"type": "http.response.body", "body": part, "more_body": True})
                if sent >= limit:
                    await close(reset=False)
                return
            await send(message)

        await self.app(scope, receive, send_with_faults)
