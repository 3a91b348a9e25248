"""ProjectCOR handlers: OAuth client-credentials and refresh, ``/v1/me``, and task attachments (multipart
upload of several files with per-file errors and versions, the paginated list, the file bytes). Each returns
JSON-ready data or a ``Download``; errors are raised."""

from __future__ import annotations

import hmac
import json
import mimetypes
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlencode

from mockserver import http
from mockserver.http import ascii_digits
from mockserver.downloads import Download, open_download
from mockserver.multipart import MultipartError, parse_form
from mockserver.projectcor import errors, render
from mockserver.projectcor.models import TASK_STATUSES, Attachment, CorState, Project, Task
from mockserver.projectcor.render import Created, Redirect
from mockserver.projectcor.wire import Call

FORM_FIELDS = ("available", "session_token", "attachment_parent_id", "status", "created_from")
MAX_PER_PAGE = 50


async def issue_token(call: Call) -> dict[str, Any]:
    """``POST /v1/oauth/token?grant_type=client_credentials`` with Basic key:secret; ``grant_type=refresh_token``
    with a JSON or form ``refresh_token`` is taken too (a third-party client sends that)."""
    grant = call.http.query.get("grant_type")
    if grant == "refresh_token":
        return await refresh_token(call)
    if grant != "client_credentials":
        raise errors.BadRequest("grant_type must be client_credentials or refresh_token")
    pair = http.basic(call.http.headers.get("authorization"))
    client = call.state.client(*pair) if pair else None
    if client is None:
        raise errors.InvalidClientCredentials()
    return render.token(call.state.issue(client.user_id), call.state.token_ttl)


async def refresh_token(call: Call) -> dict[str, Any]:
    """``POST /v1/oauth/refreshtoken``, form (or JSON) ``refresh_token``: a new pair; the old one is spent."""
    body = await call.http.body()
    value = None
    if http.media_type(call.http.headers) == "application/json":
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            raise errors.BadRequest("the body is not valid JSON") from None
        value = payload.get("refresh_token") if isinstance(payload, dict) else None
    else:
        value = next(iter(parse_qs(body.decode("utf-8", "replace")).get("refresh_token", [])), None)
    if not isinstance(value, str) or not value:
        raise errors.BadRequest("refresh_token is required")
    token = call.state.refresh(value)
    if token is None:
        raise errors.Unauthorized("Invalid refresh token")
    return render.token(token, call.state.token_ttl)


async def login(call: Call) -> dict[str, Any]:
    """``POST /v1/auth/login``, form ``email`` and ``password`` (a user of the fixtures with a ``password``):
    ``AuthResponse``, as the OAuth routes answer."""
    fields = await _fields(call)
    email, password = fields.get("email"), fields.get("password")
    if not isinstance(email, str) or not email or not isinstance(password, str) or not password:
        raise errors.BadRequest("email and password are required")
    user = next((u for u in call.state.users.values() if u.email.lower() == email.lower()), None)
    if user is None or user.password is None or not hmac.compare_digest(user.password, password):
        raise errors.InvalidUserCredentials()
    return render.token(call.state.issue(user.id), call.state.token_ttl)


def me(call: Call) -> dict[str, Any]:
    assert call.token is not None
    user = call.state.users.get(call.token.user_id)
    if user is None:
        raise errors.Unauthorized()
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "picture": None, "role_id": user.role_id, "user_position_id": None, "daily_hours": 8,
            "remaining_hours": 8}


def _task(call: Call, missing: type[errors.CorError] = errors.TaskNotFound) -> Task:
    value = call.http.path_params["task_id"]
    task = call.state.tasks.get(int(value)) if ascii_digits(value) else None
    if task is None:
        raise missing()
    return task


def _optional(value: str | None) -> str | None:
    return None if value is None or value in ("", "null") else value


