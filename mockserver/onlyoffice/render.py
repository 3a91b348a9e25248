"""ONLYOFFICE shapes: the response envelope, dates with 7 fractional digits, and the object wrappers (person,
FileWrapper, TaskWrapper, TaskWrapperFull, ProjectWrapperFull)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from mockserver.onlyoffice.errors import OnlyofficeError
from mockserver.onlyoffice.models import (
    COPY, MOVE, File, Folder, OnlyofficeState, Operation, Project, Task, UploadSession, User, Version,
)

DEFAULT_AVATAR = "/skins/default/images/default_user_photo_size_32-32.png"
FILE_TYPES = {  # FileType by extension: 1 archive, 2 video, 3 audio, 4 image, 5 spreadsheet, 6 presentation, 7 document
    **dict.fromkeys((".zip", ".rar", ".7z", ".tar", ".gz"), 1),
    **dict.fromkeys((".mp4", ".avi", ".mov", ".mkv", ".webm"), 2),
    **dict.fromkeys((".mp3", ".wav", ".ogg", ".flac"), 3),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".tif", ".tiff"), 4),
    **dict.fromkeys((".xlsx", ".xls", ".ods", ".csv"), 5),
    **dict.fromkeys((".pptx", ".ppt", ".odp"), 6),
    **dict.fromkeys((".docx", ".doc", ".odt", ".rtf", ".txt", ".pdf", ".html", ".epub"), 7),
}
EDITABLE = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv", ".rtf", ".doc", ".xls", ".ppt"}


@functools.lru_cache(maxsize=4096)          # stored moments are formatted on every listing
def date(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


@functools.lru_cache(maxsize=4096)
def content_length(size: int) -> str:
    """``#,0.##`` of the 1024-based unit: ``512 bytes``, ``12.06 KB``, ``1,023.5 MB``."""
    value, unit = float(size), "bytes"
    for next_unit in ("KB", "MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


def person(state: OnlyofficeState, user_id: str, portal: str) -> dict[str, Any] | None:
    user: User | None = state.users.get(user_id)
    if user is None:
        return None
    return {"id": user.id, "displayName": user.display_name, "avatarSmall": DEFAULT_AVATAR,
            "profileUrl": f"{portal}/Products/People/Profile.aspx?user={user.user_name}"}


def extension(title: str) -> str:
    return "." + title.rsplit(".", 1)[1].lower() if "." in title else ""


def file_wrapper(state: OnlyofficeState, f: File, portal: str, v: Version | None = None) -> dict[str, Any]:
    """``FileWrapper``: the file as it is now, or one of its versions (``GET file/{id}/history``)."""
    ext = extension(f.title)
    folder = state.folders[f.folder_id]
    base = f"{portal}/Products/Files"
    view_url = f"{base}/HttpHandlers/filehandler.ashx?action=download&fileid={f.id}"
    if v is not None:
        view_url += f"&version={v.version}"
    version = v.version if v else f.version
    blob = v.blob if v else f.blob
    file_type = FILE_TYPES.get(ext, 0)
    if file_type in (2, 3, 4):
        web_url = f"{base}/#preview/{f.id}"
    elif ext in EDITABLE:
        web_url = f"{base}/DocEditor.aspx?fileid={f.id}"
    else:
        web_url = view_url
    body: dict[str, Any] = {"folderId": f.folder_id, "version": version, "versionGroup": version,
                            "contentLength": content_length(blob.size), "pureContentLength": blob.size,
                            "fileStatus": 2, "viewUrl": view_url, "webUrl": web_url}
    if file_type:
        body["fileType"] = file_type
    if ext:
        body["fileExst"] = ext
    updated_by, updated = (v.created_by, v.created) if v else (f.updated_by or f.created_by, f.updated)
    body.update({"comment": v.comment if v else f.comment, "id": f.id,
                 "title": f.title, "access": 0, "shared": False, "rootFolderType": folder.root_type,
                 "updatedBy": person(state, updated_by, portal), "created": date(f.created),
                 "createdBy": person(state, f.created_by, portal), "updated": date(updated)})
    return body


def folder_wrapper(state: OnlyofficeState, folder: Folder, portal: str,
                   counts: Mapping[int, int] | None = None) -> dict[str, Any]:
    """``FolderWrapper``: its own members (parent, counts), then the entry's, as the file wrapper has them.
    ``counts``: the files of each folder, counted once for a list of wrappers."""
    owner = folder.created_by or folder.owner_id or (state.projects[folder.project_id].responsible_id
                                                     if folder.project_id in state.projects else None)
    first_user = owner or next(iter(state.users), "")
    files = counts.get(folder.id, 0) if counts is not None else len(state.files_in(folder))
    body: dict[str, Any] = {"parentId": state.parent_of(folder), "filesCount": files,
                            "foldersCount": len(state.subfolders(folder)), "id": folder.id,
                            "title": folder.title, "access": 0, "shared": False,
                            "rootFolderType": folder.root_type}
    made = folder.created or EPOCH
    body.update({"updatedBy": person(state, first_user, portal), "created": date(made),
                 "createdBy": person(state, first_user, portal), "updated": date(made)})
    return body


EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)        # folders made with the portal


