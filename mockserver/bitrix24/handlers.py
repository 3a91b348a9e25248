"""Bitrix24 methods: Drive (storages, folders, upload in both ways, files, attached objects) and tasks (add, get,
update, files.attach). Each takes the ``Call`` and its params and returns the result, a ``Page`` for lists, or
a ``Download``; errors are raised. ``batch``, ``upload`` and ``download`` live in ``batch``."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import time
from typing import Any, Callable

from mockserver.bitrix24 import errors, render
from mockserver.bitrix24.models import PAGE, BitrixState, Comment, DiskObject, Storage, Task, iso
from mockserver.blobs import Blob
from mockserver.bitrix24.wire import Call, Page
from mockserver.downloads import Download, open_download

TRUE = {"true", "y", "1", "yes", "on"}


def boolean(value: Any) -> bool:
    return value is True or (isinstance(value, (str, int)) and str(value).strip().lower() in TRUE)


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value, re.ASCII):
        return int(value)
    return None


def as_list(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return None


def page(items: list[Any], params: dict[str, Any]) -> Page:
    """50 a page from ``start``; ``next`` only while rows remain; ``start=-1`` counts nothing."""
    start = as_int(params.get("start")) or 0
    if start == -1:
        return Page(items[:PAGE], None, None)
    start = max(start, 0)
    rows = items[start:start + PAGE]
    return Page(rows, len(items), start + PAGE if start + PAGE < len(items) else None)


_FILTER = re.compile(r"^(>=|<=|!=|=%|%=|!@|>|<|@|%|=|!)?(.*)$")


def _starts(text: str, values: list[str], left: Any, right: Any) -> bool:
    return text.lower().startswith(str(right).lower().rstrip("%"))


# a filter key's prefix -> does the row's value (as text, and as a number when both sides are) pass
_OPERATORS: dict[str | None, Callable[[str, list[str], Any, Any], bool]] = {
    None: lambda text, values, left, right: text in values,
    "=": lambda text, values, left, right: text in values,
    "@": lambda text, values, left, right: text in values,
    "!": lambda text, values, left, right: text not in values,
    "!=": lambda text, values, left, right: text not in values,
    "!@": lambda text, values, left, right: text not in values,
    "%": lambda text, values, left, right: isinstance(right, str) and right.lower() in text.lower(),
    "=%": _starts,
    "%=": _starts,
    ">": lambda text, values, left, right: left > right,
    "<": lambda text, values, left, right: left < right,
    ">=": lambda text, values, left, right: left >= right,
    "<=": lambda text, values, left, right: left <= right,
}


def matches(row: dict[str, Any], filters: dict[str, Any]) -> bool:
    """``filter`` with Bitrix's prefixes, on string-valued rows."""
    for key, wanted in filters.items():
        match = _FILTER.match(str(key))
        assert match is not None                # every part of the pattern is optional
        op, field = match.groups()
        value = row.get(field.upper())
        values = [str(v) for v in (as_list(wanted) or [wanted])]
        text = "" if value is None else str(value)
        numeric = as_int(text) is not None and all(as_int(v) is not None for v in values)
        left: Any = int(text) if numeric else text
        right: Any = int(values[0]) if numeric else values[0]
        if not _OPERATORS[op](text, values, left, right):
            return False
    return True


def ordered(rows: list[dict[str, Any]], order: Any) -> list[dict[str, Any]]:
    if isinstance(order, dict):
        for field, direction in reversed(list(order.items())):
            rows = sorted(rows, key=lambda r: (as_int(r.get(field.upper())) is None, as_int(r.get(field.upper()))
                                              if as_int(r.get(field.upper())) is not None
                                              else str(r.get(field.upper()) or "")),
                          reverse=str(direction).upper() == "DESC")
    return rows


# -- Drive ----------------------------------------------------------------------------------------------------------

def _object(call: Call, params: dict[str, Any], kind: str | None = None, trashed: bool = False) -> DiskObject:
    """``id`` present and an int: the params contract saw to that. What is in the trash is not found, but by
    ``disk.file.restore`` (``trashed``)."""
    raw = params["id"]
    obj = call.state.objects.get(int(raw))
    if obj is None or (kind and obj.type != kind) or (obj.deleted_type != 0) != trashed:
        raise errors.NotFound(raw)
    if not call.state.can_read(call.user, obj):
        raise errors.AccessDenied()
    return obj


def _editable(call: Call, params: dict[str, Any], trashed: bool = False) -> DiskObject:
    obj = _object(call, params, "file", trashed)
    if not call.state.can_edit(call.user, obj):
        raise errors.AccessDenied()
    return obj