def _extension(filename: str) -> str:
    """The extension of the name's last path segment (a client may send a path as the name)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def _rule_breach(state: CorState, filename: str, size: int) -> str | None:
    extension = _extension(filename)
    if extension in {e.lower() for e in state.rules["denied_extensions"]}:
        return f"Invalid file extension: .{extension}"
    if size > state.rules["max_file_size"]:
        return _size_breach(state)
    return None


def _size_breach(state: CorState) -> str:
    return f"File size exceeds the limit of {state.rules['max_file_size']} bytes"


async def upload_attachments(call: Call) -> dict[str, Any]:
    """Every file part stored, but those past the size limit or of a denied extension, which ``errors`` lists;
    when none is stored, 400 ``FS001``. A task that does not exist is the validator's 417."""
    assert call.token is not None
    task = _task(call, errors.ValidationFailed)
    try:
        form = await parse_form(call.http, call.state.blobs, max_file_size=call.state.rules["max_file_size"])
    except MultipartError as exc:
        raise errors.BadRequest(f"Invalid multipart body: {exc}") from None
    try:
        fields = {name: value for name in FORM_FIELDS if (value := form.get(name)) is not None}
        problem = call.breach(fields)
        if problem:
            raise errors.BadRequest(problem.replace("data.", "", 1))
        parts = form.files_named("file") + form.files_named("file[]")
        too_large = [name for field, name in form.oversize if field in ("file", "file[]")]
        if not parts and not too_large:
            raise errors.NothingUploaded(errors=[])
        parent_id = _optional(fields.get("attachment_parent_id"))
        parent = call.state.attachments.get(int(parent_id)) if parent_id else None
        if parent_id and (parent is None or parent.task_id != task.id):
            raise errors.UndefinedAttachment()
    except errors.CorError:
        form.discard()
        raise
    stored, created = [], []
    failures = [{"filename": name, "message": _size_breach(call.state)} for name in too_large]
    for part in parts:
        breach = _rule_breach(call.state, part.filename, part.blob.size)
        if breach:
            failures.append({"filename": part.filename, "message": breach})
            continue
        extension = _extension(part.filename)
        attachment = call.state.add_attachment(
            task_id=task.id, user_id=call.token.user_id, originalname=part.filename,
            filename=uuid.uuid4().hex + (f".{extension}" if extension else ""), mime_type=part.content_type,
            blob=part.blob, available=fields.get("available", "true") in ("true", "1"),
            status=_optional(fields.get("status")), token=_optional(fields.get("session_token")),
            created_from=fields.get("created_from", "task_panel"),
            attachment_parent_id=(parent.attachment_parent_id or parent.id) if parent else None,
            version=call.state.next_version(parent) if parent else 1)
        stored.append(part)
        created.append(attachment)
        if parent:
            parent = attachment
    form.discard(keep=stored)
    if not created:
        raise errors.NothingUploaded(errors=failures)
    return render.upload([_record(call, a) for a in created], len(call.state.task_attachments(task.id)), failures)


def _record(call: Call, a: Attachment) -> dict[str, Any]:
    return render.attachment(a, call.http.base_url, call.state.company_id)


def _ordered(call: Call, task: Task, order: Any) -> list[Any]:
    """The task's chains, each once, by ``created_at`` (``{"created_at": "DESC"}`` unless ``order`` says ASC)."""
    ascending = isinstance(order, dict) and str(order.get("created_at", "DESC")).upper() == "ASC"
    roots = sorted(call.state.roots(task.id), key=lambda a: (a.created_at, a.id), reverse=not ascending)
    return [render.detail(a, call.state.latest(a), call.state.users.get(a.user_id), call.http.base_url)
            for a in roots]


SOURCES = ("GoogleDrive", "DropBox", "OneDrive")


