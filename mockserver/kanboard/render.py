"""Kanboard's wire format: PHP's json_decode / json_encode as Kanboard's server calls them, and the file record.

- Replies are ``json_encode(…, JSON_UNESCAPED_SLASHES|JSON_UNESCAPED_UNICODE)``: compact, ``/`` and non-ASCII
  raw, U+2028/U+2029 escaped, no trailing newline.
- Requests are ``json_decode(…, true)``: objects become PHP arrays, so an echoed ``{}`` id comes back as ``[]``;
  ``2.0`` comes back as ``2``; integers past 64 bits become floats (past the double range, ``INF``); ``NaN``
  literals, invalid UTF-8, lone surrogates and nesting deeper than 511 levels are parse errors.
- Floats are written as PHP writes them: ``json_encode`` with ``serialize_precision`` -1 (``1.0e+20``, ``-0``,
  ``1.5e-7``), a string cast with ``precision`` 14 (``1.0E+20``, ``0.3`` for 0.1+0.2).
- A stored name that is not valid UTF-8 (a 255-byte cut inside a character) cannot be encoded: -32603.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from mockserver.jsonrpc import EncodeError, ParseError
from mockserver.kanboard.errors import MALFORMED_UTF8, UNKNOWN_ERROR

INT64 = 2**63
MAX_DEPTH = 511                  # json_decode's default depth 512 admits 511 levels of nesting
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]", re.ASCII)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _reject_constant(name: str):
    raise ValueError(name)


def _php_int(text: str):
    value = int(text)
    if -INT64 <= value < INT64:
        return value
    try:
        return float(value)
    except OverflowError:            # past the double range: zend_strtod gives an infinity
        return math.inf if value > 0 else -math.inf


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def php_float(value: float, precision: int = 17, e: str = "e") -> str:
    """PHP's ``zend_gcvt``: the shortest round trip (``precision`` 17, as ``json_encode``) or that many
    significant digits (14, a string cast); exponential below 1e-4 and past ``precision`` digits."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    text = repr(abs(value)) if precision == 17 else f"{abs(value):.{precision - 1}e}"
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole.lstrip("0")) + int(exponent or 0) if whole.strip("0") else \
        int(exponent or 0) - (len(fraction) - len(fraction.lstrip("0")))
    digits = digits.rstrip("0") or "0"
    sign = "-" if value < 0 else ""
    if point < -3 or point > precision:
        power = point - 1
        return f"{sign}{digits[0]}.{digits[1:] or '0'}{e}{'+' if power >= 0 else '-'}{abs(power)}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    return sign + digits[:point].ljust(point, "0") + (f".{digits[point:]}" if len(digits) > point else "")


def php_json(value: Any) -> str:
    """``json_encode`` of an echoed client value, floats written PHP's way."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EncodeError(UNKNOWN_ERROR)     # JSON_ERROR_INF_OR_NAN, which Kanboard's validator does not name
        return php_float(value)
    if isinstance(value, list):
        return "[" + ",".join(map(php_json, value)) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_dumps(k)}:{php_json(v)}" for k, v in value.items()) + "}"
    return _dumps(value)


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
    # nesting past MAX_DEPTH needs more opening brackets than that in the text: only then is it walked
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(payload) > MAX_DEPTH:
        raise ParseError()
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate(payload):
        raise ParseError()
    return payload


def php_value(value: Any) -> Any:
    """A decoded JSON value as PHP gives it back: ``{}`` is ``[]`` (floats are written by ``php_float``)."""
    if isinstance(value, dict):
        return {k: php_value(v) for k, v in value.items()} if value else []
    if isinstance(value, list):
        return [php_value(v) for v in value]
    return value


def encode(envelope: dict[str, Any]) -> bytes:
    """One reply object. The id is the only client value echoed, so only it needs PHP's round trip; it is the
    last member, written after the others."""
    request_id = envelope.pop("id", None)
    try:
        text = _dumps(envelope)[:-1] + ',"id":' + php_json(php_value(request_id)) + "}"
    except ValueError:
        raise EncodeError(UNKNOWN_ERROR) from None
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
        return php_float(value, 14, "E")
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


def comment(c, users: dict, brief: bool = False) -> dict[str, Any]:
    """``CommentModel::getById`` (``brief``: ``getAll``, without ``reference``, in its column order), joined
    with the author's user row (nulls when there is none)."""
    user = users.get(c.user_id) if isinstance(c.user_id, int) else None
    joined = {"username": user.username if user else None, "name": user.name if user else None,
              "email": user.email if user else None, "avatar_path": None}
    if brief:
        return {"id": c.id, "date_creation": c.date_creation, "date_modification": c.date_modification,
                "task_id": c.task_id, "user_id": c.user_id, "comment": c.comment, "visibility": c.visibility,
                **joined}
    return {"id": c.id, "task_id": c.task_id, "user_id": c.user_id, "date_creation": c.date_creation,
            "date_modification": c.date_modification, "comment": c.comment, "reference": c.reference,
            "visibility": c.visibility, **joined}


def column(c: dict[str, Any], project_id: int) -> dict[str, Any]:
    """A ``columns`` row (``SELECT *``: its columns in the order the schema's migrations added them)."""
    return {"id": c["id"], "title": c["title"], "position": c["position"], "project_id": project_id,
            "task_limit": 0, "description": "", "hide_in_dashboard": 0}


def project_file_row(f) -> dict[str, Any]:
    """``getProjectFile``: the raw ``project_has_files`` row, in its column order, plus etag."""
    return {"id": f.id, "project_id": f.owner_id, "name": f.name, "path": f.path, "is_image": int(f.is_image),
            "size": f.size, "user_id": f.user_id, "date": f.date, "etag": f.etag}


COLORS = {
    "yellow": ("Yellow", "rgb(245, 247, 196)", "rgb(223, 227, 45)"),
    "blue": ("Blue", "rgb(219, 235, 255)", "rgb(168, 207, 255)"),
    "green": ("Green", "rgb(189, 244, 203)", "rgb(74, 227, 113)"),
    "purple": ("Purple", "rgb(223, 176, 255)", "rgb(205, 133, 254)"),
    "red": ("Red", "rgb(255, 187, 187)", "rgb(255, 151, 151)"),
    "orange": ("Orange", "rgb(255, 215, 179)", "rgb(255, 172, 98)"),
    "grey": ("Grey", "rgb(238, 238, 238)", "rgb(204, 204, 204)"),
    "brown": ("Brown", "#d7ccc8", "#4e342e"),
    "deep_orange": ("Deep Orange", "#ffab91", "#e64a19"),
    "dark_grey": ("Dark Grey", "#cfd8dc", "#455a64"),
    "pink": ("Pink", "#f48fb1", "#d81b60"),
    "teal": ("Teal", "#80cbc4", "#00695c"),
    "cyan": ("Cyan", "#b2ebf2", "#00bcd4"),
    "lime": ("Lime", "#e6ee9c", "#afb42b"),
    "light_green": ("Light Green", "#dcedc8", "#689f38"),
    "amber": ("Amber", "#ffe082", "#ffa000"),
}
"""``ColorModel``'s colours: id -> name, background, border."""


def color(color_id: str) -> dict[str, str]:
    """``getColorProperties``: the colour, or the default (yellow) for an id it does not know."""
    name, background, border = COLORS.get(color_id, COLORS["yellow"])
    return {"name": name, "background": background, "border": border}