def _target(call: Call, params: dict[str, Any]) -> DiskObject:
    """``targetFolderId``: a live folder the caller may add to."""
    raw = params["targetFolderId"]
    folder = call.state.objects.get(int(raw))
    if folder is None or folder.type != "folder" or folder.deleted_type != 0:
        raise errors.NotFound(raw)
    if not call.state.can_add(call.user, folder):
        raise errors.AccessDenied()
    return folder


# what user.current shows of the caller, by the user scope held (the docs' "User scope versions" tables)
USER_FIELDS = ("ID", "ACTIVE", "NAME", "LAST_NAME", "EMAIL", "LAST_LOGIN", "DATE_REGISTER", "IS_ONLINE",
               "LAST_ACTIVITY_DATE", "PERSONAL_GENDER", "PERSONAL_BIRTHDAY", "WORK_POSITION", "UF_EMPLOYMENT_DATE",
               "UF_DEPARTMENT")
HIDDEN = {"user": set(), "user_basic": {"LAST_LOGIN"}, "user_brief": {"EMAIL", "LAST_LOGIN"}}


def user_current(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    assert call.who is not None
    user, now = call.user, call.state.clock.time()
    hidden = min((HIDDEN[s] for s in HIDDEN if s in call.who.scopes), key=len)
    record = {"ID": str(user.id), "ACTIVE": True, "NAME": user.name, "LAST_NAME": user.last_name,
              "EMAIL": user.email, "LAST_LOGIN": iso(now), "DATE_REGISTER": iso(call.state.started),
              "IS_ONLINE": "Y", "LAST_ACTIVITY_DATE": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)),
              "PERSONAL_GENDER": "", "PERSONAL_BIRTHDAY": "", "WORK_POSITION": "", "UF_EMPLOYMENT_DATE": "",
              "UF_DEPARTMENT": [1]}
    return {k: record[k] for k in USER_FIELDS if k not in hidden}


