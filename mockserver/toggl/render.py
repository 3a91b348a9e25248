"""Toggl Focus shapes: attachments and tasks as the Go service writes them (RFC 3339 UTC times with
microseconds; ``omitempty`` fields left out)."""

from __future__ import annotations

from typing import Any

from mockserver.toggl.models import Attachment, Task, rfc3339


def attachment(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, f"{a.owner}_id": a.owner_id, "name": a.name, "mime_type": a.mime_type, "size": a.size,
            "display_order": a.display_order, "created_at": rfc3339(a.created_at),
            "updated_at": rfc3339(a.updated_at or a.created_at)}


def task(t: Task, aggregations: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": t.id, "workspace_id": t.workspace_id, "name": t.name, "description": t.description,
        "notes": t.notes, "toggl_user_id": t.toggl_user_id, "allocation_unit": "flat", "estimate_type": "total",
        "is_template": False, "pinned": t.pinned, "position": t.position, "priority": t.priority,
        "private": t.private, "billable": t.billable, "source": "api", "status_id": 1, "tag_ids": [], "tags": [],
        "assignee_user_ids": [], "created_at": rfc3339(t.created_at), "updated_at": rfc3339(t.updated_at or t.created_at),
    }
    if t.project_id is not None:
        body["project_id"] = t.project_id
    if t.start_date:
        body["start_date"] = t.start_date
    if t.end_date:
        body["end_date"] = t.end_date
    if aggregations:
        body.update({k: 0 for k in (
            "sub_task_done_count", "sub_task_total_count", "time_block_completed_count",
            "time_block_scheduled_completed_count", "time_block_scheduled_total_count", "time_block_total_count",
            "time_entry_total_count", "total_blocked_time", "total_scheduled_blocked_time", "total_tracked_time")})
    return body