def folder_content(state: OnlyofficeState, folder: Folder, files: list[File], folders: list[Folder], total: int,
                   start: int, portal: str) -> dict[str, Any]:
    """``FolderContentWrapper``: files, folders (lists, so emitted even when empty: only null is left out), the
    folder itself, its path, the page."""
    counts = state.file_counts() if folders else None
    body: dict[str, Any] = {"files": [file_wrapper(state, f, portal) for f in files],
                            "folders": [folder_wrapper(state, x, portal, counts) for x in folders]}
    path = [x.id for x in state.path(folder)]
    body.update({"current": folder_wrapper(state, folder, portal), "pathParts": path, "startIndex": start,
                 "count": len(files) + len(folders), "total": total, "new": 0})
    return body


def operation(state: OnlyofficeState, o: Operation, portal: str) -> dict[str, Any]:
    """``FileOperationWraper``: a running operation is at 0 %; a finished move or copy lists the files it made
    or moved, a finished download has its archive's ``url``."""
    body: dict[str, Any] = {"id": o.id, "operation": o.kind, "progress": 100 if o.finished else 0,
                            "error": o.error, "processed": str(o.processed), "finished": o.finished}
    if o.url is not None:
        body["url"] = portal + o.url
    moved = [state.files[i] for i in o.done if i in state.files] if o.finished and o.kind in (MOVE, COPY) else []
    body["files"] = [file_wrapper(state, f, portal) for f in moved] or None
    folders = [state.folders[i] for i in dict.fromkeys(o.done_folders) if i in state.folders] \
        if o.finished and o.kind in (MOVE, COPY) else []
    counts = state.file_counts() if folders else None
    body["folders"] = [folder_wrapper(state, x, portal, counts) for x in folders] or None
    return body


def employee_full(state: OnlyofficeState, user: User, portal: str) -> dict[str, Any]:
    """``EmployeeWraperFull`` (``people/@self``), its members by their ``Order``, the base class's first among
    equals [INFER: the serializer's tie order]; what is empty and not emitted by default is left out."""
    first, _, last = user.display_name.partition(" ")
    return {"id": user.id, "userName": user.user_name, "isVisitor": False, "displayName": user.display_name,
            "firstName": first, "lastName": last, "email": user.email, "status": 1, "activationStatus": 1,
            "terminated": None, "avatarSmall": DEFAULT_AVATAR, "avatarMedium": DEFAULT_AVATAR.replace("32-32", "48-48"),
            "avatar": DEFAULT_AVATAR.replace("32-32", "82-82"), "isAdmin": user.is_admin, "isLDAP": False,
            "isOwner": user.is_admin and user.id == next(iter(state.users), None), "isSSO": False,
            "quotaLimit": -1, "usedSpace": sum(f.blob.size for f in state.files.values() if f.created_by == user.id),
            "docsSpace": 0, "mailSpace": 0, "talkSpace": 0,
            "profileUrl": f"{portal}/Products/People/Profile.aspx?user={user.user_name}"}


def participant(state: OnlyofficeState, p: Project, user: User, portal: str) -> dict[str, Any]:
    """``ParticipantWrapper``: ``EmployeeWraperFull`` with the team member's rights. Its own members carry no
    ``Order``, so Json.NET writes them before the base class's ordered ones [INFER: the resolver's default];
    only the Files right is modelled, the others are true."""
    return {"canReadFiles": p.participants.get(user.id, False) or p.responsible_id == user.id,
            "canReadMilestones": True, "canReadMessages": True, "canReadTasks": True, "canReadContacts": True,
            "isAdministrator": user.is_admin, "isRemovedFromTeam": False, **employee_full(state, user, portal)}


def project_wrapper(state: OnlyofficeState, p: Project, user: User, portal: str) -> dict[str, Any]:
    """``ProjectWrapper`` (the project lists)."""
    return {"id": p.id, "title": p.title, "description": p.description, "status": p.status,
            "responsible": person(state, p.responsible_id, portal),
            "canEdit": user.is_admin or user.id == p.responsible_id, "isPrivate": p.is_private}


def net_date(moment: datetime) -> str:
    """Json.NET's ISO date of a UTC ``DateTime``: seven fraction digits, trailing zeros dropped."""
    text = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return text + "Z"