def profile(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = call.user
    return {"ID": str(user.id), "ADMIN": user.admin, "NAME": user.name, "LAST_NAME": user.last_name,
            "PERSONAL_GENDER": "", "TIME_ZONE": ""}


def storage_getlist(call: Call, params: dict[str, Any]) -> Page:
    rows = [render.storage(s) for s in call.state.storages.values()
            if call.user.admin or s.entity_type == "common" or s.entity_id == call.user.id]
    filters = params.get("filter")
    rows = [r for r in rows if matches(r, filters if isinstance(filters, dict) else {})]
    return page(ordered(rows, params.get("order")), params)


def sonet_group_get(call: Call, params: dict[str, Any]) -> Page:
    """The workgroups the caller sees (the visible ones and his own; every one for an administrator who sends
    ``IS_ADMIN=Y``), ``FILTER`` with the list prefixes, ``GROUP_ID``, ``ORDER`` (``ID`` descending by default),
    50 a page from ``start``. The parameter names in any case [INFER: the product upper-cases them]."""
    upper = {str(k).upper(): v for k, v in params.items()}
    every = call.user.admin and str(upper.get("IS_ADMIN", "")).upper() == "Y"
    rows = [render.group(g) for g in call.state.groups.values()
            if every or g.visible or call.user.id in g.members]
    given = upper.get("FILTER")
    filters: dict[str, Any] = given if isinstance(given, dict) else {}
    if upper.get("GROUP_ID") not in (None, ""):
        filters = {**filters, "=ID": upper["GROUP_ID"]}
    rows = [r for r in rows if matches(r, filters)]
    return page(ordered(rows, upper.get("ORDER") or {"ID": "desc"}), {"start": upper.get("START")})


def _storage(call: Call, params: dict[str, Any]) -> Storage:
    storage = call.state.storages.get(int(params["id"]))
    if storage is None:
        raise errors.NotFound(params["id"])
    return storage


def storage_get(call: Call, params: dict[str, Any]) -> Any:
    return render.storage(_storage(call, params))


def _children(call: Call, folder: DiskObject, params: dict[str, Any]) -> Page:
    rows = [render.disk_object(call.state, o, call.link) for o in call.state.children(folder)]
    filters = params.get("filter")
    rows = [r for r in rows if matches(r, filters if isinstance(filters, dict) else {})]
    return page(ordered(rows, params.get("order")), params)


def folder_getchildren(call: Call, params: dict[str, Any]) -> Page:
    return _children(call, _object(call, params, "folder"), params)


def storage_getchildren(call: Call, params: dict[str, Any]) -> Page:
    return _children(call, call.state.objects[_storage(call, params).root_id], params)


def _data(params: dict[str, Any]) -> dict[str, Any]:
    data = params.get("data")
    return data if isinstance(data, dict) else {}


def folder_addsubfolder(call: Call, params: dict[str, Any]) -> Any:
    folder = _object(call, params, "folder")
    data = _data(params)
    name = data.get("NAME")
    if not name:
        raise errors.NameRequired()
    if not call.state.can_add(call.user, folder):
        raise errors.AccessDenied()
    if call.state.name_taken(folder, str(name)):
        raise errors.FolderNameExists()
    return render.disk_object(call.state, call.state.add_folder(folder, str(name), call.user), call.link, True)


def folder_get(call: Call, params: dict[str, Any]) -> Any:
    return render.disk_object(call.state, _object(call, params, "folder"), call.link)


def _own_folder(call: Call, params: dict[str, Any], trashed: bool = False) -> DiskObject:
    """A folder the caller may change, not a storage's root."""
    folder = _object(call, params, "folder", trashed)
    if not call.state.can_edit(call.user, folder):
        raise errors.AccessDenied()
    if folder.parent_id is None:
        raise errors.RootFolder()
    return folder


def folder_rename(call: Call, params: dict[str, Any]) -> Any:
    """``disk.folder.rename``: ``newName``, as a file's (empty: error 0; taken: ``DISK_OBJ_22000``)."""
    return _rename(call, _own_folder(call, params), params, errors.FolderNameExists)


def folder_markdeleted(call: Call, params: dict[str, Any]) -> Any:
    """``disk.folder.markDeleted``: the folder to the trash (``DELETED_TYPE`` 3), all it holds with it (4): out
    of every listing and of every method but ``restore``."""
    folder = _own_folder(call, params)
    call.state.trash_folder(folder, call.user)
    return render.disk_object(call.state, folder, call.link)


def folder_restore(call: Call, params: dict[str, Any]) -> Any:
    """``disk.folder.restore``: back from the trash with what it held; the docs' "who can execute" is an
    administrator; a name taken meanwhile becomes ``name (1)``."""
    if not call.user.admin:
        raise errors.AccessDenied()
    folder = _own_folder(call, params, trashed=True)
    call.state.untrash_folder(folder)
    return render.disk_object(call.state, folder, call.link)


def _into(call: Call, folder: DiskObject, target: DiskObject) -> None:
    """A name taken in the target is ``DISK_OBJ_22000``; the folder itself or one it holds is refused."""
    if target.id == folder.id or target.id in {o.id for o in call.state.subtree(folder)}:
        raise errors.FolderIntoItself()
    if call.state.name_taken(target, folder.name):
        raise errors.FolderNameExists()


def folder_moveto(call: Call, params: dict[str, Any]) -> Any:
    """``disk.folder.moveTo``: edit on the folder, add on the target; it moves with all it holds."""
    folder = _object(call, params, "folder")
    if not call.state.can_edit(call.user, folder):
        raise errors.AccessDenied()
    if folder.parent_id is None:
        raise errors.RootFolderMove()
    target = _target(call, params)
    if target.id != folder.parent_id:
        _into(call, folder, target)
        call.state.move_folder(folder, target)
    return render.disk_object(call.state, folder, call.link)


def folder_copyto(call: Call, params: dict[str, Any]) -> Any:
    """``disk.folder.copyTo``: read on the folder, add on the target; a copy of it and of all it holds."""
    folder = _object(call, params, "folder")
    target = _target(call, params)
    _into(call, folder, target)
    copy = call.state.copy_tree(folder, target, call.user)
    if copy is None:
        raise errors.CouldNotCopy()
    return render.disk_object(call.state, copy, call.link)


def folder_deletetree(call: Call, params: dict[str, Any]) -> bool:
    """``disk.folder.deleteTree``: the folder and all it holds, for good (their task attachments with them); a
    storage's root is ``DISK_OBJ_22000`` "Could not delete root folder"."""
    folder = _own_folder(call, params)
    call.state.delete_tree(folder)
    return True


def file_rename(call: Call, params: dict[str, Any]) -> Any:
    """``newName``: empty is error 0; a name taken in the folder ``DISK_OBJ_22000``; the name is taken as given
    (the docs warn that a changed extension spoils the file, not that it is refused)."""
    return _rename(call, _editable(call, params), params, errors.NameExists)


def _rename(call: Call, obj: DiskObject, params: dict[str, Any], taken: type[errors.BitrixError]) -> Any:
    name = str(params.get("newName") or "").strip()
    if not name:
        raise errors.EmptyName()
    if name != obj.name:
        if call.state.name_taken(call.state.objects[obj.parent_id or 0], name):
            raise taken()
        call.state.rename(obj, name)
        obj.updated, obj.updated_by = call.state.clock.time(), call.user.id
    return render.disk_object(call.state, obj, call.link)


def file_moveto(call: Call, params: dict[str, Any]) -> Any:
    """Edit on the file, add on the folder; a name taken there is ``DISK_OBJ_22000``. Another storage's folder
    takes it too [INFER: the docs name no storage rule for moving]."""
    obj = _editable(call, params)
    folder = _target(call, params)
    if folder.id != obj.parent_id:
        if call.state.name_taken(folder, obj.name):
            raise errors.NameExists()
        call.state.move(obj, folder)
    return render.disk_object(call.state, obj, call.link)


def file_copyto(call: Call, params: dict[str, Any]) -> Any:
    """Read on the file, add on the folder: a new file with a copy of the current bytes, its own history."""
    obj = _object(call, params, "file")
    folder = _target(call, params)
    if call.state.name_taken(folder, obj.name):
        raise errors.NameExists()
    assert obj.blob is not None
    copy = call.state.blobs.copy(obj.blob)
    if copy is None:
        raise errors.CouldNotCopy()
    return render.disk_object(call.state, call.state.add_file(folder, obj.name, copy, call.user), call.link)


def file_markdeleted(call: Call, params: dict[str, Any]) -> Any:
    """To the trash: out of every listing and of ``disk.file.get``, its name free in its folder; its task
    attachments stay [INFER: the attached object outlives the trash until the file is deleted for good]."""
    obj = _editable(call, params)
    call.state.trash(obj, call.user)
    return render.disk_object(call.state, obj, call.link)


def file_restore(call: Call, params: dict[str, Any]) -> Any:
    """Back from the trash; a name taken meanwhile becomes ``name (1).ext``."""
    obj = _editable(call, params, trashed=True)
    call.state.untrash(obj)
    return render.disk_object(call.state, obj, call.link)


def file_uploadversion(call: Call, params: dict[str, Any]) -> Any:
    """``fileContent`` = [name, base64]: the bytes become the newest version (``GLOBAL_CONTENT_VERSION`` + 1);
    the file keeps its name."""
    obj = _editable(call, params)
    content = as_list(params.get("fileContent"))
    if content is None or len(content) < 2 or not isinstance(content[1], str):
        raise errors.ArgumentError()
    try:
        raw = base64.b64decode(content[1], validate=True)
    except (binascii.Error, ValueError):
        raise errors.CouldNotSaveFile() from None
    call.state.new_version(obj, call.state.blobs.put(raw), call.user)
    return render.disk_object(call.state, obj, call.link)


def file_restorefromversion(call: Call, params: dict[str, Any]) -> Any:
    """``disk.file.restoreFromVersion``: ``versionId``'s bytes, copied, become the newest version (the name stays);
    a version of another file is ``DISK_FILE_22004``, one that does not exist not found [INFER: the docs list the
    not-found error for the file alone]."""
    obj = _editable(call, params)
    found = call.state.version(int(params["versionId"]))
    if found is None:
        raise errors.NotFound(params["versionId"])
    owner, version = found
    if owner is not obj:
        raise errors.VersionOfAnotherFile()
    blob = call.state.blobs.copy(version.blob)
    if blob is None:
        raise errors.CouldNotCopyFile()
    call.state.new_version(obj, blob, call.user)
    return render.disk_object(call.state, obj, call.link)


def file_getversions(call: Call, params: dict[str, Any]) -> Page:
    """Every version, the newest first, each with its own ``DOWNLOAD_URL``; ``filter`` and ``start`` as lists."""
    obj = _object(call, params, "file")
    rows = [render.version(call.state, obj, v, call.link) for v in reversed(obj.versions)]
    filters = params.get("filter")
    rows = [r for r in rows if matches(r, filters if isinstance(filters, dict) else {})]
    return page(rows, params)


def file_getexternallink(call: Call, params: dict[str, Any]) -> str:
    """A public link, the same one on every call [INFER: the portal keeps one link per file]."""
    obj = _object(call, params, "file")
    if obj.external_link is None:
        obj.external_link = f"{call.link.base}/~{secrets.token_urlsafe(4)}"
    return obj.external_link


def storage_getforapp(call: Call, params: dict[str, Any]) -> Any:
    """An application's own storage (made on first use); a webhook has no application: ``ACCESS_DENIED``; the
    docs' "who can execute" is an administrator."""
    assert call.who is not None
    if not call.who.is_token:
        raise errors.AppContextRequired()
    if not call.user.admin:
        raise errors.AccessDenied()
    return render.storage(call.state.app_storage())


def upload_token(state: BitrixState, folder: DiskObject, name: str | None, unique: bool) -> str:
    payload = base64.urlsafe_b64encode(
        f"folder={folder.id}&name={name or ''}&unique={int(unique)}&_={secrets.token_hex(16)}".encode()).decode()
    return f"disk|{payload}|{state.sign(payload)}"


def _upload_into(call: Call, folder: DiskObject, params: dict[str, Any]) -> Any:
    """Inline base64 ``fileContent`` = [name, base64]; without it, the ``uploadUrl`` of the two-step flow."""
    if not call.state.can_add(call.user, folder):
        raise errors.AccessDenied()
    data = _data(params)
    unique = boolean(params.get("generateUniqueName", False))
    content = as_list(params.get("fileContent"))
    if content is None:
        token = upload_token(call.state, folder, data.get("NAME"), unique)
        return {"field": "file", "uploadUrl": call.link("upload", token)}
    if len(content) < 2 or not isinstance(content[1], str):
        raise errors.CouldNotSaveFile()
    name = data.get("NAME") or content[0]
    if not name:
        raise errors.NameRequired()
    try:
        raw = base64.b64decode(content[1], validate=True)
    except (binascii.Error, ValueError):
        raise errors.CouldNotSaveFile() from None
    return render.disk_object(call.state, store_file(call, folder, str(name), raw, unique), call.link, True)


def store_file(call: Call, folder: DiskObject, name: str, data: bytes | Blob, unique: bool) -> DiskObject:
    """``data``: bytes, or a committed ``Blob`` from a streamed upload."""
    name = call.state.unique_name(folder, name) if unique else name
    if not unique and call.state.name_taken(folder, name):
        raise errors.CoreError(f"File or folder with name {name} already exists")
    blob = call.state.blobs.put(data) if isinstance(data, bytes) else data
    return call.state.add_file(folder, name, blob, call.user)


def folder_uploadfile(call: Call, params: dict[str, Any]) -> Any:
    return _upload_into(call, _object(call, params, "folder"), params)


def storage_uploadfile(call: Call, params: dict[str, Any]) -> Any:
    return _upload_into(call, call.state.objects[_storage(call, params).root_id], params)


def file_get(call: Call, params: dict[str, Any]) -> Any:
    return render.disk_object(call.state, _object(call, params, "file"), call.link)


def file_delete(call: Call, params: dict[str, Any]) -> Any:
    obj = _object(call, params, "file")
    if call.state.storage_of(obj).entity_id not in (call.user.id, 0) and not call.user.admin:
        raise errors.AccessDenied()
    call.state.delete_object(obj)
    return True


def attached_object_get(call: Call, params: dict[str, Any]) -> Any:
    raw = params["id"]
    attachment = call.state.attachments.get(int(raw))
    if attachment is None:
        raise errors.NotFound(raw)
    task = call.state.tasks.get(attachment.task_id)
    obj = call.state.objects[attachment.object_id]
    if not (call.state.can_read(call.user, obj) or (task and call.state.can_see_task(call.user, task))):
        raise errors.AccessDenied()
    return render.attached_object(call.state, attachment, call.link.base)


# -- tasks ----------------------------------------------------------------------------------------------------------

def _task_id(params: dict[str, Any]) -> int:
    """Present and a positive int: the params contract saw to that."""
    return int(params["taskId"])


def _set_files(call: Call, task: Task, value: Any) -> None:
    """``UF_TASK_WEBDAV_FILES`` replaces the set: an attachment id keeps it, ``nNNN`` attaches Drive file NNN,
    anything left out is detached; the Drive files stay."""
    items = as_list(value)
    if items is None:
        items = [] if value in (False, "", None, "false") else [value]
    keep, add = [], []
    for item in items:
        text = str(item).strip()
        if text.lower().startswith("n") and as_int(text[1:]) is not None:
            obj = call.state.objects.get(int(text[1:]))
            if obj is None or obj.type != "file" or not call.state.can_read(call.user, obj):
                raise errors.InsufficientPermissions()
            add.append(obj)
        elif as_int(text) in task.attachments:
            keep.append(as_int(text))
    for attachment_id in [a for a in task.attachments if a not in keep]:
        call.state.detach(call.state.attachments[attachment_id])
    for obj in add:
        call.state.attach(task, obj, call.user)


def task_add(call: Call, params: dict[str, Any]) -> Any:
    fields = params["fields"]
    title = str(fields.get("TITLE") or "").strip()
    if not title:
        raise errors.CoreError("Task title is not specified<br>")
    if fields.get("RESPONSIBLE_ID") in (None, ""):
        raise errors.CoreError("Responsible person not specified<br>")
    responsible = as_int(fields.get("RESPONSIBLE_ID"))
    if responsible not in call.state.users:
        raise errors.CoreError('User specified in the "Responsible" field not found<br>')
    ids = lambda key: [u for u in (as_int(x) for x in (as_list(fields.get(key)) or [])) if u in call.state.users]  # noqa: E731
    task = call.state.add_task(title, call.user.id, responsible, description=str(fields.get("DESCRIPTION") or ""),
                               priority=as_int(fields.get("PRIORITY")) or 1, accomplices=ids("ACCOMPLICES"),
                               auditors=ids("AUDITORS"), group_id=as_int(fields.get("GROUP_ID")) or 0)
    if "UF_TASK_WEBDAV_FILES" in fields:
        _set_files(call, task, fields["UF_TASK_WEBDAV_FILES"])
    return {"task": render.task(call.state, task)}


def task_get(call: Call, params: dict[str, Any]) -> Any:
    task_id = _task_id(params)
    select = params.get("select")
    task = call.state.tasks.get(task_id)
    if task is None or not call.state.can_see_task(call.user, task):
        return []
    return {"task": render.task(call.state, task, [str(f) for f in (as_list(select) or [])])}


def _filter_row(t: Task) -> dict[str, Any]:
    """What ``tasks.task.list``'s filter and order see of a task, by the docs' field names."""
    return {"ID": t.id, "PARENT_ID": 0, "GROUP_ID": t.group_id, "CREATED_BY": t.created_by,
            "RESPONSIBLE_ID": t.responsible_id, "PRIORITY": t.priority, "TITLE": t.title, "REAL_STATUS": t.status,
            "STATUS": t.status, "CREATED_DATE": iso(t.created), "CHANGED_DATE": iso(t.changed or t.created)}


def _like(pattern: str) -> re.Pattern[str]:
    """SQL's LIKE as the TITLE filter takes it: ``%`` any run, ``_`` one character, in any case."""
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern),
                      re.IGNORECASE | re.DOTALL)


