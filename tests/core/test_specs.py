"""The served specs: every document is valid OpenAPI (or Swagger 2.0, Toggl's own), and schemathesis, driven by
the Toggl Focus and ProjectCOR documents, finds no server error and no answer off the document."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from mockserver.app import create_app
from mockserver.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(max_examples=30, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
app = create_app(Settings(admin_hosts=("testserver",)))
# Toggl: the fixture's organization and workspace, so that cases reach the handlers rather than a 403
toggl = schemathesis.openapi.from_asgi("/__admin/specs/toggl.json", app, config=schemathesis.Config.from_dict(
    {"parameters": {"organization_id": 1001, "workspace_id": 2001}}))
projectcor = schemathesis.openapi.from_asgi("/__admin/specs/projectcor.json", app)


@pytest.mark.parametrize("name", ["toggl", "projectcor", "onlyoffice"])
def test_each_served_document_is_valid_and_points_at_the_mock(taskmock, name):
    import httpx
    document = httpx.get(f"{taskmock.url}/__admin/specs/{name}.json").json()
    validate(document)
    if name == "toggl":
        assert document["host"] == taskmock.url.removeprefix("http://") and document["x-taskmock-repairs"]
        assert document["info"]["title"] == "Toggl Focus API"
    else:
        assert document["servers"] == [{"url": taskmock.url}]
        operations = {op["operationId"] for item in document["paths"].values() for op in item.values()}
        assert {"attachments.upload", "task.files.attach"} & operations


def test_the_admin_document_is_valid_and_names_every_admin_route(taskmock):
    import httpx
    document = httpx.get(f"{taskmock.url}/__admin/openapi.json").json()
    validate(document)
    routes = {route.path.replace(":int", "") for route in app.routes
              if getattr(route, "path", "").startswith("/__admin")}
    assert set(document["paths"]) == routes


@toggl.parametrize()
@BOUNDED
def test_toggl_answers_keep_its_document(case):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": "Bearer toggl_sk_mock_owner_key"})


@projectcor.parametrize()
@BOUNDED
def test_projectcor_answers_keep_its_document(case):
    token = app.state.runtime.store["projectcor"].issue(61).access_token
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {token}"})


def test_no_case_crashed_the_mock():
    assert app.state.runtime.crashes == []
