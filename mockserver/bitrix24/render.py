"""Bitrix24 shapes: Bitrix ``Json::encode`` (``< > & ' "`` inside strings as ``\\u003C``…, ``/`` as ``\\/``,
non-ASCII raw), the success envelope with its eight-key ``time`` block, the error envelope, PHP's
list-or-object rule, and the shapes of Drive objects, attached objects and tasks."""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import quote

from mockserver.bitrix24.errors import BitrixError
from mockserver.bitrix24.models import (
    Attachment, BitrixState, Comment, DiskObject, Group, Storage, Task, Version, iso,
)

url_quote = functools.lru_cache(maxsize=4096)(quote)         # the same names and tokens, on every listing
_HEX = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "'": "\\u0027", "/": "\\/"}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# a quote escaped inside a string: one backslash more than a run of escaped backslashes (a closing quote after
# an escaped backslash is preceded by an even run, and stays)
_ESCAPED_QUOTE = re.compile(r'(?<!\\)((?:\\\\)*)\\"')


def encode(value: Any) -> str:
    """One C-encoded dump, then Bitrix's escapes: ``< > & ' /`` only ever stand inside strings in JSON text, so
    they are replaced in the whole text; an escaped ``"`` is told from a closing one by its backslashes."""
    text = _dumps(value)
    if '\\"' in text:
        text = _ESCAPED_QUOTE.sub(r"\1\\u0022", text)
    for raw, escaped in _HEX.items():
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def php_array(items: dict[Any, Any]) -> Any:
    """A PHP array as json_encode writes it: keys exactly 0..n-1 make a list, anything else an object; an
    empty one is ``[]``."""
    if list(items.keys()) == list(range(len(items))):
        return list(items.values())
    return {str(k): v for k, v in items.items()}


def time_block(started: float, finished: float, operating: float = 0.0,
               reset_at: float | None = None) -> dict[str, Any]:
    # the seed's own example: duration is finish - start, start being the whole second. The two moments are new
    # at each call: formatted without the cache of stored moments, which they would only push out
    return {"start": int(started), "finish": finished, "duration": finished - int(started), "processing": 0,
            "date_start": iso.__wrapped__(started), "date_finish": iso.__wrapped__(finished),
            "operating_reset_at": int(reset_at or started + 600), "operating": operating}


def success(result: Any, block: dict[str, Any] | None, total: int | None = None,
            next_start: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"result": result}
    if next_start is not None:
        body["next"] = next_start
    if total is not None:
        body["total"] = total
    if block is not None:
        body["time"] = block
    return body


def error_body(exc: BitrixError) -> dict[str, str]:
    return {"error": str(exc.code), "error_description": exc.message}


def v3_error_body(exc: BitrixError) -> dict[str, Any]:
    """REST 3.0's error: code and message, and the fields at fault for a validation error. Errors of the shared
    transport (auth, a method not found) keep their codes in this shape [INFER]."""
    error: dict[str, Any] = {"code": str(exc.code), "message": exc.message}
    validation = getattr(exc, "validation", None)
    if validation:
        error["validation"] = validation
    return {"error": error}


# -- shapes ---------------------------------------------------------------------------------------------------------

def storage(s: Storage) -> dict[str, Any]:
    return {"ID": str(s.id), "NAME": s.name, "CODE": None, "MODULE_ID": "disk", "ENTITY_TYPE": s.entity_type,
            "ENTITY_ID": str(s.entity_id), "ROOT_OBJECT_ID": str(s.root_id)}


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def group(g: Group) -> dict[str, Any]:
    """A ``sonet_group.get`` row, in the docs' example's member order (ids and counts as strings)."""
    created = iso(g.created)
    return {"ID": str(g.id), "SITE_ID": "s1", "NAME": g.name, "DESCRIPTION": g.description, "DATE_CREATE": created,
            "DATE_UPDATE": created, "ACTIVE": "Y", "VISIBLE": _yn(g.visible), "OPENED": _yn(g.opened),
            "CLOSED": _yn(g.closed), "SUBJECT_ID": "1", "OWNER_ID": str(g.owner_id), "KEYWORDS": None,
            "NUMBER_OF_MEMBERS": str(len(g.members)), "DATE_ACTIVITY": created, "SUBJECT_NAME": "Workgroups",
            "PROJECT": _yn(g.project), "IS_EXTRANET": "N"}


def download_token(state: BitrixState, obj: DiskObject) -> str:
    payload = f"id={obj.id}&v={obj.version}"
    return f"disk|{payload}|{state.sign(payload)}"


def disk_object(state: BitrixState, obj: DiskObject, link, as_upload: bool = False) -> dict[str, Any]:
    """A Drive file or folder. ``disk.file.get`` and ``getchildren`` give every id as a string; the result of an
    upload gives ``ID``, ``FILE_ID``, ``GLOBAL_CONTENT_VERSION`` and ``DELETED_TYPE`` as ints."""
    def as_int(value: int | None) -> int | str | None:
        return value if value is None else int(value) if as_upload else str(value)

    body: dict[str, Any] = {
        "ID": as_int(obj.id), "NAME": obj.name, "CODE": None, "STORAGE_ID": str(obj.storage_id), "TYPE": obj.type,
        "PARENT_ID": str(obj.parent_id) if obj.parent_id else None, "DELETED_TYPE": as_int(obj.deleted_type),
    }
    if obj.blob is not None:
        body.update({"GLOBAL_CONTENT_VERSION": as_int(obj.version), "FILE_ID": as_int(obj.file_id),
                     "SIZE": str(obj.blob.size)})
    else:
        body["REAL_OBJECT_ID"] = str(obj.id)
    body.update({"CREATE_TIME": iso(obj.created), "UPDATE_TIME": iso(obj.updated),
                 "DELETE_TIME": iso(obj.delete_time) if obj.delete_time else None,
                 "CREATED_BY": str(obj.created_by), "UPDATED_BY": str(obj.updated_by),
                 "DELETED_BY": None if as_upload else str(obj.deleted_by)})
    if obj.type == "file":
        body["DOWNLOAD_URL"] = link("download", download_token(state, obj))
    owner = state.storage_of(obj).entity_id
    body["DETAIL_URL"] = f"{link.base}/company/personal/user/{owner}/disk/{obj.type}/{url_quote(obj.name)}"
    return body


