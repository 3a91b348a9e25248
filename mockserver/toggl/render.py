"""Toggl Focus wire format: JSON bodies as the Go service writes them (``encoding/json``: HTML characters
escaped; RFC 3339 UTC times with microseconds; ``omitempty`` fields left out), the attachment bytes for ``/view``, the quota headers, and error bodies."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from mockserver.blobs import BlobStore
from mockserver.downloads import file_response
from mockserver.toggl.errors import TogglError
from mockserver.toggl.models import Attachment, Task, rfc3339


@dataclass
class Reply:
    """What a handler returns: a status and the data (models, lists of them, plain JSON, or None)."""
    status: int
    data: Any = None
    view: bool = False             # the data is an Attachment whose bytes are the body
    aggregations: bool = False     # a Task shown with its aggregation counts (GET .../tasks/{id})


def attachment(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, f"{a.owner}_id": a.owner_id, "name": a.name, "mime_type": a.mime_type, "size": a.size,
            "display_order": a.display_order, "created_at": rfc3339(a.created_at),
            "updated_at": rfc3339(a.updated_at)}


def task(t: Task, aggregations: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": t.id, "workspace_id": t.workspace_id, "name": t.name, "description": t.description,
        "notes": t.notes, "toggl_user_id": t.toggl_user_id, "allocation_unit": "flat", "estimate_type": "total",
        "is_template": False, "pinned": t.pinned, "position": t.position, "priority": t.priority,
        "private": t.private, "billable": t.billable, "source": "api", "status_id": 1, "tag_ids": [], "tags": [],
        "assignee_user_ids": [], "created_at": rfc3339(t.created_at), "updated_at": rfc3339(t.updated_at),
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


def _json(data: Any, aggregations: bool) -> Any:
    if isinstance(data, Attachment):
        return attachment(data)
    if isinstance(data, Task):
        return task(data, aggregations)
    if isinstance(data, list):
        return [_json(d, aggregations) for d in data]
    return data


def response(reply: Reply, blobs: BlobStore) -> Response:
    if reply.view:
        a: Attachment = reply.data
        return file_response(blobs, a.blob, a.mime_type, a.name, kind="inline")
    if reply.data is None:
        return Response(status_code=reply.status)
    return json_response(_json(reply.data, reply.aggregations), reply.status)


_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_response(data: Any, status: int) -> Response:
    """Go's ``json.Marshal``: compact, non-ASCII raw, ``< > &`` and U+2028/U+2029 escaped (Go escapes HTML by
    default; these characters only ever stand inside strings, so replacing them in the text is safe)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _GO_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Response(text.encode("utf-8"), status, media_type="application/json; charset=utf-8")


def error(exc: TogglError, as_string: bool) -> Response:
    """``"text"`` where the route's Swagger declares a string body, else ``response.Error``."""
    if as_string and exc.in_swagger:
        return json_response(exc.description, exc.status)
    return json_response({"error": exc.error, "error_description": exc.description,
                          "trace_id": secrets.token_hex(16)}, exc.status)


def quota_headers(remaining: int, resets_in: int) -> dict[str, str]:
    return {"X-Toggl-Quota-Remaining": str(remaining), "X-Toggl-Quota-Resets-In": str(resets_in)}
