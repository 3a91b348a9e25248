"""ONLYOFFICE handlers: authentication, Documents upload and files, and the Projects task-file routes (attach,
list, detach, the buggy detach-many, the full task, the project), plus project and task creation for tests.
Each returns the ``response`` of the envelope, or a ``Download``; errors are raised."""

from __future__ import annotations

import base64
import mimetypes
import re
import uuid
import zipfile
from typing import Any, Callable
from urllib.parse import quote, unquote

from mockserver.blobs import BlobWriter

from mockserver.downloads import Download, open_download
from mockserver.http import ascii_digits
from mockserver.multipart import MultipartError, is_multipart, parse_form
from mockserver.onlyoffice import errors
from mockserver.onlyoffice import render
from mockserver.onlyoffice.models import (
    CHUNK_SIZE, COPY, DELETE, DOWNLOAD, MOVE, SESSION_LIFE, TRASH, File, Folder, OnlyofficeState, Operation,
    Task, UploadSession,
)
from mockserver.onlyoffice.render import (
    ChunkAnswer, content_length, date, file_wrapper, project_full, task_full, task_wrapper,
)
from mockserver.onlyoffice.wire import Call, Params, int32

INVALID_TITLE_CHARS = re.compile(r'[\\/:*?"<>|]')
FILE_HANDLER = "/Products/Files/HttpHandlers/filehandler.ashx"
# ArgumentException("title can't be empty", "title").Message under Mono on Linux (the server's Docker image)
TITLE_EMPTY = "title can't be empty\nParameter name: title"
MAX_TITLE = 165


def authentication(call: Call) -> dict[str, Any]:
    login, password = call.params.text("userName"), call.params.text("password")
    user = call.state.user_by_login(login) if login else None
    if user is None or password is None or user.password != password:
        raise errors.AuthenticationFailed()
    token, expires = call.state.issue_token(user)
    return {"token": token, "expires": date(expires)}


# -- Documents ----------------------------------------------------------------------------------------------------

def _folder(call: Call, ref: str) -> Folder:
    state, user = call.state, call.me
    if ref == "@my":
        return state.my_folder(user)
    if ref == "@common":
        return state.common
    folder = state.folders.get(int(ref)) if ascii_digits(ref) else None
    if folder is None or (folder.owner_id and folder.owner_id != user.id):
        raise errors.FolderNotFound()
    return folder


def clean_title(title: str) -> str:
    return INVALID_TITLE_CHARS.sub("_", title).strip()[:MAX_TITLE] or "file"


async def upload(call: Call) -> Any:
    """Multipart (every file part, any field name) or a raw body named by Content-Disposition."""
    return await _upload(call, call.http.path_params["folder"])


async def _upload(call: Call, folder_ref: str) -> Any:
    state, user, request = call.state, call.me, call.http
    folder = _folder(call, folder_ref)
    if not state.can_create_in(user, folder):
        raise errors.NoCreatePermission()
    if is_multipart(request.headers):
        try:
            form = await parse_form(request, state.blobs, max_file_size=state.max_upload)
        except MultipartError as exc:
            raise errors.InvalidArguments(str(exc)) from None
        if form.oversize:
            form.discard()
            raise too_large(state)
        parts = [(p.filename, p.blob) for p in form.files]
        params = Params({**{k: [v] for k, v in form.fields}, **call.params.values})
    else:
        writer = state.blobs.open_writer()
        try:
            async for chunk in request.stream():
                writer.write(chunk)
                if writer.size > state.max_upload:
                    raise too_large(state)
        except BaseException:
            writer.discard()
            raise
        blob = writer.commit()
        disposition = request.headers.get("content-disposition", "")
        match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition, re.IGNORECASE)
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        name = unquote(match.group(1)) if match else "file" + (mimetypes.guess_extension(content_type) or "")
        parts, params = [(name, blob)], call.params
    try:
        if not parts:                   # a multipart body without a file part: nothing to store
            raise errors.EmptyFile()
        for _, blob in parts:
            if blob.size == 0:
                raise errors.EmptyFile()
        create_new = params.boolean("createNewIfExist", True)
    except errors.OnlyofficeError:
        for _, blob in parts:
            state.blobs.delete(blob.key)
        raise
    stored: list[File] = []
    for name, blob in parts:
        title = clean_title(name)
        existing = None if create_new else next(
            (f for f in state.files.values() if f.folder_id == folder.id and f.title == title), None)
        stored.append(state.new_version(existing, blob, user) if existing
                      else state.add_file(folder, title, blob, user))
    wrappers = [file_wrapper(state, f, call.http.base_url) for f in stored]
    return wrappers[0] if len(wrappers) == 1 else wrappers


def get_file(call: Call) -> dict[str, Any]:
    f = _readable_file(call, call.http.path_params["file_id"], errors.FileNotFound)
    return file_wrapper(call.state, f, call.http.base_url)


def _readable_file(call: Call, file_id: int, not_found: type[errors.ItemNotFound] = errors.ItemNotFound) -> File:
    """The file, if the caller may read it: missing is ``not_found``, unreadable the server's 403."""
    f = call.state.files.get(file_id)
    if f is None:
        raise not_found()
    if not call.state.can_read_file(call.me, f):
        raise errors.NoReadPermission()
    return f


def too_large(state: OnlyofficeState) -> errors.FileTooLarge:
    return errors.FileTooLarge(f"The maximum file size is exceeded ({content_length(state.max_upload)}).")


def file_handler(call: Call) -> Download:
    """``filehandler.ashx``, by its ``action``: ``download`` (and ``view``), ``bulk``, ``stream``; any other
    is 400."""
    action = (call.params.text("action") or "").lower()
    if action in ("download", "view"):
        return download(call)
    if action == "bulk":
        return bulk_archive(call)
    if action == "stream":
        return stream(call)
    raise errors.BadRequest()


def download(call: Call) -> Download:
    """``filehandler.ashx?action=download&fileid=N[&version=V]``: the bytes of the file, or of that version."""
    try:
        file_id = call.params.integer("fileid")
        version = call.params.integer("version")
    except errors.InvalidArguments:                      # FileHandler looks the text up: no such file
        raise errors.FileNotFound() from None
    f = _readable_file(call, file_id, errors.FileNotFound)
    v = f.at(version) if version else None
    if version and v is None:
        raise errors.FileNotFound()
    media_type = mimetypes.guess_type(f.title)[0] or "application/octet-stream"
    return open_download(call.state.blobs, v.blob if v else f.blob, f.title, media_type,
                         missing=errors.FileNotFound())


