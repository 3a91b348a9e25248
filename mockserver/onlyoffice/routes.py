"""ONLYOFFICE's operation table: the API routes under ``/api/2.0/``, each also answering with a ``.json``,
``.xml`` or ``.tml`` suffix, and the Documents download handler.

``meta``: ``anonymous`` (no authentication), ``optional_auth`` (the handler decides what a caller without
credentials gets), ``reads_body`` (False: the handler streams the body itself),
``bare_errors`` (not the API: FileHandler.ashx answers a missing file 404 and a forbidden one 403, with no
body), ``raw`` (not the API either: the chunked uploader writes its own ``{"success","data","message"}``)."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

from mockserver.onlyoffice import handlers as h
from mockserver.vendor import Operation


class _Text(Convertor[str]):
    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class SuffixConvertor(_Text):
    regex = r"(?:\.(?:json|xml|tml))?"


class FolderConvertor(_Text):
    regex = r"(?:@my|@common|[0-9]+)"


class EntryIdConvertor(_Text):
    """Any id of an entry, short of a ``.json``/``.xml`` suffix (the handler answers what is no folder)."""
    regex = r"[^/.]+"


class ReadFolderConvertor(_Text):
    regex = r"(?:@my|@common|@projects|@trash|[0-9]+)"


register_url_convertor("apisuffix", SuffixConvertor())
register_url_convertor("readfolder", ReadFolderConvertor())
register_url_convertor("entryid", EntryIdConvertor())
class TaskStatusConvertor(_Text):
    regex = r"(?:notaccept|open|closed|disable|unclassified|notinmilestone)"


register_url_convertor("folderref", FolderConvertor())
register_url_convertor("taskstatus", TaskStatusConvertor())
A = "/api/2.0"
S = "{suffix:apisuffix}"
TASK = A + "/project/task/{task_id:int}"
ENTITY = A + "/project/{entity_id:int}"
FILE = A + "/files/file/{file_id:int}"
FOLDER = A + "/files/folder/{folder_id:entryid}"

OPERATIONS = [
    Operation("authentication", h.authentication, "POST", A + "/authentication" + S,
              request="onlyoffice/authentication.params", response="onlyoffice/authentication", status=201,
              meta={"anonymous": True}),
    Operation("files.upload", h.upload, "POST", A + "/files/{folder:folderref}/upload" + S,
              response="onlyoffice/upload.result", status=201, meta={"reads_body": False}),
    Operation("files.file.get", h.get_file, "GET", FILE + S, response="onlyoffice/file"),
    Operation("files.file.update", h.update_file, "PUT", FILE + S, request="onlyoffice/files.file.update.params",
              response="onlyoffice/file"),
    Operation("files.file.delete", h.delete_file, "DELETE", FILE + S, request="onlyoffice/files.file.delete.params",
              response="onlyoffice/operation[]"),
    Operation("files.file.history", h.file_history, "GET", FILE + "/history" + S, response="onlyoffice/file[]"),
    Operation("files.fileops", h.fileops, "GET", A + "/files/fileops" + S, response="onlyoffice/operation[]"),
    Operation("files.fileops.move", h.move, "PUT", A + "/files/fileops/move" + S,
              request="onlyoffice/files.fileops.move.params", response="onlyoffice/operation[]"),
    Operation("files.fileops.copy", h.copy, "PUT", A + "/files/fileops/copy" + S,
              request="onlyoffice/files.fileops.move.params", response="onlyoffice/operation[]"),
    Operation("files.fileops.delete", h.delete_items, "PUT", A + "/files/fileops/delete" + S,
              request="onlyoffice/files.fileops.delete.params", response="onlyoffice/operation[]"),
    Operation("files.fileops.bulkdownload", h.bulk_download, "PUT", A + "/files/fileops/bulkdownload" + S,
              request="onlyoffice/files.fileops.bulkdownload.params", response="onlyoffice/operation[]"),
    Operation("files.file.presigneduri", h.presigned_uri, "GET", FILE + "/presigneduri" + S,
              request="onlyoffice/files.file.presigneduri.params", response="onlyoffice/presigneduri"),
    Operation("files.fileops.terminate", h.terminate, "PUT", A + "/files/fileops/terminate" + S,
              response="onlyoffice/operation[]"),
    Operation("files.folder", h.folder_content, "GET", A + "/files/{folder:readfolder}" + S,
              response="onlyoffice/folder.content"),
    Operation("files.folder.create", h.create_folder, "POST", FOLDER + S, request="onlyoffice/files.folder.params",
              response="onlyoffice/folder", status=201),
    Operation("files.folder.get", h.get_folder, "GET", FOLDER + S, response="onlyoffice/folder"),
    Operation("files.folder.path", h.folder_path, "GET", FOLDER + "/path" + S, response="onlyoffice/folder[]"),
    Operation("files.folder.rename", h.rename_folder, "PUT", FOLDER + S, request="onlyoffice/files.folder.params",
              response="onlyoffice/folder"),
    Operation("files.folder.delete", h.delete_folder, "DELETE", FOLDER + S,
              request="onlyoffice/files.file.delete.params", response="onlyoffice/operation[]"),
    Operation("files.upload.session", h.create_session, "POST",
              A + "/files/{folder:folderref}/upload/create_session" + S,
              request="onlyoffice/files.upload.session.params",
              response="onlyoffice/upload.session"),
    Operation("files.upload.chunk", h.upload_chunk, "POST", "/ChunkedUploader.ashx",
              response="onlyoffice/upload.chunk", meta={"anonymous": True, "reads_body": False, "raw": True}),
    Operation("people.self", h.people_self, "GET", A + "/people/@self" + S, response="onlyoffice/employee.full"),
    Operation("task.files.attach", h.attach, "POST", TASK + "/files" + S,
              request="onlyoffice/task.files.attach.params", response="onlyoffice/task", status=201),
    Operation("task.files.list", h.list_files, "GET", TASK + "/files" + S, response="onlyoffice/file[]"),
    Operation("task.files.detach", h.detach, "DELETE", TASK + "/files" + S,
              request="onlyoffice/task.files.detach.params", response="onlyoffice/task"),
    Operation("task.filesmany.detach", h.detach_many, "DELETE", TASK + "/filesmany" + S,
              request="onlyoffice/task.files.attach.params", response="onlyoffice/task"),
    Operation("task.get", h.get_task, "GET", TASK + S, response="onlyoffice/task.full"),
    Operation("task.delete", h.delete_task, "DELETE", TASK + S, response="onlyoffice/task"),
    Operation("task.update", h.update_task, "PUT", TASK + S, request="onlyoffice/task.update.params",
              response="onlyoffice/task.full"),
    Operation("task.status", h.update_task_status, "PUT", TASK + "/status" + S,
              request="onlyoffice/task.status.params", response="onlyoffice/task.full"),
    Operation("task.status.many", h.update_tasks_status, "PUT", A + "/project/task/status" + S,
              request="onlyoffice/task.status.params", response="onlyoffice/task.full[]"),
    Operation("task.self", h.my_tasks, "GET", A + "/project/task/@self" + S, response="onlyoffice/task[]"),
    Operation("task.self.status", h.my_tasks, "GET", A + "/project/task/@self/{status:taskstatus}" + S,
              response="onlyoffice/task[]"),
    Operation("task.filter", h.filter_tasks, "GET", A + "/project/task/filter" + S, response="onlyoffice/task[]"),
    Operation("project.task.create", h.create_task, "POST", A + "/project/{project_id:int}/task" + S,
              request="onlyoffice/task.create.params", response="onlyoffice/task", status=201),
    Operation("project.get", h.get_project, "GET", A + "/project/{project_id:int}" + S,
              response="onlyoffice/project"),
    Operation("project.list", h.projects_all, "GET", A + "/project" + S, response="onlyoffice/project.brief[]"),
    Operation("project.self", h.projects_self, "GET", A + "/project/@self" + S,
              response="onlyoffice/project.brief[]"),
    Operation("project.filter", h.projects_filter, "GET", A + "/project/filter" + S,
              response="onlyoffice/project[]"),
    Operation("project.task.list", h.project_tasks, "GET", A + "/project/{project_id:int}/task" + S,
              response="onlyoffice/task[]"),
    Operation("project.team", h.project_team, "GET", A + "/project/{project_id:int}/team" + S,
              response="onlyoffice/participant[]"),
    Operation("project.files", h.project_files, "GET", A + "/project/{project_id:int}/files" + S,
              response="onlyoffice/folder.content"),
    Operation("entityfiles.list", h.entity_files, "GET", ENTITY + "/entityfiles" + S,
              request="onlyoffice/entityfiles.params", response="onlyoffice/file[]"),
    Operation("entityfiles.attach", h.entity_files_attach, "POST", ENTITY + "/entityfiles" + S,
              request="onlyoffice/entityfiles.params", response="onlyoffice/file[]", status=201),
    Operation("entityfiles.detach", h.entity_files_detach, "DELETE", ENTITY + "/entityfiles" + S,
              request="onlyoffice/entityfiles.params", response="onlyoffice/file"),
    Operation("entityfilesmany.detach", h.entity_files_detach_many, "DELETE", ENTITY + "/entityfilesmany" + S,
              request="onlyoffice/entityfiles.params", response="onlyoffice/file[]"),
    Operation("entityfiles.upload", h.entity_files_upload, "POST", ENTITY + "/entityfiles/upload" + S,
              response="onlyoffice/upload.result", status=201, meta={"reads_body": False}),
    Operation("project.create", h.create_project, "POST", A + "/project" + S,
              request="onlyoffice/project.create.params", response="onlyoffice/project", status=201),
    Operation("files.download", h.file_handler, "GET", h.FILE_HANDLER, meta={"bare_errors": True,
                                                                            "optional_auth": True}),
]
