"""Toggl Focus handlers: task and project attachments (list, create, bulk, update, delete, view), workspace
storage usage, and tasks (create, get, delete). Each returns JSON-ready data, None for an empty body, or a
``Download``; errors are raised. Whose attachments an operation is about is its ``owner`` (``op.meta``)."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from mockserver.downloads import Download, open_download
from mockserver.multipart import Form, MultipartError, parse_form
from mockserver.toggl import errors, render
from mockserver.toggl.models import Attachment, Project, Task
from mockserver.toggl.wire import Call, parse_id

MAX_BULK = 10
ORDER_KEYS = {"created_at", "display_order"}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


OWNERS = {
    "task": (errors.TaskNotFound, errors.TaskAttachmentNotFound, errors.TaskAttachmentViewNotFound),
    "project": (errors.ProjectNotFound, errors.ProjectAttachmentNotFound, errors.ProjectAttachmentViewNotFound),
}


def _owner(call: Call, owner: str) -> Task | Project:
    path_key = f"{owner}_id"
    owner_id = parse_id(call.http.path_params[path_key], path_key)
    table: dict[int, Task] | dict[int, Project] = call.state.tasks if owner == "task" else call.state.projects
    found = table.get(owner_id)
    if found is None or found.workspace_id != call.workspace_id:
        raise OWNERS[owner][0]()
    return found


def _attachment(call: Call, owner: str, not_found: type[errors.TogglError] | None = None) -> Attachment:
    found_owner = _owner(call, owner)
    attachment_id = parse_id(call.http.path_params["attachment_id"], "attachment_id")
    attachment = call.state.attachments.get((owner, attachment_id))
    if attachment is None or attachment.owner_id != found_owner.id:
        raise (not_found or OWNERS[owner][1])()
    return attachment


def _order(values: list[str]) -> list[tuple[str, bool]]:
    keys = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            descending = item.startswith("-")
            if item.lstrip("-") not in ORDER_KEYS or item.count("-") > 1:
                raise errors.InvalidRequest(f"invalid order_by: {item!r}")
            keys.append((item.lstrip("-"), descending))
    return keys or [("display_order", False)]


def list_attachments(call: Call) -> list[dict[str, Any]]:
    owner = call.op.meta["owner"]
    try:
        found = _owner(call, owner)
    except errors.NotFound:
        if call.state.unknown_task_list == "empty":
            return []
        raise
    q = call.http.query
    order = _order(q.getlist("order_by") + q.getlist("order_by[]"))
    items = sorted(call.state.attachments_of(owner, found.id), key=lambda a: a.id)
    for key, descending in reversed(order):
        items.sort(key=lambda a: getattr(a, key), reverse=descending)
    return [render.attachment(a) for a in items]


def _display_order(value: str | None, name: str) -> int:
    if value is None or not _NUMBER.match(value.strip()):
        raise errors.InvalidRequest(f"{name} is required and must be a number")
    number = float(value)
    if not number.is_integer():
        raise errors.InvalidRequest(f"{name} must be a whole number")
    return int(number)


def _check_storage(call: Call, incoming: int) -> None:
    org = call.organization
    if org.storage_enforced and call.state.used_bytes(call.workspace_id) + incoming > org.storage_limit_bytes:
        raise errors.InvalidRequest("attachment storage limit exceeded")


async def _form(call: Call) -> Form:
    """The multipart form, its plain fields checked against the request contract; nothing of a refused one is
    kept."""
    try:
        form = await parse_form(call.http, call.state.blobs)
    except MultipartError as exc:
        raise errors.InvalidRequest(f"invalid multipart form: {exc}") from None
    problem = call.breach(dict(form.fields))
    if problem:
        form.discard()
        raise errors.InvalidRequest(problem)
    return form


async def create_attachment(call: Call) -> dict[str, Any]:
    owner = call.op.meta["owner"]
    _owner(call, owner)
    form = await _form(call)
    try:
        found = _owner(call, owner)         # again: the task may have gone while the body streamed in
        files = form.files_named("file")
        if not files:
            raise errors.InvalidRequest("file is required")
        display_order = _display_order(form.get("display_order"), "display_order")
        part = files[0]
        _check_storage(call, part.blob.size)
    except errors.TogglError:
        form.discard()
        raise
    form.discard(keep=[part])
    attachment = call.state.add_attachment(owner, found.id, call.workspace_id, form.get("name") or part.filename,
                                           part.content_type, display_order, part.blob)
    return render.attachment(attachment)


async def bulk_create_attachments(call: Call) -> list[dict[str, Any]]:
    """All-or-nothing: any problem with any file and none is created."""
    owner = call.op.meta["owner"]
    _owner(call, owner)
    form = await _form(call)
    try:
        found = _owner(call, owner)         # again: the task may have gone while the body streamed in
        files = form.files_named("files") + form.files_named("files[]")
        if not files:
            raise errors.InvalidRequest("files is required")
        if len(files) > MAX_BULK:
            raise errors.InvalidRequest(f"at most {MAX_BULK} files per request")
        orders = [_display_order(form.get(f"display_orders[{i}]"), f"display_orders[{i}]")
                  for i in range(len(files))]
        _check_storage(call, sum(f.blob.size for f in files))
    except errors.TogglError:
        form.discard()
        raise
    form.discard(keep=files)
    created = [call.state.add_attachment(owner, found.id, call.workspace_id,
                                         form.get(f"names[{i}]") or part.filename, part.content_type, orders[i],
                                         part.blob) for i, part in enumerate(files)]
    return [render.attachment(a) for a in created]


async def _json_body(call: Call) -> dict[str, Any]:
    try:
        payload = json.loads(await call.http.body())
    except (ValueError, RecursionError):
        raise errors.InvalidRequest("the body is not valid JSON") from None
    problem = call.breach(payload)
    if problem:
        raise errors.InvalidRequest(problem)
    return payload


async def update_attachment(call: Call) -> None:
    attachment = _attachment(call, call.op.meta["owner"])
    payload = await _json_body(call)
    attachment.name = payload["name"]
    attachment.display_order = payload["display_order"]
    attachment.updated_at = call.state.clock.now()


def delete_attachment(call: Call) -> None:
    call.state.remove_attachment(_attachment(call, call.op.meta["owner"]))


def view_attachment(call: Call) -> Download:
    owner = call.op.meta["owner"]
    gone = OWNERS[owner][2]
    a = _attachment(call, owner, gone)
    return open_download(call.state.blobs, a.blob, a.name, a.mime_type, inline=True, missing=gone())


def storage_usage(call: Call) -> dict[str, Any]:
    org = call.organization
    return {"enforced": org.storage_enforced, "limit_bytes": org.storage_limit_bytes,
            "used_bytes": call.state.used_bytes(call.workspace_id)}


async def create_task(call: Call) -> dict[str, Any]:
    payload = await _json_body(call)
    if not payload["name"].strip():
        raise errors.InvalidRequest("name is required")
    project_id = payload.get("project_id")
    if project_id is not None:
        project = call.state.projects.get(project_id)
        if project is None or project.workspace_id != call.workspace_id:
            raise errors.InvalidRequest("project does not exist")
    for key in ("start_date", "end_date"):
        if payload.get(key) is not None and not _calendar_date(payload[key]):
            raise errors.InvalidRequest(f"invalid {key}: {payload[key]!r} is no date (YYYY-MM-DD)")
    fields = {k: payload[k] for k in ("description", "notes", "priority", "pinned", "private", "billable",
                                      "start_date", "end_date") if payload.get(k) is not None}
    if payload.get("position") is not None:
        fields["position"] = payload["position"]
    task = call.state.add_task(call.workspace_id, payload["name"], call.user.id, project_id=project_id, **fields)
    return render.task(task)


def _calendar_date(text: str) -> bool:
    """A real day written YYYY-MM-DD: the contract's ``date`` format checks the shape alone (2024-13-01 keeps
    it), the service parses the date."""
    try:
        return len(text) == 10 and datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _task(call: Call) -> Task:
    task = _owner(call, "task")
    assert isinstance(task, Task)
    return task


def get_task(call: Call) -> dict[str, Any]:
    return render.task(_task(call), aggregations=True)


def delete_task(call: Call) -> None:
    call.state.remove_task(_task(call))
