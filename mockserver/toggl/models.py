"""Toggl Focus state: organizations with their plan and workspaces, users with API keys, projects, tasks, and
the attachments of tasks and projects (bytes in the blob store). Also the hourly request quota per user and
organization."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mockserver.blobs import Blob, BlobStore
from mockserver.options import Switch
from mockserver.vendor import VendorContext

QUOTA_PER_PLAN = {"free": 30, "starter": 240, "premium": 600, "enterprise": 5000}
DEFAULT_STORAGE_LIMIT = 1024 * 1024 * 1024


@functools.lru_cache(maxsize=4096)          # stored moments are formatted on every listing
def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Organization:
    id: int
    name: str
    plan: str
    workspaces: list[int]
    storage_limit_bytes: int = DEFAULT_STORAGE_LIMIT
    quota_limit: int | None = None

    @property
    def storage_enforced(self) -> bool:
        return self.plan == "free"


@dataclass
class User:
    id: int
    name: str
    email: str
    api_key: str
    workspaces: list[int]
    current_workspace_id: int | None = None

    def __post_init__(self):
        if self.current_workspace_id is None and self.workspaces:
            self.current_workspace_id = self.workspaces[0]


@dataclass
class Project:
    id: int
    workspace_id: int
    name: str


@dataclass
class Task:
    id: int
    workspace_id: int
    name: str
    toggl_user_id: int
    project_id: int | None = None
    description: str = ""
    notes: str = ""
    priority: str = "none"
    position: int = 0
    pinned: bool = False
    private: bool = False
    billable: bool = False
    start_date: str | None = None
    end_date: str | None = None
    status_id: int = 1
    external_id: str | None = None           # metadata.external_id: what by-external-id looks up
    assignee_user_ids: list[int] = field(default_factory=list)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime | None = None

    def __post_init__(self):
        self.updated_at = self.updated_at or self.created_at


@dataclass
class Attachment:
    id: int
    owner: str                 # "task" or "project"
    owner_id: int
    workspace_id: int
    name: str
    mime_type: str
    display_order: int
    blob: Blob
    created_at: datetime = field(default_factory=now)
    updated_at: datetime | None = None

    def __post_init__(self):
        self.updated_at = self.updated_at or self.created_at

    @property
    def size(self) -> int:
        return self.blob.size


class TogglState:
    quota_enforced = Switch(bool)
    error_body = Switch(str)
    unknown_task_list = Switch(str)

    def __init__(self, context: VendorContext):
        fixture, fake = context.fixture, context.fake
        self.blobs: BlobStore = context.blobs
        self.clock = context.clock
        self.ids = context.ids
        self.options = context.options                  # live: a test may switch them while the server runs
        self.organizations = {o["id"]: Organization(o["id"], o.get("name") or fake.title(2), o.get("plan", "premium"),
                                                    list(o.get("workspaces", [])),
                                                    o.get("storage_limit_bytes", DEFAULT_STORAGE_LIMIT),
                                                    o.get("quota_limit"))
                              for o in fixture.get("organizations", [])}
        self.users = {}
        for u in fixture.get("users", []):
            name = u.get("name") or fake.name()
            self.users[u["id"]] = User(u["id"], name, u.get("email") or fake.email(name), u["api_key"],
                                       list(u.get("workspaces", [])), u.get("current_workspace_id"))
        self.projects = {p["id"]: Project(p["id"], p["workspace_id"], p.get("name") or fake.title(2))
                         for p in fixture.get("projects", [])}
        owner = next(iter(self.users), 0)
        self.tasks = {t["id"]: Task(t["id"], t["workspace_id"], t.get("name") or fake.title(4),
                                    t.get("toggl_user_id", owner), t.get("project_id"),
                                    external_id=t.get("external_id"), created_at=self.clock.now())
                      for t in fixture.get("tasks", [])}
        self.attachments: dict[tuple[str, int], Attachment] = {}
        self.owned: dict[tuple[str, int], dict[int, Attachment]] = {}         # (owner, owner id) -> attachments
        self.used: dict[int, int] = {}                                         # workspace -> bytes stored
        self.next_ids = {"task": fixture.get("first_attachment_id", 1), "project": fixture.get("first_attachment_id", 1),
                         "tasks": max(self.tasks, default=0) + 1}
        self.quota: dict[tuple[int, int], list[float]] = {}      # (user, org) -> [window start, used]

    # -- auth and quota ---------------------------------------------------------------------------------------------
    def user_by_key(self, key: str) -> User | None:
        return next((u for u in self.users.values() if u.api_key == key), None)

    def organization_of(self, workspace_id: int) -> Organization | None:
        return next((o for o in self.organizations.values() if workspace_id in o.workspaces), None)

    def spend_quota(self, user: User, org: Organization) -> tuple[int, int, bool]:
        """One request against the hour's quota: (remaining, seconds to reset, allowed)."""
        limit = org.quota_limit or QUOTA_PER_PLAN.get(org.plan, QUOTA_PER_PLAN["premium"])
        moment = self.clock.time()
        window = self.quota.setdefault((user.id, org.id), [moment, 0])
        if moment - window[0] >= 3600:
            window[:] = [moment, 0]
        allowed = not self.quota_enforced or window[1] < limit
        if allowed:
            window[1] += 1
        resets_in = max(0, int(window[0] + 3600 - moment))
        return max(0, limit - int(window[1])), resets_in, allowed

    # -- attachments ----------------------------------------------------------------------------------------------
    def add_attachment(self, owner: str, owner_id: int, workspace_id: int, name: str, mime_type: str,
                       display_order: int, blob: Blob) -> Attachment:
        self.next_ids[owner] = self.ids.take(owner, self.next_ids[owner])
        attachment = Attachment(self.next_ids[owner], owner, owner_id, workspace_id, name, mime_type,
                                display_order, blob, created_at=self.clock.now())
        self.next_ids[owner] += 1
        self.attachments[(owner, attachment.id)] = attachment
        self.owned.setdefault((owner, owner_id), {})[attachment.id] = attachment
        self.used[workspace_id] = self.used.get(workspace_id, 0) + attachment.size
        return attachment

    def attachments_of(self, owner: str, owner_id: int) -> list[Attachment]:
        return list(self.owned.get((owner, owner_id), {}).values())

    def remove_attachment(self, attachment: Attachment) -> None:
        del self.attachments[(attachment.owner, attachment.id)]
        del self.owned[(attachment.owner, attachment.owner_id)][attachment.id]
        self.used[attachment.workspace_id] -= attachment.size
        self.blobs.delete(attachment.blob.key)

    def used_bytes(self, workspace_id: int) -> int:
        return self.used.get(workspace_id, 0)

    # -- tasks ----------------------------------------------------------------------------------------------------
    def add_task(self, workspace_id: int, name: str, user_id: int, **fields: Any) -> Task:
        self.next_ids["tasks"] = self.ids.take("tasks", self.next_ids["tasks"])
        task = Task(self.next_ids["tasks"], workspace_id, name, user_id, created_at=self.clock.now(), **fields)
        self.next_ids["tasks"] += 1
        self.tasks[task.id] = task
        return task

    def remove_task(self, task: Task) -> None:
        for attachment in self.attachments_of("task", task.id):
            self.remove_attachment(attachment)
        del self.tasks[task.id]

    # -- admin ----------------------------------------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        first = next(iter(self.users.values()), None)
        org = next(iter(self.organizations.values()), None)
        return {"api_key": first.api_key if first else None,
                "organization_id": org.id if org else None,
                "workspace_id": org.workspaces[0] if org and org.workspaces else None,
                "api_keys": {u.email: u.api_key for u in self.users.values()}}

    def snapshot(self) -> dict[str, Any]:
        return {
            "organizations": [{"id": o.id, "name": o.name, "plan": o.plan, "workspaces": o.workspaces}
                              for o in self.organizations.values()],
            "users": [{"id": u.id, "name": u.name, "email": u.email, "api_key": u.api_key,
                       "workspaces": u.workspaces} for u in self.users.values()],
            "projects": [{"id": p.id, "workspace_id": p.workspace_id, "name": p.name} for p in self.projects.values()],
            "tasks": [{"id": t.id, "workspace_id": t.workspace_id, "name": t.name} for t in self.tasks.values()],
            "attachments": [{"id": a.id, "owner": a.owner, "owner_id": a.owner_id, "name": a.name,
                             "size": a.size, "mime_type": a.mime_type, "sha256": a.blob.sha256}
                            for a in self.attachments.values()],
        }


STATE = TogglState
