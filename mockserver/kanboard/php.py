"""PHP and SQLite value semantics as Kanboard meets them: how a decoded JSON value is cast, compared, bound
and validated, and whether GD can read an image. Each function names the PHP construct it stands for.

Checked against the recorded Kanboard running here (``kanboard_up.sh``) and its source (``app/Model/FileModel``,
``app/Core/Thumbnail``, ``libs/SimpleValidator``). Inferred, not seen: an image past ``GD_MAX_PIXELS`` exhausts
PHP's memory limit (a 500), and the ``(int)`` of a numeric string past 64 bits saturates.
"""

from __future__ import annotations

import base64
import calendar
import io
import math
import re
from datetime import datetime
from typing import Any

from mockserver.kanboard import render
from mockserver.kanboard.errors import InvalidFilePathId, PhpFatalError

_INT = re.compile(r"\s*[+-]?\d+\s*", re.ASCII)
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)
_LEADING_NUMBER = re.compile(r"[ \t\n\r\v\f]*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)", re.ASCII)
_WHITESPACE_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*", re.ASCII)
INT64 = 2**63


def sql_id(value: Any) -> int | None:
    """The row an id parameter finds: PDO binds it as a string and SQLite's INTEGER affinity converts it."""
    if isinstance(value, bool):
        return 1 if value else None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        if _INT.fullmatch(value):
            return int(value)
        if _NUMBER.fullmatch(value):
            number = float(value)
            return int(number) if number.is_integer() else None
    return None


def php_int(value: Any) -> int:
    """PHP 8's ``(int)`` cast: a string by its leading number, a float truncated (modulo 2**64 out of range,
    0 for INF and NaN), an array 1 when it has elements."""
    if isinstance(value, bool) or isinstance(value, int):
        return int(value)
    if value is None:
        return 0
    if isinstance(value, float):
        if not math.isfinite(value):
            return 0
        wrapped = int(math.fmod(value, 2.0**64)) if abs(value) >= INT64 else int(value)
        return (wrapped + INT64) % 2**64 - INT64
    if isinstance(value, str):
        match = _LEADING_NUMBER.match(value)
        if match is None:
            return 0
        text = match.group(1)
        if any(c in text for c in ".eE"):
            return php_int(float(text))
        return max(-INT64, min(INT64 - 1, int(text)))
    return 1 if value else 0


def is_numeric(value: Any) -> bool:
    """``is_numeric``: an int or float, or a string that is a number (whitespace allowed around it)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and _WHITESPACE_NUMERIC.fullmatch(value) is not None


def loose_equals(number: int, value: Any) -> bool:
    """PHP 8 ``$number == $value`` for an int column value."""
    if isinstance(value, bool):
        return bool(number) == value
    if value is None:
        return number == 0
    if isinstance(value, (int, float)):
        return number == value
    if isinstance(value, str):
        if _NUMBER.fullmatch(value):
            return number == float(value)
        return str(number) == value
    return False


def bound(value: Any) -> str | None:
    """What PicoDb binds (``PDO::PARAM_STR``): PHP's string of the value, ``Array`` for an array (a warning,
    not an error), NULL for null."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return "Array"
    return render.php_string(value)


def integer_affinity(text: str | None) -> int | float | str | None:
    """What an INTEGER column stores of bound text: a well-formed number (whitespace around it allowed) as a
    number, an integral real as an integer; any other text as it is."""
    if text is None:
        return None
    if _INT.fullmatch(text):
        number = int(text)
        return number if -INT64 <= number < INT64 else float(number)
    if _NUMBER.fullmatch(text):
        real = float(text)
        return int(real) if real.is_integer() and abs(real) < INT64 else real
    return text


def less_than(value: Any, number: int) -> bool:
    """PHP 8 ``$value < $number``: a bool or null against the number's truth, a numeric string as a number, any
    other string against the number's string, an array never less."""
    if isinstance(value, bool) or value is None:
        return bool(value) < bool(number)
    if isinstance(value, (int, float)):
        return value < number
    if isinstance(value, str):
        return float(value) < number if is_numeric(value) else value < str(number)
    return False


def path_id(value: Any) -> int:
    """``FileModel::generatePath``'s id rule: a string is cast, then only a positive int will do."""
    if isinstance(value, str):
        value = php_int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidFilePathId()
    return value


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")


def lax_base64(value: Any) -> bytes:
    """``base64_decode`` without strict mode: other characters skipped, a lone trailing one dropped."""
    if isinstance(value, (list, dict)):
        raise PhpFatalError()           # TypeError: base64_decode(): Argument #1 must be of type string
    text = _NOT_BASE64.sub(b"", render.php_string(value).encode("utf-8"))
    if len(text) % 4 == 1:
        text = text[:-1]
    return base64.b64decode(text + b"=" * (-len(text) % 4))


