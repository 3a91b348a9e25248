"""ProjectCOR state: API clients (key and secret), issued tokens, users, tasks from the fixtures, and task
attachments with their versions (bytes in the blob store); plus the upload rules the fixtures set."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mockserver.blobs import Blob, BlobStore
from mockserver.options import Switch
from mockserver.tokens import remember
from mockserver.vendor import VendorContext

DEFAULT_RULES = {"max_file_size": 50 * 1024 * 1024, "denied_extensions": ["exe", "bat", "cmd", "com", "msi", "sh"]}


TASK_STATUSES = ("nueva", "en_proceso", "estancada", "finalizada")


@functools.lru_cache(maxsize=4096)          # stored moments are formatted on every listing
def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Client:
    api_key: str
    client_secret: str
    user_id: int


@dataclass
class Token:
    access_token: str
    refresh_token: str
    user_id: int
    expires_at: float


@dataclass
class User:
    id: int
    first_name: str
    last_name: str
    email: str
    role_id: int = 3
    password: str | None = None           # for POST /v1/auth/login


@dataclass
class Task:
    id: int
    title: str
    project_id: int | None = None
    description: str = ""
    status: str = "nueva"
    priority: int = 1
    deadline: str | None = None
    created_by: int | None = None
    archived: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    updated_at: datetime | None = None


@dataclass
class Project:
    """A project as ``GET /projects`` shows it: the fixture's fields, the rest the document's defaults."""
    id: int
    name: str
    created_at: datetime
    brief: str = ""
    client_id: int | None = None
    status: str = "active"                # the document's Project enum: active, finished, suspended
    archived: bool = False
    pm_id: int | None = None


@dataclass
class Message:
    """A task's message (``POST /tasks/{id}/messages``): its text and the files it refers to, the task's own
    attachments by id and external ones as the client described them."""
    id: int
    task_id: int
    user_id: int | None
    message: str
    created_at: datetime
    attachment_ids: list[int] = field(default_factory=list)
    external: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Attachment:
    id: int
    task_id: int
    user_id: int
    originalname: str
    filename: str
    mime_type: str
    blob: Blob | None                     # None: a file of an external source, known by its link alone
    created_at: datetime
    available: bool = True
    status: str | None = None
    token: str | None = None
    created_from: str = "task_panel"
    attachment_parent_id: int | None = None
    version: int = 1
    source: str = "S3"                    # or GoogleDrive, DropBox, OneDrive
    link: str | None = None               # an external file's URL or path
    declared_size: int = 0                # an external file's size, as the client gave it

    @property
    def size(self) -> int:
        return self.blob.size if self.blob else self.declared_size

    @property
    def extension(self) -> str:
        return self.originalname.rsplit(".", 1)[1].lower() if "." in self.originalname else ""


class CorState:
    task_create_status = Switch(int)
    unknown_filter = Switch(str)

    def __init__(self, context: VendorContext):
        fixture, fake = context.fixture, context.fake
        self.blobs: BlobStore = context.blobs
        self.ids = context.ids
        self.clock = context.clock                 # tests move it forward to expire tokens
        self.token_ttl: int = fixture.get("token_ttl", 3600)
        self.company_id: int = fixture.get("company_id", 1)
        self.rules = {**DEFAULT_RULES, **fixture.get("upload_rules", {})}
        self.signing_key = secrets.token_bytes(32)          # signs the JWT access tokens
        self.clients = [Client(c["api_key"], c["client_secret"], c["user_id"]) for c in fixture.get("clients", [])]
        self.users: dict[int, User] = {}
        for u in fixture.get("users", []):
            first, _, last = (u.get("name") or fake.name()).partition(" ")
            self.users[u["id"]] = User(u["id"], u.get("first_name", first), u.get("last_name", last),
                                       u.get("email") or fake.email(f"{first} {last}"), u.get("role_id", 3),
                                       u.get("password"))
        self.tasks = {t["id"]: Task(t["id"], t.get("title") or fake.title(4), t.get("project_id"),
                                    created_at=self.clock.now()) for t in fixture.get("tasks", [])}
        first_user = next(iter(self.users), None)
        self.projects: dict[int, Project] = {}
        for p in fixture.get("projects", []):
            self.projects[p["id"]] = Project(p["id"], p.get("name") or fake.title(2), self.clock.now(),
                                             p.get("brief", ""), p.get("client_id"), p.get("status", "active"),
                                             p.get("archived", False), p.get("pm_id", first_user))
        for task in self.tasks.values():
            if task.project_id is not None:
                self.add_project(task.project_id, fake.title(2))
        self.messages: dict[int, Message] = {}
        self.next_message_id = 1
        self.codes: dict[str, int] = {c["code"]: c["user_id"] for c in fixture.get("authorization_codes", [])}
        self.next_task_id = max(self.tasks, default=0) + 1
        self.options = context.options
        self.tokens: dict[str, Token] = {}
        self.attachments: dict[int, Attachment] = {}
        self.by_task: dict[int, dict[int, Attachment]] = {}                   # task -> its attachments by id
        self.chains: dict[int, int] = {}                                      # chain root -> highest version
        self.newest: dict[int, Attachment] = {}                               # chain root -> its newest version
        self.next_id = fixture.get("first_attachment_id", 1)

    def now(self) -> float:
        return self.clock.time()

    # -- tokens ---------------------------------------------------------------------------------------------------
    def client(self, api_key: str, secret: str) -> Client | None:
        return next((c for c in self.clients
                     if hmac.compare_digest(c.api_key, api_key) and hmac.compare_digest(c.client_secret, secret)),
                    None)

    def _jwt(self, user_id: int, issued: float) -> str:
        def part(obj: dict) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        head = part({"alg": "HS256", "typ": "JWT"})
        body = part({"uid": user_id, "company_id": self.company_id, "iat": int(issued),
                     "exp": int(issued) + self.token_ttl, "jti": secrets.token_hex(8)})
        signature = hmac.new(self.signing_key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"

    def issue(self, user_id: int) -> Token:
        issued = self.now()
        token = Token(self._jwt(user_id, issued), secrets.token_urlsafe(32), user_id, issued + self.token_ttl)
        remember(self.tokens, token.access_token, token)
        return token

    def refresh(self, refresh_token: str) -> Token | None:
        old = next((t for t in self.tokens.values() if t.refresh_token == refresh_token), None)
        if old is None:
            return None
        del self.tokens[old.access_token]          # the old pair is spent
        return self.issue(old.user_id)

    def redeem(self, code: str) -> Token | None:
        """An authorization code for a token pair, once (the consent screen issues codes; fixtures may too)."""
        user_id = self.codes.pop(code, None)
        return self.issue(user_id) if user_id is not None else None

    def grant_code(self, user_id: int) -> str:
        code = secrets.token_urlsafe(24)
        remember(self.codes, code, user_id)
        return code

    # -- tasks ----------------------------------------------------------------------------------------------------
    def add_task(self, title: str, project_id: int | None, **fields: Any) -> Task:
        self.next_task_id = self.ids.take("task", self.next_task_id)
        task = Task(self.next_task_id, title, project_id, created_at=self.clock.now(), **fields)
        self.next_task_id += 1
        self.tasks[task.id] = task
        if project_id is not None:
            self.add_project(project_id)
        return task

    def add_project(self, project_id: int, name: str | None = None) -> Project:
        """The project of that id; one a task names is made when it does not exist [INFER: the mock holds no
        project store of its own beyond the fixtures]."""
        if project_id not in self.projects:
            self.projects[project_id] = Project(project_id, name or f"Project {project_id}", self.clock.now(),
                                                pm_id=next(iter(self.users), None))
        return self.projects[project_id]

    def add_message(self, task: Task, user_id: int | None, text: str, attachment_ids: list[int],
                    external: list[dict[str, Any]]) -> Message:
        message = Message(self.ids.take("message", self.next_message_id), task.id, user_id, text,
                          self.clock.now(), attachment_ids, external)
        self.next_message_id = message.id + 1
        self.messages[message.id] = message
        return message

    def remove_task(self, task: Task) -> None:
        for attachment in self.task_attachments(task.id):
            self.attachments.pop(attachment.id, None)
            if attachment.blob:
                self.blobs.delete(attachment.blob.key)
            self.newest.pop(attachment.id, None)
            self.chains.pop(attachment.id, None)
        self.by_task.pop(task.id, None)
        for message in [m for m in self.messages.values() if m.task_id == task.id]:
            del self.messages[message.id]
        del self.tasks[task.id]

    # -- attachments ----------------------------------------------------------------------------------------------
    def task_attachments(self, task_id: int) -> list[Attachment]:
        return list(self.by_task.get(task_id, {}).values())          # ids only grow: insertion order is id order

    def add_attachment(self, **fields: Any) -> Attachment:
        attachment = Attachment(id=self.ids.take("attachment", self.next_id), created_at=self.clock.now(), **fields)
        self.next_id = attachment.id + 1
        self.attachments[attachment.id] = attachment
        self.by_task.setdefault(attachment.task_id, {})[attachment.id] = attachment
        root = attachment.attachment_parent_id or attachment.id
        self.chains[root] = max(self.chains.get(root, 0), attachment.version)
        if root not in self.newest or attachment.version >= self.newest[root].version:
            self.newest[root] = attachment
        return attachment

    def remove_attachment(self, attachment: Attachment) -> None:
        self.attachments.pop(attachment.id, None)
        self.by_task.get(attachment.task_id, {}).pop(attachment.id, None)
        if attachment.blob:
            self.blobs.delete(attachment.blob.key)
        root = attachment.attachment_parent_id or attachment.id
        if self.newest.get(root) is attachment:
            del self.newest[root]
            rest = [a for a in self.task_attachments(attachment.task_id)
                    if (a.attachment_parent_id or a.id) == root]
            if rest:
                self.newest[root] = max(rest, key=lambda a: a.version)

    def roots(self, task_id: int) -> list[Attachment]:
        """The task's attachments but the later versions of one (a list shows each chain once)."""
        return [a for a in self.task_attachments(task_id) if a.attachment_parent_id is None]

    def latest(self, root: Attachment) -> Attachment:
        """The newest version of ``root``'s chain (itself when it has none)."""
        return self.newest.get(root.id, root)

    def next_version(self, parent: Attachment) -> int:
        root = parent.attachment_parent_id or parent.id
        return self.chains[root] + 1

    # -- admin ----------------------------------------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        first = self.clients[0] if self.clients else None
        return {"api_key": first.api_key if first else None,
                "client_secret": first.client_secret if first else None,
                "task_ids": sorted(self.tasks),
                "users": [{"id": u.id, "email": u.email, "password": u.password} for u in self.users.values()
                          if u.password]}

    def snapshot(self) -> dict[str, Any]:
        return {
            "users": [vars(u) for u in self.users.values()],
            "tasks": [{"id": t.id, "title": t.title, "project_id": t.project_id,
                       "attachments": [{"id": a.id, "name": a.originalname, "size": a.size, "source": a.source,
                                        "version": a.version, "attachment_parent_id": a.attachment_parent_id,
                                        "sha256": a.blob.sha256 if a.blob else None}
                                       for a in self.task_attachments(t.id)]}
                      for t in self.tasks.values()],
            "tokens": len(self.tokens),
        }


STATE = CorState
