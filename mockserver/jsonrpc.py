"""A generic JSON-RPC 2.0 dispatcher, in the check order of the PHP JsonRPC server that Kanboard embeds.

For each request object: format (``-32600``), authentication (the vendor's ``authenticate``, which may abort
the whole HTTP reply), method lookup, case-insensitive (``-32601``), the vendor's ``before`` hook, argument
binding (``-32602``), the call, then encoding (``-32603``). A body that does not decode to an object or array is
``-32700``. A non-empty top-level array is a batch: its elements run in order, each reply is encoded on its
own, notifications (``id`` absent or null) add nothing, and an ``HttpAbort`` from any element replaces the whole
reply. The vendor supplies the JSON codec, the request contract, ``authenticate`` and the procedures, which
``procedures_from`` makes of its operation table. ``handle`` tells ``on_call`` the name of each procedure it is
about to run, and who for; a ``ResultInstead`` raised there answers the call with its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from mockserver.vendor import Operation, VendorError

MISSING = object()


class RpcError(VendorError):
    """An error object inside a reply (HTTP 200): its code, message and optional ``data``."""
    status, code, message = 200, 0, ""
    id_echoed = True        # -32700 and -32600 always answer with "id": null

    def __init__(self, data: Any = None):
        super().__init__()
        self.data = data

    def to_error(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data:
            error["data"] = self.data
        return error


class ParseError(RpcError):
    code, message, id_echoed = -32700, "Parse error", False


class InvalidRequest(RpcError):
    code, message, id_echoed = -32600, "Invalid Request", False


class MethodNotFound(RpcError):
    code, message = -32601, "Method not found"


class InvalidParams(RpcError):
    code, message = -32602, "Invalid params"


class InternalError(RpcError):
    code, message = -32603, "Internal error"


class ResultInstead(VendorError):
    """Raised before a procedure runs (by ``on_call`` or ``before``): the call answers ``value`` instead."""
    status, code = 200, 0
    value: Any = None


class EncodeError(Exception):
    """Raised by a vendor's encoder; becomes -32603 with the encoder's text as ``data``."""


class HttpAbort(VendorError):
    """Ends the whole HTTP exchange (a batch included) with this status, body and headers."""

    def __init__(self, status: int, body: bytes, headers: Mapping[str, str]):
        super().__init__(body.decode("utf-8", "replace"), headers)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Param:
    name: str
    default: Any = MISSING


@dataclass(frozen=True)
class Procedure:
    name: str
    func: Callable[..., Any]
    params: tuple[Param, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> int:
        return sum(1 for p in self.params if p.default is MISSING)


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]


def bind_arguments(proc: Procedure, params: Any) -> list[Any]:
    """Positional (an array, or an object keyed exactly "0".."n-1") or named; the PHP server's messages."""
    if params is None:
        params = []
    count = len(params)
    if count < proc.required:
        raise InvalidParams("Wrong number of arguments")
    if count > len(proc.params):
        raise InvalidParams("Too many arguments")
    if isinstance(params, list):
        values = list(params)
    elif list(params) == [str(i) for i in range(count)] and count:
        values = list(params.values())
    else:
        values = []
        for p in proc.params:
            if p.name in params:
                values.append(params[p.name])
            elif p.default is not MISSING:
                values.append(p.default)
            else:
                raise InvalidParams(f"Missing argument: {p.name}")
        return values
    return values + [p.default for p in proc.params[len(values):]]


class JsonRpcServer:
    def __init__(
        self,
        procedures: Iterable[Procedure],
        *,
        decode: Callable[[bytes], Any],
        encode: Callable[[Any], bytes],
        is_valid_request: Callable[[Any], bool],
        authenticate: Callable[[Any], Any],
        before: Callable[[Procedure, Any], None] | None = None,
        check_args: Callable[[Procedure, list[Any]], None] | None = None,
        content_type: str = "application/json",
    ):
        self.procedures = {p.name.lower(): p for p in procedures}
        self.decode = decode
        self.encode = encode
        self.is_valid_request = is_valid_request
        self.authenticate = authenticate
        self.before = before
        self.check_args = check_args
        self.headers = {"content-type": content_type}

    def handle(self, body: bytes, credentials: Any,
               on_call: Callable[[str, Any], None] = lambda name, session: None) -> Reply:
        try:
            try:
                payload = self.decode(body)
            except ParseError as exc:
                return self._reply(self._error(exc, None))
            if isinstance(payload, list) and payload:
                parts = [r for r in (self._process(e, credentials, on_call) for e in payload) if r is not None]
                return self._reply(b"[" + b",".join(parts) + b"]" if parts else b"")
            return self._reply(self._process(payload, credentials, on_call) or b"")
        except HttpAbort as abort:
            return Reply(abort.status, abort.body, dict(abort.headers))

    def _reply(self, body: bytes) -> Reply:
        return Reply(200, body, self.headers)

    def _process(self, element: Any, credentials: Any, on_call: Callable[[str, Any], None]) -> bytes | None:
        if not isinstance(element, (dict, list)):
            return self._error(ParseError(), None)
        if not isinstance(element, dict) or not self.is_valid_request(element):
            return self._error(InvalidRequest(), None)
        request_id = element.get("id")
        session = self.authenticate(credentials)
        try:
            proc = self.procedures.get(element["method"].lower())
            if proc is None:
                raise MethodNotFound()
            try:
                on_call(proc.name, session)
                if self.before is not None:
                    self.before(proc, session)
                args = bind_arguments(proc, element.get("params"))
                if self.check_args is not None:
                    self.check_args(proc, args)
                result = proc.func(session, *args)
            except ResultInstead as instead:
                result = instead.value
            if request_id is None:
                return None
            try:
                return self.encode({"jsonrpc": "2.0", "result": result, "id": request_id})
            except EncodeError as exc:
                raise InternalError(str(exc)) from None
        except RpcError as exc:
            return None if request_id is None else self._error(exc, request_id)

    def _error(self, exc: RpcError, request_id: Any) -> bytes:
        envelope = {"jsonrpc": "2.0", "error": exc.to_error(), "id": request_id if exc.id_echoed else None}
        try:
            return self.encode(envelope)
        except EncodeError as failure:  # the id itself cannot be encoded (a float past the double range):
            # the encoding failure escapes the element and the server answers it alone, for the whole batch
            whole = {"jsonrpc": "2.0", "error": InternalError(str(failure)).to_error(), "id": None}
            raise HttpAbort(200, self.encode(whole), self.headers) from None


def params_from_schema(schema: dict[str, Any]) -> tuple[Param, ...]:
    """A procedure's signature from its params contract: ``properties`` in order, ``required`` without default."""
    required = set(schema.get("required", ()))
    return tuple(
        Param(name, MISSING if name in required else prop.get("default"))
        for name, prop in schema.get("properties", {}).items()
    )


def procedures_from(operations: Sequence[Operation], schema: Callable[[str], dict[str, Any]]) -> list[Procedure]:
    """One procedure per operation; its signature is its request contract's (``schema(op.request)``)."""
    return [Procedure(op.name, op.handler, params_from_schema(schema(op.request)) if op.request else (), op.meta)
            for op in operations]