def bulk_archive(call: Call) -> Download:
    """``filehandler.ashx?action=bulk&filename=...`` (or ``&ext=.zip``: ``download.zip``): the caller's
    archive of that name; 403 without a caller, 404 when there is none."""
    if call.user is None:
        raise errors.AccessDenied()
    sealed = call.params.text("filename")
    name = _unseal(unquote(sealed)) if sealed else "download.zip"
    if name is None:
        raise errors.InternalServerError()                 # the instance key cannot decrypt it
    blob = call.state.archives.get((call.me.id, name))
    if blob is None:
        raise errors.FileNotFound()
    return open_download(call.state.blobs, blob, name, "application/zip", missing=errors.FileNotFound())


def stream(call: Call) -> Download:
    """``filehandler.ashx?action=stream&fileid=N&version=V&stream_auth=K``: a caller without credentials needs
    a key of ``presigneduri`` that has not expired (403 with the server's text otherwise); one with them needs
    to read the file (403). A version that does not exist is 404."""
    state = call.state
    file_id = call.params.text("fileid") or ""
    raw_version = call.params.text("version") or ""
    version = int(raw_version) if ascii_digits(raw_version) else 0
    f = state.files.get(int(file_id)) if ascii_digits(file_id) else None
    if call.user is None and not state.stream_key_valid(file_id, version, call.params.text("stream_auth") or ""):
        raise errors.StreamForbidden()
    v = f.at(version) if f is not None and version else None
    if f is None or (version and v is None):
        raise errors.FileNotFound()
    if call.user is not None and not state.can_read_file(call.user, f):
        raise errors.AccessDenied()
    media_type = mimetypes.guess_type(f.title)[0] or "application/octet-stream"
    return open_download(state.blobs, v.blob if v else f.blob, f.title, media_type,
                         missing=errors.FileNotFound())


# -- Projects -----------------------------------------------------------------------------------------------------

def _task(call: Call, files_right: bool = True, task_id: int | None = None) -> Task:
    """The path's task (or ``task_id``). 404 for a task that is missing or that the caller cannot read; then 403
    without the Files right."""
    task = call.state.tasks.get(call.http.path_params["task_id"] if task_id is None else task_id)
    project = call.state.projects.get(task.project_id) if task else None
    if task is None or project is None or not call.state.can_read(call.me, project):
        raise errors.ItemNotFound()
    if files_right and not call.state.can_read_files(call.me, project):
        raise errors.AccessDenied()
    return task


def _listed_files(call: Call, task: Task) -> list[File]:
    """The task's files in its project's folder or a folder inside it (their ``RootFolderId`` is the project's);
    any other attached file is detached on the way (as the server does when it reads them)."""
    state = call.state
    kept = [fid for fid in task.files if fid in state.files
            and state.folders[state.files[fid].folder_id].project_id == task.project_id]
    task.files[:] = kept
    return [call.state.files[fid] for fid in kept]


def _attach_files(call: Call, task: Task) -> None:
    """Not transactional: the ids before a missing one stay attached. No right on the file is checked."""
    for file_id in call.params.integers("files"):
        if file_id not in call.state.files:
            raise errors.ItemNotFound()
        if file_id not in task.files:
            task.files.append(file_id)


def attach(call: Call) -> dict[str, Any]:
    task = _task(call)
    _attach_files(call, task)
    return task_wrapper(call.state, task, call.me, call.http.base_url)


def list_files(call: Call) -> list[dict[str, Any]]:
    task = _task(call)
    files = [file_wrapper(call.state, f, call.http.base_url) for f in _listed_files(call, task)]
    start = max(call.params.integer("startIndex"), 0)
    count = min(call.params.integer("count") or 1000, 1000)
    return files[start:start + count]


def detach(call: Call) -> dict[str, Any]:
    task = _task(call)
    file_id = call.params.integer("fileid")
    if file_id not in call.state.files:
        raise errors.ItemNotFound()
    if file_id in task.files:
        task.files.remove(file_id)
    return task_wrapper(call.state, task, call.me, call.http.base_url)


def detach_many(call: Call) -> dict[str, Any]:
    """The real server's loop calls attach here, not detach, and so does this one: the files end up attached."""
    task = _task(call)
    _attach_files(call, task)
    return task_wrapper(call.state, task, call.me, call.http.base_url)


def get_task(call: Call) -> dict[str, Any]:
    return _full(call, _task(call, files_right=False))


def get_project(call: Call) -> dict[str, Any]:
    project = call.state.projects.get(call.http.path_params["project_id"])
    if project is None or not call.state.can_read(call.me, project):
        raise errors.ItemNotFound()
    return project_full(call.state, project, call.me, call.http.base_url)


def project_team(call: Call) -> list[dict[str, Any]]:
    """``GET project/{id}/team``: the team by display name; any caller, any existing project (the server checks
    nothing more)."""
    project = call.state.projects.get(call.http.path_params["project_id"])
    if project is None:
        raise errors.ItemNotFound()
    team = [call.state.users[u] for u in {project.responsible_id, *project.participants} if u in call.state.users]
    return [render.participant(call.state, project, u, call.http.base_url)
            for u in sorted(team, key=lambda u: u.display_name)]


def create_project(call: Call) -> dict[str, Any]:
    title = (call.params.text("title") or "").strip()
    if not title:
        raise errors.InvalidArguments(TITLE_EMPTY)
    responsible = call.params.text("responsibleId") or call.me.id
    if responsible not in call.state.users:
        raise errors.ItemNotFound()
    project = call.state.add_project(title, call.params.text("description"), responsible,
                                     call.params.boolean("private", False))
    project.participants[call.me.id] = True
    return project_full(call.state, project, call.me, call.http.base_url)


# TaskStatus, as the route's names and the binder's numbers give it
TASK_STATUSES = {"notaccept": 0, "open": 1, "closed": 2, "disable": 3, "unclassified": 4, "notinmilestone": 5}
TASK_PRIORITIES = {"low": -1, "normal": 0, "high": 1}


def _enum(call: Call, name: str, names: dict[str, int], type_name: str) -> int | None:
    """A .NET enum parameter by name (any case) or number; None when missing; what the binder cannot convert is
    400."""
    text = (call.params.text(name) or "").strip().lower()
    if not text:
        return None
    if text in names:
        return names[text]
    try:
        return int32(text)
    except ValueError:
        raise errors.InvalidArguments(f"Cannot convert '{text}' to {type_name} for parameter '{name}'.") from None


