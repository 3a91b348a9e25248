"""ONLYOFFICE state: the portal's users (GUIDs, logins, passwords, auth tokens), Documents folders and files
(bytes in the blob store, versions), projects (each with its Documents folder, participants and their Files
right), and tasks with the ids of the files attached to them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from mockserver.blobs import Blob, BlobStore, BlobWriter
from mockserver.options import Switch
from mockserver.tokens import remember
from mockserver.vendor import VendorContext

MAX_UPLOAD = 100 * 1024 * 1024
MAX_CHUNKED_UPLOAD = 1024 * 1024 * 1024        # files.uploader.max-chunked-size [INFER: the setting's value]
CHUNK_SIZE = 10 * 1024 * 1024                  # files.uploader.chunk-size
SESSION_LIFE = timedelta(hours=12)             # ChunkedUploadSessionHolder.SlidingExpiration
COMMON, BUNCH, TRASH, MY, PROJECTS = 1, 2, 3, 5, 8      # FolderType of a folder's root
MOVE, COPY, DELETE, DOWNLOAD = 0, 1, 2, 3       # FileOperationType
CLOSED_PROJECT = 1                              # ProjectStatus


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class User:
    id: str
    user_name: str
    email: str
    password: str
    display_name: str
    is_admin: bool = False


@dataclass
class Folder:
    """A root (``root_type`` its own), a project's folder, or a folder a user made inside one of them, which
    carries its root's ``root_type``, ``owner_id`` and ``project_id`` (the rights follow from them)."""
    id: int
    title: str
    root_type: int
    owner_id: str | None = None                # a user's "My documents" (and what is inside)
    project_id: int | None = None              # a project's folder (and what is inside)
    parent_id: int | None = None               # None: a root, or a project's folder (under the projects root)
    created_by: str | None = None              # a user's folder; None: the portal's own
    created: datetime | None = None


@dataclass
class Version:
    """One stored version of a file, its bytes kept for ``GET file/{id}/history`` and ``?version=N``."""
    version: int
    blob: Blob
    created: datetime
    created_by: str
    comment: str


@dataclass
class File:
    id: int
    folder_id: int
    title: str
    blob: Blob
    created_by: str
    version: int = 1
    created: datetime = field(default_factory=utcnow)
    updated: datetime | None = None
    updated_by: str | None = None
    comment: str = "Uploaded"
    history: list[Version] = field(default_factory=list)      # the earlier versions, oldest first

    def __post_init__(self):
        self.updated = self.updated or self.created
        self.updated_by = self.updated_by or self.created_by

    def at(self, version: int) -> Version | None:
        """That version (the current one included), or None."""
        if version == self.version:
            return Version(self.version, self.blob, self.updated or self.created, self.updated_by or
                           self.created_by, self.comment)
        return next((v for v in self.history if v.version == version), None)


@dataclass
class Operation:
    """A file operation of ``files/fileops``: it runs in the background and is polled until ``finished``."""
    id: str
    kind: int                                  # MOVE, COPY, DELETE or DOWNLOAD
    user_id: str
    file_ids: list[int]
    started: float
    folder_ids: list[int] = field(default_factory=list)     # a download's folders
    dest_folder_id: int | None = None
    conflict: int = 0                          # FileConflictResolveType: skip 0, overwrite 1, duplicate 2
    immediately: bool = False
    finished: bool = False
    error: str = ""
    processed: int = 0
    done: list[int] = field(default_factory=list)       # the files the operation acted on (a copy's new ones)
    done_folders: list[int] = field(default_factory=list)   # the folders it moved, made or merged into
    url: str | None = None                     # a finished download's archive, relative to the portal


@dataclass
class UploadSession:
    """A chunked upload: its bytes stream into a blob writer chunk by chunk."""
    id: str
    folder_id: int
    title: str
    total: int
    user_id: str
    writer: BlobWriter
    created: datetime
    expires: datetime
    uploaded: int = 0


