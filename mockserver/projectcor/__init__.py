"""ProjectCOR: OAuth client credentials and task attachments under ``/v1``.

Spec (the project's own notes, kept outside this repository):
``shared/vendors/projectcor.md`` (documentation only, thin) and the seed page
``shared/seeds/004_a1aab7ffa608003a.txt`` (the upload page: fields, enums, the reply, ``files_q`` = attachments
now on the task, ``errors`` present only when a file failed for size or extension).

Inferred, not documented: the upload answers 200; error bodies are ``{"message": ...}`` (the spec's
recommendation); an unknown task is 404; an ``attachment_parent_id`` that is not an attachment of this task is
404; a new version keeps the chain's root as ``attachment_parent_id`` and counts ``version`` up from the
chain's highest; several files uploaded with a parent become successive versions; the size limit and the
extension deny-list come from the fixtures (``upload_rules``); ``url`` points at this server
(``/projectcor-files/{id}/{filename}``), which serves the bytes; the list answers the documented paginated
wrapper (``perPage`` capped at 50) and ``page=false`` a bare array; refreshing spends the old token pair; a
``grant_type=refresh_token`` call on ``/v1/oauth/token`` is taken as a third-party client sends it. Access
tokens are HS256 JWTs signed with a key made at start; ``token_ttl`` (fixtures) sets their life. The
documented 429 ("back off") and 503 ("wait 5 minutes") answer ``{"message": "Too many requests"}`` and
``{"message": "Service unavailable"}`` (texts inferred); only fault rules send them. A body past the
server's ceiling is 413 ``{"message": "request entity too large"}`` (AdonisJS's body parser, which the token
format suggests); a file past ``upload_rules.max_file_size`` stops being written at the limit and is reported
in ``errors``; the storage name keeps the extension of the name's last path segment.

Finding work (the API reference pages for tasks could not be read here; the quickstart, the projects page and
the vendor's own Node SDK were): ``GET /v1/tasks`` pages as every list (the documented wrapper, ``page=false``)
and reads ``filters`` as JSON with the keys ``projects`` (the quickstart's name), ``status``, ``priority`` and
``title`` (a part, any case); other keys are ignored, or 400 with the option ``unknown_filter: "400"``. A task
is ``{id, title, description, project_id, status, priority, deadline, created_by, created_at, updated_at}``
with the documented statuses (nueva, en_proceso, estancada, finalizada) and priorities 0-3; ``POST /v1/tasks``
takes JSON or a form (the SDK sends forms), needs ``title`` and ``project_id``, and answers 200 (option
``task_create_status``: 201); ``DELETE /v1/tasks/{id}`` is 204 (a documented status) and takes the task's files
with it; ``GET /v1/projects/{id}/attachments`` lists the attachments of the project's tasks. The
authorization-code flow: ``/oauth2/authorize`` stands in for the consent screen on ``{subdomain}.cor.works``
and approves at once for the first client's user, redirecting (302) with a one-time ``code`` and the ``state``;
``POST /v1/oauth2/token?grant_type=authorization_code`` takes the code from the query, a multipart form (as the
SDK sends it), a urlencoded form or JSON; a code is good once (401 ``Invalid authorization code`` after);
fixtures may list ``authorization_codes`` too.
"""

from mockserver.options import Option
from mockserver.vendor import Vendor

OPTIONS = [
    Option("task_create_status", 200, "the status of a created task (undocumented: 200 as the upload, or 201)"),
    Option("unknown_filter", "ignore", "a key of GET /tasks' filters JSON the mock does not know: ignored, or "
                                       "400", ("ignore", "400")),
]

VENDOR = Vendor(name="projectcor", prefixes=("/v1/", "/projectcor-files/", "/oauth2/"), entry_path="/v1", options=OPTIONS)