def version_token(state: BitrixState, v: Version) -> str:
    payload = f"id={v.id}&service=version"
    return f"disk|{payload}|{state.sign(payload)}"


def version(state: BitrixState, obj: DiskObject, v: Version, link) -> dict[str, Any]:
    """``disk.file.getVersions``: the version's own id, the name and size it had, its bytes' link."""
    return {"ID": str(v.id), "OBJECT_ID": str(obj.id), "SIZE": str(v.blob.size), "NAME": v.name,
            "GLOBAL_CONTENT_VERSION": str(v.global_version), "CREATE_TIME": iso(v.created),
            "CREATED_BY": str(v.created_by), "DOWNLOAD_URL": link("download", version_token(state, v))}


def attached_object(state: BitrixState, a: Attachment, base: str) -> dict[str, Any]:
    """``DOWNLOAD_URL`` goes through ``uf.php`` with a signed ``auth``, which this server answers too."""
    obj = state.objects[a.object_id]
    assert obj.blob is not None                 # only files are attached
    module, entity, entity_id = ("forum", "forum_message", a.comment_id) if a.comment_id else \
        ("tasks", "tasks_task", a.task_id)
    return {"ID": str(a.id), "OBJECT_ID": str(a.object_id), "MODULE_ID": module, "ENTITY_TYPE": entity,
            "ENTITY_ID": str(entity_id), "CREATE_TIME": iso(a.created), "CREATED_BY": str(a.created_by),
            "DOWNLOAD_URL": f"{base}/bitrix/tools/disk/uf.php?attachedId={a.id}"
                            f"&auth[auth]={state.sign(f'attached={a.id}')}&action=download&ncc=1",
            "NAME": obj.name, "SIZE": str(obj.blob.size)}


TASK_FIELDS = ("ID", "PARENT_ID", "TITLE", "DESCRIPTION", "PRIORITY", "STATUS", "GROUP_ID", "CREATED_BY",
               "CREATED_DATE", "RESPONSIBLE_ID", "CHANGED_DATE", "ACCOMPLICES", "AUDITORS")
UF_FIELDS = ("UF_CRM_TASK", "UF_TASK_WEBDAV_FILES", "UF_MAIL_MESSAGE")


def _camel(field: str) -> str:
    head, *rest = field.lower().split("_")
    return head + "".join(part.title() for part in rest)


def task(state: BitrixState, t: Task, select: list[str] | None = None) -> dict[str, Any]:
    """camelCase, string values; the UF_ fields only when one of them is selected, and then all three."""
    values = {"ID": str(t.id), "PARENT_ID": None, "TITLE": t.title, "DESCRIPTION": t.description,
              "PRIORITY": str(t.priority), "STATUS": str(t.status), "GROUP_ID": str(t.group_id),
              "CREATED_BY": str(t.created_by), "CREATED_DATE": iso(t.created),
              "RESPONSIBLE_ID": str(t.responsible_id), "CHANGED_DATE": iso(t.changed or t.created),
              "ACCOMPLICES": [str(u) for u in t.accomplices], "AUDITORS": [str(u) for u in t.auditors]}
    wanted = [f.upper() for f in (select or [])] or ["*"]
    fields = TASK_FIELDS if "*" in wanted else [f for f in TASK_FIELDS if f in wanted or f == "ID"]
    body = {_camel(f): values[f] for f in fields}
    if any(f in wanted for f in UF_FIELDS):
        uf: dict[str, Any] = {"ufCrmTask": [], "ufTaskWebdavFiles": list(t.attachments) or False,
                              "ufMailMessage": None}
        body.update(uf)
    return body


def comment(state: BitrixState, c: Comment) -> dict[str, Any]:
    """``task.commentitem.get``: the comment, its files by attached-object id with relative ``uf.php`` links."""
    author = state.users.get(c.author_id)
    files: dict[str, Any] = {}
    for attachment_id in c.attachments:
        obj = state.objects[state.attachments[attachment_id].object_id]
        assert obj.blob is not None
        link = f"/bitrix/tools/disk/uf.php?attachedId={attachment_id}&auth%5Bauth%5D=" \
               f"{state.sign(f'attached={attachment_id}')}"
        files[str(attachment_id)] = {"ATTACHMENT_ID": str(attachment_id), "NAME": obj.name,
                                     "SIZE": str(obj.blob.size), "FILE_ID": str(obj.file_id),
                                     "DOWNLOAD_URL": f"{link}&action=download&ncc=1",
                                     "VIEW_URL": f"{link}&action=show&ncc=1"}
    body: dict[str, Any] = {"POST_MESSAGE_HTML": None, "ID": str(c.id), "AUTHOR_ID": str(c.author_id),
                            "AUTHOR_NAME": f"{author.name} {author.last_name}".strip() if author else "",
                            "AUTHOR_EMAIL": "", "POST_DATE": iso(c.posted), "POST_MESSAGE": c.message}
    if files:
        body["ATTACHED_OBJECTS"] = files
    return body
