"""ONLYOFFICE handlers: authentication, Documents upload and files, and the Projects task-file routes (attach,
list, detach, the buggy detach-many, the full task, the project), plus project and task creation for tests.
Each returns ``(status, response)``; errors are raised."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request

from mockserver.downloads import file_response
from mockserver.multipart import MultipartError, is_multipart, parse_form
from mockserver.onlyoffice import errors
from mockserver.onlyoffice.models import File, OnlyofficeState, Task, User, utcnow
from mockserver.onlyoffice.render import content_length, date, file_wrapper, project_full, task_full, task_wrapper

INVALID_TITLE_CHARS = re.compile(r'[\\/:*?"<>|]')
MAX_TITLE = 165


@dataclass
class Call:
    state: OnlyofficeState
    request: Request
    params: "Params"
    user: User | None = None


class Params:
    """Route values, query string and body, merged and looked up by name in any case, as the API binder does."""

    def __init__(self, values: dict[str, list[Any]]):
        self.values: dict[str, list[Any]] = {}
        for key, found in values.items():
            self.values.setdefault(key.lower(), []).extend(found)

    def text(self, name: str, default: str | None = None) -> str | None:
        found = self.values.get(name.lower())
        return default if not found else str(found[-1])

    def integer(self, name: str) -> int:
        """A missing int binds to 0; one that does not convert is 400."""
        value = self.text(name)
        if value is None or value == "":
            return 0
        try:
            return int(value)
        except ValueError:
            raise errors.InvalidArguments(f"Cannot convert '{value}' to Int32 for parameter '{name}'.") from None

    def integers(self, name: str) -> list[int]:
        """``files`` as a JSON array, repeated ``files=``, ``files[]=`` or ``files[0]=``; missing is []."""
        raw: list[Any] = []
        lowered = name.lower()
        for key, values in self.values.items():
            if key in (lowered, lowered + "[]") or re.fullmatch(re.escape(lowered) + r"\[\d+\]", key):
                raw.extend(values)
        numbers = []
        for value in raw:
            try:
                numbers.append(int(value))
            except (TypeError, ValueError):
                raise errors.InvalidArguments(f"Cannot convert '{value}' to Int32 for parameter '{name}'.") from None
        return numbers

    def boolean(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in ("true", "1"):
            return True
        if value.lower() in ("false", "0"):
            return False
        raise errors.InvalidArguments(f"Cannot convert '{value}' to Boolean for parameter '{name}'.")


# -- authentication -------------------------------------------------------------------------------------------

def authenticate(state: OnlyofficeState, request: Request) -> User:
    """Cookie ``asc_auth_key``, then Basic, then Bearer or the raw token; before the first comma only."""
    cookie = request.cookies.get("asc_auth_key")
    if cookie and (user := state.user_by_token(cookie)):
        return user
    header = request.headers.get("authorization")
    if header:
        value = header.split(",", 1)[0].strip()
        if value[:6].lower() == "basic ":
            try:
                login, _, password = base64.b64decode(value[6:], validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                login, password = "", ""
            user = state.user_by_login(login) if login else None
            if user is not None and user.password == password:
                return user
        else:
            token = value[7:].strip() if value[:7].lower() == "bearer " else value
            if user := state.user_by_token(token):
                return user
    raise errors.Unauthorized(header_sent=header is not None)


def authentication(call: Call) -> tuple[int, Any]:
    login, password = call.params.text("userName"), call.params.text("password")
    user = call.state.user_by_login(login) if login else None
    if user is None or password is None or user.password != password:
        raise errors.AuthenticationFailed()
    token, expires = call.state.issue_token(user)
    return 201, {"token": token, "expires": date(expires)}


# -- Documents ----------------------------------------------------------------------------------------------------

def _folder(call: Call, ref: str):
    state, user = call.state, call.user
    if ref == "@my":
        return state.my_folder(user)
    if ref == "@common":
        return state.common
    folder = state.folders.get(int(ref)) if ref.isdigit() else None
    if folder is None or (folder.owner_id and folder.owner_id != user.id):
        raise errors.FolderNotFound()
    return folder


def clean_title(title: str) -> str:
    return INVALID_TITLE_CHARS.sub("_", title).strip()[:MAX_TITLE] or "file"


async def upload(call: Call, folder_ref: str) -> tuple[int, Any]:
    """Multipart (every file part, any field name) or a raw body named by Content-Disposition."""
    state, user, request = call.state, call.user, call.request
    folder = _folder(call, folder_ref)
    if not state.can_create_in(user, folder):
        raise errors.NoCreatePermission()
    if is_multipart(request):
        try:
            form = await parse_form(request, state.blobs)
        except MultipartError as exc:
            raise errors.InvalidArguments(str(exc)) from None
        parts = [(p.filename, p.blob) for p in form.files]
        params = Params({**{k: [v] for k, v in form.fields}, **call.params.values})
    else:
        writer = state.blobs.open_writer()
        try:
            async for chunk in request.stream():
                writer.write(chunk)
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
            if blob.size > state.max_upload:
                raise errors.FileTooLarge(f"The maximum file size is exceeded ({content_length(state.max_upload)}).")
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
    wrappers = [file_wrapper(state, f) for f in stored]
    return 201, wrappers[0] if len(wrappers) == 1 else wrappers


def get_file(call: Call, file_id: int) -> tuple[int, Any]:
    f = _readable_file(call, file_id, errors.FileNotFound)
    return 200, file_wrapper(call.state, f)


def _readable_file(call: Call, file_id: int, not_found=errors.ItemNotFound) -> File:
    f = call.state.files.get(file_id)
    if f is None:
        raise not_found()
    folder = call.state.folders[f.folder_id]
    if folder.owner_id and folder.owner_id != call.user.id and not call.user.is_admin:
        raise not_found()
    return f


def download(call: Call):
    f = _readable_file(call, call.params.integer("fileid"), errors.FileNotFound)
    return file_response(call.state.blobs, f.blob, mimetypes.guess_type(f.title)[0] or "application/octet-stream",
                         f.title)


# -- Projects -----------------------------------------------------------------------------------------------------

def _task(call: Call, task_id: int, files_right: bool = True) -> Task:
    """404 for a task that is missing or that the caller cannot read; then 403 without the Files right."""
    task = call.state.tasks.get(task_id)
    project = call.state.projects.get(task.project_id) if task else None
    if task is None or project is None or not call.state.can_read(call.user, project):
        raise errors.ItemNotFound()
    if files_right and not call.state.can_read_files(call.user, project):
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


def attach(call: Call, task_id: int) -> tuple[int, Any]:
    task = _task(call, task_id)
    _attach_files(call, task)
    return 201, task_wrapper(call.state, task, call.user)


def list_files(call: Call, task_id: int) -> tuple[int, Any]:
    task = _task(call, task_id)
    files = [file_wrapper(call.state, f) for f in _listed_files(call, task)]
    start = max(call.params.integer("startIndex"), 0)
    count = min(call.params.integer("count") or 1000, 1000)
    return 200, files[start:start + count]


def detach(call: Call, task_id: int) -> tuple[int, Any]:
    task = _task(call, task_id)
    file_id = call.params.integer("fileid")
    if file_id not in call.state.files:
        raise errors.ItemNotFound()
    if file_id in task.files:
        task.files.remove(file_id)
    return 200, task_wrapper(call.state, task, call.user)


def detach_many(call: Call, task_id: int) -> tuple[int, Any]:
    """The real server's loop calls attach here, not detach, and so does this one: the files end up attached."""
    task = _task(call, task_id)
    _attach_files(call, task)
    return 200, task_wrapper(call.state, task, call.user)


