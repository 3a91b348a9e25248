"""ProjectCOR handlers: OAuth client-credentials and refresh, ``/v1/me``, and task attachments (multipart
upload of several files with per-file errors and versions, the paginated list, the file bytes)."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from mockserver.contracts import Contracts
from mockserver.downloads import file_response
from mockserver.multipart import MultipartError, parse_form
from mockserver.projectcor import errors, render
from mockserver.projectcor.models import CorState, Token

FORM_FIELDS = ("available", "session_token", "attachment_parent_id", "status", "created_from")
MAX_PER_PAGE = 50


@dataclass
class Call:
    state: CorState
    request: Request
    contracts: Contracts


def bearer(state: CorState, request: Request) -> Token:
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer ":
        raise errors.InvalidToken()
    token = state.tokens.get(header[7:].strip())
    if token is None:
        raise errors.InvalidToken()
    if token.expires_at <= state.now():
        raise errors.ExpiredToken()
    return token


async def issue_token(call: Call) -> Response:
    """``POST /v1/oauth/token?grant_type=client_credentials`` with Basic key:secret; ``grant_type=refresh_token``
    with a JSON or form ``refresh_token`` is taken too (a third-party client sends that)."""
    grant = call.request.query_params.get("grant_type")
    if grant == "refresh_token":
        return await refresh_token(call)
    if grant != "client_credentials":
        raise errors.BadRequest("grant_type must be client_credentials or refresh_token")
    header = call.request.headers.get("authorization", "")
    try:
        api_key, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.InvalidClientCredentials() from None
    client = call.state.client(api_key, secret) if header[:6].lower() == "basic " else None
    if client is None:
        raise errors.InvalidClientCredentials()
    return render.json_response(render.token(call.state.issue(client.user_id), call.state.token_ttl))


async def refresh_token(call: Call) -> Response:
    """``POST /v1/oauth/refreshtoken``, form (or JSON) ``refresh_token``: a new pair; the old one is spent."""
    content_type = call.request.headers.get("content-type", "")
    body = await call.request.body()
    value = None
    if content_type.startswith("application/json"):
        try:
            payload = json.loads(body)
        except ValueError:
            raise errors.BadRequest("the body is not valid JSON") from None
        value = payload.get("refresh_token") if isinstance(payload, dict) else None
    else:
        from urllib.parse import parse_qs
        value = (parse_qs(body.decode("utf-8", "replace")).get("refresh_token") or [None])[0]
    if not isinstance(value, str) or not value:
        raise errors.BadRequest("refresh_token is required")
    token = call.state.refresh(value)
    if token is None:
        raise errors.Unauthorized("Invalid refresh token")
    return render.json_response(render.token(token, call.state.token_ttl))


async def me(call: Call) -> Response:
    token = bearer(call.state, call.request)
    user = call.state.users.get(token.user_id)
    if user is None:
        raise errors.Unauthorized()
    return render.json_response({"id": user.id, "first_name": user.first_name, "last_name": user.last_name,
                                 "email": user.email, "picture": None, "role_id": user.role_id,
                                 "user_position_id": None, "daily_hours": 8, "remaining_hours": 8})


def _task(call: Call):
    value = call.request.path_params["task_id"]
    task = call.state.tasks.get(int(value)) if value.isdigit() else None
    if task is None:
        raise errors.TaskNotFound()
    return task


def _optional(value: str | None) -> str | None:
    return None if value is None or value in ("", "null") else value


def _rule_breach(state: CorState, filename: str, size: int) -> str | None:
    extension = filename.rsplit(".", 1)[1].lower() if "." in filename else ""
    if extension in {e.lower() for e in state.rules["denied_extensions"]}:
        return f"Invalid file extension: .{extension}"
    if size > state.rules["max_file_size"]:
        return f"File size exceeds the limit of {state.rules['max_file_size']} bytes"
    return None


async def upload_attachments(call: Call) -> Response:
    token = bearer(call.state, call.request)
    task = _task(call)
    try:
        form = await parse_form(call.request, call.state.blobs)
    except MultipartError as exc:
        raise errors.BadRequest(f"Invalid multipart body: {exc}") from None
    try:
        fields = {name: form.get(name) for name in FORM_FIELDS if form.get(name) is not None}
        problem = call.contracts.error("projectcor/attachments.upload.form", fields)
        if problem:
            raise errors.BadRequest(problem.replace("data.", "", 1))
        parts = form.files_named("file") + form.files_named("file[]")
        if not parts:
            raise errors.BadRequest("file is required")
        parent_id = _optional(fields.get("attachment_parent_id"))
        parent = call.state.attachments.get(int(parent_id)) if parent_id else None
        if parent_id and (parent is None or parent.task_id != task.id):
            raise errors.AttachmentNotFound(f"Attachment {parent_id} not found on task {task.id}")
    except errors.CorError:
        form.discard()
        raise
    stored, created, failures = [], [], []
    for part in parts:
        breach = _rule_breach(call.state, part.filename, part.blob.size)
        if breach:
            failures.append({"filename": part.filename, "message": breach})
            continue
        extension = part.filename.rsplit(".", 1)[1].lower() if "." in part.filename else ""
        attachment = call.state.add_attachment(
            task_id=task.id, user_id=token.user_id, originalname=part.filename,
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
    base = str(call.request.base_url).rstrip("/")
    return render.json_response(render.upload([render.attachment(a, base, call.state.company_id) for a in created],
                                              len(call.state.task_attachments(task.id)), failures))


async def list_attachments(call: Call) -> Response:
    bearer(call.state, call.request)
    task = _task(call)
    q = call.request.query_params
    items = [render.attachment(a, str(call.request.base_url).rstrip("/"), call.state.company_id)
             for a in call.state.task_attachments(task.id)]
    if q.get("page") == "false":
        return render.json_response(items)
    try:
        page_number = int(q.get("page", "1"))
        per_page = min(int(q.get("perPage", "20")), MAX_PER_PAGE)
    except ValueError:
        raise errors.BadRequest("page and perPage must be whole numbers") from None
    if page_number < 1 or per_page < 1:
        raise errors.BadRequest("page and perPage must be positive")
    return render.json_response(render.page(items, page_number, per_page))


async def download(call: Call) -> Response:
    """The ``url`` of an attachment: its bytes, as the storage behind it would serve them."""
    value = call.request.path_params["attachment_id"]
    attachment = call.state.attachments.get(int(value)) if value.isdigit() else None
    if attachment is None or attachment.filename != call.request.path_params["filename"]:
        raise errors.AttachmentNotFound()
    return file_response(call.state.blobs, attachment.blob, attachment.mime_type, attachment.originalname)