def _priority(call: Call) -> int | None:
    """``priority``, kept within low..high."""
    priority = _enum(call, "priority", TASK_PRIORITIES, "TaskPriority")
    return None if priority is None else max(-1, min(1, priority))


def _task_status(call: Call) -> int | None:
    return _enum(call, "status", TASK_STATUSES, "TaskStatus")


def _change_status(call: Call, task: Task, status: int | None) -> bool:
    """``TaskEngine.ChangeStatus`` to the default custom status of ``status`` (open and closed alone have one;
    a missing one binds to 0, ``notaccept``); True when it changed. Closing a task without responsibles makes
    the caller its responsible."""
    if status not in (TASK_STATUSES["open"], TASK_STATUSES["closed"]):
        raise errors.NoSuchTaskStatus()
    state, me = call.state, call.me
    if not state.can_update_task(me, task):         # a closed project's tasks included
        raise errors.AccessDenied()
    if task.status == status:
        return False
    task.status = status
    if status == TASK_STATUSES["closed"] and not task.responsibles:
        task.responsibles.append(me.id)
    task.updated, task.updated_by = state.clock.now(), me.id
    return True


def _full(call: Call, task: Task) -> dict[str, Any]:
    project = call.state.projects[task.project_id]
    files = _listed_files(call, task) if call.state.can_read_files(call.me, project) else []
    return task_full(call.state, task, call.me, files, call.http.base_url)


def update_task(call: Call) -> dict[str, Any]:
    """``PUT project/task/{taskid}`` (``UpdateProjectTask``): ``title`` is required; ``description``,
    ``deadline``, ``startDate`` and ``responsibles`` replace what the task had (missing clears them);
    ``priority``, ``projectID`` and ``status`` change it when given. A change needs ``CanUpdateEntity`` (403);
    a new responsible must be on the project's team (403); a milestone is not found (none are modelled).
    Taking an unassigned task for oneself puts one on the team. ``TaskWrapperFull`` as it is now."""
    state, me, params = call.state, call.me, call.params
    task = _task(call, files_right=False)
    title = params.text("title")
    if not title:
        raise errors.InvalidArguments(TITLE_EMPTY)
    if params.integer("milestoneid") > 0:
        raise errors.ItemNotFound("Milestone not found")
    responsibles = list(dict.fromkeys(r for r in params.values.get("responsibles") or [] if isinstance(r, str)))
    deadline, start_date = params.api_datetime("deadline"), params.api_datetime("startDate")
    priority = _priority(call)
    project_id = params.integer("projectID") if params.text("projectID") else None
    status = _task_status(call)
    changes: dict[str, Any] = {"deadline": deadline, "description": params.text("description"), "title": title,
                               "start_date": start_date}
    if priority is not None:
        changes["priority"] = priority
    project = state.projects[task.project_id]
    if project_id is not None and project_id != task.project_id:
        found = state.projects.get(project_id)
        if found is None:
            raise errors.ItemNotFound()
        changes["project_id"], project = project_id, found
    changed = {k: v for k, v in changes.items() if v != getattr(task, k)}
    if set(responsibles) != set(task.responsibles):
        changed["responsibles"] = responsibles
    if changed:
        if not state.can_update_task(me, task):
            raise errors.AccessDenied()
        if any(r not in task.responsibles and r not in project.participants for r in responsibles):
            raise errors.AccessDenied()
        accepting = not task.responsibles and responsibles == [me.id]
        for key, value in changed.items():
            setattr(task, key, value)
        task.updated, task.updated_by = state.clock.now(), me.id
        if accepting and me.id not in project.participants:
            project.participants[me.id] = False
    if status is not None:
        _change_status(call, task, status)
    return _full(call, task)


def update_task_status(call: Call) -> dict[str, Any]:
    """``PUT project/task/{taskid}/status``: ``status`` (open or closed); ``statusId`` names a custom status,
    none of which are modelled, so the default one of ``status`` is taken."""
    task = _task(call, files_right=False)
    status = _task_status(call)
    _change_status(call, task, status)
    return _full(call, task)


def update_tasks_status(call: Call) -> list[dict[str, Any]]:
    """``PUT project/task/status``: ``taskids``, ``status``; each task as ``{taskid}/status`` changes it, and
    one that fails is left out of the answer (the server logs it and goes on)."""
    status = _task_status(call)
    answer = []
    for task_id in call.params.integers("taskids"):
        try:
            task = _task(call, files_right=False, task_id=task_id)
            _change_status(call, task, status)
        except errors.OnlyofficeError:
            continue
        answer.append(_full(call, task))
    return answer


def _readable_tasks(call: Call) -> list[Task]:
    return [t for t in call.state.tasks.values()
            if (p := call.state.projects.get(t.project_id)) is not None and call.state.can_read(call.me, p)]


def my_tasks(call: Call) -> list[dict[str, Any]]:
    """``GET project/task/@self[/{status}]``: the readable tasks the caller is responsible for
    (``TaskEngine.GetByResponsible``), of that status when one is named."""
    status = TASK_STATUSES.get(call.http.path_params.get("status", ""))
    tasks = [t for t in _readable_tasks(call) if call.me.id in t.responsibles and status in (None, t.status)]
    return [task_wrapper(call.state, t, call.me, call.http.base_url) for t in tasks]


def filter_tasks(call: Call) -> list[dict[str, Any]]:
    """``GET project/task/filter``: ``projectid``, ``status`` (a name or a number), ``participant`` (a
    responsible), ``creator``, ``myProjects``; ``count`` and ``startIndex`` page it and ``total`` is every match
    (``TaskEngine.GetByFilter`` with ``SetTotalCount``)."""
    params = call.params
    project_id = params.integer("projectid")
    status = _task_status(call)
    participant, creator = params.text("participant"), params.text("creator")
    mine = params.boolean("myProjects", False)
    tasks = [t for t in _readable_tasks(call)
             if (not project_id or t.project_id == project_id) and status in (None, t.status)
             and (not participant or participant in t.responsibles) and (not creator or t.created_by == creator)
             and (not mine or call.me.id in call.state.projects[t.project_id].participants)]
    tasks.sort(key=lambda t: t.id)
    call.total = len(tasks)
    count = params.integer("count") or len(tasks)
    start = max(params.integer("startIndex"), 0)
    return [task_wrapper(call.state, t, call.me, call.http.base_url) for t in tasks[start:start + count]]


