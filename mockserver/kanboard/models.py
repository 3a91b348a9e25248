"""Kanboard's state: users, projects (with members and columns), tasks and task files.

Ids are allocated as SQLite allocates ``INTEGER PRIMARY KEY`` without AUTOINCREMENT: max(id) + 1, so the id
of a deleted top row is reused (seen on the real server). Task files keep their bytes in the blob store.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from mockserver.blobs import Blob, BlobStore
from mockserver.vendor import VendorContext

T = TypeVar("T")
APP_ADMIN, APP_MANAGER, APP_USER = "app-admin", "app-manager", "app-user"
PROJECT_MANAGER, PROJECT_MEMBER, PROJECT_VIEWER = "project-manager", "project-member", "project-viewer"
APP_ROLES = (APP_ADMIN, APP_MANAGER, APP_USER)
PROJECT_ROLES = (PROJECT_MANAGER, PROJECT_MEMBER, PROJECT_VIEWER)
DEFAULT_COLUMNS = ("Backlog", "Ready", "Work in progress", "Done")
DEFAULT_APP_TOKEN = "kanboard-app-token"
IMAGE_EXTENSIONS = ("jpeg", "jpg", "png", "gif")


@dataclass
class User:
    id: int
    username: str
    password: str
    name: str | None = ""
    email: str | None = ""
    role: str = APP_USER
    is_active: int = 1
    api_access_token: str | None = None
    is_admin: int = 0                # the legacy flag: 1 only for the admin Kanboard creates on install
    failed_logins: int = 0
    locked_until: float = 0.0

    @property
    def password_hash(self) -> str:
        """What ``password_hash`` stored: bcrypt's shape (``$2y$10$`` and 53 characters), derived from the
        password so it stays the same across calls; no client can check it, and none needs to."""
        digest = base64.b64encode(hashlib.sha256(f"{self.id}:{self.password}".encode()).digest() * 2).decode()
        return "$2y$10$" + digest.replace("+", ".")[:53]

    def row(self) -> dict[str, Any]:
        """The ``users`` row, in its column order (``getUser``, ``getUserByName``, ``getAllUsers``)."""
        return {"id": self.id, "username": self.username, "password": self.password_hash,
                "is_admin": self.is_admin, "is_ldap_user": 0, "name": self.name, "email": self.email,
                "google_id": None, "github_id": None, "notifications_enabled": 0, "timezone": None,
                "language": None, "disable_login_form": 0, "twofactor_activated": 0, "twofactor_secret": None,
                "token": "", "notifications_filter": 4, "nb_failed_login": self.failed_logins,
                "lock_expiration_date": int(self.locked_until), "is_project_admin": 0, "gitlab_id": None,
                "role": self.role, "is_active": self.is_active, "avatar_path": None,
                "api_access_token": self.api_access_token, "filter": None, "theme": "light"}

    def session(self) -> dict[str, Any]:
        """``UserSession::initialize`` (``getMe``): the row without password, is_admin and is_project_admin,
        the two flags as booleans."""
        row = self.row()
        for column in ("password", "is_admin", "is_project_admin"):
            del row[column]
        row["is_ldap_user"], row["twofactor_activated"] = False, False
        return row


@dataclass
class Project:
    id: int
    name: str
    description: str | None = None
    identifier: str = ""
    owner_id: int = 0
    is_active: int = 1
    last_modified: int = 0
    settings: dict[str, Any] = field(default_factory=dict)  # start/end dates, priorities, email, as given
    swimlane_id: int = 0                                    # its "Default swimlane"
    columns: list[dict[str, Any]] = field(default_factory=list)
    members: dict[int, str] = field(default_factory=dict)   # user id -> project role


@dataclass
class Task:
    id: int
    title: str
    project_id: int
    description: str = ""
    color_id: str = "yellow"
    column_id: int = 0
    swimlane_id: int = 0
    owner_id: int = 0
    creator_id: int = 0
    category_id: int = 0
    position: int = 1
    is_active: int = 1
    score: int = 0
    priority: int = 0
    date_due: int = 0
    date_started: int = 0
    time_spent: int | float | None = None
    time_estimated: int | float | None = None
    date_completed: int | None = None
    date_creation: int = 0
    date_modification: int = 0
    date_moved: int = 0
    reference: str = ""


@dataclass
class StoredFile:
    """A row of ``task_has_files`` (``owner_id`` a task) or of ``project_has_files`` (a project)."""
    id: int
    name: str            # may hold surrogate escapes: the 255-byte cut can split a UTF-8 character
    path: str
    is_image: bool
    owner_id: int
    date: int
    user_id: int
    size: int
    blob: Blob
    etag: str = field(init=False, default="")   # md5(path): Kanboard computes it on each read; the path never changes, so once here

    def __post_init__(self):
        self.etag = hashlib.md5(self.path.encode("ascii")).hexdigest()


@dataclass
class Comment:
    """A row of ``comments``, each value as SQLite stored what PDO bound (``user_id`` an INTEGER column, the
    others text)."""
    id: int
    task_id: int
    user_id: int | float | str | None
    date_creation: int
    date_modification: int
    comment: str
    reference: str | None
    visibility: str


class Rows(dict[int, T]):
    """A table by id. ``find`` takes an id as PHP and SQLite resolve it, where None finds no row."""

    def find(self, row_id: int | None) -> T | None:
        return None if row_id is None else self.get(row_id)


class FileTable(Rows["StoredFile"]):
    """Task or project files by id, indexed by owner, with SQLite's next id (max + 1) kept as they change: no
    cost grows with the files of other owners."""

    def __init__(self) -> None:
        super().__init__()
        self.by_owner: dict[int, dict[int, StoredFile]] = {}
        self.by_path: dict[str, dict[int, StoredFile]] = {}       # rows that share a stored object
        self.top = 0

    def add(self, f: StoredFile) -> None:
        self[f.id] = f
        self.by_owner.setdefault(f.owner_id, {})[f.id] = f
        self.by_path.setdefault(f.path, {})[f.id] = f
        self.top = max(self.top, f.id)

    def sharing(self, path: str) -> list[StoredFile]:
        """The rows whose path (and so stored object) is ``path``."""
        return list(self.by_path.get(path, {}).values())

    def drop(self, file_id: int) -> StoredFile | None:
        f = self.pop(file_id, None)
        if f is not None:
            owned = self.by_owner[f.owner_id]
            del owned[f.id]
            if not owned:
                del self.by_owner[f.owner_id]
            same = self.by_path[f.path]
            del same[f.id]
            if not same:
                del self.by_path[f.path]
            if f.id == self.top:                  # the top row gone: SQLite reuses its id
                self.top = max(self, default=0)
        return f

    def of(self, owner_id: int | None) -> list[StoredFile]:
        return list(self.by_owner.get(owner_id, {}).values()) if owner_id is not None else []


def next_id(table: dict[int, Any]) -> int:
    return max(table, default=0) + 1


def name_sort_key(f: StoredFile) -> tuple[bytes, int]:
    """SQLite ``COLLATE NOCASE``: ASCII upper case folded to lower, then byte order."""
    return f.name.encode("utf-8", "surrogateescape").lower(), f.id


def file_extension(name: str) -> str:
    """PHP ``pathinfo(name, PATHINFO_EXTENSION)``: after the last dot of the basename; '.gif' has 'gif'."""
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1] if "." in base else ""


def is_image_name(name: str) -> bool:
    return file_extension(name).lower() in IMAGE_EXTENSIONS


class KanboardState:
    def __init__(self, context: VendorContext):
        fixture, fake = context.fixture, context.fake
        self.blobs: BlobStore = context.blobs
        self.clock = context.clock
        self.ids = context.ids
        self.options = context.options
        self.app_token: str = fixture.get("app_token", DEFAULT_APP_TOKEN)
        self.auth_header: str = fixture.get("auth_header", "")       # API_AUTHENTICATION_HEADER
        # the application URL the links of records start with (Kanboard's application_url; the recorded server's)
        self.app_url: str = fixture.get("application_url", "http://localhost/")
        self.users: Rows[User] = Rows()
        self.projects: Rows[Project] = Rows()
        self.tasks: Rows[Task] = Rows()
        self.comments: Rows[Comment] = Rows()
        self.metadata: dict[int, dict[str, str | None]] = {}   # task id -> name -> value (task_has_metadata)
        self.files = FileTable()                            # task files
        self.project_files = FileTable()
        self.column_ids = 0
        self.swimlane_ids = 0
        for entry in fixture.get("users", []):
            name = entry["name"] if "name" in entry else fake.name()
            self.add_user(entry["username"], entry["password"], name,
                          entry["email"] if "email" in entry else fake.email(name or entry["username"]),
                          entry.get("role", APP_USER), api_access_token=entry.get("api_access_token"),
                          is_admin=int(entry.get("is_admin", False)))
        by_name = {u.username: u.id for u in self.users.values()}
        for entry in fixture.get("projects", []):
            project = self.add_project(entry.get("name") or fake.title(2), entry.get("description") or fake.text(),
                                       identifier=entry.get("identifier", ""))
            for username, role in entry.get("members", {}).items():
                if username not in by_name:
                    raise ValueError(f"fixtures: kanboard project {project.name!r}: no user {username!r}")
                project.members[by_name[username]] = role
            for task in entry.get("tasks", []):
                self.add_task(project.id, task.get("title") or fake.title(4), description=task.get("description", ""))

    # -- users and projects -------------------------------------------------------------------------------------
    def add_user(self, username: str, password: str, name: str | None = "", email: str | None = "",
                 role: str = APP_USER,
                 api_access_token: str | None = None, is_admin: int = 0) -> User:
        user = User(self.ids.take("user", next_id(self.users)), username, password, name, email, role,
                    api_access_token=api_access_token, is_admin=is_admin)
        self.users[user.id] = user
        return user

    def user_by_name(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def add_project(self, name: str, description: str | None = None, owner_id: int = 0,
                    identifier: str = "", **settings: Any) -> Project:
        now = int(self.clock.time())
        project = Project(self.ids.take("project", next_id(self.projects)), name, description, identifier.upper(),
                          owner_id, last_modified=now, settings=settings)
        self.swimlane_ids += 1
        project.swimlane_id = self.swimlane_ids
        for position, title in enumerate(DEFAULT_COLUMNS, 1):
            self.column_ids += 1
            project.columns.append({"id": self.column_ids, "title": title, "position": position})
        self.projects[project.id] = project
        return project

    def project_role(self, project_id: int | None, user_id: int) -> str:
        project = self.projects.find(project_id)
        return project.members.get(user_id, "") if project else ""

    def remove_project(self, project_id: int) -> bool:
        if project_id not in self.projects:
            return False
        for task_id in [t.id for t in self.tasks.values() if t.project_id == project_id]:
            self.remove_task(task_id)
        self.remove_all_files(self.project_files, project_id)
        del self.projects[project_id]
        return True

    # -- tasks ----------------------------------------------------------------------------------------------------
    def column_title(self, column_id: int) -> str | None:
        return next((c["title"] for p in self.projects.values() for c in p.columns if c["id"] == column_id), None)

    def every_column_id(self) -> set[int]:
        return {c["id"] for p in self.projects.values() for c in p.columns}

    def add_task(self, project_id: int, title: str, **fields: Any) -> Task:
        project = self.projects[project_id]
        now = int(self.clock.time())
        column_id = fields.pop("column_id", 0) or project.columns[0]["id"]
        fields["swimlane_id"] = swimlane_id = fields.get("swimlane_id") or project.swimlane_id
        # countByColumnAndSwimlaneId + 1: the open tasks of that column and swimlane
        position = 1 + sum(1 for t in self.tasks.values() if t.project_id == project_id and t.column_id == column_id
                           and t.swimlane_id == swimlane_id and t.is_active == 1)
        task = Task(self.ids.take("task", next_id(self.tasks)), title, project_id, column_id=column_id,
                    position=position,
                    date_creation=now, date_modification=now, date_moved=now, **fields)
        self.tasks[task.id] = task
        return task

    def set_task_open(self, task_id: int, is_open: bool) -> bool:
        """``TaskStatusModel::open``/``close``: true for a task that exists, whatever its status was; opening
        writes ``date_completed`` 0 (a task never closed keeps null)."""
        task = self.tasks.find(task_id)
        if task is None:
            return False
        now = int(self.clock.time())
        task.is_active, task.date_completed, task.date_modification = int(is_open), 0 if is_open else now, now
        return True

    def remove_task(self, task_id: int) -> bool:
        if task_id not in self.tasks:
            return False
        self.remove_all_files(self.files, task_id)
        for comment_id in [c.id for c in self.comments.values() if c.task_id == task_id]:
            del self.comments[comment_id]           # ON DELETE CASCADE, as the task's metadata below
        self.metadata.pop(task_id, None)
        del self.tasks[task_id]
        return True

    # -- task and project files -----------------------------------------------------------------------------------
    def add_file(self, table: FileTable, owner_id: int, filename: str, data: bytes,
                 user_id: int) -> StoredFile:
        """Path ``tasks/<id>/<sha1(filename + time)>`` (``projects/...`` for project files); the name cut at 255
        bytes. The object store is keyed by path: the same name for the same owner in the same second writes the
        same object, so every row with that path now reads the new bytes (seen on the recorded Kanboard)."""
        now = int(self.clock.time())
        digest = hashlib.sha1((filename + str(now)).encode("utf-8", "surrogateescape")).hexdigest()
        name = filename.encode("utf-8", "surrogateescape")[:255].decode("utf-8", "surrogateescape")
        folder = "tasks" if table is self.files else "projects"
        blob = self.blobs.put(data)
        f = StoredFile(self.ids.take(folder, table.top + 1), name, f"{folder}/{owner_id}/{digest}",
                       is_image_name(filename), owner_id,
                       now, user_id, blob.size, blob)
        sharing = table.sharing(f.path)
        if sharing:
            self.blobs.delete(sharing[0].blob.key)
            for other in sharing:
                other.blob = blob
        table.add(f)
        return f

    def files_of(self, table: FileTable, owner_id: int | None) -> list[StoredFile]:
        return sorted(table.of(owner_id), key=name_sort_key)

    def remove_file(self, table: FileTable, file_id: int) -> bool:
        f = table.drop(file_id)
        if f is None:
            return False
        if not table.sharing(f.path):
            self.blobs.delete(f.blob.key)           # the object goes with the last row that names its path
        return True

    def remove_all_files(self, table: FileTable, owner_id: int) -> bool:
        for f in sorted(table.of(owner_id), key=lambda f: f.id):
            self.remove_file(table, f.id)
        return True

    # -- admin and fixtures -----------------------------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        return {"token": self.app_token, "username": "jsonrpc",
                "users": {u.username: u.password for u in self.users.values()}}

    def snapshot(self) -> dict[str, Any]:
        def files(task_id):
            return [{"id": f.id, "name": f.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                     "size": f.size, "user_id": f.user_id, "sha256": f.blob.sha256}
                    for f in self.files_of(self.files, task_id)]
        return {
            "users": [{k: v for k, v in asdict(u).items() if k not in ("failed_logins", "locked_until")}
                      for u in self.users.values()],
            "projects": [{"id": p.id, "name": p.name, "identifier": p.identifier, "owner_id": p.owner_id,
                          "members": {str(k): v for k, v in p.members.items()},
                          "files": [{"id": f.id, "name": f.name, "size": f.size, "sha256": f.blob.sha256}
                                    for f in self.files_of(self.project_files, p.id)]}
                         for p in self.projects.values()],
            "tasks": [{"id": t.id, "title": t.title, "project_id": t.project_id, "files": files(t.id)}
                      for t in self.tasks.values()],
        }


STATE = KanboardState