# -- GD --------------------------------------------------------------------------------------------------------

GD_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "AVIF")   # what imagecreatefromstring decodes (GD 2.3.3)
GD_MAX_PIXELS = 50_000_000


def gd_can_read(data: bytes) -> bool:
    """Whether Kanboard's ``Thumbnail::createFromString`` gets through: ``getimagesizefromstring`` finds a size
    and GD's ``imagecreatefromstring`` decodes the whole image (a truncated one, or a good signature followed by
    garbage, fails). Decoded here by Pillow, imported only when an image is uploaded."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=GD_FORMATS) as image:
            if not 0 < image.width * image.height <= GD_MAX_PIXELS:
                return False
            image.load()
    except Exception:                   # any decoder failure (OSError, SyntaxError, ValueError…) is GD failing
        return False
    return True


# -- SimpleValidator ---------------------------------------------------------------------------------------------

def truthy(value: Any) -> bool:
    """``! empty($value)``: not null, false, 0, 0.0, "", "0" or an empty array."""
    return bool(value) and value != "0"


def given(value: Any) -> bool:
    """``isFieldNotEmpty``: set (not null) and not the empty string."""
    return value is not None and value != ""


def valid_integer(value: Any) -> bool:
    """``Validators\\Integer``: a string of digits (one leading minus allowed), else a PHP int."""
    if not given(value):
        return True
    if isinstance(value, str):
        digits = value[1:] if value[0] == "-" else value
        return digits.isascii() and digits.isdigit()
    return isinstance(value, int) and not isinstance(value, bool)


def valid_range(value: Any, low: int, high: int) -> bool:
    if not given(value):
        return True
    return is_numeric(value) and low <= float(value) <= high


def valid_max_length(value: Any, limit: int) -> bool:
    """``Validators\\MaxLength``: ``mb_strlen`` of the value as a string (an array is PHP's TypeError)."""
    if not given(value):
        return True
    if isinstance(value, (list, dict)):
        raise PhpFatalError()
    return len(render.php_string(value)) <= limit


def valid_numeric(value: Any) -> bool:
    return not given(value) or is_numeric(value)


_DATE_PARTS = {"Y": r"(?P<Y>\d{1,4})", "m": r"(?P<m>\d{1,2})", "d": r"(?P<d>\d{1,2})", "H": r"(?P<H>\d{1,2})",
               "i": r"(?P<i>\d{2})"}
DATE_FORMATS = ("m/d/Y", "Y-m-d", "Y_m_d", "m/d/Y H:i", "Y-m-d H:i", "Y_m_d H:i")   # getParserFormats, defaults


def _format_pattern(fmt: str) -> re.Pattern[str]:
    return re.compile("".join(_DATE_PARTS.get(c, re.escape(c)) for c in fmt), re.ASCII)


_DATE_PATTERNS = [_format_pattern(f) for f in DATE_FORMATS]


def parse_date(value: Any, now: float = 0.0) -> int | None:
    """``DateTime::createFromFormat`` with Kanboard's parser formats, no warnings, after 1970 (UTC): the
    timestamp, or None. A date alone takes the time of day of ``now``, as PHP fills what the format leaves out;
    with hours and minutes, the seconds are 0."""
    if not isinstance(value, str):
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        parts = match.groupdict()
        try:
            moment = datetime(int(parts["Y"]), int(parts["m"]), int(parts["d"]), int(parts.get("H") or 0),
                              int(parts.get("i") or 0))
        except ValueError:
            continue
        stamp = calendar.timegm(moment.timetuple()) + (0 if "H" in parts else int(now) % 86400)
        if stamp > 0:
            return stamp
    return None


def valid_date(value: Any) -> bool:
    return not given(value) or parse_date(value) is not None


def valid_email(value: Any) -> bool:
    """``Validators\\Email``: Firefox's rule, character by character."""
    if not given(value):
        return True
    text = render.php_string(value)
    if text[0] == "@" or text[-1] == ".":
        return False
    local, at, domain = text.partition("@")
    if any(not (c.isascii() and c.isalnum()) and c not in ".!#$%&'*+-/=?^_`{|}~" for c in local):
        return False
    if not at or len(domain) < 2 or domain[0] == ".":
        return False
    return ".." not in domain and all((c.isascii() and c.isalnum()) or c in ".-" for c in domain)


def valid_alnum(value: Any) -> bool:
    if not given(value):
        return True
    return isinstance(value, str) and value.isascii() and value.isalnum()
