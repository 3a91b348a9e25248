"""ProjectCOR shapes: the attachment record of the upload page, the token reply, the paginated list wrapper
(``total`` a string)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from mockserver.projectcor.models import Attachment, Task, Token, iso


def token(t: Token, ttl: int) -> dict[str, Any]:
    return {"access_token": t.access_token, "token_type": "Bearer", "expires_in": ttl,
            "refresh_token": t.refresh_token}


def attachment(a: Attachment, base_url: str, company_id: int) -> dict[str, Any]:
    moment = iso(a.created_at)
    return {
        "id": a.id, "url": f"{base_url}/projectcor-files/{a.id}/{quote(a.filename)}", "name": a.originalname,
        "created_at": moment, "updated_at": moment, "source": "upload", "size": a.blob.size,
        "filename": a.filename, "available": a.available, "item_id": None, "originalname": a.originalname,
        "attachment_parent_id": a.attachment_parent_id, "file_type": a.extension, "discussions_id": None,
        "user_id": a.user_id, "parent_id": None, "type": "file", "version": a.version, "status": a.status,
        "token": a.token, "company_id": company_id, "task_log_reworks_id": None, "task_log_id": a.task_id,
        "media_type": a.mime_type, "graphics_count": "0", "created_from": a.created_from,
    }


def upload(files: list[dict[str, Any]], files_q: int, errors: list[dict[str, str]]) -> dict[str, Any]:
    """``errors`` is present only when some file failed, as the vendor's page says."""
    body: dict[str, Any] = {"files": files, "files_q": files_q}
    if errors:
        body["errors"] = errors
    return body


def page(items: list[Any], page_number: int, per_page: int) -> dict[str, Any]:
    start = (page_number - 1) * per_page
    return {"total": str(len(items)), "perPage": per_page, "page": page_number,
            "lastPage": max(1, math.ceil(len(items) / per_page)), "data": items[start:start + per_page]}


def task(t: Task) -> dict[str, Any]:
    """A task (inferred: the documented statuses and priorities, deadline as the docs write task deadlines)."""
    return {"id": t.id, "title": t.title, "description": t.description, "project_id": t.project_id,
            "status": t.status, "priority": t.priority, "deadline": t.deadline, "created_by": t.created_by,
            "created_at": iso(t.created_at), "updated_at": iso(t.created_at)}


@dataclass
class Redirect:
    """A handler's answer that sends the client on: a 302 to ``location``."""
    location: str


@dataclass
class Created:
    """A created record, answered with the status the vendor's switch says (``task_create_status``)."""
    record: dict[str, Any]
    status: int
