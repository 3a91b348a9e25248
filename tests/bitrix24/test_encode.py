"""Bitrix24's JSON escapes, written once over the whole text, agree with the per-string rule they implement."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.bitrix24.render import encode

ESCAPES = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "'": "\\u0027", "/": "\\/"}


def string_by_string(value) -> str:
    """The rule: each string as json_encode writes it, then ``"`` inside it as \\u0022 and ``< > & ' /``
    escaped; everything else as JSON writes it."""
    if isinstance(value, str):
        body = json.dumps(value, ensure_ascii=False)[1:-1].replace('\\"', "\\u0022")
        for raw, escaped in ESCAPES.items():
            body = body.replace(raw, escaped)
        return f'"{body}"'
    if isinstance(value, dict):
        return "{" + ",".join(f"{string_by_string(str(k))}:{string_by_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(string_by_string(v) for v in value) + "]"
    return json.dumps(value)


TEXT = st.text(alphabet=st.sampled_from(list('ab"\\/<>&\'\u2028é\n\x00')), max_size=12)
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                      max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_the_whole_text_escapes_as_each_string_would(value):
    assert encode(value) == string_by_string(value)


def test_a_backslash_before_a_closing_quote_stays_a_closing_quote():
    assert encode({"a\\": 'x\\"y\\'}) == '{"a\\\\":"x\\\\\\u0022y\\\\"}'
