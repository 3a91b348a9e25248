"""Toggl Focus's operation table, under ``/api/organizations/{organization_id}/workspaces/{workspace_id}``: each
operation is named by its ``operationId`` in the vendor's Swagger, which is also its response contract.

``meta``: ``owner`` (``task`` or ``project``: whose attachments), ``string_errors`` (the Swagger declares the
operation's error bodies as JSON strings), ``scoped`` (false: not under a workspace, ``/api/users/me/...``)."""

from __future__ import annotations

from typing import Any, Callable

from mockserver.toggl import handlers as h
from mockserver.vendor import Operation

P = "/api/organizations/{organization_id}/workspaces/{workspace_id}"


def _op(name: str, handler: Callable[..., Any], method: str, path: str, request: str | None = None,
        status: int = 200, **meta: Any) -> Operation:
    return Operation(name, handler, method, P + path, request=request, response=f"toggl/{name}", status=status,
                     meta={"string_errors": True, **meta})


def _find(name: str, handler: Callable[..., Any], path: str, scoped: bool = True) -> Operation:
    """A discovery route (its error bodies are ``response.Error``); an unscoped one is not under a workspace."""
    return Operation(name, handler, "GET", (P + path) if scoped else "/api" + path, response=f"toggl/{name}",
                     meta={"string_errors": False, "scoped": scoped})


OPERATIONS = [
    _op("get-workspace-attachment-storage", h.storage_usage, "GET", "/attachments/storage"),
    _op("create-task", h.create_task, "POST", "/tasks", "toggl/task.CreatePayload", 201, string_errors=False),
    _find("get-user-settings", h.user_settings, "/users/me/settings", scoped=False),
    _find("list-tasks", h.list_tasks, "/tasks"),
    _find("get-task-by-external-id", h.find_task_by_external_id, "/tasks/by-external-id"),
    _find("list-projects", h.list_projects, "/projects"),
    _op("get-task", h.get_task, "GET", "/tasks/{task_id}", string_errors=False),
    _op("delete-task", h.delete_task, "DELETE", "/tasks/{task_id}", status=204, string_errors=False),
]
for owner, collection in (("task", "tasks"), ("project", "projects")):
    base = f"/{collection}/{{{owner}_id}}/attachments"
    OPERATIONS += [
        _op(f"list-{owner}-attachments", h.list_attachments, "GET", base, owner=owner),
        _op(f"create-{owner}-attachment", h.create_attachment, "POST", base, "toggl/attachment.create.form", 201,
            owner=owner),
        _op(f"bulk-create-{owner}-attachments", h.bulk_create_attachments, "POST", base + "/bulk",
            "toggl/attachment.bulk.form", 201, owner=owner),
        _op(f"update-{owner}-attachment", h.update_attachment, "PUT", base + "/{attachment_id}",
            f"toggl/{owner}attachment.Payload", 204, owner=owner),
        _op(f"delete-{owner}-attachment", h.delete_attachment, "DELETE", base + "/{attachment_id}", status=204,
            owner=owner),
        _op(f"view-{owner}-attachment", h.view_attachment, "GET", base + "/{attachment_id}/view", owner=owner),
    ]
