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
from typing import Any, Iterator

from mockserver.bitrix24.limits import LeakyBucket, OperatingTime
from mockserver.blobs import Blob, BlobStore
from mockserver.options import Switch
from mockserver.vendor import VendorContext

PAGE = 50


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
class Version:
    """A stored version of a file (``disk.file.getVersions``): its own id, the name and bytes it had then."""
    id: int
    name: str
    blob: Blob
    global_version: int
    created: float
    created_by: int


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
    version: int = 1              # GLOBAL_CONTENT_VERSION: counts up with each new version
    created: float = field(default_factory=time.time)
    updated: float = 0.0          # 0: the creation time
    updated_by: int = 0           # 0: the creator
    deleted_type: int = 0         # 3: in the trash (markDeleted)
    deleted_by: int = 0
    delete_time: float | None = None
    versions: list[Version] = field(default_factory=list)     # every version, the current one last
    external_link: str | None = None

    def __post_init__(self) -> None:
        self.updated = self.updated or self.created
        self.updated_by = self.updated_by or self.created_by


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
    comment_id: int | None = None             # attached to a task's comment (UF_FORUM_MESSAGE_DOC), not the task


@dataclass
class Comment:
    id: int
    task_id: int
    author_id: int
    message: str
    posted: float
    attachments: list[int] = field(default_factory=list)      # attached-object ids


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