@dataclass
class Project:
    id: int
    title: str
    description: str | None
    responsible_id: str
    folder_id: int
    is_private: bool = False
    status: int = 0
    participants: dict[str, bool] = field(default_factory=dict)    # user id -> has the Files right
    created: datetime = field(default_factory=utcnow)


@dataclass
class Task:
    id: int
    project_id: int
    title: str
    created_by: str
    description: str | None = None
    priority: int = 0
    status: int = 1
    deadline: datetime | None = None
    start_date: datetime | None = None
    responsibles: list[str] = field(default_factory=list)
    files: list[int] = field(default_factory=list)                  # attached file ids, in attach order
    created: datetime = field(default_factory=utcnow)
    updated: datetime | None = None
    updated_by: str | None = None


class OnlyofficeState:
    fileops_delay_ms = Switch(int)
    bulk_download_name = Switch(str)
    stream_url_minutes = Switch(int)

    def __init__(self, context: VendorContext):
        fixture, fake = context.fixture, context.fake
        self.blobs: BlobStore = context.blobs
        self.clock = context.clock
        self.id_source = context.ids
        self.max_upload: int = fixture.get("max_upload_bytes", MAX_UPLOAD)
        self.max_chunked_upload: int = fixture.get("max_chunked_upload_bytes", MAX_CHUNKED_UPLOAD)
        self.options = context.options
        self.operations: dict[str, Operation] = {}
        self.sessions: dict[str, UploadSession] = {}
        self.archives: dict[tuple[str, str], Blob] = {}          # (user id, archive name) -> its bytes
        self.alias = fixture.get("portal", "portal").split(".")[0].lower()
        self._stream_secret = secrets.token_bytes(16)
        self.users: dict[str, User] = {}
        for u in fixture.get("users", []):
            name = u.get("display_name") or fake.name()
            user = User(u.get("id") or str(uuid.UUID(int=len(self.users) + 1)), u["user_name"],
                        u.get("email") or fake.email(name), u["password"], name, u.get("admin", False))
            self.users[user.id] = user
        self.tokens: dict[str, tuple[str, datetime]] = {}                  # token -> (user id, expires)
        self.folders: dict[int, Folder] = {}
        self.children: dict[int, dict[int, Folder]] = {}       # parent id -> the folders users made in it
        self.files: dict[int, File] = {}
        self.projects: dict[int, Project] = {}
        self.tasks: dict[int, Task] = {}
        self.ids = {"folder": fixture.get("first_folder_id", 100), "file": fixture.get("first_file_id", 1000)}
        self.common = self.add_folder("Common Documents", COMMON)
        self.projects_root = self.add_folder("Projects Documents", PROJECTS)
        for user in self.users.values():
            self.add_folder("My Documents", MY, owner_id=user.id)
            self.add_folder("Trash", TRASH, owner_id=user.id)
        by_login = {u.user_name: u.id for u in self.users.values()}
        for p in fixture.get("projects", []):
            project = self.add_project(p.get("title") or fake.title(2), p.get("description"),
                                       by_login[p["responsible"]], p.get("private", False))
            if "id" in p:
                self.projects[p["id"]] = self.projects.pop(project.id)
                project.id = p["id"]
                self.folders[project.folder_id].project_id = project.id
            for login, files_right in p.get("participants", {}).items():
                project.participants[by_login[login]] = files_right
            for t in p.get("tasks", []):
                task = self.add_task(project.id, t.get("title") or fake.title(4), project.responsible_id)
                if "id" in t:
                    self.tasks[t["id"]] = self.tasks.pop(task.id)
                    task.id = t["id"]

    # -- ids and users --------------------------------------------------------------------------------------------
    def _next(self, kind: str) -> int:
        self.ids[kind] = self.id_source.take(kind, self.ids[kind] + 1)
        return self.ids[kind]

    def user_by_login(self, login: str) -> User | None:
        lowered = login.lower()
        return next((u for u in self.users.values()
                     if lowered in (u.user_name.lower(), u.email.lower(), u.id.lower())), None)

    def issue_token(self, user: User) -> tuple[str, datetime]:
        token = secrets.token_urlsafe(48)
        expires = self.clock.now() + timedelta(days=365)
        remember(self.tokens, token, (user.id, expires))
        return token, expires

    def user_by_token(self, token: str) -> User | None:
        found = self.tokens.get(token)
        if found is None or found[1] <= self.clock.now():
            return None
        return self.users.get(found[0])

    # -- folders and files ----------------------------------------------------------------------------------------
    def add_folder(self, title: str, root_type: int, owner_id: str | None = None,
                   project_id: int | None = None) -> Folder:
        folder = Folder(self._next("folder"), title, root_type, owner_id, project_id)
        self.folders[folder.id] = folder
        return folder

    def my_folder(self, user: User) -> Folder:
        return next(f for f in self.folders.values() if f.root_type == MY and f.owner_id == user.id)

    def trash(self, user: User) -> Folder:
        return next(f for f in self.folders.values() if f.root_type == TRASH and f.owner_id == user.id)

    def add_subfolder(self, parent: Folder, title: str, user: User) -> Folder:
        folder = Folder(self._next("folder"), title, parent.root_type, parent.owner_id, parent.project_id,
                        parent.id, user.id, self.clock.now())
        self.folders[folder.id] = folder
        self.children.setdefault(parent.id, {})[folder.id] = folder
        return folder

    def parent_of(self, folder: Folder) -> int:
        """A made folder's parent; a project folder's is the projects root; a root's is 0."""
        if folder.parent_id is not None:
            return folder.parent_id
        return self.projects_root.id if folder.project_id is not None else 0

    def path(self, folder: Folder) -> list[Folder]:
        """The folders from the root down to ``folder`` (the breadcrumbs)."""
        chain = [folder]
        while parent := self.folders.get(self.parent_of(chain[-1])):
            chain.append(parent)
        return chain[::-1]

    def file_counts(self) -> Counter[int]:
        """How many files each folder holds, in one pass."""
        return Counter(f.folder_id for f in self.files.values())

    def files_in(self, folder: Folder) -> list[File]:
        return [f for f in self.files.values() if f.folder_id == folder.id]

    def subfolders(self, folder: Folder) -> list[Folder]:
        if folder.root_type == PROJECTS and folder.project_id is None:
            return [self.folders[p.folder_id] for p in sorted(self.projects.values(), key=lambda p: p.id)]
        return list(self.children.get(folder.id, {}).values())

    def tree(self, folder: Folder, prefix: str = "") -> list[tuple[str, Folder]]:
        """``folder`` and every folder inside it, parents before their folders, each with its path below
        ``folder`` (``a/b/``), without recursion: a tree may be deeper than Python's stack."""
        found, todo = [], [(prefix, folder)]
        while todo:
            below, current = todo.pop()
            found.append((below, current))
            todo.extend((f"{below}{sub.title}/", sub) for sub in reversed(self.subfolders(current)))
        return found

    def rehome(self, folder: Folder, parent: Folder) -> None:
        """``folder`` goes into ``parent``, and it and all it holds take that root's type, owner and project."""
        if folder.parent_id is not None:
            self.children.get(folder.parent_id, {}).pop(folder.id, None)
        folder.parent_id = parent.id
        self.children.setdefault(parent.id, {})[folder.id] = folder
        for _, inner in self.tree(folder):
            inner.root_type, inner.owner_id, inner.project_id = parent.root_type, parent.owner_id, parent.project_id

    def remove_folder(self, folder: Folder) -> None:
        """``folder`` and all it holds, for good."""
        inside = self.tree(folder)
        doomed = {inner.id for _, inner in inside}
        for f in [f for f in self.files.values() if f.folder_id in doomed]:
            self.remove_file(f)
        for _, inner in inside:
            del self.folders[inner.id]
            self.children.pop(inner.id, None)
        if folder.parent_id is not None:
            self.children.get(folder.parent_id, {}).pop(folder.id, None)

    def add_file(self, folder: Folder, title: str, blob: Blob, user: User) -> File:
        f = File(self._next("file"), folder.id, title, blob, user.id, created=self.clock.now())
        self.files[f.id] = f
        return f

    def new_version(self, f: File, blob: Blob, user: User, comment: str = "Uploaded new version") -> File:
        """The current bytes become history (kept, with their own version number); ``blob`` is the new one."""
        f.history.append(Version(f.version, f.blob, f.updated or f.created, f.updated_by or f.created_by,
                                 f.comment))
        f.blob, f.version, f.updated, f.updated_by, f.comment = blob, f.version + 1, self.clock.now(), user.id, comment
        return f

    def remove_file(self, f: File) -> None:
        del self.files[f.id]
        for blob in {f.blob.key, *(v.blob.key for v in f.history)}:
            self.blobs.delete(blob)

    def keep_archive(self, user: User, name: str, blob: Blob) -> None:
        """A bulk download's archive, under the user's own name for it: the one it replaces is deleted."""
        old = self.archives.pop((user.id, name), None)
        if old is not None:
            self.blobs.delete(old.key)
        self.archives[(user.id, name)] = blob

    def stream_key(self, file_id: str, version: int, issued_ms: int | None = None) -> str:
        """``stream_auth`` of a stream URL (``EmailValidationKeyProvider.GetEmailKey(fileId + version)``): its
        time, then a keyed digest of it and of what it opens."""
        issued_ms = int(self.clock.time() * 1000) if issued_ms is None else issued_ms
        digest = hmac.new(self._stream_secret, f"{file_id}/{version}/{issued_ms}".encode(), hashlib.sha256)
        return f"{issued_ms}.{digest.hexdigest()[:32]}"

    def stream_key_valid(self, file_id: str, version: int, key: str) -> bool:
        issued, _, _ = key.partition(".")
        if not issued.isdigit() or not hmac.compare_digest(key, self.stream_key(file_id, version, int(issued))):
            return False
        return self.clock.time() * 1000 - int(issued) <= self.stream_url_minutes * 60_000

    # -- file operations ------------------------------------------------------------------------------------------
    def start_operation(self, user: User, kind: int, file_ids: list[int], **fields: Any) -> Operation:
        operation = Operation(str(uuid.uuid4()), kind, user.id, file_ids, self.clock.time(), **fields)
        self.operations[operation.id] = operation
        return operation

    def operations_of(self, user: User) -> list[Operation]:
        return [o for o in self.operations.values() if o.user_id == user.id]

    # -- projects and tasks ---------------------------------------------------------------------------------------
    def add_project(self, title: str, description: str | None, responsible_id: str, private: bool) -> Project:
        folder = self.add_folder(title, BUNCH)
        project = Project(self.id_source.take("project", max(self.projects, default=0) + 1), title, description,
                          responsible_id, folder.id, private, created=self.clock.now())
        project.participants[responsible_id] = True
        folder.project_id = project.id
        self.projects[project.id] = project
        return project

    def add_task(self, project_id: int, title: str, created_by: str, **fields: Any) -> Task:
        task = Task(self.id_source.take("task", max(self.tasks, default=0) + 1), project_id, title, created_by,
                    created=self.clock.now(), **fields)
        self.tasks[task.id] = task
        return task

    def can_read(self, user: User, project: Project) -> bool:
        return user.is_admin or not project.is_private or user.id in project.participants

    def can_update_task(self, user: User, task: Task) -> bool:
        """``ProjectSecurity.CanUpdateEntity(Task)``: never in a closed project; a project manager (an admin, the
        responsible); a team member who created it, is responsible for it, or finds it with no responsible."""
        project = self.projects[task.project_id]
        if project.status == CLOSED_PROJECT:
            return False
        if user.is_admin or project.responsible_id == user.id:
            return True
        return user.id in project.participants and (task.created_by == user.id or not task.responsibles
                                                    or user.id in task.responsibles)

    def can_read_files(self, user: User, project: Project) -> bool:
        """``ProjectSecurity.GetTeamSecurity(project, user, Files)``: a manager (a portal admin, the project's
        responsible) and, in an open project, anyone; in a private one, a participant whose Files right is not
        taken away (the product restricts a member's rights in private projects alone)."""
        return (user.is_admin or project.responsible_id == user.id or not project.is_private
                or project.participants.get(user.id, False))

    def can_read_file(self, user: User, f: File) -> bool:
        """``FileSecurity.CanRead``: My documents to their owner alone, Common documents to everyone, a project
        folder's files as the project's Files right says."""
        folder = self.folders[f.folder_id]
        if folder.root_type in (MY, TRASH):
            return folder.owner_id == user.id
        if folder.root_type == COMMON:
            return True
        project = self.projects.get(folder.project_id) if folder.project_id is not None else None
        return project is not None and self.can_read_files(user, project)

    def can_read_folder(self, user: User, folder: Folder) -> bool:
        """As its files: a project's folders by the Files right, My documents and Trash to their owner."""
        if folder.root_type in (MY, TRASH):
            return folder.owner_id == user.id
        if folder.root_type == COMMON or folder.project_id is None:
            return True
        project = self.projects.get(folder.project_id)
        return project is not None and self.can_read_files(user, project)

    def can_edit_folder(self, user: User, folder: Folder) -> bool:
        """Renaming, moving and deleting a folder a user made: where one may create, or one's own [INFER: as
        files]; the portal's own folders (roots, a project's folder) never."""
        if folder.created_by is None:
            return False
        parent = self.folders.get(self.parent_of(folder))
        return (parent is not None and self.can_create_in(user, parent)) or (
            folder.created_by == user.id and self.can_read_folder(user, folder))

    def can_edit_file(self, user: User, f: File) -> bool:
        """Renaming, new versions, moving and deleting: where the caller may create [INFER: the provider's
        CanEdit/CanDelete were not read], and a file of one's own always."""
        return self.can_create_in(user, self.folders[f.folder_id]) or (
            f.created_by == user.id and self.can_read_file(user, f))

    def can_create_in(self, user: User, folder: Folder) -> bool:
        """Creating in a project folder takes the project's team with its Files right [INFER: the
        provider's CanCreate was not read; reading is ``can_read_files``]."""
        if folder.root_type in (MY, TRASH):
            return folder.owner_id == user.id
        if folder.root_type == COMMON:
            return user.is_admin
        project = self.projects.get(folder.project_id) if folder.project_id is not None else None
        return project is not None and (user.is_admin or project.participants.get(user.id, False))

    # -- admin ----------------------------------------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        return {"users": {u.user_name: u.password for u in self.users.values()},
                "emails": {u.user_name: u.email for u in self.users.values()}}

    def snapshot(self) -> dict[str, Any]:
        return {
            "users": [{"id": u.id, "userName": u.user_name, "email": u.email, "displayName": u.display_name,
                       "isAdmin": u.is_admin} for u in self.users.values()],
            "projects": [{"id": p.id, "title": p.title, "projectFolder": p.folder_id, "isPrivate": p.is_private,
                          "participants": p.participants} for p in self.projects.values()],
            "tasks": [{"id": t.id, "projectId": t.project_id, "title": t.title, "files": t.files}
                      for t in self.tasks.values()],
            "folders": [{"id": x.id, "parentId": x.parent_id, "title": x.title, "createdBy": x.created_by}
                        for x in self.folders.values() if x.created_by is not None],
            "files": [{"id": f.id, "folderId": f.folder_id, "title": f.title, "version": f.version,
                       "size": f.blob.size, "sha256": f.blob.sha256} for f in self.files.values()],
        }


STATE = OnlyofficeState
