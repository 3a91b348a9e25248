"""ProjectCOR on the wire: Bearer access tokens on the operations that need one, JSON as Node's
``JSON.stringify`` writes it, and errors in the shape of each (``errors``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Collection

from starlette.responses import RedirectResponse, Response

from mockserver import http
from mockserver.contracts import Contracts
from mockserver.pipeline import RouteWire
from mockserver.projectcor import errors
from mockserver.projectcor.models import CorState, Token
from mockserver.projectcor.render import Created, Redirect
from mockserver.vendor import Call as BaseCall
from mockserver.vendor import Exchange, VendorError


@dataclass
class Call(BaseCall[CorState]):
    token: Token | None = None        # the access token, on the operations that need one


def json_response(data: Any, status: int = 200) -> Response:
    """Node's ``JSON.stringify``: compact, non-ASCII raw, nothing else escaped."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), status,
                    media_type="application/json; charset=utf-8")


def access_token(state: CorState, header: str | None) -> Token:
    token = state.tokens.get(http.bearer(header) or "")
    if token is None:
        raise errors.InvalidToken()
    if token.expires_at <= state.now():
        raise errors.ExpiredToken()
    return token


class Wire(RouteWire):
    internal_error = errors.InternalServerError

    async def call(self, exchange: Exchange, contracts: Contracts) -> Call:
        state: CorState = exchange.state
        request, op = exchange.request, exchange.op
        assert op is not None
        call = Call(state, http.Inbound(request), op, contracts)
        if op.meta.get("bearer"):
            call.token = access_token(state, request.headers.get("authorization"))
        return call

    def users(self, call: Call) -> Collection[str]:
        return {str(call.token.user_id)} if call.token else ()

    def render(self, call: Call, result: Any) -> Response:
        """JSON in the operation's status; nothing (a deletion's 204); a record created with the switch's status;
        a redirect."""
        if result is None:
            return Response(status_code=call.op.status)
        if isinstance(result, Created):
            return json_response(result.record, result.status)
        if isinstance(result, Redirect):
            return RedirectResponse(result.location, 302)
        return json_response(result, call.op.status)

    def too_large(self, exchange: Exchange) -> Response:
        return self.error(exchange, errors.PayloadTooLarge())

    def error(self, exchange: Exchange, exc: VendorError) -> Response:
        body = exc.body() if isinstance(exc, errors.CorError) else {"message": exc.message}
        response = json_response(body, exc.status)
        response.headers.update(exc.headers)
        return response


WIRE = Wire()
