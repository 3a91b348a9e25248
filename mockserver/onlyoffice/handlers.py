"""ONLYOFFICE handlers: authentication, Documents upload and files, and the Projects task-file routes (attach,
list, detach, the buggy detach-many, the full task, the project), plus project and task creation for tests.
Each returns the ``response`` of the envelope, or a ``Download``; errors are raised."""

from __future__ import annotations

import mimetypes
import re
from typing import Any
from urllib.parse import unquote

from mockserver.downloads import Download, open_download
from mockserver.http import ascii_digits
from mockserver.multipart import MultipartError, is_multipart, parse_form
from mockserver.onlyoffice import errors
from mockserver.onlyoffice.models import File, Folder, OnlyofficeState, Task
from mockserver.onlyoffice.render import content_length, date, file_wrapper, project_full, task_full, task_wrapper
from mockserver.onlyoffice.wire import Call, Params, int32

INVALID_TITLE_CHARS = re.compile(r'[\\/:*?"<>|]')
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
    state, user, request = call.state, call.me, call.http
    folder = _folder(call, call.http.path_params["folder"])
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
        stored.append(state.new_version(existing, blob) if existing else state.add_file(folder, title, blob, user))
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


def download(call: Call) -> Download:
    try:
        file_id = call.params.integer("fileid")
    except errors.InvalidArguments:                      # FileHandler looks the text up: no such file
        raise errors.FileNotFound() from None
    f = _readable_file(call, file_id, errors.FileNotFound)
    media_type = mimetypes.guess_type(f.title)[0] or "application/octet-stream"
    return open_download(call.state.blobs, f.blob, f.title, media_type, missing=errors.FileNotFound())


# -- Projects -----------------------------------------------------------------------------------------------------

def _task(call: Call, files_right: bool = True) -> Task:
    """The path's task. 404 for a task that is missing or that the caller cannot read; then 403 without the
    Files right."""
    task = call.state.tasks.get(call.http.path_params["task_id"])
    project = call.state.projects.get(task.project_id) if task else None
    if task is None or project is None or not call.state.can_read(call.me, project):
        raise errors.ItemNotFound()
    if files_right and not call.state.can_read_files(call.me, project):
        raise errors.AccessDenied()
    return task


def _listed_files(call: Call, task: Task) -> list[File]:
    """The task's files in its project folder; any other attached file is detached on the way (as the server
    does when it reads them)."""
    folder_id = call.state.projects[task.project_id].folder_id
    kept = [fid for fid in task.files if fid in call.state.files and call.state.files[fid].folder_id == folder_id]
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
    task = _task(call, files_right=False)
    project = call.state.projects[task.project_id]
    files = _listed_files(call, task) if call.state.can_read_files(call.me, project) else []
    return task_full(call.state, task, call.me, files, call.http.base_url)


def get_project(call: Call) -> dict[str, Any]:
    project = call.state.projects.get(call.http.path_params["project_id"])
    if project is None or not call.state.can_read(call.me, project):
        raise errors.ItemNotFound()
    return project_full(call.state, project, call.me, call.http.base_url)


def create_project(call: Call) -> dict[str, Any]:
    title = (call.params.text("title") or "").strip()
    if not title:
        raise errors.InvalidArguments("Title can't be empty")
    responsible = call.params.text("responsibleId") or call.me.id
    if responsible not in call.state.users:
        raise errors.ItemNotFound()
    project = call.state.add_project(title, call.params.text("description"), responsible,
                                     call.params.boolean("private", False))
    project.participants[call.me.id] = True
    return project_full(call.state, project, call.me, call.http.base_url)


# TaskStatus, as the route's names and the binder's numbers give it
TASK_STATUSES = {"notaccept": 0, "open": 1, "closed": 2, "disable": 3, "unclassified": 4, "notinmilestone": 5}


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
    status_text = (params.text("status") or "").strip().lower()
    status: int | None = TASK_STATUSES.get(status_text)
    if status is None and status_text:
        try:
            status = int32(status_text)
        except ValueError:
            raise errors.InvalidArguments(f"Cannot convert '{status_text}' to TaskStatus for parameter "
                                          f"'status'.") from None
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
        raise errors.InvalidArguments("Title can't be empty")
    responsibles = [r for r in (call.params.values.get("responsibles") or []) if isinstance(r, str)]
    if any(r not in call.state.users for r in responsibles):
        raise errors.InvalidArguments("Responsible not found")
    priority = call.params.integer("priority")
    task = call.state.add_task(project.id, title, call.me.id, description=call.params.text("description"),
                               priority=max(-1, min(1, priority)), responsibles=responsibles)
    task.updated = call.state.clock.now()
    return task_wrapper(call.state, task, call.me, call.http.base_url)