def delete_task(call: Call) -> dict[str, Any]:
    """``DELETE project/task/{taskid}``: 404 when missing or unreadable; ``ProjectSecurity.CanDeleteEntity``: a
    project manager (an admin, the responsible), or a team member who created it; else 403. The task as it was."""
    task = _task(call, files_right=False)
    project = call.state.projects[task.project_id]
    me = call.me
    if not (me.is_admin or project.responsible_id == me.id
            or (me.id in project.participants and task.created_by == me.id)):
        raise errors.AccessDenied()
    wrapper = task_wrapper(call.state, task, me, call.http.base_url)
    del call.state.tasks[task.id]
    return wrapper


def create_task(call: Call) -> dict[str, Any]:
    project = call.state.projects.get(call.http.path_params["project_id"])
    if project is None or not call.state.can_read(call.me, project):
        raise errors.ItemNotFound()
    title = (call.params.text("title") or "").strip()
    if not title:
        raise errors.InvalidArguments(TITLE_EMPTY)
    responsibles = [r for r in (call.params.values.get("responsibles") or []) if isinstance(r, str)]
    if any(r not in call.state.users for r in responsibles):
        raise errors.InvalidArguments("Responsible not found")
    task = call.state.add_task(project.id, title, call.me.id, description=call.params.text("description"),
                               priority=_priority(call) or 0, responsibles=responsibles)
    task.updated = call.state.clock.now()
    return task_wrapper(call.state, task, call.me, call.http.base_url)


# -- who am I, and the projects one can see ------------------------------------------------------------------------

def people_self(call: Call) -> dict[str, Any]:
    return render.employee_full(call.state, call.me, call.http.base_url)


def _readable_projects(call: Call) -> list[Any]:
    return [p for p in sorted(call.state.projects.values(), key=lambda p: p.id)
            if call.state.can_read(call.me, p)]


def projects_all(call: Call) -> list[dict[str, Any]]:
    return [render.project_wrapper(call.state, p, call.me, call.http.base_url) for p in _readable_projects(call)]


def projects_self(call: Call) -> list[dict[str, Any]]:
    """``ProjectEngine.GetByParticipant``: the projects the caller is on the team of."""
    return [render.project_wrapper(call.state, p, call.me, call.http.base_url) for p in _readable_projects(call)
            if call.me.id in p.participants]


def projects_filter(call: Call) -> list[dict[str, Any]]:
    """``GET project/filter``: ``participant``, ``manager``, ``status``; ``total`` counts every match."""
    participant, manager = call.params.text("participant"), call.params.text("manager")
    status = call.params.text("status")
    projects = [p for p in _readable_projects(call)
                if (not participant or participant in p.participants)
                and (not manager or p.responsible_id == manager)
                and (status in (None, "") or str(p.status) == status
                     or {"open": 0, "closed": 1, "paused": 2}.get(status.lower()) == p.status)]
    call.total = len(projects)
    count = call.params.integer("count") or len(projects)
    return [project_full(call.state, p, call.me, call.http.base_url)
            for p in projects[call.start_index:call.start_index + count]]


def project_tasks(call: Call) -> list[dict[str, Any]]:
    """``GET project/{id}/task``: its open tasks (404 for a project that does not exist)."""
    project = call.state.projects.get(call.http.path_params["project_id"])
    if project is None:
        raise errors.ItemNotFound()
    if not call.state.can_read(call.me, project):
        return []
    return [task_wrapper(call.state, t, call.me, call.http.base_url)
            for t in sorted(call.state.tasks.values(), key=lambda t: t.id) if t.project_id == project.id
            and t.status == 1]


# -- Documents: folders, versions, operations, chunked upload ------------------------------------------------------

SORTS = {"title": lambda f: f.title.lower(), "dateandtime": lambda f: f.updated, "size": lambda f: f.blob.size}


def _read_folder(call: Call, ref: str) -> Folder:
    if ref == "@projects":
        return call.state.projects_root
    if ref == "@trash":
        return call.state.trash(call.me)
    folder = _folder(call, ref)
    project = call.state.projects.get(folder.project_id) if folder.project_id is not None else None
    if project is not None and not call.state.can_read_files(call.me, project):
        raise errors.NoFolderReadPermission()
    return folder


def _content(call: Call, folder: Folder) -> dict[str, Any]:
    """The folder's readable entries, filtered by ``filterValue`` (a part of the title), sorted by ``sortBy``
    (title, DateAndTime, size) and ``sortOrder``, paged by ``startIndex`` and ``count``."""
    state, me = call.state, call.me
    needle = (call.params.text("filterValue") or "").lower()
    files = [f for f in state.files_in(folder) if state.can_read_file(me, f) and needle in f.title.lower()]
    folders = [x for x in state.subfolders(folder)
               if x.project_id is None or state.can_read(me, state.projects[x.project_id])]
    key = SORTS.get((call.params.text("sortBy") or "").lower(), SORTS["dateandtime"])
    files.sort(key=key, reverse=(call.params.text("sortOrder") or "descending").lower() != "ascending")
    entries: list[Any] = [*folders, *files]
    count = call.params.integer("count") or len(entries)
    page = entries[call.start_index:call.start_index + count]
    return render.folder_content(state, folder, [e for e in page if isinstance(e, File)],
                                 [e for e in page if isinstance(e, Folder)], len(entries), call.start_index,
                                 call.http.base_url)


def folder_content(call: Call) -> dict[str, Any]:
    return _content(call, _read_folder(call, call.http.path_params["folder"]))


def project_files(call: Call) -> dict[str, Any]:
    """``GET project/{id}/files``: the project folder's content; without the Files right 403."""
    project = call.state.projects.get(call.http.path_params["project_id"])
    if project is None or not call.state.can_read(call.me, project):
        raise errors.ItemNotFound()
    if not call.state.can_read_files(call.me, project):
        raise errors.FilesAccessDenied()
    return _content(call, call.state.folders[project.folder_id])


def _path_folder(call: Call) -> Folder:
    """The path's folder by its id (``@my`` and the like are not taken here)."""
    ref = call.http.path_params["folder_id"]
    folder = call.state.folders.get(int(ref)) if ascii_digits(ref) else None
    if folder is None:
        raise errors.FolderMissing()
    return folder


def _made_folder(call: Call) -> Folder:
    """The path's folder, as the caller may see it."""
    folder = _path_folder(call)
    if not call.state.can_read_folder(call.me, folder):
        raise errors.FolderReadDenied()
    return folder


