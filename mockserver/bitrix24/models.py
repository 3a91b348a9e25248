"""Bitrix24 state: users, webhooks and OAuth tokens (with scopes), Drive storages, folders and files (bytes in
the blob store), the attached objects that link files to tasks, tasks, and the two rate limiters."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mockserver.bitrix24.limits import LeakyBucket, OperatingTime
from mockserver.blobs import Blob, BlobStore
from mockserver.options import Option, Switch
from mockserver.vendor import VendorContext

PAGE = 50
BUCKET_SIZE, BUCKET_DRAIN = 50, 2.0          # leaky bucket: X requests, drained Y per second
OPERATING_LIMIT = 480.0                       # seconds a method may spend in the 10-minute window

OPTIONS = [
    Option("rate_limits", False, "apply the leaky bucket (503 QUERY_LIMIT_EXCEEDED) and the operating-time limit "
                                 "(429 OPERATION_TIME_LIMIT)"),
    Option("bucket_size", BUCKET_SIZE, "requests the leaky bucket holds"),
    Option("bucket_drain", BUCKET_DRAIN, "requests the bucket drains per second"),
    Option("operating_limit", OPERATING_LIMIT, "seconds a method may spend in 10 minutes before 429"),
    Option("operating_cost", 0.0, "seconds counted per call on top of the real time spent"),
]


@functools.lru_cache(maxsize=4096)          # stored moments are formatted on every listing
def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="seconds")


@dataclass
class User:
    id: int
    name: str
    last_name: str
    email: str
    admin: bool = False


@dataclass
class Webhook:
    user_id: int
    code: str
    scopes: set[str]


@dataclass
class Token:
    token: str
    user_id: int
    scopes: set[str]
    expires_at: float


@dataclass
class DiskObject:
    id: int
    name: str
    type: str                     # "file" or "folder"
    storage_id: int
    parent_id: int | None
    created_by: int
    blob: Blob | None = None
    file_id: int | None = None    # the b_file id, distinct from the Drive object id
    version: int = 1
    created: float = field(default_factory=time.time)
    updated: float = 0.0          # 0: the creation time

    def __post_init__(self) -> None:
        self.updated = self.updated or self.created


@dataclass
class Storage:
    id: int
    name: str
    entity_type: str              # "user" or "common"
    entity_id: int
    root_id: int


@dataclass
class Attachment:
    id: int
    object_id: int
    task_id: int
    created_by: int
    created: float = field(default_factory=time.time)


@dataclass
class Task:
    id: int
    title: str
    created_by: int
    responsible_id: int
    description: str = ""
    priority: int = 1
    status: int = 2
    group_id: int = 0
    accomplices: list[int] = field(default_factory=list)
    auditors: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)      # attached-object ids
    created: float = field(default_factory=time.time)
    changed: float | None = None


class BitrixState:
    rate_limits = Switch(bool)
    bucket_size = Switch(int)
    bucket_drain = Switch(float)
    operating_limit = Switch(float)
    operating_cost = Switch(float)

    def __init__(self, context: VendorContext):
        fixture, fake = context.fixture, context.fake
        self.blobs: BlobStore = context.blobs
        self.clock = context.clock
        self.started = context.clock.time()          # when the portal's users registered, for user.current
        self.id_source = context.ids
        self.options = context.options                  # live: a test may switch them while the server runs
        self.signing_key = secrets.token_bytes(32)
        self.signatures: dict[str, str] = {}
        self.users: dict[int, User] = {}
        for u in fixture.get("users", []):
            first, _, last = (u.get("name") or fake.name()).partition(" ")
            self.users[u["id"]] = User(u["id"], first, last, u.get("email") or fake.email(f"{first} {last}"),
                                       u.get("admin", False))
        self.webhooks = [Webhook(w["user_id"], w["code"], set(w.get("scopes", ["task", "disk"])))
                         for w in fixture.get("webhooks", [])]
        self.tokens: dict[str, Token] = {}
        for t in fixture.get("tokens", []):
            self.tokens[t["token"]] = Token(t["token"], t["user_id"], set(t.get("scopes", ["task", "disk"])),
                                            self.clock.time() + t.get("expires_in", 3600))
        self.ids = {"object": fixture.get("first_object_id", 8000), "file": 32000, "attachment": 400,
                    "task": fixture.get("first_task_id", 3700), "storage": 10}
        self.storages: dict[int, Storage] = {}
        self.objects: dict[int, DiskObject] = {}
        self.folder_items: dict[int | None, dict[int, DiskObject]] = {}     # folder id -> its objects
        self.folder_names: dict[int | None, set[str]] = {}                  # folder id -> the names in it
        self.free_from: dict[tuple[int, str], int] = {}                     # where a unique name's search starts
        self.attachments: dict[int, Attachment] = {}
        self.tasks: dict[int, Task] = {}
        for user in self.users.values():
            self.add_storage(f"{user.name} {user.last_name}".strip(), "user", user.id)
        self.add_storage("Shared drive", "common", 0)
        for t in fixture.get("tasks", []):
            self.add_task(t.get("title") or fake.title(4), t["created_by"], t.get("responsible_id", t["created_by"]),
                          accomplices=list(t.get("accomplices", [])), auditors=list(t.get("auditors", [])))
        self.bucket = LeakyBucket()
        self.operating = OperatingTime()

    def next_id(self, kind: str) -> int:
        self.ids[kind] = self.id_source.take(kind, self.ids[kind] + 1)
        return self.ids[kind]

    # -- auth ---------------------------------------------------------------------------------------------------
    def webhook(self, user_id: int, code: str) -> Webhook | None:
        return next((w for w in self.webhooks
                     if w.user_id == user_id and hmac.compare_digest(w.code, code)), None)

    def sign(self, text: str) -> str:
        """The signature of a URL this server hands out; each text is signed once (listings sign every file)."""
        signature = self.signatures.get(text)
        if signature is None:
            signature = self.signatures[text] = hmac.new(self.signing_key, text.encode(),
                                                         hashlib.sha256).hexdigest()[:32]
        return signature

    # -- Drive ----------------------------------------------------------------------------------------------------
    def add_storage(self, name: str, entity_type: str, entity_id: int) -> Storage:
        storage_id = self.next_id("storage")
        root = DiskObject(self.next_id("object"), name, "folder", storage_id, None, entity_id,
                          created=self.clock.time())
        self._put(root)
        storage = Storage(storage_id, name, entity_type, entity_id, root.id)
        self.storages[storage.id] = storage
        return storage

    def storage_of(self, obj: DiskObject) -> Storage:
        return self.storages[obj.storage_id]

    def can_read(self, user: User, obj: DiskObject) -> bool:
        storage = self.storage_of(obj)
        return user.admin or storage.entity_type == "common" or storage.entity_id == user.id

    def can_add(self, user: User, folder: DiskObject) -> bool:
        return self.can_read(user, folder)

    def _put(self, obj: DiskObject) -> None:
        self.objects[obj.id] = obj
        self.folder_items.setdefault(obj.parent_id, {})[obj.id] = obj
        self.folder_names.setdefault(obj.parent_id, set()).add(obj.name)

    def name_taken(self, folder: DiskObject, name: str) -> bool:
        return name in self.folder_names.get(folder.id, ())

    def children(self, folder: DiskObject) -> list[DiskObject]:
        """A folder's files and folders by id (ids only grow, so insertion order is id order)."""
        return list(self.folder_items.get(folder.id, {}).values())

    def add_file(self, folder: DiskObject, name: str, blob: Blob, user: User) -> DiskObject:
        obj = DiskObject(self.next_id("object"), name, "file", folder.storage_id, folder.id, user.id, blob,
                         self.next_id("file"), created=self.clock.time())
        self._put(obj)
        return obj

    def add_folder(self, parent: DiskObject, name: str, user: User) -> DiskObject:
        obj = DiskObject(self.next_id("object"), name, "folder", parent.storage_id, parent.id, user.id,
                         created=self.clock.time())
        self._put(obj)
        return obj

    def unique_name(self, folder: DiskObject, name: str) -> str:
        """``name``, or the first free ``stem (N).ext``; the search starts where the last one for that name
        ended, back at 1 once a file of that folder is deleted."""
        taken = self.folder_names.get(folder.id, set())
        if name not in taken:
            return name
        stem, dot, ext = name.rpartition(".")
        stem, ext = (stem, "." + ext) if dot and stem else (name, "")
        n = self.free_from.get((folder.id, name), 1)
        while f"{stem} ({n}){ext}" in taken:
            n += 1
        self.free_from[(folder.id, name)] = n + 1
        return f"{stem} ({n}){ext}"

    def delete_object(self, obj: DiskObject) -> None:
        for attachment in [a for a in self.attachments.values() if a.object_id == obj.id]:
            self.detach(attachment)
        del self.objects[obj.id]
        del self.folder_items[obj.parent_id][obj.id]
        self.folder_names[obj.parent_id].discard(obj.name)
        self.free_from = {k: v for k, v in self.free_from.items() if k[0] != obj.parent_id}
        if obj.blob is not None:
            self.blobs.delete(obj.blob.key)

    # -- tasks ----------------------------------------------------------------------------------------------------
    def add_task(self, title: str, created_by: int, responsible_id: int, **fields: Any) -> Task:
        task = Task(self.next_id("task"), title, created_by, responsible_id, created=self.clock.time(), **fields)
        self.tasks[task.id] = task
        return task

    def delete_task(self, task: Task) -> None:
        for attachment_id in task.attachments:
            self.attachments.pop(attachment_id, None)
        del self.tasks[task.id]

    def can_see_task(self, user: User, task: Task) -> bool:
        return user.admin or user.id in (task.created_by, task.responsible_id, *task.accomplices, *task.auditors)

    def can_edit_task(self, user: User, task: Task) -> bool:
        return user.admin or user.id in (task.created_by, task.responsible_id, *task.accomplices)

    def attach(self, task: Task, obj: DiskObject, user: User) -> Attachment:
        attachment = Attachment(self.next_id("attachment"), obj.id, task.id, user.id, created=self.clock.time())
        self.attachments[attachment.id] = attachment
        task.attachments.append(attachment.id)
        return attachment

    def detach(self, attachment: Attachment) -> None:
        self.attachments.pop(attachment.id, None)
        task = self.tasks.get(attachment.task_id)
        if task and attachment.id in task.attachments:
            task.attachments.remove(attachment.id)

    # -- limits ---------------------------------------------------------------------------------------------------
    def take_from_bucket(self, client: str) -> bool:
        """One request into the client's leaky bucket; False when it would overflow."""
        return self.bucket.take(client, self.clock.monotonic(), self.bucket_size, self.bucket_drain)

    def operating_spent(self, auth: str, method: str) -> tuple[float, float]:
        """(seconds spent on this method in the window, when the oldest call drops out)."""
        return self.operating.spent((auth, method), self.clock.time())

    def record_operating(self, auth: str, method: str, seconds: float) -> None:
        self.operating.record((auth, method), self.clock.time(), seconds + self.operating_cost)

    # -- admin ----------------------------------------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        return {"webhooks": {f"{w.user_id}/{w.code}": sorted(w.scopes) for w in self.webhooks},
                "webhook": f"{self.webhooks[0].user_id}/{self.webhooks[0].code}" if self.webhooks else None,
                "tokens": sorted(self.tokens)}

    def snapshot(self) -> dict[str, Any]:
        return {
            "users": [vars(u) for u in self.users.values()],
            "storages": [vars(s) for s in self.storages.values()],
            "files": [{"ID": o.id, "NAME": o.name, "PARENT_ID": o.parent_id, "SIZE": o.blob.size,
                       "sha256": o.blob.sha256} for o in self.objects.values() if o.blob is not None],
            "tasks": [{"id": t.id, "title": t.title, "createdBy": t.created_by, "responsibleId": t.responsible_id,
                       "attachments": [{"ID": a, "OBJECT_ID": self.attachments[a].object_id} for a in t.attachments]}
                      for t in self.tasks.values()],
        }
