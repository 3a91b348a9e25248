"""Kanboard's errors, one class per answer the real server gives, each with its code and text.

The JSON-RPC codes (-32700 … -32603) come from the JSON-RPC layer Kanboard embeds and are re-exported here with
the ``data`` texts Kanboard's server writes. The rest end the whole HTTP exchange, a batch included: each is an
``HttpAbort`` (a ``VendorError``) with the status, body and headers Kanboard sends.
"""

from __future__ import annotations

from mockserver.http import NGINX_413
from mockserver.jsonrpc import (  # noqa: F401  (re-exported: Kanboard's own JSON-RPC errors)
    HttpAbort,
    ResultInstead,
    InternalError,
    InvalidParams,
    InvalidRequest,
    MethodNotFound,
    ParseError,
    RpcError,
)

JSON = "application/json"

# data texts of -32603, as PHP's json_last_error_msg() words them
MALFORMED_UTF8 = "Malformed UTF-8 characters, possibly incorrectly encoded"
UNKNOWN_ERROR = "Unknown error"   # any other json_last_error (an infinity, say): JsonEncodingValidator's default


class Unauthorized(HttpAbort):
    """401: missing, wrong or locked credentials. The id is always null and the reason is never sent."""

    def __init__(self):
        super().__init__(401, b'{"jsonrpc":"2.0","error":{"code":401,"message":"Unauthorized"},"id":null}',
                         {"content-type": JSON, "www-authenticate": 'Basic realm="JsonRPC"'})


class Forbidden(HttpAbort):
    """403: a user without the project role (or app role) the procedure needs, or a project that is not found."""

    def __init__(self):
        super().__init__(403, b'{"jsonrpc":"2.0","error":{"code":403,"message":"Forbidden"},"id":null}',
                         {"content-type": JSON})


class PhpFatalError(HttpAbort):
    """500 with an empty body: a PHP Error (TypeError, GD failing on a fake image) kills the request."""

    def __init__(self):
        super().__init__(500, b"", {"content-type": "text/html; charset=UTF-8"})


class RequestEntityTooLarge(HttpAbort):
    """413 from the nginx in front of Kanboard's Docker image (client_max_body_size 32M)."""

    def __init__(self):
        super().__init__(413, NGINX_413, {"content-type": "text/html"})


class InvalidFilePathId(RpcError):
    """``FileModel::generatePath`` on an id that is not a positive int (a float, a bool, null, zero…): the
    Exception's code and text, relayed in the reply."""
    code, message = 0, "Invalid ID provided for file path generation"


class FalseResult(ResultInstead):
    """A procedure that answers ``false``: how Kanboard says a write failed (a fault rule may ask for it)."""
    message, value = "false", False