def task_list(call: Call, params: dict[str, Any]) -> Page:
    """The caller's visible tasks, filtered (the docs' fields and prefixes; ``ACCOMPLICE``/``AUDITOR`` match any
    of them; ``TITLE`` as LIKE), ordered (``ID`` descending by default), 50 a page."""
    filters: dict[str, Any] = params["filter"] if isinstance(params.get("filter"), dict) else {}
    people = {"ACCOMPLICE": "accomplices", "AUDITOR": "auditors"}
    tasks = [t for t in call.state.tasks.values() if call.state.can_see_task(call.user, t)]
    plain = {}                                      # the rest, prefixes included, as every list filters
    for key, wanted in filters.items():
        name = str(key).upper()
        if name in people:
            values = {as_int(v) for v in (as_list(wanted) or [wanted])}
            tasks = [t for t in tasks if values & set(getattr(t, people[name]))]
        elif name == "TITLE":
            like = _like(str(wanted))
            tasks = [t for t in tasks if like.fullmatch(t.title)]
        else:
            plain[key] = wanted
    rows = [row for t in tasks if matches(row := {**_filter_row(t), "task": t}, plain)]
    rows = ordered(rows, params.get("order") or {"ID": "desc"})
    select = [str(f) for f in (as_list(params.get("select")) or [])]
    found = page(rows, params)                      # only the page's tasks are rendered
    return Page([render.task(call.state, row["task"], select) for row in found.items], found.total,
                found.next_start, key="tasks")