def _folder_title(call: Call) -> str:
    """``title``, made a valid name (``Global.ReplaceInvalidCharsAndTruncate``); none or empty is the
    ``ArgumentException`` that ``CreateNewFolder`` throws."""
    title = INVALID_TITLE_CHARS.sub("_", call.params.text("title") or "").strip()[:MAX_TITLE]
    if not title:
        raise errors.InvalidArguments()
    return title


def create_folder(call: Call) -> dict[str, Any]:
    """``POST files/folder/{folderId}``: a new folder in the parent (``CreateNewFolder``); a title already there
    is not refused, as the folder DAO does not refuse it."""
    title = _folder_title(call)
    parent = _path_folder(call)
    if parent.root_type == TRASH or not call.state.can_create_in(call.me, parent):
        raise errors.FolderCreateDenied()
    return render.folder_wrapper(call.state, call.state.add_subfolder(parent, title, call.me), call.http.base_url)


def get_folder(call: Call) -> dict[str, Any]:
    """``GET files/folder/{folderId}``: the ``FolderWrapper``."""
    return render.folder_wrapper(call.state, _made_folder(call), call.http.base_url)


def folder_path(call: Call) -> list[dict[str, Any]]:
    """``GET files/folder/{folderId}/path``: the breadcrumbs, the root first."""
    folder = _made_folder(call)
    counts = call.state.file_counts()
    return [render.folder_wrapper(call.state, x, call.http.base_url, counts) for x in call.state.path(folder)]


def rename_folder(call: Call) -> dict[str, Any]:
    """``PUT files/folder/{folderId}``: ``title`` (``FolderRename``: the edit right, not in the trash)."""
    folder = _made_folder(call)
    if not call.state.can_edit_folder(call.me, folder):
        raise errors.FolderRenameDenied()
    if folder.root_type == TRASH:
        raise errors.TrashItem()
    folder.title = _folder_title(call)
    return render.folder_wrapper(call.state, folder, call.http.base_url)


def delete_folder(call: Call) -> list[dict[str, Any]]:
    """``DELETE files/folder/{folderId}``: a delete operation over the folder and all it holds (to the trash,
    or gone with ``immediately``), polled at ``GET files/fileops``; its errors are the operation's."""
    ref = call.http.path_params["folder_id"]
    _run_due(call, polled=False)
    call.state.start_operation(call.me, DELETE, [], folder_ids=[int(ref)] if ascii_digits(ref) else [-1],
                               immediately=call.params.boolean("immediately", False))
    return _statuses(call)


def _editable_file(call: Call) -> File:
    f = _readable_file(call, call.http.path_params["file_id"], errors.FileNotFound)
    if not call.state.can_edit_file(call.me, f):
        raise errors.NoEditPermission()
    return f


def update_file(call: Call) -> dict[str, Any]:
    """``PUT files/file/{id}``: ``title`` renames (the old extension put back when the new title lacks it);
    ``lastVersion`` makes that version's bytes the newest version."""
    f = _editable_file(call)
    title = call.params.text("title")
    if title:
        title = clean_title(title)
        if render.extension(title) != render.extension(f.title):
            title += render.extension(f.title)
        f.title, f.updated, f.updated_by = title, call.state.clock.now(), call.me.id
    last = call.params.integer("lastVersion")
    if last > 0:
        v = f.at(last)
        if v is None:
            raise errors.FileNotFound()
        copy = call.state.blobs.copy(v.blob) if last != f.version else None
        if copy is not None:
            call.state.new_version(f, copy, call.me, comment=f"Restored from version {last}")
    return file_wrapper(call.state, f, call.http.base_url)


def file_history(call: Call) -> list[dict[str, Any]]:
    """``GET files/file/{id}/history``: every version, the newest first, each with its own bytes' link."""
    f = _readable_file(call, call.http.path_params["file_id"], errors.FileNotFound)
    versions = [f.at(f.version), *reversed(f.history)]
    return [file_wrapper(call.state, f, call.http.base_url, v) for v in versions if v is not None]


def _statuses(call: Call) -> list[dict[str, Any]]:
    """The caller's operations (``GetTasksStatuses``); a finished one is reported once, then forgotten."""
    state = call.state
    answer = [render.operation(state, o, call.http.base_url) for o in state.operations_of(call.me)]
    for o in state.operations_of(call.me):
        if o.finished:
            del state.operations[o.id]
    return answer


def _run_due(call: Call, polled: bool) -> None:
    """Finish the operations whose time has come: at the next poll, or once the switch's delay has passed."""
    state = call.state
    for o in state.operations_of(call.me):
        delay = state.fileops_delay_ms / 1000
        if not o.finished and ((polled and delay <= 0) or (delay > 0 and state.clock.time() - o.started >= delay)):
            _finish(call, o)


def _finish(call: Call, o: Operation) -> None:
    """Run the operation to its end (``FileMoveCopyOperation``, ``FileDeleteOperation``,
    ``FileDownloadOperation``): each file it cannot act on sets its ``error`` and the rest go on."""
    state = call.state
    if o.kind == DOWNLOAD:
        _archive(call, o)
    elif o.kind == DELETE:
        for folder_id in o.folder_ids:
            o.processed += 1
            _delete_folder(call, o, state.folders.get(folder_id))
        _act_on_files(call, o, o.file_ids, _delete)
    else:
        dest = state.folders.get(o.dest_folder_id) if o.dest_folder_id is not None else None
        error = _move_or_copy_refused(call, o, dest)
        if error:
            o.error = error
        else:
            assert dest is not None
            for folder_id in o.folder_ids:
                o.processed += 1
                _move_or_copy_folder(call, o, state.folders.get(folder_id), dest)
            _act_on_files(call, o, o.file_ids, lambda call, o, f: _move_or_copy(call, o, f, dest))
    o.finished = True


def _act_on_files(call: Call, o: Operation, file_ids: list[int],
                  act: Callable[[Call, Operation, File], None]) -> None:
    for file_id in file_ids:
        o.processed += 1
        f = call.state.files.get(file_id)
        if f is None:
            o.error = "The required file was not found"
        else:
            act(call, o, f)