def upload_session(state: OnlyofficeState, session: UploadSession, portal: str) -> dict[str, Any]:
    """``ChunkedUploaderHandler.ToResponseObject``: the session, its folder's path, where to send chunks."""
    folder = state.folders[session.folder_id]
    path = [x.id for x in state.path(folder)]
    return {"id": session.id, "path": path, "created": net_date(session.created),
            "expired": net_date(session.expires), "location": f"{portal}/ChunkedUploader.ashx?uid={session.id}",
            "bytes_uploaded": session.uploaded, "bytes_total": session.total}


def task_wrapper(state: OnlyofficeState, t: Task, user: User, portal: str) -> dict[str, Any]:
    project = state.projects[t.project_id]
    can_edit = state.can_update_task(user, t)
    body: dict[str, Any] = {"canEdit": can_edit, "canCreateSubtask": can_edit, "canCreateTimeSpend": can_edit,
                            "canDelete": user.is_admin or t.created_by == user.id or user.id == project.responsible_id,
                            "canReadFiles": state.can_read_files(user, project)}
    if t.start_date:
        body["startDate"] = date(t.start_date)
    body.update({"id": t.id, "title": t.title, "description": t.description})
    if t.deadline:
        body["deadline"] = date(t.deadline)
    body.update({"priority": t.priority,
                 "projectOwner": {"id": project.id, "title": project.title, "status": project.status,
                                  "isPrivate": project.is_private},
                 "subtasks": [], "status": t.status})
    if t.updated_by and t.updated_by != t.created_by:
        body["updatedBy"] = person(state, t.updated_by, portal)
    updated = max(t.updated or t.created, t.created)
    body.update({"created": date(t.created), "createdBy": person(state, t.created_by, portal),
                 "updated": date(updated), "responsibles": [person(state, r, portal) for r in t.responsibles]})
    return body


def project_full(state: OnlyofficeState, p: Project, user: User, portal: str) -> dict[str, Any]:
    manages = user.is_admin or user.id == p.responsible_id
    tasks = [t for t in state.tasks.values() if t.project_id == p.id]
    return {"canEdit": manages, "canDelete": manages,
            "security": {"canCreateMilestone": manages, "canCreateMessage": True, "canCreateTask": True,
                         "canReadFiles": state.can_read_files(user, p)},
            "projectFolder": p.folder_id, "isPrivate": p.is_private,
            "taskCount": sum(1 for t in tasks if t.status == 1), "taskCountTotal": len(tasks),
            "milestoneCount": 0, "discussionCount": 0, "participantCount": len(p.participants),
            "timeTrackingTotal": "0:00", "documentsCount": sum(1 for f in state.files.values()
                                                               if f.folder_id == p.folder_id),
            "isFollow": False, "tags": [], "id": p.id, "title": p.title, "description": p.description,
            "status": p.status, "responsible": person(state, p.responsible_id, portal),
            "created": date(p.created),
            "createdBy": person(state, p.responsible_id, portal), "updated": date(p.created)}


def task_full(state: OnlyofficeState, t: Task, user: User, files: list[File],
              portal: str) -> dict[str, Any]:
    project = state.projects[t.project_id]
    return {"files": [file_wrapper(state, f, portal) for f in files], "comments": [], "commentsCount": 0,
            "isSubscribed": False, "canEditFiles": state.can_read_files(user, project),
            "canCreateComment": True, "project": project_full(state, project, user, portal), "timeSpend": 0.0,
            **task_wrapper(state, t, user, portal)}


# -- envelopes ----------------------------------------------------------------------------------------------------

def envelope(response: Any, status: int, start_index: int = 0, total: int | None = None) -> dict[str, Any]:
    if isinstance(response, list):
        count = len(response)
    elif isinstance(response, str):
        count = len(response)          # the framework's quirk for a plain string
    else:
        count = 1
    body: dict[str, Any] = {}
    if count:
        body["count"] = count
    if start_index:
        body["startIndex"] = start_index
    if total is not None:
        body["total"] = total
    body.update({"status": 0, "statusCode": status, "response": response})
    return body


def error_envelope(exc: OnlyofficeError, start_index: int = 0) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if start_index:
        body["startIndex"] = start_index
    body.update({"status": 1, "statusCode": exc.status,
                 "error": {"message": exc.message, "hresult": exc.hresult, "data": {}}})
    return body



@dataclass
class ChunkAnswer:
    """The chunked uploader's own answer, outside the API envelope: ``{"success", "data", "message"}``."""
    body: dict[str, Any]
    status: int = 200

    @classmethod
    def ok(cls, data: Any, status: int = 200) -> "ChunkAnswer":
        return cls({"success": True, "data": data, "message": ""}, status)

    @classmethod
    def error(cls, message: str) -> "ChunkAnswer":
        return cls({"success": False, "data": None, "message": message})
