"""Kanboard's wire format: PHP's json_decode / json_encode as Kanboard's server calls them, and the file record.

- Replies are ``json_encode(…, JSON_UNESCAPED_SLASHES|JSON_UNESCAPED_UNICODE)``: compact, ``/`` and non-ASCII
  raw, U+2028/U+2029 escaped, no trailing newline.
- Requests are ``json_decode(…, true)``: objects become PHP arrays, so an echoed ``{}`` id comes back as ``[]``;
  ``2.0`` comes back as ``2``; integers past 64 bits become floats; ``NaN`` literals, invalid UTF-8 and lone
  surrogates are parse errors.
- A stored name that is not valid UTF-8 (a 255-byte cut inside a character) cannot be encoded: -32603.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from mockserver.jsonrpc import EncodeError, ParseError
from mockserver.kanboard.errors import INF_OR_NAN, MALFORMED_UTF8

INT64 = 2**63
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]", re.ASCII)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _reject_constant(name: str):
    raise ValueError(name)


def _php_int(text: str):
    value = int(text)
    return value if -INT64 <= value < INT64 else float(value)


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def decode(body: bytes) -> Any:
    """``json_decode($body, true)``; anything but an array or object at the top is a parse error."""
    try:
        text = body.decode("utf-8")
        payload = json.loads(text, parse_constant=_reject_constant, parse_int=_php_int)
    except (ValueError, RecursionError):
        raise ParseError() from None
    if not isinstance(payload, (dict, list)):
        raise ParseError()
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(payload):
        raise ParseError()
    return payload


def php_value(value: Any) -> Any:
    """A decoded JSON value as PHP gives it back: ``{}`` is ``[]``, a whole float is an int."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < INT64:
            return int(value)
        return value
    if isinstance(value, dict):
        return {k: php_value(v) for k, v in value.items()} if value else []
    if isinstance(value, list):
        return [php_value(v) for v in value]
    return value


def encode(envelope: dict[str, Any]) -> bytes:
    """One reply object. The id is the only client value echoed, so only it needs PHP's round trip."""
    request_id = envelope.get("id")
    if request_id is not None and not isinstance(request_id, (str, int, bool)):
        envelope["id"] = php_value(request_id)
    try:
        text = _dumps(envelope)
    except ValueError:
        raise EncodeError(INF_OR_NAN) from None
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise EncodeError(MALFORMED_UTF8) from None


def php_string(value: Any) -> str:
    """PHP's string conversion of a scalar JSON value (arrays are the caller's TypeError)."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace("e+", "E+").replace("inf", "INF")
    return str(value)


def file_record(f, users: dict | None = None, owner: str = "task_id") -> dict[str, Any]:
    """The ``getAll*Files`` query's columns (``getTaskFile`` is the same raw row), plus etag; with ``users`` the
    username/user_name join. ``owner``: ``task_id``, or ``project_id`` for project files."""
    record: dict[str, Any] = {
        "id": f.id, "name": f.name, "path": f.path, "is_image": int(f.is_image), owner: f.owner_id,
        "date": f.date, "user_id": f.user_id, "size": f.size,
    }
    if users is not None:
        user = users.get(f.user_id)
        record["username"] = user.username if user else None
        record["user_name"] = user.name if user else None
    record["etag"] = f.etag
    return record


def project_file_row(f) -> dict[str, Any]:
    """``getProjectFile``: the raw ``project_has_files`` row, in its column order, plus etag."""
    return {"id": f.id, "project_id": f.owner_id, "name": f.name, "path": f.path, "is_image": int(f.is_image),
            "size": f.size, "user_id": f.user_id, "date": f.date, "etag": f.etag}
