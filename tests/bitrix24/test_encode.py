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


def test_a_form_reads_as_php_reads_it_bounded_like_php():
    from mockserver.bitrix24.wire import MAX_INPUT_NESTING, MAX_INPUT_VARS, php_parse

    many = php_parse([("select[]", str(i)) for i in range(5000)] + [("late", "x")])
    assert many == {"select": [str(i) for i in range(MAX_INPUT_VARS)]}       # max_input_vars: the rest dropped
    assert php_parse([("a[5]", "x"), ("a[]", "y"), ("a[]", "z")]) == {"a": {"5": "x", "6": "y", "7": "z"}}
    assert php_parse([("a[]", "x"), ("a[]", "y")]) == {"a": ["x", "y"]}
    deepest = php_parse([("a" + "[b]" * MAX_INPUT_NESTING, "x")])
    for _ in range(MAX_INPUT_NESTING + 1):
        deepest = deepest.get("a") or deepest["b"]
    assert deepest == "x"
    too_deep = "a" + "[b]" * (MAX_INPUT_NESTING + 1)
    assert php_parse([(too_deep, "x"), ("ok", "1")]) == {"ok": "1"}         # max_input_nesting_level