async def attach_from_source(call: Call) -> dict[str, Any]:
    """``POST /v1/tasks/{id}/attachments/source/{source_type}``, JSON ``filename`` (the file's URL or path at the
    provider) and ``originalname`` required, ``size``, ``available``, ``session_token``: an attachment known by
    its link alone (no bytes here). Another source is 400 ``CORCustomError`` "Invalid source type"; a task that
    does not exist, or a required field missing, the validator's 417 [INFER: the field rule's wording]."""
    assert call.token is not None
    source = call.http.path_params["source_type"]
    if source not in SOURCES:
        raise errors.InvalidSourceType()
    task = _task(call, errors.ValidationFailed)
    fields = await _fields(call)
    for name in ("filename", "originalname"):
        if not isinstance(fields.get(name), str) or not fields[name]:
            raise errors.ValidationFailed(name, "required")
    size = fields.get("size", 0)
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise errors.BadRequest("size must be a whole number of bytes")
    name = fields["originalname"]
    attachment = call.state.add_attachment(
        task_id=task.id, user_id=call.token.user_id, originalname=name, filename=fields["filename"],
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream", blob=None,
        available=fields.get("available", True) not in (False, "false", "0"),
        token=fields.get("session_token") if isinstance(fields.get("session_token"), str) else None,
        source=source, link=fields["filename"], declared_size=size)
    return render.source_attachment(attachment, call.http.base_url)