def _delete_folder(call: Call, o: Operation, folder: Folder | None) -> None:
    """``FileDeleteOperation.DeleteFolders``: the portal's own folders are not deleted; a folder goes to the
    trash with all it holds, or for good (``immediately``, or already in the trash)."""
    state, me = call.state, call.me
    if folder is None:
        o.error = "The required folder was not found"
    elif not state.can_edit_folder(me, folder):
        o.error = "You don't have enough permission to delete the folder"
    elif o.immediately or folder.root_type == TRASH:
        state.remove_folder(folder)
    else:
        state.rehome(folder, state.trash(me))


def _move_or_copy_refused(call: Call, o: Operation, dest: Folder | None) -> str:
    """What stops a whole move or copy before it starts (``FileMoveCopyOperation.Do``): no right to create in
    the destination, a destination inside a folder that goes, a copy from or to the trash."""
    state = call.state
    if dest is None or not state.can_create_in(call.me, dest):
        return "You don't have enough permission to create"
    if any(x.id in o.folder_ids for x in state.path(dest)):
        return "You cannot copy the folder to its subfolder"
    if o.kind == COPY:
        first = (state.folders.get(o.folder_ids[0]) if o.folder_ids else None) or (
            state.folders.get(state.files[o.file_ids[0]].folder_id)
            if o.file_ids and o.file_ids[0] in state.files else None)
        if first is not None and first.root_type == TRASH:
            return "Can not copy from Trash."
        if dest.root_type == TRASH:
            return "Can not copy to Trash."
    return ""


def _move_or_copy_folder(call: Call, o: Operation, folder: Folder | None, dest: Folder) -> None:
    """``MoveOrCopyFolders``: a folder of the same title in the destination takes what the folder holds (its
    files by the conflict rule, its folders the same way); otherwise a copy is made anew, or the folder moves
    whole. A folder already in the destination stays, unless ``duplicate`` asks for it again. Worked through
    level by level (no recursion: a tree may be deeper than Python's stack)."""
    state, me, copy = call.state, call.me, o.kind == COPY
    emptied: list[Folder] = []
    work: list[tuple[Folder | None, Folder]] = [(folder, dest)]
    while work:
        source, into = work.pop()
        if source is None:
            o.error = "The required folder was not found"
        elif not state.can_read_folder(me, source):
            o.error = "You don't have enough permission to view the folder content"
        elif source.parent_id == into.id and o.conflict != 2:
            pass
        elif not copy and not state.can_edit_folder(me, source):
            o.error = "You don't have enough permission to move the folder"
        else:
            same = next((x for x in state.subfolders(into) if x.title == source.title and x.id != source.id), None)
            if same is None and not copy:
                state.rehome(source, into)
                target = source
            else:
                target = same or state.add_subfolder(into, source.title, me)
                for f in state.files_in(source):
                    _move_or_copy(call, o, f, target, listed=False)
                work.extend((sub, target) for sub in state.subfolders(source) if sub is not target)
                if not copy:
                    emptied.append(source)
            if source.id in o.folder_ids:          # the operation lists what it was asked for, not what is inside
                o.done_folders.append(target.id)
    for source in reversed(emptied):               # what a move left empty goes, the deepest first
        if not state.files_in(source) and not state.subfolders(source):
            state.remove_folder(source)


def _delete(call: Call, o: Operation, f: File) -> None:
    state, me = call.state, call.me
    if not state.can_edit_file(me, f):
        o.error = "You don't have enough permission to delete the file"
        return
    if o.immediately or state.folders[f.folder_id].root_type == TRASH:
        state.remove_file(f)
    else:
        f.folder_id = state.trash(me).id
    o.done.append(f.id)


def _move_or_copy(call: Call, o: Operation, f: File, dest: Folder, listed: bool = True) -> None:
    """A copy needs to read the file, a move to change it; both to create in the destination. A name taken
    there is skipped, overwritten (a new version of the file there) or duplicated (``name (n).ext``)."""
    state, me, copy = call.state, call.me, o.kind == COPY
    if copy and not state.can_read_file(me, f):
        o.error = "You don't have enough permission to view the file"
        return
    if not copy and not state.can_edit_file(me, f):
        o.error = "You don't have enough permission to move the file"
        return
    clash = next((x for x in state.files_in(dest) if x.title.lower() == f.title.lower()
                  and (copy or x.id != f.id)), None)
    if clash is not None and o.conflict == 0:                  # skip
        return
    blob = state.blobs.copy(f.blob) if copy else f.blob        # a copy's own bytes
    if blob is None:
        o.error = "The required file was not found"
        return
    title = _free_title(state, dest, f.title) if clash is not None else f.title
    if clash is not None and o.conflict == 1:                  # overwrite: the file there takes these bytes
        acted = state.new_version(clash, blob, me, comment="Overwritten")
        if not copy:
            del state.files[f.id]
    elif copy:
        acted = state.add_file(dest, title, blob, me)
    else:
        f.title, f.folder_id, acted = title, dest.id, f
    if listed:                                     # the operation lists the files it was asked for
        o.done.append(acted.id)


def _free_title(state: OnlyofficeState, folder: Folder, title: str) -> str:
    """``name (n).ext``, the first n not taken in the folder."""
    ext = render.extension(title)
    stem = title[:len(title) - len(ext)]
    taken = {x.title.lower() for x in state.files_in(folder)}
    n = 1
    while f"{stem} ({n}){ext}".lower() in taken:
        n += 1
    return f"{stem} ({n}){ext}"


