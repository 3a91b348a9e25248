"""Toggl Focus: task and project attachments, storage usage and tasks, under
``/api/organizations/{organization_id}/workspaces/{workspace_id}``.

Spec (the project's own notes, kept outside this repository):
``shared/vendors/toggl-focus.md`` and the vendor's own Swagger 2.0 for these routes, kept here as the
contract ``contracts/toggl/focus.swagger.json`` (every response of the test-suite is checked against it), and
the seed page ``shared/seeds/003_afe438d186d622cb.txt``.

Inferred, not documented (each switchable where the spec asks): error bodies are what each route's Swagger
declares (a JSON string on attachment routes, ``response.Error`` on task routes), or ``response.Error``
everywhere with the option ``error_body: "object"``; an unknown task's attachment list is 404 "Task does not
exist", or ``[]`` with ``unknown_task_list: "empty"``; the list's default order is display_order ascending;
``display_order`` must be a whole number; ``name`` defaults to the uploaded filename; ``mime_type`` is the
part's Content-Type, else guessed from the filename; a workspace of another organization, or one the key's
user is not in, is 403 "Insufficient permissions"; the ``token`` query parameter is accepted wherever the
Bearer header is; over a free organization's storage limit an upload is 400; ``/view`` answers the bytes
with ``Content-Disposition: inline``; JSON is written as Go's ``encoding/json`` writes it by default (the spec
says the service is Go), so ``< > &`` in strings come as ``\u003c \u003e \u0026``. The hourly quota (free 30, starter 240, premium 600 requests per user
and organization) is counted and shown in ``X-Toggl-Quota-Remaining`` / ``X-Toggl-Quota-Resets-In`` always,
and enforced with 402 only with the option ``quota_enforced: true``. A body past the server's ceiling is 413
``response.Error`` "http: request body too large" (Go's ``MaxBytesReader`` text); a ``start_date``/``end_date``
that is no real day is 400 (the service parses the date; the contract's ``date`` format checks its shape);
an upload looks for its task again once its body is in, so one racing the task's deletion is 404.

Finding ids with a key: ``GET /api/users/me/settings`` (``current_workspace_id``: the fixture user's, else his
first workspace), ``GET P/tasks`` and ``GET P/projects`` (``PageWithTotal``), ``GET P/tasks/by-external-id``.
Their shapes come from the vendor's documentation pages, which are generated from its full Swagger (that
document itself could not be read here), kept as ``contracts/toggl/focus-discovery.swagger.json``; the items are
the cut's own ``models.Task`` and ``models.ProjectLite``. Inferred there: the page's members in the order
page, per_page, data, total; 50 per page by default (a third-party client's note), at most 100 (the ``max``
validation text was seen live); the filters ``name`` (task or project name, any case), ``project_id[]`` (empty:
no project), ``status_id[]``, ``toggl_user_id`` (creator or assignee), ``creator_id``, ``pinned``, ``private``,
``archived`` (no task is archived here), ``has_dates``, ``start_date``/``end_date`` (overlap); ``order_by`` keys
a task has, ``-`` for descending, anything else 400; the default order position then id; ``external_id`` is the
task's ``metadata.external_id``, set from ``integration_ext_id`` at creation. Swagger's ``x-nullable`` fields
take ``null``; a method a path does not take is 405 with an ``Allow`` header naming those it does.

Options come from the fixture section's ``options`` or ``--set toggl.KEY=VALUE``.
"""

from mockserver.options import Option
from mockserver.vendor import Vendor

OPTIONS = [
    Option("quota_enforced", False, "answer 402 past the hourly request quota (it is always counted and shown in "
                                    "the X-Toggl-Quota-* headers)"),
    Option("error_body", "swagger", "error bodies as each route's Swagger declares them, or response.Error "
                                    "objects everywhere", ("swagger", "object")),
    Option("unknown_task_list", "404", "the attachment list of an unknown task: 404, or an empty list",
           ("404", "empty")),
]

VENDOR = Vendor(name="toggl", prefixes=("/api/organizations/", "/api/users/"), entry_path="/api", options=OPTIONS)
