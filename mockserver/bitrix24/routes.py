"""Bitrix24's operation table: the REST methods on ``/rest/...`` (each with its scope, params contract and
result contract; a ``Page`` result's contract is that of one item, ``name[]``), the three calls the transport
runs itself (``batch``, and the ``upload``/``download`` URLs that replies hand out), and the ``DOWNLOAD_URL`` of
an attached object, on a path of its own.

``meta``: ``scope`` (the REST scope a webhook or token needs, or a tuple: any of them; ``basic`` every one
has), ``transport`` (run by the transport, never from inside a ``batch``), ``v3`` (a REST 3.0 method: only on
``/rest/api/...``, JSON in and out, its own error shape)."""

from __future__ import annotations

from typing import Any, Callable

from mockserver.bitrix24 import batch as b
from mockserver.bitrix24 import handlers as h
from mockserver.vendor import Operation


def _method(name: str, handler: Callable[..., Any], scope: str | tuple[str, ...], response: str) -> Operation:
    return Operation(name, handler, request=f"bitrix24/{name.lower()}.params", response=f"bitrix24/{response}",
                     meta={"scope": scope})


OPERATIONS = [
    _method("user.current", h.user_current, ("user", "user_basic", "user_brief"), "user.current"),
    _method("profile", h.profile, "basic", "profile"),
    _method("disk.storage.getlist", h.storage_getlist, "disk", "storage[]"),
    _method("disk.storage.get", h.storage_get, "disk", "storage"),
    _method("disk.storage.getchildren", h.storage_getchildren, "disk", "file[]"),
    _method("disk.storage.uploadfile", h.storage_uploadfile, "disk", "uploadfile.result"),
    _method("disk.folder.getchildren", h.folder_getchildren, "disk", "file[]"),
    _method("disk.folder.addsubfolder", h.folder_addsubfolder, "disk", "file.uploaded"),
    _method("disk.folder.uploadfile", h.folder_uploadfile, "disk", "uploadfile.result"),
    _method("disk.folder.get", h.folder_get, "disk", "file"),
    _method("disk.folder.rename", h.folder_rename, "disk", "file"),
    _method("disk.folder.markdeleted", h.folder_markdeleted, "disk", "file"),
    _method("disk.folder.restore", h.folder_restore, "disk", "file"),
    _method("disk.folder.deletetree", h.folder_deletetree, "disk", "true"),
    _method("disk.folder.moveto", h.folder_moveto, "disk", "file"),
    _method("disk.folder.copyto", h.folder_copyto, "disk", "file"),
    _method("disk.file.get", h.file_get, "disk", "file"),
    _method("disk.file.rename", h.file_rename, "disk", "file"),
    _method("disk.file.moveto", h.file_moveto, "disk", "file"),
    _method("disk.file.copyto", h.file_copyto, "disk", "file"),
    _method("disk.file.markdeleted", h.file_markdeleted, "disk", "file"),
    _method("disk.file.restore", h.file_restore, "disk", "file"),
    _method("disk.file.uploadversion", h.file_uploadversion, "disk", "file"),
    _method("disk.file.getversions", h.file_getversions, "disk", "version[]"),
    _method("disk.file.restoreFromVersion", h.file_restorefromversion, "disk", "file"),
    _method("disk.file.getexternallink", h.file_getexternallink, "disk", "externallink"),
    _method("disk.storage.getforapp", h.storage_getforapp, "disk", "storage"),
    _method("disk.file.delete", h.file_delete, "disk", "file.delete.result"),
    _method("disk.attachedObject.get", h.attached_object_get, "disk", "attached_object"),
    _method("sonet_group.get", h.sonet_group_get, ("sonet_group", "socialnetwork"), "group[]"),
    _method("tasks.task.add", h.task_add, "task", "task"),
    _method("tasks.task.get", h.task_get, "task", "tasks.task.get.result"),
    _method("tasks.task.update", h.task_update, "task", "task"),
    _method("tasks.task.list", h.task_list, "task", "tasks.task.list.result"),
    _method("tasks.task.delete", h.task_delete, "task", "tasks.task.delete.result"),
    _method("tasks.task.start", h.task_start, "task", "task"),
    _method("tasks.task.pause", h.task_pause, "task", "task"),
    _method("tasks.task.defer", h.task_defer, "task", "task"),
    _method("tasks.task.complete", h.task_complete, "task", "task"),
    _method("tasks.task.renew", h.task_renew, "task", "task"),
    _method("tasks.task.files.attach", h.task_files_attach, "task", "attach.result"),
    _method("task.commentitem.add", h.commentitem_add, "task", "comment.id"),
    _method("task.commentitem.get", h.commentitem_get, "task", "comment"),
    _method("task.commentitem.getlist", h.commentitem_getlist, "task", "comment[]"),
    _method("task.commentitem.update", h.commentitem_update, "task", "true"),
    _method("task.commentitem.delete", h.commentitem_delete, "task", "true"),
    Operation("tasks.task.file.attach", h.task_file_attach_v3, response="bitrix24/result.true",
              meta={"scope": "task", "v3": True}),
    Operation("batch", b.batch, response="bitrix24/batch.result", meta={"transport": True}),
    Operation("upload", b.upload, response="bitrix24/file.uploaded", meta={"transport": True}),
    Operation("download", b.download, meta={"transport": True}),
    Operation("disk.attachedObject.download", h.attached_download, "GET", "/bitrix/tools/disk/uf.php"),
]
