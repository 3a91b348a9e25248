"""Toggl Focus on the wire: a ``toggl_sk_`` key as Bearer (or the ``token`` query parameter) whose user must be
in the path's workspace, the hourly quota counted on every call and shown in two headers, JSON as Go's
``encoding/json`` writes it, and error bodies as each operation's Swagger declares them."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Collection

from starlette.responses import Response

from mockserver import http
from mockserver.contracts import Contracts
from mockserver.http import ascii_digits
from mockserver.pipeline import RouteWire
from mockserver.toggl import errors
from mockserver.toggl.models import Organization, TogglState, User
from mockserver.vendor import Call as BaseCall
from mockserver.vendor import Exchange, VendorError


@dataclass
class Call(BaseCall[TogglState]):
    user: User
    organization: Organization
    workspace_id: int
    quota: dict[str, str] = field(default_factory=dict)      # the quota headers of every answer to this call


def parse_id(value: str, name: str) -> int:
    if not ascii_digits(value) or int(value) < 1:
        raise errors.InvalidRequest(f"invalid {name}: {value!r}")
    return int(value)


_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_response(data: Any, status: int) -> Response:
    """Go's ``json.Marshal``: compact, non-ASCII raw, ``< > &`` and U+2028/U+2029 escaped (Go escapes HTML by
    default; these characters only ever stand inside strings, so replacing them in the text is safe)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _GO_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Response(text.encode("utf-8"), status, media_type="application/json; charset=utf-8")


def quota_headers(remaining: int, resets_in: int) -> dict[str, str]:
    return {"X-Toggl-Quota-Remaining": str(remaining), "X-Toggl-Quota-Resets-In": str(resets_in)}


class Wire(RouteWire):
    internal_error = errors.InternalServerError

    async def call(self, exchange: Exchange, contracts: Contracts) -> Call:
        """Bearer ``toggl_sk_`` key (or the ``token`` query parameter); then the workspace must be the user's;
        then one request off the hour's quota."""
        state: TogglState = exchange.state
        request, op = exchange.request, exchange.op
        assert op is not None
        key = http.bearer(request.headers.get("authorization"))
        if key is None:
            key = request.query_params.get("token", "")
        user = state.user_by_key(key) if key.startswith("toggl_sk_") else None
        if user is None:
            raise errors.Unauthorized()
        if op.meta.get("scoped", True):
            org_id = parse_id(request.path_params["organization_id"], "organization_id")
            workspace_id = parse_id(request.path_params["workspace_id"], "workspace_id")
            organization = state.organizations.get(org_id)
        else:                               # /users/me/...: the quota of the user's current workspace
            workspace_id = user.current_workspace_id or 0
            organization = state.organization_of(workspace_id)
        if organization is None or workspace_id not in organization.workspaces or workspace_id not in user.workspaces:
            raise errors.InsufficientPermissions()
        remaining, resets_in, allowed = state.spend_quota(user, organization)
        quota = quota_headers(remaining, resets_in)
        if not allowed:
            raise errors.QuotaExceeded(headers=quota)
        return Call(state, http.Inbound(request), op, contracts, user, organization, workspace_id, quota)

    def users(self, call: Call) -> Collection[str]:
        return {str(call.user.id), call.user.email}

    def reply(self, call: Call, result: Any) -> Response:
        response = super().reply(call, result)
        response.headers.update(call.quota)
        return response

    def render(self, call: Call, result: Any) -> Response:
        if result is None:
            return Response(status_code=call.op.status)
        return json_response(result, call.op.status)

    def too_large(self, exchange: Exchange) -> Response:
        return self.error(exchange, errors.PayloadTooLarge())

    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        """``"text"`` where the operation's Swagger declares a string body, else ``response.Error``."""
        op, call = exchange.op, exchange.call
        as_string = (op is not None and op.meta.get("string_errors") and getattr(exc, "in_swagger", True)
                     and exchange.state.error_body == "swagger")
        if as_string:
            response = json_response(exc.message, exc.status)
        else:
            response = json_response({"error": exc.code, "error_description": exc.message,
                                      "trace_id": secrets.token_hex(16)}, exc.status)
        response.headers.update(exc.headers or (call.quota if call else {}))
        if isinstance(exc, errors.QuotaExceeded) and not exc.headers:
            response.headers["X-Toggl-Quota-Remaining"] = "0"      # a 402 named by a fault rule: none left
        return response


WIRE = Wire()
