"""The admin API under ``/__admin/``: health, reset, state, the request journal, the mock's own crashes, and what
a test steers: fault rules, vendor switches and the clock.

It shows every credential and can wipe the mock, so no other web page may reach it through a developer's
browser: without ``--admin-token`` it answers only requests whose ``Host`` is this machine (``localhost``,
``127.0.0.1``, ``::1``, the bound address), which a DNS-rebinding page cannot forge; with one, only requests that
carry it as a Bearer token. Open to all are the routes that show and change nothing: ``health``, the dashboard's
page (its data comes from the guarded routes, with the token the page is given) and the API documents. A ``POST`` must say ``Content-Type: application/json``: a cross-site form or
``fetch`` can send only the other types without the browser asking first, and this server sends no CORS headers,
so the browser never gets a yes.
"""

from __future__ import annotations

import functools
import hmac
import json
from pathlib import Path
from typing import Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mockserver import specs
from mockserver.faults import describe_errors
from mockserver.http import BodyTooLarge, ascii_digits, bearer, media_type, read_body
from mockserver.vendor import unknown_vendor


def _rt(request: Request):
    return request.app.state.runtime


async def _json(request: Request) -> Any:
    """The request's JSON body; ValueError (a 400) when it is none."""
    try:
        return json.loads(await read_body(request))
    except (ValueError, RecursionError, BodyTooLarge):
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


async def dashboard(request: Request) -> Response:
    """The dashboard: one page, no build step and nothing from elsewhere; it reads the routes below."""
    return HTMLResponse(_page())


@functools.cache
def _page() -> bytes:
    return (Path(__file__).parent / "dashboard.html").read_bytes()


async def vendors(request: Request) -> Response:
    """Each vendor served: its base URL on this request's origin, its credentials and its switches in force;
    and the served specs."""
    rt = _rt(request)
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return JSONResponse({
        "vendors": [{"name": v.name, "url": origin + v.entry_path, "credentials": rt.store[v.name].credentials(),
                     "options": rt.store.options.values[v.name]} for v in rt.vendors],
        "specs": [{"vendor": name, "url": f"/__admin/specs/{name}.json"} for name in specs.served(rt.vendors)]})


async def spec(request: Request) -> Response:
    """A vendor's REST contract as an OpenAPI document (``/__admin/specs/{vendor}.json``)."""
    rt = _rt(request)
    name = request.path_params["vendor"]
    if name not in specs.served(rt.vendors):
        return JSONResponse({"error": f"no spec is served for {name!r}: {', '.join(specs.served(rt.vendors))}"},
                            status_code=404)
    return JSONResponse(specs.document(name, rt.contracts, origin=f"{request.url.scheme}://{request.url.netloc}"))


async def openapi(request: Request) -> Response:
    """This API's own OpenAPI document."""
    return JSONResponse(specs.admin_document())


async def crashes(request: Request) -> Response:
    """The requests the mock itself failed on since the last reset, each with its traceback."""
    return JSONResponse({"crashes": _rt(request).crashes})


LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
SIMPLE_TYPES = frozenset({"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})


def hostname(host: str) -> str:
    """``example.com`` of ``example.com:8000``, ``::1`` of ``[::1]:8000``, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def refusal(request: Request) -> Response | None:
    """Why this request may not use the admin API, as the answer; None when it may."""
    settings = _rt(request).settings
    if settings.admin_token:
        given = bearer(request.headers.get("authorization")) or ""
        if not hmac.compare_digest(given.encode(), settings.admin_token.encode()):
            return JSONResponse({"error": "the admin API needs Authorization: Bearer <the --admin-token>"},
                                status_code=401, headers={"WWW-Authenticate": 'Bearer realm="taskmock admin"'})
    else:
        host = hostname(request.headers.get("host", ""))
        if host not in LOOPBACK | {settings.host, *settings.admin_hosts}:
            return JSONResponse({"error": f"Host {host!r} is not this server: the admin API answers on "
                                          f"localhost, or with --admin-token"}, status_code=403)
    if request.method == "POST" and media_type(request.headers) in SIMPLE_TYPES:
        return JSONResponse({"error": "an admin POST needs Content-Type: application/json"}, status_code=415)
    return None


def guarded(endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def checked(request: Request) -> Response:
        return refusal(request) or await endpoint(request)
    checked.__doc__ = endpoint.__doc__
    return checked


def routes() -> list[Route]:
    table: list[tuple[str, Callable[[Request], Awaitable[Response]], list[str]]] = [
        ("/__admin/health", health, ["GET"]),
        ("/__admin/reset", reset, ["POST"]),
        ("/__admin/state", state, ["GET"]),
        ("/__admin/requests", requests, ["GET", "DELETE"]),
        ("/__admin/crashes", crashes, ["GET"]),
        ("/__admin/options", options, ["GET", "PATCH"]),
        ("/__admin/faults", faults, ["GET", "POST", "DELETE"]),
        ("/__admin/faults/{rule_id:int}", fault, ["DELETE"]),
        ("/__admin/errors", errors, ["GET"]),
        ("/__admin/clock", clock, ["GET", "POST"]),
        ("/__admin/", dashboard, ["GET"]),
        ("/__admin/vendors", vendors, ["GET"]),
        ("/__admin/openapi.json", openapi, ["GET"]),
        ("/__admin/specs/{vendor}.json", spec, ["GET"]),
    ]
    return [Route(path, endpoint if endpoint in OPEN else guarded(endpoint), methods=methods)
            for path, endpoint, methods in table]


# they tell nothing and change nothing: a start-up script polls health without credentials; a browser, which
# cannot add a header to a navigation, opens the dashboard's page and the specs it links to
OPEN = (health, dashboard, openapi, spec)