def task_delete(call: Call, params: dict[str, Any]) -> dict[str, bool]:
    """The creator (or an admin) deletes a task [INFER: the docs say "permission to delete"]; its attachments go
    with it, the Drive files stay."""
    task = call.state.tasks.get(_task_id(params))
    if task is None or not (call.user.admin or call.user.id == task.created_by):
        raise errors.TaskDeleteDenied()
    call.state.delete_task(task)
    return {"task": True}


def _status_method(status: int) -> Callable[[Call, dict[str, Any]], Any]:
    """``tasks.task.start`` (3), ``pause`` (2), ``defer`` (6), ``complete`` (5), ``renew`` (2): whoever may edit
    the task moves it there, as the docs' "who can execute" says, whatever status it has [INFER: the product's
    own workflow rules between statuses are not in the docs]; else "Action on the task is not allowed"."""
    def change(call: Call, params: dict[str, Any]) -> Any:
        task = call.state.tasks.get(_task_id(params))
        if task is None or not call.state.can_edit_task(call.user, task):
            raise errors.TaskActionNotAllowed()
        if task.status != status:
            task.status, task.changed = status, call.state.clock.time()
        return {"task": render.task(call.state, task)}
    return change


task_start, task_pause, task_defer, task_complete, task_renew = (_status_method(s) for s in (3, 2, 6, 5, 2))