def get_task(call: Call, task_id: int) -> tuple[int, Any]:
    task = _task(call, task_id, files_right=False)
    project = call.state.projects[task.project_id]
    files = _listed_files(call, task) if call.state.can_read_files(call.user, project) else []
    return 200, task_full(call.state, task, call.user, files)


def get_project(call: Call, project_id: int) -> tuple[int, Any]:
    project = call.state.projects.get(project_id)
    if project is None or not call.state.can_read(call.user, project):
        raise errors.ItemNotFound()
    return 200, project_full(call.state, project, call.user)


def create_project(call: Call) -> tuple[int, Any]:
    title = (call.params.text("title") or "").strip()
    if not title:
        raise errors.InvalidArguments("Title can't be empty")
    responsible = call.params.text("responsibleId") or call.user.id
    if responsible not in call.state.users:
        raise errors.ItemNotFound()
    project = call.state.add_project(title, call.params.text("description"), responsible,
                                     call.params.boolean("private", False))
    project.participants[call.user.id] = True
    return 201, project_full(call.state, project, call.user)


def create_task(call: Call, project_id: int) -> tuple[int, Any]:
    project = call.state.projects.get(project_id)
    if project is None or not call.state.can_read(call.user, project):
        raise errors.ItemNotFound()
    title = (call.params.text("title") or "").strip()
    if not title:
        raise errors.InvalidArguments("Title can't be empty")
    responsibles = [r for r in (call.params.values.get("responsibles") or []) if isinstance(r, str)]
    if any(r not in call.state.users for r in responsibles):
        raise errors.InvalidArguments("Responsible not found")
    priority = call.params.integer("priority")
    task = call.state.add_task(project.id, title, call.user.id, description=call.params.text("description"),
                               priority=max(-1, min(1, priority)), responsibles=responsibles)
    task.updated = utcnow()
    return 201, task_wrapper(call.state, task, call.user)