@dataclass
class Group:
    """A workgroup or project (``sonet_group.get``), from the fixtures, with a Drive storage of its own."""
    id: int
    name: str
    members: set[int]
    owner_id: int
    description: str | None = None
    visible: bool = True              # in everyone's lists; a hidden one only in its members'
    opened: bool = False
    closed: bool = False
    project: bool = False
    created: float = field(default_factory=time.time)


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
                    "task": fixture.get("first_task_id", 3700), "storage": 10, "version": 7000, "comment": 3100}
        self.storages: dict[int, Storage] = {}
        self.objects: dict[int, DiskObject] = {}
        self.folder_items: dict[int | None, dict[int, DiskObject]] = {}     # folder id -> its objects
        self.folder_names: dict[int | None, set[str]] = {}                  # folder id -> the names in it
        self.free_from: dict[tuple[int, str], int] = {}                     # where a unique name's search starts
        self.attachments: dict[int, Attachment] = {}
        self.tasks: dict[int, Task] = {}
        self.comments: dict[int, Comment] = {}
        for user in self.users.values():
            self.add_storage(f"{user.name} {user.last_name}".strip(), "user", user.id)
        self.add_storage("Shared drive", "common", 0)
        self.groups: dict[int, Group] = {}
        for g in fixture.get("groups", []):
            members = set(g.get("members", []))
            owner = g.get("owner", min(members, default=1))
            group = self.groups[g["id"]] = Group(
                g["id"], g.get("name") or fake.title(2), members | {owner}, owner, g.get("description"),
                g.get("visible", True), g.get("opened", False), g.get("closed", False), g.get("project", False),
                self.clock.time())
            self.add_storage(group.name, "group", group.id)
        for t in fixture.get("tasks", []):
            self.add_task(t.get("title") or fake.title(4), t["created_by"], t.get("responsible_id", t["created_by"]),
                          accomplices=list(t.get("accomplices", [])), auditors=list(t.get("auditors", [])),
                          group_id=t.get("group_id", 0))
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
        """Read: an admin; the shared drive; one's own storage; a workgroup's storage to its members."""
        storage = self.storage_of(obj)
        if storage.entity_type == "group":
            group = self.groups.get(storage.entity_id)
            return user.admin or (group is not None and user.id in group.members)
        return user.admin or storage.entity_type == "common" or storage.entity_id == user.id

    def can_add(self, user: User, folder: DiskObject) -> bool:
        return self.can_read(user, folder)

    def can_edit(self, user: User, obj: DiskObject) -> bool:
        """Edit (rename, move, new version, trash): the storage's owner, a workgroup's member, an admin; on the
        shared drive whoever may read [INFER: the portal's default rights]."""
        return self.can_read(user, obj)

    def alive(self, obj: DiskObject) -> bool:
        return obj.deleted_type == 0

    def _put(self, obj: DiskObject) -> None:
        self.objects[obj.id] = obj
        self.folder_items.setdefault(obj.parent_id, {})[obj.id] = obj
        self.folder_names.setdefault(obj.parent_id, set()).add(obj.name)

    def name_taken(self, folder: DiskObject, name: str) -> bool:
        return name in self.folder_names.get(folder.id, ())

    def children(self, folder: DiskObject) -> list[DiskObject]:
        """A folder's files and folders by id (ids only grow, so insertion order is id order); what is in the
        trash is not listed."""
        return [o for o in self.folder_items.get(folder.id, {}).values() if o.deleted_type == 0]

    def add_file(self, folder: DiskObject, name: str, blob: Blob, user: User) -> DiskObject:
        obj = DiskObject(self.next_id("object"), name, "file", folder.storage_id, folder.id, user.id, blob,
                         self.next_id("file"), created=self.clock.time())
        obj.versions.append(Version(self.next_id("version"), name, blob, 1, obj.created, user.id))
        self._put(obj)
        return obj

    def new_version(self, obj: DiskObject, blob: Blob, user: User) -> DiskObject:
        """A new version: the content version counts up, the earlier ones keep their bytes."""
        obj.version += 1
        obj.blob, obj.file_id = blob, self.next_id("file")
        obj.updated, obj.updated_by = self.clock.time(), user.id
        obj.versions.append(Version(self.next_id("version"), obj.name, blob, obj.version, obj.updated, user.id))
        return obj

    def version(self, version_id: int) -> tuple[DiskObject, Version] | None:
        for obj in self.objects.values():
            for v in obj.versions:
                if v.id == version_id:
                    return obj, v
        return None

    def rename(self, obj: DiskObject, name: str) -> None:
        names = self.folder_names.setdefault(obj.parent_id, set())
        names.discard(obj.name)
        obj.name = name
        names.add(name)

    def trash(self, obj: DiskObject, user: User) -> None:
        obj.deleted_type, obj.deleted_by, obj.delete_time = 3, user.id, self.clock.time()
        self.folder_names[obj.parent_id].discard(obj.name)

    def subtree(self, folder: DiskObject) -> list[DiskObject]:
        """Everything below ``folder``, in the trash or not, parents before their children."""
        found, stack = [], [folder]
        while stack:
            for child in self.folder_items.get(stack.pop().id, {}).values():
                found.append(child)
                if child.type == "folder":
                    stack.append(child)
        return found

    def trash_folder(self, folder: DiskObject, user: User) -> None:
        """The folder to the trash (3) and what it holds with it (4, "deleted along with the parent folder");
        what was in the trash before keeps its own mark."""
        self.trash(folder, user)
        for obj in self.subtree(folder):
            if obj.deleted_type == 0:
                obj.deleted_type, obj.deleted_by, obj.delete_time = 4, user.id, folder.delete_time

    def untrash_folder(self, folder: DiskObject) -> None:
        self.untrash(folder)
        for obj in self.subtree(folder):
            if obj.deleted_type == 4:
                obj.deleted_type, obj.deleted_by, obj.delete_time = 0, 0, None

    def move_folder(self, folder: DiskObject, target: DiskObject) -> None:
        """The folder into ``target`` with all it holds (another storage's folder takes them all along)."""
        self.move(folder, target)
        for obj in self.subtree(folder):
            obj.storage_id = target.storage_id

    def copy_tree(self, folder: DiskObject, target: DiskObject, user: User) -> DiskObject | None:
        """A copy of the folder in ``target``, and of what it holds (not what is in the trash): new files with a
        copy of the current bytes each; None when a file's bytes are gone."""
        def live(source: DiskObject) -> Iterator[DiskObject]:
            return iter([c for c in self.folder_items.get(source.id, {}).values() if c.deleted_type == 0])

        top = self.add_folder(target, folder.name, user)
        stack = [(live(folder), top)]            # depth first, as a recursion would go, without Python's stack
        while stack:
            children, copy = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
            elif child.type == "folder":
                stack.append((live(child), self.add_folder(copy, child.name, user)))
            else:
                assert child.blob is not None
                blob = self.blobs.copy(child.blob)
                if blob is None:
                    return None
                self.add_file(copy, child.name, blob, user)
        return top

    def delete_tree(self, folder: DiskObject) -> None:
        """The folder and all it holds, for good: files first, then folders from the deepest up."""
        for obj in reversed(self.subtree(folder)):
            self.delete_object(obj)
        self.delete_object(folder)
        self.folder_items.pop(folder.id, None)
        self.folder_names.pop(folder.id, None)

    def untrash(self, obj: DiskObject) -> None:
        folder = self.objects[obj.parent_id or 0]
        obj.name = self.unique_name(folder, obj.name)
        obj.deleted_type, obj.deleted_by, obj.delete_time = 0, 0, None
        self.folder_names.setdefault(obj.parent_id, set()).add(obj.name)

    def app_storage(self) -> Storage:
        found = next((s for s in self.storages.values() if s.entity_type == "restapp"), None)
        return found or self.add_storage("bitrix.restapi", "restapp", 1)

    def move(self, obj: DiskObject, folder: DiskObject) -> None:
        del self.folder_items[obj.parent_id][obj.id]
        self.folder_names[obj.parent_id].discard(obj.name)
        obj.parent_id, obj.storage_id = folder.id, folder.storage_id
        self._put(obj)

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
        for blob in {v.blob.key for v in obj.versions} | ({obj.blob.key} if obj.blob else set()):
            self.blobs.delete(blob)

    # -- tasks ----------------------------------------------------------------------------------------------------
    def add_task(self, title: str, created_by: int, responsible_id: int, **fields: Any) -> Task:
        task = Task(self.next_id("task"), title, created_by, responsible_id, created=self.clock.time(), **fields)
        self.tasks[task.id] = task
        return task

    def delete_task(self, task: Task) -> None:
        comments = [c for c in self.comments.values() if c.task_id == task.id]
        for attachment_id in [*task.attachments, *(a for c in comments for a in c.attachments)]:
            self.attachments.pop(attachment_id, None)
        for c in comments:
            del self.comments[c.id]
        del self.tasks[task.id]

    def fits_task(self, task: Task, obj: DiskObject) -> bool:
        """A workgroup's file goes to that workgroup's tasks only [INFER: the task's group and the storage's group
        must agree]."""
        storage = self.storage_of(obj)
        return storage.entity_type != "group" or storage.entity_id == task.group_id

    def can_see_task(self, user: User, task: Task) -> bool:
        return user.admin or user.id in (task.created_by, task.responsible_id, *task.accomplices, *task.auditors)

    def can_edit_task(self, user: User, task: Task) -> bool:
        return user.admin or user.id in (task.created_by, task.responsible_id, *task.accomplices)

    def attach(self, task: Task, obj: DiskObject, user: User, comment: Comment | None = None) -> Attachment:
        attachment = Attachment(self.next_id("attachment"), obj.id, task.id, user.id, created=self.clock.time(),
                                comment_id=comment.id if comment else None)
        self.attachments[attachment.id] = attachment
        (comment.attachments if comment else task.attachments).append(attachment.id)
        return attachment

    def detach(self, attachment: Attachment) -> None:
        self.attachments.pop(attachment.id, None)
        comment = self.comments.get(attachment.comment_id) if attachment.comment_id else None
        task = self.tasks.get(attachment.task_id)
        owner = comment.attachments if comment else task.attachments if task else []
        if attachment.id in owner:
            owner.remove(attachment.id)

    def add_comment(self, task: Task, author: User, message: str) -> Comment:
        comment = Comment(self.next_id("comment"), task.id, author.id, message, self.clock.time())
        self.comments[comment.id] = comment
        return comment

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


STATE = BitrixState
