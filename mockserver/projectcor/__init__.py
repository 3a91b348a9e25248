"""ProjectCOR: OAuth (client credentials, refresh, authorization code, user credentials), tasks and task
attachments under ``/v1``.

Spec: the vendor's own OpenAPI document (``COR API`` 1.0.0, ``developers.projectcor.com/api-reference/
openapi.json``, read from the copy in the public repository ``api-evangelist/cor``, ``openapi/_original/
cor-openapi.json``), the project's notes (``shared/vendors/projectcor.md``, outside this repository) and the seed
page ``shared/seeds/004_a1aab7ffa608003a.txt`` (the upload page).

From the document: the upload answers 200 ``TaskAttachmentUploadResponse`` (``files``, ``files_q`` = attachments
now on the task, ``errors`` only when a file failed), each file a ``TaskAttachmentUploadedFile`` (``type``
``tasks``, ``parent_id`` the task); when not one file is stored, 400 ``{"status": "ERROR", "code": "FS001",
"message": "Unable to upload any file", "errors": [...]}``; a task that does not exist is the validator's 417
``[{"message", "field", "validation"}]``. ``GET /tasks/{id}/attachments`` lists each version chain once
(``TaskAttachmentDetail``, its newest version in ``currentVersion``, ``currentVersionId``,
``currentVersionData``), newest first by ``order`` (``{"created_at": "DESC"}``), paged by ``page`` and
``per_page`` (``perPage`` is taken too) with ``total`` an integer. ``DELETE /tasks/{id}/attachments`` takes JSON
``attachments`` (an id or a list) and answers ``{"deleted": true, "elements": [...]}``; an attachment that is
not the task's is 404 ``{"status": "ERROR", "code": "FS003", "message": "Undefined attachment"}``, a task that
does not exist 417 ``CORCustomError`` ("exists validation failed on taskId"). ``GET /projects/{id}/attachments``
is an array of ``Attachment`` (``id``, ``name``, ``url``, ``type``, ``created_at``). A ``Task`` has ``archived``;
``POST /tasks`` needs ``title`` alone (``TaskInput``); ``PUT /tasks/{id}`` takes ``TaskUpdateInput`` (``title``
required); ``GET /tasks/search-by-title/{title}`` is an array; ``DELETE /tasks/{id}`` is 204; ``POST /auth/login``
takes a form ``email`` and ``password`` and answers ``AuthResponse`` as the OAuth routes do. ``POST
/tasks/{id}/attachments/source/{GoogleDrive|DropBox|OneDrive}`` attaches an external file by its link (JSON
``filename``, ``originalname``, ``size``), answering ``TaskAttachmentSourceResponse``; another source is 400
``CORCustomError`` "Invalid source type"; such a file has no bytes here and lists with its own ``url``.

Inferred, not documented: an ``attachment_parent_id`` that is not an attachment of this task is the same 404
``FS003``; a new version keeps the chain's root as ``attachment_parent_id`` and counts ``version`` up from the
chain's highest; several files uploaded with a parent become successive versions; ``currentVersionData`` is the
newest version's own detail (null when the root is the newest); deleting a chain's root takes its versions; the
deletion's ``elements`` are those that move into the client's ``lastPage`` pages of 20; ``media_type`` is the
category of the MIME type (``image``, ``video``, ``audio``, ``pdf``, else ``file``); ``item_id`` is the task;
``search-by-title`` matches a part of the title in any case; ``GET /projects/{id}/attachments`` lists the
attachments of the project's tasks by id; other errors are ``{"message": ...}`` (the vendor's pages recommend it):
an unknown task elsewhere is 404, a bad field 400, the documented 429 ("back off") and 503 ("wait 5 minutes")
``{"message": "Too many requests"}`` and ``{"message": "Service unavailable"}`` (only fault rules send them), a
body past the server's ceiling 413 ``{"message": "request entity too large"}`` (AdonisJS's body parser, which
the token format suggests). The size limit and the extension deny-list come from the fixtures
(``upload_rules``); a file past the limit stops being written at it and is reported in ``errors``; ``url`` points
at this server (``/projectcor-files/{id}/{filename}``), which serves the bytes; refreshing spends the old pair; a
``grant_type=refresh_token`` call on ``/v1/oauth/token`` is taken as a third-party client sends it. Access tokens
are HS256 JWTs signed with a key made at start; ``token_ttl`` (fixtures) sets their life.

Tasks: ``GET /v1/tasks`` pages as every list (``total`` a string, as the document's example wrapper writes it;
``page=false`` a bare array) and reads ``filters`` as JSON with the keys ``projects``, ``status``, ``priority``
and ``title`` (a part, any case); other keys are ignored, or 400 with the option ``unknown_filter: "400"``. A
task answers ``{id, title, description, project_id, status, priority, deadline, archived, created_by,
created_at, updated_at}``; ``POST /v1/tasks`` takes JSON or a form (the vendor's Node SDK sends forms) and answers
200 (option ``task_create_status``: 201); ``DELETE /v1/tasks/{id}`` takes the task's files with it. The
authorization-code flow: ``/oauth2/authorize`` stands in for the consent screen on ``{subdomain}.cor.works`` and
approves at once for the first client's user, redirecting (302) with a one-time ``code`` and the ``state``;
``POST /v1/oauth2/token?grant_type=authorization_code`` takes the code from the query, a multipart form (as the
SDK sends it), a urlencoded form or JSON; a code is good once (401 ``Invalid authorization code`` after);
fixtures may list ``authorization_codes`` too.

Projects and task messages, from the document: ``GET /projects`` is ``PaginatedProjectsResponse`` (20 a page,
``page=false`` every one; ``filters`` JSON: ``status``, ``archived`` 1/2, ``client_id``, ``user_id``), ``GET
/projects/{id}`` a ``Project``, ``GET /projects/search-by-name/{name}`` an array; ``GET /tasks/{id}/messages`` an
array of ``Message`` (``id``, ``message``, ``attachments`` as ``Attachment``), ``POST`` the same route takes
``MessageInput`` (``message`` required, ``attachments`` of ``AttachmentInput``). Inferred: a project's figures the
mock does not model (hours, health 1, ``fee``, billable, no end, no labels); the list filter's ``in_process`` is
the shape's ``active``, ``user_id`` the project manager, the other filter keys match every project; a project a
task names is made when the fixtures lack it; the search matches a part of the name in any case; a message's
``attachments`` with an ``id`` are the task's own (another is ``FS003``), without one an external file as
described; the post answers the ``Message``; messages list oldest first and go with their task; a deleted
attachment leaves the messages that pointed at it.
"""

from mockserver.options import Option
from mockserver.vendor import Vendor

OPTIONS = [
    Option("task_create_status", 200, "the status of a created task (undocumented: 200 as the upload, or 201)"),
    Option("unknown_filter", "ignore", "a key of GET /tasks' filters JSON the mock does not know: ignored, or "
                                       "400", ("ignore", "400")),
]

VENDOR = Vendor(name="projectcor", prefixes=("/v1/", "/projectcor-files/", "/oauth2/"), entry_path="/v1", options=OPTIONS)