def _archive(call: Call, o: Operation) -> None:
    """Zip what the caller may read of the files and folders (a folder's files and folders under its title, an
    empty one as its own entry; a name met again gets `` (n)`` before its extension), streamed into the blob
    store, and keep it as the caller's archive of that name. Nothing readable is the operation's error."""
    state, me = call.state, call.me
    files = [f for i in o.file_ids if (f := state.files.get(i)) is not None and state.can_read_file(me, f)]
    folders = [x for i in o.folder_ids if (x := state.folders.get(i)) is not None and _folder_readable(call, x)]
    entries: list[tuple[str, File | None]] = [(f.title, f) for f in files]
    only_folder = len(o.folder_ids) == 1 and not o.file_ids
    for folder in folders:
        for below, inner in state.tree(folder, "" if only_folder else folder.title + "/"):
            inside = [f for f in state.files_in(inner) if state.can_read_file(me, f)]
            empty = not inside and not state.subfolders(inner)
            entries += [(below + f.title, f) for f in inside] or ([(below, None)] if below and empty else [])
    if not files and not folders:
        o.error = "The required file was not found" if o.file_ids else "The required folder was not found"
        return
    if only_folder:
        name = folders[0].title + ".zip"
    elif state.bulk_download_name == "plain":
        name = "download.zip"
    else:
        name = f"{state.alias}-download-{state.clock.now():%Y-%m-%d}.zip"
    writer = state.blobs.open_writer()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(_Sink(writer), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, f in entries:
            count = seen.get(path, 0)
            seen[path] = count + 1
            if f is None:
                archive.writestr(path, b"")
                continue
            if count:                            # as the server does it: before the path's last dot
                dot = path.rfind(".")
                path = f"{path[:dot]} ({count}){path[dot:]}" if path.find(".") > 0 else f"{path} ({count})"
            source = state.blobs.open(f.blob)
            if source is None:
                o.error = "The required file was not found"
                continue
            info = zipfile.ZipInfo(path, (f.updated or f.created).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with source, archive.open(info, "w") as entry:
                while piece := source.read(1024 * 1024):
                    entry.write(piece)
            o.processed += 1
    state.keep_archive(me, name, writer.commit())
    o.url = (f"{FILE_HANDLER}?action=bulk&ext=.zip" if name == "download.zip"
             else f"{FILE_HANDLER}?action=bulk&filename={quote(_seal(name), safe='')}")


class _Sink:
    """A blob writer as the write-only, unseekable file ``zipfile`` streams an archive into."""

    def __init__(self, writer: BlobWriter):
        self.writer = writer

    def write(self, data: bytes) -> int:
        self.writer.write(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def _seal(name: str) -> str:
    """The archive's name as the link carries it (the server encrypts it with the instance's key; the mock
    only makes it opaque)."""
    return base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii")


def _unseal(sealed: str) -> str | None:
    try:
        return base64.b64decode(sealed.encode("ascii"), altchars=b"-_", validate=True).decode("utf-8")
    except (ValueError, UnicodeError):
        return None


def _folder_readable(call: Call, folder: Folder) -> bool:
    try:
        _read_folder(call, str(folder.id))
    except (errors.FolderNotFound, errors.NoFolderReadPermission):
        return False
    return True


def delete_file(call: Call) -> list[dict[str, Any]]:
    """``DELETE files/file/{id}``: a delete operation (to the caller's trash, or gone with ``immediately``), to
    be polled at ``GET files/fileops``. A file in a task's project folder leaves the task when it goes."""
    f = _readable_file(call, call.http.path_params["file_id"], errors.FileNotFound)
    _run_due(call, polled=False)
    call.state.start_operation(call.me, DELETE, [f.id], immediately=call.params.boolean("immediately", False))
    return _statuses(call)


def move(call: Call) -> list[dict[str, Any]]:
    """``PUT files/fileops/move``: ``destFolderId``, ``folderIds``, ``fileIds``, ``conflictResolveType`` (skip,
    overwrite, duplicate)."""
    return _move_or_copy_items(call, MOVE)


def copy(call: Call) -> list[dict[str, Any]]:
    """``PUT files/fileops/copy``: as ``move``; the files stay and new ones (new ids, the bytes copied) are
    made in the destination, which the finished operation lists."""
    return _move_or_copy_items(call, COPY)


def _move_or_copy_items(call: Call, kind: int) -> list[dict[str, Any]]:
    dest = call.params.text("destFolderId") or ""
    folder = _folder(call, dest) if dest else None
    if folder is None:
        raise errors.FolderNotFound()
    conflict = call.params.integer("conflictResolveType")
    _run_due(call, polled=False)
    call.state.start_operation(call.me, kind, call.params.integers("fileIds"), dest_folder_id=folder.id,
                               folder_ids=call.params.integers("folderIds"),
                               conflict=conflict if conflict in (0, 1, 2) else 0)
    return _statuses(call)


def delete_items(call: Call) -> list[dict[str, Any]]:
    """``PUT files/fileops/delete``: ``folderIds``, ``fileIds``, ``immediately``; each goes as ``DELETE
    files/folder/{id}`` and ``DELETE files/file/{id}`` send it, and one that is missing or not the caller's to
    delete is the operation's error, not the call's."""
    _run_due(call, polled=False)
    call.state.start_operation(call.me, DELETE, call.params.integers("fileIds"),
                               folder_ids=call.params.integers("folderIds"),
                               immediately=call.params.boolean("immediately", False))
    return _statuses(call)


def bulk_download(call: Call) -> list[dict[str, Any]]:
    """``PUT files/fileops/bulkdownload``: ``fileIds``, ``folderIds``; the finished operation's ``url`` is the
    zip archive (``fileConvertIds``, conversion on the way, is not modelled: those files are zipped as they
    are)."""
    converted = [int(key) for item in call.params.values.get("fileconvertids", []) if isinstance(item, dict)
                 and ascii_digits(key := str(item.get("key", item.get("Key", ""))))]
    _run_due(call, polled=False)
    call.state.start_operation(call.me, DOWNLOAD, [*converted, *call.params.integers("fileIds")],
                               folder_ids=call.params.integers("folderIds"))
    return _statuses(call)


def presigned_uri(call: Call) -> str:
    """``GET files/file/{fileId}/presigneduri[?version=N]``: a link that streams the file's bytes (of that
    version) without the caller's credentials, for ``stream_url_minutes``."""
    f = _readable_file(call, call.http.path_params["file_id"], errors.FileNotFound)
    version = call.params.integer("version")
    if version and f.at(version) is None:
        raise errors.FileNotFound()
    number = version or f.version
    key = call.state.stream_key(str(f.id), number)
    return f"{call.http.base_url}{FILE_HANDLER}?action=stream&fileid={f.id}&version={number}&stream_auth={key}"


def fileops(call: Call) -> list[dict[str, Any]]:
    _run_due(call, polled=True)
    return _statuses(call)


def terminate(call: Call) -> list[dict[str, Any]]:
    """``PUT files/fileops/terminate``: the caller's running operations stop where they are, undone [INFER:
    the cancelled task reports finished with an error]."""
    for o in call.state.operations_of(call.me):
        if not o.finished:
            o.finished, o.error = True, "The operation was terminated"
    return _statuses(call)


def create_session(call: Call) -> dict[str, Any]:
    """``POST files/{folderId}/upload/create_session``: ``fileName``, ``fileSize`` (past the chunked limit is
    the server's size error); the answer says where to send the chunks."""
    state = call.state
    folder = _folder(call, call.http.path_params["folder"])
    if not state.can_create_in(call.me, folder):
        raise errors.NoCreatePermission()
    size = call.params.integer("fileSize", bits=64)
    if size > state.max_chunked_upload:
        raise errors.FileTooLarge(f"The maximum file size is exceeded ({content_length(state.max_chunked_upload)}).")
    title = clean_title(call.params.text("fileName") or "")
    now = state.clock.now()
    for expired in [s for s in state.sessions.values() if s.expires <= now]:
        _close(state, expired)                     # an abandoned session's bytes go when it expires
    session = UploadSession(uuid.uuid4().hex, folder.id, title, size, call.me.id, state.blobs.open_writer(), now,
                            now + SESSION_LIFE)
    session.writer.pause()                         # between chunks a session holds no file open
    state.sessions[session.id] = session
    return {"success": True, "data": render.upload_session(state, session, call.http.base_url)}


async def upload_chunk(call: Call) -> ChunkAnswer:
    """``ChunkedUploader.ashx?uid=...``: one multipart file part per chunk (at most 10 MB); the last one makes
    the file (201). Problems are answered 200 with ``success: false`` and the message, as the handler writes
    them; an aborted or finished session is unknown."""
    state = call.state
    session = state.sessions.get(call.params.text("uid") or "")
    if session is not None and session.expires <= state.clock.now():
        _close(state, session)
        session = None
    if session is None:
        return ChunkAnswer.error("Can't authorize given initiate session request or session with specified upload "
                                 "id already expired")
    if call.params.text("abort") == "true":
        _close(state, session)
        return ChunkAnswer.ok(None)
    if not is_multipart(call.http.headers):
        return ChunkAnswer.error("HttpRequest.Files is empty")
    try:
        form = await parse_form(call.http, state.blobs, max_file_size=CHUNK_SIZE)
    except MultipartError as exc:
        return ChunkAnswer.error(str(exc))
    parts, oversize = form.files, form.oversize
    if not parts:
        form.discard()
        return ChunkAnswer.error("HttpRequest.Files is empty")
    chunk = parts[0].blob
    if oversize or chunk.size > CHUNK_SIZE:
        form.discard()
        return ChunkAnswer.error(f"The maximum file size is exceeded ({content_length(state.max_upload)}).")
    if chunk.size <= 0:
        form.discard()
        return ChunkAnswer.error("Empty file")
    if session.uploaded + chunk.size > min(session.total, state.max_chunked_upload):
        form.discard()
        _close(state, session)
        return ChunkAnswer.error(f"The maximum file size is exceeded ({content_length(state.max_chunked_upload)}).")
    state.blobs.append(session.writer, chunk)
    session.writer.pause()
    form.discard()
    session.uploaded += chunk.size
    session.expires = state.clock.now() + SESSION_LIFE
    if session.uploaded < session.total:
        return ChunkAnswer.ok(render.upload_session(state, session, call.http.base_url))
    del state.sessions[session.id]
    blob = session.writer.commit()
    user = state.users[session.user_id]
    folder = state.folders[session.folder_id]
    existing = next((f for f in state.files_in(folder) if f.title == session.title), None)
    f = state.new_version(existing, blob, user) if existing else state.add_file(folder, session.title, blob, user)
    return ChunkAnswer.ok({"id": f.id, "folderId": f.folder_id, "version": f.version, "title": f.title,
                           "provider_key": None, "uploaded": True}, status=201)


def _close(state: OnlyofficeState, session: UploadSession) -> None:
    state.sessions.pop(session.id, None)
    session.writer.discard()


# -- entity files: the task-file routes under another name ----------------------------------------------------------

ENTITY_TASK = 2          # EntityType.Task


def _entity_type(call: Call) -> int:
    """``entityType`` by name or number; missing binds to Project (0), for which nothing is done."""
    text = (call.params.text("entityType") or "").strip()
    names = {"project": 0, "milestone": 1, "task": 2, "subtask": 3, "team": 4, "comment": 5, "message": 6,
             "file": 7, "timespend": 8}
    if not text:
        return 0
    if text.lower() in names:
        return names[text.lower()]
    try:
        return int32(text)
    except ValueError:
        raise errors.InvalidArguments(f"Cannot convert '{text}' to EntityType for parameter 'entityType'.") from None


def _entity_task(call: Call) -> Task:
    return _task(call, task_id=call.http.path_params["entity_id"])


def _file_wrappers(call: Call, ids: list[int]) -> list[dict[str, Any]]:
    files = []
    for file_id in ids:
        f = call.state.files.get(file_id)
        if f is None:
            raise errors.ItemNotFound()
        files.append(file_wrapper(call.state, f, call.http.base_url))
    return files


def entity_files(call: Call) -> list[dict[str, Any]]:
    if _entity_type(call) != ENTITY_TASK:
        return []
    task = _entity_task(call)
    return [file_wrapper(call.state, f, call.http.base_url) for f in _listed_files(call, task)]


def entity_files_attach(call: Call) -> list[dict[str, Any]]:
    """For a task, attach; for the default entity type nothing is attached, and the files come back anyway."""
    if _entity_type(call) == ENTITY_TASK:
        _attach_files(call, _entity_task(call))
    return _file_wrappers(call, call.params.integers("files"))


def entity_files_detach(call: Call) -> dict[str, Any]:
    file_id = call.params.integer("fileid")
    if _entity_type(call) == ENTITY_TASK:
        task = _entity_task(call)
        if file_id not in call.state.files:
            raise errors.ItemNotFound()
        if file_id in task.files:
            task.files.remove(file_id)
    return _file_wrappers(call, [file_id])[0]


def entity_files_detach_many(call: Call) -> list[dict[str, Any]]:
    """The same buggy loop as ``filesmany``: for a task, the files end up attached."""
    if _entity_type(call) == ENTITY_TASK:
        _attach_files(call, _entity_task(call))
    return _file_wrappers(call, call.params.integers("files"))


async def entity_files_upload(call: Call) -> Any:
    """``POST project/{entityID}/entityfiles/upload``: an upload into ``folderid``, then attached to the task;
    with no file part, an empty object."""
    if _entity_type(call) == ENTITY_TASK:
        _entity_task(call)
    uploaded = await _upload(call, call.params.text("folderid") or "")
    wrappers = uploaded if isinstance(uploaded, list) else [uploaded]
    if _entity_type(call) == ENTITY_TASK:
        task = _entity_task(call)
        for w in wrappers:
            if w["id"] not in task.files:
                task.files.append(w["id"])
    return uploaded