def task_update(call: Call, params: dict[str, Any]) -> Any:
    task_id, fields = _task_id(params), params["fields"]
    task = call.state.tasks.get(task_id)
    if task is None or not call.state.can_edit_task(call.user, task):
        raise errors.TaskAccessDenied()
    if "TITLE" in fields:
        if not str(fields["TITLE"]).strip():
            raise errors.CoreError("Task title is not specified<br>")
        task.title = str(fields["TITLE"])
    if "DESCRIPTION" in fields:
        task.description = str(fields["DESCRIPTION"])
    _update_listed_fields(call, task, fields)
    if "UF_TASK_WEBDAV_FILES" in fields:
        _set_files(call, task, fields["UF_TASK_WEBDAV_FILES"])
    task.changed = call.state.clock.time()
    return {"task": render.task(call.state, task)}


def _update_listed_fields(call: Call, task: Task, fields: dict[str, Any]) -> None:
    """The fields ``tasks.task.list`` filters on: the responsible must exist (the add's error), people lists keep
    the users that exist, numbers as ints [INFER: out-of-range priorities and statuses are taken as given]."""
    if "RESPONSIBLE_ID" in fields:
        responsible = as_int(fields["RESPONSIBLE_ID"])
        if responsible not in call.state.users:
            raise errors.CoreError('User specified in the "Responsible" field not found<br>')
        task.responsible_id = responsible
    for key, attribute in (("PRIORITY", "priority"), ("STATUS", "status"), ("GROUP_ID", "group_id")):
        if key in fields and as_int(fields[key]) is not None:
            setattr(task, attribute, as_int(fields[key]))
    for key, attribute in (("ACCOMPLICES", "accomplices"), ("AUDITORS", "auditors")):
        if key in fields:
            setattr(task, attribute, [u for u in (as_int(x) for x in (as_list(fields[key]) or []))
                                      if u in call.state.users])


