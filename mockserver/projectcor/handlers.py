"""ProjectCOR handlers: OAuth client-credentials and refresh, ``/v1/me``, and task attachments (multipart
upload of several files with per-file errors and versions, the paginated list, the file bytes). Each returns
JSON-ready data or a ``Download``; errors are raised."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import parse_qs

from mockserver import http
from mockserver.http import ascii_digits
from mockserver.downloads import Download, open_download
from mockserver.multipart import MultipartError, parse_form
from mockserver.projectcor import errors, render
from mockserver.projectcor.models import Attachment, CorState, Task
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


def me(call: Call) -> dict[str, Any]:
    assert call.token is not None
    user = call.state.users.get(call.token.user_id)
    if user is None:
        raise errors.Unauthorized()
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "picture": None, "role_id": user.role_id, "user_position_id": None, "daily_hours": 8,
            "remaining_hours": 8}


def _task(call: Call) -> Task:
    value = call.http.path_params["task_id"]
    task = call.state.tasks.get(int(value)) if ascii_digits(value) else None
    if task is None:
        raise errors.TaskNotFound()
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
    assert call.token is not None
    task = _task(call)
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
            raise errors.BadRequest("file is required")
        parent_id = _optional(fields.get("attachment_parent_id"))
        parent = call.state.attachments.get(int(parent_id)) if parent_id else None
        if parent_id and (parent is None or parent.task_id != task.id):
            raise errors.AttachmentNotFound(f"Attachment {parent_id} not found on task {task.id}")
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
    return render.upload([_record(call, a) for a in created], len(call.state.task_attachments(task.id)), failures)


def _record(call: Call, a: Attachment) -> dict[str, Any]:
    return render.attachment(a, call.http.base_url, call.state.company_id)


def list_attachments(call: Call) -> Any:
    task = _task(call)
    q = call.http.query
    items = [_record(call, a) for a in call.state.task_attachments(task.id)]
    if q.get("page") == "false":
        return items
    try:
        page_number = int(q.get("page", "1"))
        per_page = min(int(q.get("perPage", "20")), MAX_PER_PAGE)
    except ValueError:
        raise errors.BadRequest("page and perPage must be whole numbers") from None
    if page_number < 1 or per_page < 1:
        raise errors.BadRequest("page and perPage must be positive")
    return render.page(items, page_number, per_page)


def download(call: Call) -> Download:
    """The ``url`` of an attachment: its bytes, as the storage behind it would serve them."""
    value = call.http.path_params["attachment_id"]
    attachment = call.state.attachments.get(int(value)) if ascii_digits(value) else None
    if attachment is None or attachment.filename != call.http.path_params["filename"]:
        raise errors.AttachmentNotFound()
    return open_download(call.state.blobs, attachment.blob, attachment.originalname, attachment.mime_type,
                    missing=errors.AttachmentNotFound())
