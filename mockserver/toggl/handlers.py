"""Toggl Focus handlers: task and project attachments (list, create, bulk, update, delete, view), workspace
storage usage, and tasks (create, get, delete). Each returns JSON-ready data, None for an empty body, or a
``Download``; errors are raised. Whose attachments an operation is about is its ``owner`` (``op.meta``)."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from mockserver.downloads import Download, open_download
from mockserver.http import ascii_digits
from mockserver.multipart import Form, MultipartError, parse_form
from mockserver.toggl import errors, render
from mockserver.toggl.models import Attachment, Project, Task
from mockserver.toggl.wire import Call, parse_id

MAX_BULK = 10
ORDER_KEYS = {"created_at", "display_order"}
TASK_ORDER_KEYS = {"id", "name", "created_at", "updated_at", "start_date", "end_date", "priority", "position",
                   "status_id", "project_id", "pinned", "tag_ids", "assignees"}
DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 100
_TRUE, _FALSE = {"1", "t", "T", "TRUE", "true", "True"}, {"0", "f", "F", "FALSE", "false", "False"}
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
                                      "start_date", "end_date", "status_id", "assignee_user_ids")
              if payload.get(k) is not None}
    if payload.get("integration_ext_id") is not None:
        fields["external_id"] = str(payload["integration_ext_id"])
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


# -- finding work: who am I, the tasks and projects of a workspace --------------------------------------------------

def user_settings(call: Call) -> dict[str, Any]:
    return render.settings(call.user)


def _query_int(call: Call, name: str, default: int | None) -> int | None:
    """An integer query parameter as Go's binding parses it."""
    value = call.http.query.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value, 10)
    except ValueError:
        raise errors.InvalidRequest(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None


def _query_bool(call: Call, name: str) -> bool | None:
    value = call.http.query.get(name)
    if value is None or value == "":
        return None
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise errors.InvalidRequest(f'strconv.ParseBool: parsing "{value}": invalid syntax')


def _query_list(call: Call, name: str) -> list[str]:
    q = call.http.query
    return [item for value in q.getlist(name) + q.getlist(f"{name}[]") for item in value.split(",")]


def _paging(call: Call) -> tuple[int, int]:
    """``page`` and ``per_page``, with the validator's texts (the ``max`` one seen on the live service)."""
    number = _query_int(call, "page", 1) or 0
    per_page = _query_int(call, "per_page", DEFAULT_PER_PAGE) or 0
    broken = (("PerPage", "max") if per_page > MAX_PER_PAGE else ("PerPage", "min") if per_page < 1
              else ("Page", "min") if number < 1 else None)
    if broken:
        field_name, tag = broken
        raise errors.InvalidRequest(f"Key: 'Pagination.{field_name}' Error:Field validation for '{field_name}' "
                                    f"failed on the '{tag}' tag")
    return number, per_page


def _page(items: list[dict[str, Any]], call: Call) -> dict[str, Any]:
    number, per_page = _paging(call)
    start = (number - 1) * per_page
    return render.page(items[start:start + per_page], number, per_page, len(items))


def _ids(call: Call, name: str) -> list[int | None] | None:
    """An id-list filter: ``None`` when absent; an empty value stands for "none" (``?project_id=``)."""
    values = _query_list(call, name)
    if not values and name not in call.http.query and f"{name}[]" not in call.http.query:
        return None
    out: list[int | None] = []
    for value in values:
        if value == "":
            out.append(None)
        elif ascii_digits(value):
            out.append(int(value))
        else:
            raise errors.InvalidRequest(f'strconv.ParseInt: parsing "{value}": invalid syntax')
    return out or [None]


def _task_order(call: Call) -> list[tuple[str, bool]]:
    keys = []
    for item in _query_list(call, "order_by"):
        item = item.strip()
        if not item:
            continue
        key = item[1:] if item.startswith("-") else item
        if key not in TASK_ORDER_KEYS and not re.fullmatch(r"pcf_\d+", key):
            raise errors.InvalidRequest(f"invalid order_by: {item!r}")
        keys.append((key, item.startswith("-")))
    return keys


PRIORITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


def _sort_value(t: Task, key: str) -> Any:
    if key == "assignees":
        return sorted(t.assignee_user_ids)
    if key == "priority":
        return PRIORITY_RANK.get(t.priority, 0)
    if key in ("tag_ids",) or key.startswith("pcf_"):
        return []
    value = getattr(t, key)
    return value if value is not None else ""


def list_tasks(call: Call) -> dict[str, Any]:
    """The workspace's tasks: the filters the vendor documents, ``order_by``, then one page with the total."""
    state, q = call.state, call.http.query
    name = q.get("name", "").lower()
    projects, statuses = _ids(call, "project_id"), _ids(call, "status_id")
    user, creator = _query_int(call, "toggl_user_id", None), _query_int(call, "creator_id", None)
    flags = {key: _query_bool(call, key) for key in ("pinned", "private", "archived", "has_dates")}
    start, end = q.get("start_date"), q.get("end_date")
    order = _task_order(call)

    def wanted(t: Task) -> bool:
        project = state.projects.get(t.project_id) if t.project_id else None
        return ((not name or name in t.name.lower() or (project is not None and name in project.name.lower()))
                and (projects is None or t.project_id in projects)
                and (statuses is None or t.status_id in statuses)
                and (user is None or user == t.toggl_user_id or user in t.assignee_user_ids)
                and (creator is None or creator == t.toggl_user_id)
                and flags["pinned"] in (None, t.pinned) and flags["private"] in (None, t.private)
                and not flags["archived"]
                and flags["has_dates"] in (None, bool(t.start_date or t.end_date))
                and (not start or (t.end_date or t.start_date or "") >= start[:10])
                and (not end or (t.start_date or t.end_date or "9999") <= end[:10]))

    tasks = sorted((t for t in state.tasks.values() if t.workspace_id == call.workspace_id and wanted(t)),
                   key=lambda t: (t.position, t.id))
    for key, descending in reversed(order):
        tasks.sort(key=lambda t: _sort_value(t, key), reverse=descending)
    return _page([render.task(t) for t in tasks], call)


def find_task_by_external_id(call: Call) -> dict[str, Any]:
    external_id = call.http.query.get("external_id", "")
    if not external_id:
        raise errors.InvalidRequest("external_id is required")
    found = next((t for t in sorted(call.state.tasks.values(), key=lambda t: t.id)
                  if t.workspace_id == call.workspace_id and t.external_id == external_id), None)
    if found is None:
        raise errors.TaskNotFound()
    return render.task(found)


def list_projects(call: Call) -> dict[str, Any]:
    name = call.http.query.get("name", "").lower()
    projects = [p for p in sorted(call.state.projects.values(), key=lambda p: p.id)
                if p.workspace_id == call.workspace_id and name in p.name.lower()]
    return _page([render.project(p) for p in projects], call)