def task_files_attach(call: Call, params: dict[str, Any]) -> Any:
    """After the params contract's errors (taskId, then fileId): the task's, then the file's."""
    task_id, file_id = _task_id(params), int(params["fileId"])
    task = call.state.tasks.get(task_id)
    if task is None or not call.state.can_edit_task(call.user, task):
        raise errors.TaskAccessDenied()
    obj = call.state.objects.get(file_id)
    if obj is None or obj.type != "file" or not call.state.can_read(call.user, obj) \
            or not call.state.fits_task(task, obj):
        raise errors.InsufficientPermissions()
    return {"attachmentId": call.state.attach(task, obj, call.user).id}


def attached_download(call: Call, params: dict[str, Any]) -> Download:
    """``DOWNLOAD_URL`` of ``disk.attachedObject.get``: signed, no other credentials."""
    attached = params.get("attachedId", "")
    attachment = call.state.attachments.get(as_int(attached) or 0)
    if attachment is None or params.get("auth[auth]") != call.state.sign(f"attached={attachment.id}"):
        raise errors.NotFound(attached)
    obj = call.state.objects[attachment.object_id]
    assert obj.blob is not None
    return open_download(call.state.blobs, obj.blob, obj.name, missing=errors.NotFound(attached))



# -- task comments: the files of a comment --------------------------------------------------------------------------

COMMENT_FIELDS = {"POST_MESSAGE", "AUTHOR_ID", "POST_DATE", "UF_FORUM_MESSAGE_DOC"}


def _comment_task(call: Call, params: dict[str, Any]) -> Task:
    task = call.state.tasks.get(int(params["TASKID"]))
    if task is None or not call.state.can_see_task(call.user, task):
        raise errors.CoreError("Insufficient permissions to add a comment")
    return task


def _comment_files(call: Call, fields: dict[str, Any], author: Any) -> list[DiskObject]:
    """``UF_FORUM_MESSAGE_DOC``: Drive files as ``nNNN``, each one the author may read, else "File not found"."""
    files = []
    for item in as_list(fields.get("UF_FORUM_MESSAGE_DOC")) or []:
        text = str(item).strip()
        obj = call.state.objects.get(as_int(text[1:]) or 0) if text[:1].lower() == "n" else None
        if obj is None or obj.type != "file" or obj.deleted_type or not call.state.can_read(author, obj):
            raise errors.CoreError("File not found")
        files.append(obj)
    return files


def commentitem_add(call: Call, params: dict[str, Any]) -> int:
    """``task.commentitem.add``: ``POST_MESSAGE`` required; ``AUTHOR_ID`` any user (as the docs warn);
    ``UF_FORUM_MESSAGE_DOC`` Drive files as ``nNNN``, each one the author may read, else "File not found"."""
    task = _comment_task(call, params)
    fields = params["FIELDS"]
    unknown = sorted(set(str(k) for k in fields) - COMMENT_FIELDS)
    if unknown:
        raise errors.CoreError(f"TASKS_ERROR_EXCEPTION_#256; Param #1 (arFields) for method ctaskcommentitem::add() "
                               f"must not contain key `{unknown[0]}`.; 256/TE/WRONG_ARGUMENTS")
    message = str(fields.get("POST_MESSAGE") or "").strip()
    if not message:
        raise errors.CoreError("Comment text is not specified")
    author = call.state.users.get(as_int(fields.get("AUTHOR_ID")) or call.user.id) or call.user
    files = _comment_files(call, fields, author)
    comment = call.state.add_comment(task, author, message)
    for obj in files:
        call.state.attach(task, obj, author, comment)
    return comment.id


