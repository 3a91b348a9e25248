"""Property-based: generated requests to every Toggl Focus route never get a 5xx, and every response keeps the
vendor's Swagger."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.pytest_plugin import AsgiHandle
from mockserver.settings import Settings
from tests.contracts import check_toggl

KEYS = ["toggl_sk_mock_owner_key"] * 8 + ["toggl_sk_mock_outsider_key", "toggl_sk_nope", "", "nope"]
IDS = st.one_of(st.sampled_from(["1001", "1002", "2001", "2002", "3001", "4001", "4003", "1", "2", "3"]),
                st.integers(-3, 10**12).map(str), st.text("0123456789abc-", min_size=1, max_size=6))
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
FORM_VALUES = st.one_of(TEXT, st.integers(-5, 20).map(str), st.sampled_from(["1.5", "1e3", " 2 ", ""]))
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False) | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=6)


@pytest.fixture(scope="module")
def handle():
    h = AsgiHandle(Settings(vendors=("toggl",)))
    yield h
    h.close()


@st.composite
def requests(draw):
    mostly_valid = draw(st.integers(0, 9)) < 7
    org, ws = ("1001", "2001") if mostly_valid else draw(st.sampled_from([("1002", "2002"), ("1001", "2002")])
                                                         | st.tuples(IDS, IDS))
    base = f"/api/organizations/{org}/workspaces/{ws}"
    owner = draw(st.sampled_from(["tasks", "projects"]))
    owner_id = draw(st.sampled_from(["4001", "3001", "4002"])) if mostly_valid else draw(IDS)
    attachment_id = draw(st.integers(1, 6).map(str) | IDS)
    kind = draw(st.sampled_from(["list", "create", "bulk", "update", "delete", "view", "storage", "task-create",
                                 "task-get", "task-delete"]))
    headers = {"Authorization": f"Bearer {draw(st.sampled_from(KEYS))}"}
    fields = draw(st.dictionaries(st.sampled_from(["display_order", "name", "names[0]", "display_orders[0]",
                                                   "display_orders[1]", "other"]), FORM_VALUES, max_size=4))
    if mostly_valid:
        fields.update({"display_order": "1", "display_orders[0]": "2", "display_orders[1]": "0"})
    files = draw(st.lists(st.tuples(st.sampled_from(["file", "files", "files[]", "x"]), TEXT,
                                    st.binary(max_size=64)), min_size=1 if mostly_valid else 0, max_size=12))
    json_body = draw(JSON_VALUES | st.fixed_dictionaries({"name": JSON_VALUES, "display_order": JSON_VALUES}))
    order = draw(st.lists(st.sampled_from(["created_at", "-created_at", "display_order", "-display_order", "name",
                                           "--x", ""]), max_size=3))
    attachments = f"{base}/{owner}/{owner_id}/attachments"
    multipart = {"data": fields, "files": [(f, (n or "f", b, "application/octet-stream")) for f, n, b in files]}
    if not files:
        multipart = {"data": fields, "files": {"unused": ("", b"", "x/y")}} if draw(st.booleans()) else \
            {"content": draw(st.binary(max_size=40)), "headers": {"Content-Type": "multipart/form-data; boundary=b"}}
    return {
        "list": ("GET", attachments, {"params": [("order_by", o) for o in order]}),
        "create": ("POST", attachments, multipart),
        "bulk": ("POST", attachments + "/bulk", multipart),
        "update": ("PUT", f"{attachments}/{attachment_id}", {"content": json.dumps(json_body)}),
        "delete": ("DELETE", f"{attachments}/{attachment_id}", {}),
        "view": ("GET", f"{attachments}/{attachment_id}/view", {}),
        "storage": ("GET", f"{base}/attachments/storage", {}),
        "task-create": ("POST", f"{base}/tasks", {"content": json.dumps(json_body)}),
        "task-get": ("GET", f"{base}/tasks/{owner_id}", {}),
        "task-delete": ("DELETE", f"{base}/tasks/{owner_id}", {}),
    }[kind], headers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests())
def test_generated_requests_get_no_5xx_and_keep_the_swagger(handle, request):
    (method, path, kwargs), headers = request
    kwargs = dict(kwargs)
    headers = {**headers, **kwargs.pop("headers", {})}
    response = handle.request(method, path, headers=headers, **kwargs)
    assert response.status_code < 500, (method, path, response.text)
    entry = handle.requests()[-1]
    assert entry["path"] == path
    rt = handle.app.state.runtime
    check_toggl(rt.contracts, rt.vendor_for(path), entry)