def _json_param(text: str | None, name: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise errors.BadRequest(f"{name} must be JSON") from None


def list_attachments(call: Call) -> Any:
    """``GET /v1/tasks/{id}/attachments``: each chain once (its newest version in ``currentVersion*``), newest
    first unless ``order`` says otherwise, paged by ``page`` and ``per_page`` (``perPage`` too), ``total`` an
    integer."""
    task = _task(call)
    items = _ordered(call, task, _json_param(call.http.query.get("order"), "order"))
    return _paged(call, items, per_page_name="per_page", total_as_text=False)


async def delete_attachments(call: Call) -> dict[str, Any]:
    """``DELETE /v1/tasks/{id}/attachments`` with JSON ``attachments`` (an id or a list): each one with its later
    versions; one that is not the task's is 404 ``FS003`` and nothing goes. ``elements``: the attachments that
    move up into the client's loaded pages (``lastPage`` of 20) to fill the gaps [INFER: from the field's
    description]. A task that does not exist: 417 ``CORCustomError``."""
    task = _task(call, errors.TaskIdNotFound)
    payload = await _fields(call)
    wanted = payload.get("attachments")
    ids = wanted if isinstance(wanted, list) else [wanted]
    found = [call.state.attachments.get(i) if isinstance(i, int) and not isinstance(i, bool) else None for i in ids]
    if not ids or any(a is None or a.task_id != task.id for a in found):
        raise errors.UndefinedAttachment()
    doomed = {a.id for a in found if a is not None}
    for a in call.state.task_attachments(task.id):
        if a.id in doomed or a.attachment_parent_id in doomed:
            call.state.remove_attachment(a)
    last_page = payload.get("lastPage")
    elements: list[Any] = []
    if isinstance(last_page, int) and not isinstance(last_page, bool) and last_page > 0:
        loaded = last_page * 20
        listing = _ordered(call, task, payload.get("order"))
        elements = listing[max(loaded - len(doomed), 0):loaded]
    return {"deleted": True, "elements": elements}


def download(call: Call) -> Download:
    """The ``url`` of an attachment: its bytes, as the storage behind it would serve them."""
    value = call.http.path_params["attachment_id"]
    attachment = call.state.attachments.get(int(value)) if ascii_digits(value) else None
    if attachment is None or attachment.blob is None or attachment.filename != call.http.path_params["filename"]:
        raise errors.AttachmentNotFound()
    return open_download(call.state.blobs, attachment.blob, attachment.originalname, attachment.mime_type,
                    missing=errors.AttachmentNotFound())


# -- authorization code ---------------------------------------------------------------------------------------------

async def _fields(call: Call) -> dict[str, Any]:
    """A body's plain fields, whatever it is written in: JSON, a urlencoded form, or a multipart form (the
    vendor's own SDK sends multipart); files in it are dropped."""
    kind = http.media_type(call.http.headers)
    if kind == "multipart/form-data":
        try:
            form = await parse_form(call.http, call.state.blobs)
        except MultipartError as exc:
            raise errors.BadRequest(f"invalid multipart form: {exc}") from None
        form.discard()
        return dict(form.fields)
    body = await call.http.body()
    if kind == "application/json":
        try:
            payload = json.loads(body) if body.strip() else {}
        except (ValueError, RecursionError):
            raise errors.BadRequest("the body is not valid JSON") from None
        if not isinstance(payload, dict):
            raise errors.BadRequest("the body must be a JSON object")
        return payload
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


async def exchange_code(call: Call) -> dict[str, Any]:
    """``POST /v1/oauth2/token?grant_type=authorization_code`` with ``code`` (query, form or JSON): a token pair,
    once per code."""
    if call.http.query.get("grant_type") != "authorization_code":
        raise errors.BadRequest("grant_type must be authorization_code")
    code = call.http.query.get("code") or (await _fields(call)).get("code")
    if not isinstance(code, str) or not code:
        raise errors.BadRequest("code is required")
    token = call.state.redeem(code)
    if token is None:
        raise errors.InvalidAuthorizationCode()
    return render.token(token, call.state.token_ttl)


def authorize(call: Call) -> Redirect:
    """The consent screen (``https://{subdomain}.cor.works/oauth2/authorize``), approved at once for the
    fixture's first client's user: a redirect to ``redirect_uri`` with a one-time ``code`` (and ``state``)."""
    q = call.http.query
    redirect_uri = q.get("redirect_uri", "")
    if q.get("response_type") != "code" or not redirect_uri.startswith(("http://", "https://")):
        raise errors.BadRequest("response_type=code and an http(s) redirect_uri are required")
    if not call.state.clients:
        raise errors.Unauthorized("No user can consent")
    params = {"code": call.state.grant_code(call.state.clients[0].user_id)}
    if q.get("state") is not None:
        params["state"] = q["state"]
    separator = "&" if "?" in redirect_uri else "?"
    return Redirect(redirect_uri + separator + urlencode(params))


# -- tasks ------------------------------------------------------------------------------------------------------------

def _filters_object(call: Call) -> dict[str, Any]:
    """A list's ``filters`` query parameter: a JSON object, else 400."""
    raw = call.http.query.get("filters")
    if not raw:
        return {}
    try:
        filters = json.loads(raw)
    except (ValueError, RecursionError):
        raise errors.BadRequest("filters must be a JSON object") from None
    if not isinstance(filters, dict):
        raise errors.BadRequest("filters must be a JSON object")
    return filters


def _filters(call: Call) -> dict[str, Any]:
    filters = _filters_object(call)
    unknown = set(filters) - {"projects", "status", "priority", "title"}
    if unknown and call.state.unknown_filter == "400":
        raise errors.BadRequest(f"unknown filter: {sorted(unknown)[0]}")
    return filters


def _many(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def list_tasks(call: Call) -> Any:
    """``GET /v1/tasks``: the documented paging; ``filters`` (JSON) by ``projects`` (ids), ``status``,
    ``priority`` and ``title`` (a part of it, any case)."""
    f = _filters(call)
    projects = {str(p) for p in _many(f["projects"])} if "projects" in f else None
    statuses = set(_many(f["status"])) if "status" in f else None
    priorities = {str(p) for p in _many(f["priority"])} if "priority" in f else None
    title = str(f.get("title", "")).lower()
    tasks = [render.task(t) for t in sorted(call.state.tasks.values(), key=lambda t: t.id)
             if (projects is None or str(t.project_id) in projects) and (statuses is None or t.status in statuses)
             and (priorities is None or str(t.priority) in priorities) and title in t.title.lower()]
    return _paged(call, tasks)


def _paged(call: Call, items: list[Any], per_page_name: str = "perPage", total_as_text: bool = True) -> Any:
    """The documented wrapper (at most 50 a page), or every item bare with ``page=false``."""
    q = call.http.query
    if q.get("page") == "false":
        return items
    try:
        page_number = int(q.get("page", "1"))
        per_page = min(int(q.get(per_page_name) or q.get("perPage") or "20"), MAX_PER_PAGE)
    except ValueError:
        raise errors.BadRequest(f"page and {per_page_name} must be whole numbers") from None
    if page_number < 1 or per_page < 1:
        raise errors.BadRequest(f"page and {per_page_name} must be positive")
    return render.page(items, page_number, per_page, total_as_text)


def get_task(call: Call) -> dict[str, Any]:
    return render.task(_task(call))


def _task_fields(fields: dict[str, Any], task: Task | None) -> dict[str, Any]:
    """``TaskInput``/``TaskUpdateInput``: ``title`` required; ``project_id`` a number; ``status`` one of the
    four, ``priority`` 0-3, ``deadline`` a date or date-time, ``archived`` a boolean; what is not sent stays."""
    title = str(fields.get("title") or "").strip()
    if not title:
        raise errors.BadRequest("title is required")
    values: dict[str, Any] = {"title": title}
    if fields.get("project_id") not in (None, ""):
        project = str(fields["project_id"])
        if not ascii_digits(project):
            raise errors.BadRequest("project_id must be a number")
        values["project_id"] = int(project)
    if "status" in fields or task is None:
        status = fields.get("status") or "nueva"
        if status not in TASK_STATUSES:
            raise errors.BadRequest(f"status must be one of {', '.join(TASK_STATUSES)}")
        values["status"] = status
    if "priority" in fields or task is None:
        priority = str(fields.get("priority", 1))
        if priority not in ("0", "1", "2", "3"):
            raise errors.BadRequest("priority must be 0, 1, 2 or 3")
        values["priority"] = int(priority)
    if fields.get("deadline") is not None:
        deadline = _moment(str(fields["deadline"]))
        if deadline is None:
            raise errors.BadRequest("deadline must be a date (YYYY-MM-DD) or an ISO 8601 date-time")
        values["deadline"] = deadline
    if "description" in fields or task is None:
        values["description"] = str(fields.get("description") or "")
    if "archived" in fields:
        archived = fields["archived"]
        if archived not in (True, False, "true", "false", "1", "0"):
            raise errors.BadRequest("archived must be a boolean")
        values["archived"] = archived in (True, "true", "1")
    return values


async def create_task(call: Call) -> Created:
    """``POST /v1/tasks`` (JSON or form): ``TaskInput``, ``title`` required, ``project_id`` not."""
    values = _task_fields(await _fields(call), None)
    assert call.token is not None
    title, project_id = values.pop("title"), values.pop("project_id", None)
    task = call.state.add_task(title, project_id, created_by=call.token.user_id, **values)
    return Created(render.task(task), call.state.task_create_status)


async def update_task(call: Call) -> dict[str, Any]:
    """``PUT /v1/tasks/{id}``: ``TaskUpdateInput`` (``title`` required); the task as it is now."""
    task = _task(call)
    for name, value in _task_fields(await _fields(call), task).items():
        setattr(task, name, value)
    if task.project_id is not None:
        call.state.add_project(task.project_id)
    task.updated_at = call.state.clock.now()
    return render.task(task)


def search_tasks(call: Call) -> list[Any]:
    """``GET /v1/tasks/search-by-title/{title}``: an array of the tasks whose title holds it, in any case
    [INFER: a part of the title, as the list's ``title`` filter]."""
    needle = call.http.path_params["title"].lower()
    return [render.task(t) for t in sorted(call.state.tasks.values(), key=lambda t: t.id)
            if needle in t.title.lower()]


def _moment(text: str) -> str | None:
    """A date or date-time as the docs write task deadlines (``2024-01-15T18:00:00Z``), or None."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def delete_task(call: Call) -> None:
    call.state.remove_task(_task(call))


def project_attachments(call: Call) -> list[Any]:
    """``GET /v1/projects/{project_id}/attachments``: an array of ``Attachment`` (``id``, ``name``, ``url``,
    ``type``, ``created_at``), those of the project's tasks, by id [INFER: which ones, and their order]."""
    value = call.http.path_params["project_id"]
    project_id = int(value) if ascii_digits(value) else None
    if project_id not in call.state.projects:
        raise errors.ProjectNotFound()
    tasks = [t.id for t in call.state.tasks.values() if t.project_id == project_id]
    items = sorted((a for task_id in tasks for a in call.state.task_attachments(task_id)), key=lambda a: a.id)
    return [render.project_attachment(a, call.http.base_url) for a in items]


# -- projects and task messages ---------------------------------------------------------------------------------------

PROJECT_STATUSES = {"in_process": "active", "finished": "finished", "suspended": "suspended"}


def _project_view(call: Call, p: Project) -> dict[str, Any]:
    return render.project(p, call.state.users, call.state.company_id)


def list_projects(call: Call) -> Any:
    """``GET /v1/projects``: the documented paging (20 a page; ``page=false`` every project) and ``filters`` JSON:
    ``status`` (``in_process`` is a project the ``Project`` shape calls ``active`` [INFER]), ``archived`` (1
    archived, 2 active), ``client_id``, ``user_id`` (the project manager [INFER]); the other documented keys
    (dates, team, brand, product, health) hold nothing the mock models and match every project [INFER]."""
    f = _filters_object(call)
    status = PROJECT_STATUSES.get(str(f["status"]), str(f["status"])) if "status" in f else None
    archived = {"1": True, "2": False}.get(str(f.get("archived")))
    projects = [p for p in sorted(call.state.projects.values(), key=lambda p: p.id)
                if (status is None or p.status == status) and (archived is None or p.archived == archived)
                and ("client_id" not in f or str(p.client_id) == str(f["client_id"]))
                and ("user_id" not in f or str(p.pm_id) == str(f["user_id"]))]
    return _paged(call, [_project_view(call, p) for p in projects])


def get_project(call: Call) -> dict[str, Any]:
    value = call.http.path_params["project_id"]
    project = call.state.projects.get(int(value)) if ascii_digits(value) else None
    if project is None:
        raise errors.ProjectNotFound()
    return _project_view(call, project)


def search_projects(call: Call) -> list[Any]:
    """``GET /v1/projects/search-by-name/{name}``: an array of the projects whose name holds it, in any case
    [INFER: as the tasks' search]."""
    needle = call.http.path_params["project_name"].lower()
    return [_project_view(call, p) for p in sorted(call.state.projects.values(), key=lambda p: p.id)
            if needle in p.name.lower()]


def list_messages(call: Call) -> list[Any]:
    """``GET /v1/tasks/{id}/messages``: an array of ``Message``, oldest first [INFER: the order]."""
    task = _task(call)
    return [render.message(m, call.state.attachments, call.http.base_url)
            for m in call.state.messages.values() if m.task_id == task.id]


async def post_message(call: Call) -> dict[str, Any]:
    """``POST /v1/tasks/{id}/messages`` (JSON ``MessageInput``): ``message`` required; ``attachments`` a list of
    ``AttachmentInput``: one with an ``id`` is that attachment of the task (another id is the attachment
    service's 404 ``FS003``), one without is an external file as described (``name``, ``url``, ``type``)
    [INFER: how a message refers to files]. The document says only "Message posted successfully": the mock
    answers the ``Message`` [INFER]."""
    task = _task(call)
    fields = await _fields(call)
    text = fields.get("message")
    if not isinstance(text, str) or not text.strip():
        raise errors.BadRequest("message is required")
    given = fields.get("attachments") or []
    if not isinstance(given, list) or not all(isinstance(a, dict) for a in given):
        raise errors.BadRequest("attachments must be a list of objects")
    ids: list[int] = []
    external: list[dict[str, Any]] = []
    for item in given:
        if item.get("id") is None:
            external.append({"id": None, "name": str(item.get("name") or ""), "url": str(item.get("url") or ""),
                             "type": str(item.get("type") or ""), "created_at": None})
            continue
        given_id = item["id"]
        found = call.state.attachments.get(given_id) \
            if isinstance(given_id, int) and not isinstance(given_id, bool) else None
        if found is None or found.task_id != task.id:
            raise errors.UndefinedAttachment()
        ids.append(found.id)
    assert call.token is not None
    message = call.state.add_message(task, call.token.user_id, text, ids, external)
    return render.message(message, call.state.attachments, call.http.base_url)