def _comment(call: Call, params: dict[str, Any]) -> Any:
    task = _comment_task(call, params)
    comment = call.state.comments.get(int(params["ITEMID"]))
    if comment is None or comment.task_id != task.id:
        raise errors.CoreError("Comment not found")
    return comment


def _own_comment(call: Call, params: dict[str, Any]) -> Comment:
    """The comment the caller may change: his own (any, for an administrator) on a task he sees."""
    task = call.state.tasks.get(int(params["TASKID"]))
    comment = call.state.comments.get(int(params["ITEMID"]))
    if (task is None or not call.state.can_see_task(call.user, task) or comment is None
            or comment.task_id != task.id or not (call.user.admin or comment.author_id == call.user.id)):
        raise errors.CommentActionNotAllowed()
    return comment


def commentitem_update(call: Call, params: dict[str, Any]) -> bool:
    """``task.commentitem.update``: ``POST_MESSAGE`` required; ``UF_FORUM_MESSAGE_DOC``, when given, is the whole
    new set of the comment's files (each one the author may read, else "File not found")."""
    comment = _own_comment(call, params)
    fields = params["FIELDS"]
    message = str(fields.get("POST_MESSAGE") or "").strip()
    if not message:
        raise errors.CommentTextMissing()
    author = call.state.users.get(comment.author_id) or call.user
    if "UF_FORUM_MESSAGE_DOC" in fields:
        wanted = _comment_files(call, fields, author)
        task = call.state.tasks[comment.task_id]
        kept = {call.state.attachments[a].object_id: a for a in comment.attachments}
        wanted_ids = {obj.id for obj in wanted}
        for object_id, attachment_id in kept.items():
            if object_id not in wanted_ids:
                call.state.detach(call.state.attachments[attachment_id])
        for obj in wanted:
            if obj.id not in kept:
                call.state.attach(task, obj, author, comment)
    comment.message = message
    return True


def commentitem_delete(call: Call, params: dict[str, Any]) -> bool:
    """``task.commentitem.delete``: the comment and its attachments (the Drive files stay)."""
    comment = _own_comment(call, params)
    for attachment_id in list(comment.attachments):
        call.state.detach(call.state.attachments[attachment_id])
    del call.state.comments[comment.id]
    return True


def commentitem_get(call: Call, params: dict[str, Any]) -> Any:
    return render.comment(call.state, _comment(call, params))


def commentitem_getlist(call: Call, params: dict[str, Any]) -> list[Any]:
    task = _comment_task(call, params)
    return [render.comment(call.state, c) for c in call.state.comments.values() if c.task_id == task.id]



# -- REST 3.0 -------------------------------------------------------------------------------------------------------

def task_file_attach_v3(call: Call, params: dict[str, Any]) -> dict[str, bool]:
    """``tasks.task.file.attach`` (``/rest/api/``): ``taskId`` and ``fileIds`` validated first, then the rights:
    edit on the task and read on every file, else one 403 and nothing attached. A file of another workgroup's
    storage on a workgroup's task is refused the same way [INFER]."""
    task_id, file_ids = params.get("taskId"), params.get("fileIds")
    if task_id is None:
        raise errors.V3Validation.missing("taskId")
    if file_ids is None:
        raise errors.V3Validation.missing("fileIds")
    if isinstance(task_id, bool) or not isinstance(task_id, int):
        raise errors.V3Validation.wrong_type("taskId", "int")
    if not isinstance(file_ids, list) or not all(isinstance(f, int) and not isinstance(f, bool) for f in file_ids):
        raise errors.V3Validation.wrong_type("fileIds", "int[]")
    task = call.state.tasks.get(task_id)
    if task is None or not call.state.can_edit_task(call.user, task):
        raise errors.V3AccessDenied()
    objects = [call.state.objects.get(f) for f in file_ids]
    for obj in objects:
        if obj is None or obj.type != "file" or obj.deleted_type or not call.state.can_read(call.user, obj) \
                or not call.state.fits_task(task, obj):
            raise errors.V3AccessDenied()
    for obj in objects:
        assert obj is not None
        call.state.attach(task, obj, call.user)
    return {"result": True}
