"""The admin API under ``/__admin/``: health, reset, state, the request journal, the mock's own crashes, and what
a test steers: fault rules, vendor switches and the clock."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mockserver.faults import describe_errors
from mockserver.http import ascii_digits
from mockserver.vendor import unknown_vendor


def _rt(request: Request):
    return request.app.state.runtime


async def _json(request: Request) -> Any:
    """The request's JSON body; ValueError (a 400) when it is none."""
    try:
        return json.loads(await request.body())
    except (ValueError, RecursionError):
        raise ValueError("the body is not JSON") from None


async def health(request: Request) -> Response:
    rt = _rt(request)
    return JSONResponse({"status": "ok", "vendors": [v.name for v in rt.vendors]})


def _vendor(request: Request) -> str | None:
    """The ``?vendor=`` of a request, which this server must serve (ValueError otherwise)."""
    wanted = request.query_params.get("vendor")
    served = [v.name for v in _rt(request).vendors]
    if wanted is not None and wanted not in served:
        raise ValueError(unknown_vendor(wanted, served))
    return wanted


BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


async def reset(request: Request) -> Response:
    """Every vendor back as the server started, or one (``?vendor=``); ``?keep_ids=true|false`` overrides the
    server's ``--keep-ids`` for this reset."""
    rt = _rt(request)
    try:
        vendor = _vendor(request)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    keep = request.query_params.get("keep_ids")
    if keep is not None and keep.lower() not in BOOLEANS:
        return JSONResponse({"error": f"keep_ids={keep}: true or false"}, status_code=400)
    rt.reset(vendor, None if keep is None else BOOLEANS[keep.lower()])
    return JSONResponse({"reset": [v.name for v in rt.vendors if vendor in (None, v.name)]})


async def state(request: Request) -> Response:
    rt = _rt(request)
    wanted = request.query_params.get("vendor")
    if wanted is not None and wanted not in rt.store.vendors:
        return JSONResponse({"error": f"unknown vendor {wanted!r}"}, status_code=404)
    return JSONResponse({name: s.snapshot() for name, s in rt.store.all().items()
                         if wanted is None or name == wanted})


async def requests(request: Request) -> Response:
    rt = _rt(request)
    try:
        vendor = _vendor(request)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    if request.method == "DELETE":
        rt.journal.clear(vendor)
        return Response(status_code=204)
    q = request.query_params
    limit = q.get("limit")
    if limit is not None and not ascii_digits(limit):
        return JSONResponse({"error": "limit must be a whole number"}, status_code=400)
    entries = rt.journal.entries(vendor=vendor, method=q.get("method"), path=q.get("path"),
                                 limit=int(limit) if limit else None, operation=q.get("operation"))
    return JSONResponse({"enabled": rt.journal.enabled, "size": rt.journal.size, "requests": entries})


async def options(request: Request) -> Response:
    """``GET``: every switch with its value, default, type and meaning; ``PATCH {vendor: {switch: value}}``:
    change some while the server runs (400 and nothing changed when one is wrong)."""
    rt = _rt(request)
    if request.method == "PATCH":
        try:
            rt.store.options.patch(await _json(request))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse(rt.store.options.describe())


async def clock(request: Request) -> Response:
    """``GET``: the server's time and how far it was moved; ``POST {"advance": seconds}`` moves it forward."""
    rt = _rt(request)
    if request.method == "POST":
        try:
            body = await _json(request)
            seconds = body.get("advance") if isinstance(body, dict) else None
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
                raise ValueError('the body is {"advance": seconds}')
            rt.clock.advance(seconds)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse({"time": rt.clock.time(), "now": rt.clock.now().isoformat(), "offset": rt.clock.offset})


async def faults(request: Request) -> Response:
    """``POST`` a rule (201 with its id), ``GET`` the rules with their hits, ``DELETE`` them all."""
    rt = _rt(request)
    if request.method == "POST":
        try:
            rule = rt.faults.add(await _json(request))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(rule.describe(), status_code=201)
    if request.method == "DELETE":
        rt.faults.clear()
        return Response(status_code=204)
    return JSONResponse({"faults": [rule.describe() for rule in rt.faults.rules]})


async def fault(request: Request) -> Response:
    """``DELETE /__admin/faults/{id}``: that rule gone (404 when there is none)."""
    if _rt(request).faults.remove(request.path_params["rule_id"]):
        return Response(status_code=204)
    return JSONResponse({"error": f"no fault rule {request.path_params['rule_id']}"}, status_code=404)


async def errors(request: Request) -> Response:
    """The named errors a fault rule may use, per vendor (``?vendor=`` for one)."""
    rt = _rt(request)
    wanted = request.query_params.get("vendor")
    served = [v.name for v in rt.vendors]
    if wanted is not None and wanted not in served:
        return JSONResponse({"error": unknown_vendor(wanted, served)}, status_code=400)
    return JSONResponse({name: describe_errors(name) for name in served if wanted in (None, name)})


async def crashes(request: Request) -> Response:
    """The requests the mock itself failed on since the last reset, each with its traceback."""
    return JSONResponse({"crashes": _rt(request).crashes})


def routes() -> list[Route]:
    return [
        Route("/__admin/health", health, methods=["GET"]),
        Route("/__admin/reset", reset, methods=["POST"]),
        Route("/__admin/state", state, methods=["GET"]),
        Route("/__admin/requests", requests, methods=["GET", "DELETE"]),
        Route("/__admin/crashes", crashes, methods=["GET"]),
        Route("/__admin/options", options, methods=["GET", "PATCH"]),
        Route("/__admin/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/__admin/faults/{rule_id:int}", fault, methods=["DELETE"]),
        Route("/__admin/errors", errors, methods=["GET"]),
        Route("/__admin/clock", clock, methods=["GET", "POST"]),
    ]
