"""Toggl Focus handlers: task and project attachments (list, create, bulk, update, delete, view), workspace
storage usage, and tasks (create, get, delete). Each returns a ``render.Reply``; errors are raised."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from mockserver.contracts import Contracts
from mockserver.multipart import MultipartError, parse_form
from mockserver.toggl import errors
from mockserver.toggl.models import Organization, TogglState, User, now
from mockserver.toggl.render import Reply

MAX_BULK = 10
ORDER_KEYS = {"created_at", "display_order"}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Call:
    state: TogglState
    user: User
    organization: Organization
    workspace_id: int
    request: Request
    contracts: Contracts


OWNERS = {
    "task": (errors.TaskNotFound, errors.TaskAttachmentNotFound, errors.TaskAttachmentViewNotFound),
    "project": (errors.ProjectNotFound, errors.ProjectAttachmentNotFound, errors.ProjectAttachmentViewNotFound),
}


def parse_id(value: str, name: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise errors.InvalidRequest(f"invalid {name}: {value!r}")
    return int(value)


def authenticate(state: TogglState, request: Request) -> tuple[User, Organization, int]:
    """Bearer ``toggl_sk_`` key (or the ``token`` query parameter); then the workspace must be the user's."""
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header[:7].lower() == "bearer " else request.query_params.get("token", "")
    user = state.user_by_key(key) if key.startswith("toggl_sk_") else None
    if user is None:
        raise errors.Unauthorized()
    org_id = parse_id(request.path_params["organization_id"], "organization_id")
    workspace_id = parse_id(request.path_params["workspace_id"], "workspace_id")
    organization = state.organizations.get(org_id)
    if organization is None or workspace_id not in organization.workspaces or workspace_id not in user.workspaces:
        raise errors.InsufficientPermissions()
    return user, organization, workspace_id


def _owner(call: Call, owner: str):
    path_key = f"{owner}_id"
    owner_id = parse_id(call.request.path_params[path_key], path_key)
    table = call.state.tasks if owner == "task" else call.state.projects
    found = table.get(owner_id)
    if found is None or found.workspace_id != call.workspace_id:
        raise OWNERS[owner][0]()
    return found


def _attachment(call: Call, owner: str, not_found=None):
    found_owner = _owner(call, owner)
    attachment_id = parse_id(call.request.path_params["attachment_id"], "attachment_id")
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


async def list_attachments(call: Call, owner: str) -> Reply:
    try:
        found = _owner(call, owner)
    except errors.NotFound:
        if call.state.unknown_task_list == "empty":
            return Reply(200, [])
        raise
    q = call.request.query_params
    order = _order(q.getlist("order_by") + q.getlist("order_by[]"))
    items = sorted(call.state.attachments_of(owner, found.id), key=lambda a: a.id)
    for key, descending in reversed(order):
        items.sort(key=lambda a: getattr(a, key), reverse=descending)
    return Reply(200, items)


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


async def _form(call: Call, contract: str):
    """The multipart form, its plain fields checked against ``contract``; nothing of a refused one is kept."""
    try:
        form = await parse_form(call.request, call.state.blobs)
    except MultipartError as exc:
        raise errors.InvalidRequest(f"invalid multipart form: {exc}") from None
    problem = call.contracts.error(contract, dict(form.fields))
    if problem:
        form.discard()
        raise errors.InvalidRequest(problem)
    return form


async def create_attachment(call: Call, owner: str) -> Reply:
    found = _owner(call, owner)
    form = await _form(call, "toggl/attachment.create.form")
    try:
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
    return Reply(201, attachment)


async def bulk_create_attachments(call: Call, owner: str) -> Reply:
    """All-or-nothing: any problem with any file and none is created."""
    found = _owner(call, owner)
    form = await _form(call, "toggl/attachment.bulk.form")
    try:
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
    return Reply(201, created)


async def _json_body(call: Call, contract: str) -> dict[str, Any]:
    try:
        payload = json.loads(await call.request.body())
    except ValueError:
        raise errors.InvalidRequest("the body is not valid JSON") from None
    problem = call.contracts.error(contract, payload)
    if problem:
        raise errors.InvalidRequest(problem)
    return payload


async def update_attachment(call: Call, owner: str) -> Reply:
    attachment = _attachment(call, owner)
    payload = await _json_body(call, f"toggl/{owner}attachment.Payload")
    attachment.name = payload["name"]
    attachment.display_order = payload["display_order"]
    attachment.updated_at = now()
    return Reply(204)


async def delete_attachment(call: Call, owner: str) -> Reply:
    call.state.remove_attachment(_attachment(call, owner))
    return Reply(204)


async def view_attachment(call: Call, owner: str) -> Reply:
    return Reply(200, _attachment(call, owner, OWNERS[owner][2]), view=True)


async def storage_usage(call: Call) -> Reply:
    org = call.organization
    return Reply(200, {"enforced": org.storage_enforced, "limit_bytes": org.storage_limit_bytes,
                       "used_bytes": call.state.used_bytes(call.workspace_id)})


async def create_task(call: Call) -> Reply:
    payload = await _json_body(call, "toggl/task.CreatePayload")
    if not payload["name"].strip():
        raise errors.InvalidRequest("name is required")
    project_id = payload.get("project_id")
    if project_id is not None:
        project = call.state.projects.get(project_id)
        if project is None or project.workspace_id != call.workspace_id:
            raise errors.InvalidRequest("project does not exist")
    fields = {k: payload[k] for k in ("description", "notes", "priority", "pinned", "private", "billable",
                                      "start_date", "end_date") if payload.get(k) is not None}
    if payload.get("position") is not None:
        fields["position"] = payload["position"]
    task = call.state.add_task(call.workspace_id, payload["name"], call.user.id, project_id=project_id, **fields)
    return Reply(201, task)


async def get_task(call: Call) -> Reply:
    return Reply(200, _owner(call, "task"), aggregations=True)


async def delete_task(call: Call) -> Reply:
    call.state.remove_task(_owner(call, "task"))
    return Reply(204)
