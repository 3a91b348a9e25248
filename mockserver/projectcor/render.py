"""ProjectCOR shapes, as the vendor's OpenAPI document names them: the upload's and the list's attachment
records, the project's attachment, the task, the token reply, the paginated list wrapper."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from mockserver.projectcor.models import Attachment, Message, Project, Task, Token, User, iso


def token(t: Token, ttl: int) -> dict[str, Any]:
    return {"access_token": t.access_token, "token_type": "Bearer", "expires_in": ttl,
            "refresh_token": t.refresh_token}


def url(a: Attachment, base_url: str) -> str:
    """Where the bytes are: this server's storage, or an external file's own link."""
    return a.link if a.link is not None else f"{base_url}/projectcor-files/{a.id}/{quote(a.filename)}"


def media_type(mime_type: str) -> str:
    """The media category of a file (``image``, ``pdf``, ``video``, ...) [INFER: derived from its MIME type]."""
    major, _, minor = mime_type.partition("/")
    if major in ("image", "video", "audio"):
        return major
    return "pdf" if minor == "pdf" else "file"


def attachment(a: Attachment, base_url: str, company_id: int) -> dict[str, Any]:
    """``TaskAttachmentUploadedFile``: the upload's record of each stored file."""
    moment = iso(a.created_at)
    return {
        "id": a.id, "url": url(a, base_url), "name": a.originalname,
        "created_at": moment, "updated_at": moment, "source": a.source, "size": a.size,
        "filename": a.filename, "available": a.available, "item_id": a.task_id, "originalname": a.originalname,
        "attachment_parent_id": a.attachment_parent_id, "file_type": a.extension, "discussions_id": None,
        "user_id": a.user_id, "parent_id": a.task_id, "type": "tasks", "version": a.version, "status": a.status,
        "token": a.token, "company_id": company_id, "task_log_reworks_id": None, "task_log_id": a.task_id,
        "media_type": media_type(a.mime_type), "graphics_count": None, "created_from": a.created_from,
    }


def detail(a: Attachment, latest: Attachment, user: User | None, base_url: str) -> dict[str, Any]:
    """``TaskAttachmentDetail``, a chain's root as the list shows it, its newest version in ``currentVersion*``
    (``currentVersionData`` that version's own detail, null when the root is the newest [INFER])."""
    moment = iso(a.created_at)
    return {
        "id": a.id, "url": url(a, base_url), "size": a.size, "source": a.source, "user_id": a.user_id,
        "available": a.available, "file_type": a.extension, "media_type": media_type(a.mime_type),
        "created_at": moment, "updated_at": moment, "originalname": a.originalname, "discussions_id": None,
        "parent_type": "tasks", "name": a.originalname, "parent_id": a.task_id,
        "attachment_parent_id": a.attachment_parent_id, "version": a.version, "status": a.status,
        "currentVersionData": None if latest is a else detail(latest, latest, user, base_url),
        "currentVersionId": latest.id, "currentVersion": latest.version,
        "user": {"id": user.id, "first_name": user.first_name, "last_name": user.last_name, "picture": None}
        if user else None,
        "graphicsCount": None, "taskLogReworksId": None, "createdFrom": a.created_from,
    }


def source_attachment(a: Attachment, base_url: str) -> dict[str, Any]:
    """``TaskAttachmentSourceResponse``: a file of an external source, attached."""
    return {"id": a.id, "url": url(a, base_url), "name": a.originalname, "created_at": iso(a.created_at),
            "source": a.source, "size": a.size, "file_type": a.extension, "media_type": media_type(a.mime_type),
            "user_id": a.user_id, "discussions_id": None, "session_token": a.token}


def project_attachment(a: Attachment, base_url: str) -> dict[str, Any]:
    """``Attachment`` of ``GET /projects/{id}/attachments``."""
    return {"id": a.id, "name": a.originalname, "url": url(a, base_url), "type": a.extension,
            "created_at": iso(a.created_at)}


def upload(files: list[dict[str, Any]], files_q: int, errors: list[dict[str, str]]) -> dict[str, Any]:
    """``errors`` is present only when some file failed, as the vendor's page says."""
    body: dict[str, Any] = {"files": files, "files_q": files_q}
    if errors:
        body["errors"] = errors
    return body


def page(items: list[Any], page_number: int, per_page: int, total_as_text: bool = True) -> dict[str, Any]:
    """The paginated wrapper; ``total`` a string, as the documented example writes it (the attachment list's
    document: an integer)."""
    start = (page_number - 1) * per_page
    return {"total": str(len(items)) if total_as_text else len(items), "perPage": per_page, "page": page_number,
            "lastPage": max(1, math.ceil(len(items) / per_page)), "data": items[start:start + per_page]}


def task(t: Task) -> dict[str, Any]:
    """A task (inferred: the documented statuses and priorities, deadline as the docs write task deadlines)."""
    return {"id": t.id, "title": t.title, "description": t.description, "project_id": t.project_id,
            "status": t.status, "priority": t.priority, "deadline": t.deadline, "archived": t.archived,
            "created_by": t.created_by, "created_at": iso(t.created_at),
            "updated_at": iso(t.updated_at or t.created_at)}


def project(p: Project, users: dict[int, User], company_id: int) -> dict[str, Any]:
    """``Project``: the fields the mock keeps, and the document's defaults for what it does not model
    (no hours logged or estimated, health 1, a fee project, billable) [INFER: those values]."""
    moment = iso(p.created_at)
    pm = users.get(p.pm_id) if p.pm_id is not None else None
    return {"id": p.id, "name": p.name, "brief": p.brief, "client_id": p.client_id, "health": 1, "status": p.status,
            "start": moment, "end": None, "estimated_time": 0, "elapsed_time": 0, "archived": p.archived,
            "billable": True, "income_type": "fee", "pm_id": p.pm_id, "created_by": p.pm_id,
            "company_id": company_id, "created_at": moment, "updated_at": moment, "labels": [],
            "pm": {"id": pm.id, "first_name": pm.first_name, "last_name": pm.last_name, "email": pm.email,
                   "role_id": pm.role_id} if pm else None}


def message(m: Message, attachments: dict[int, Attachment], base_url: str) -> dict[str, Any]:
    """``Message``: its text and its files, as ``Attachment`` records (a task file deleted since is left out)."""
    files = [project_attachment(attachments[i], base_url) for i in m.attachment_ids if i in attachments]
    return {"id": m.id, "message": m.message, "attachments": files + m.external}


@dataclass
class Redirect:
    """A handler's answer that sends the client on: a 302 to ``location``."""
    location: str


@dataclass
class Created:
    """A created record, answered with the status the vendor's switch says (``task_create_status``)."""
    record: dict[str, Any]
    status: int
