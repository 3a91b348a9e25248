"""Toggl Focus routes, under ``/api/organizations/{organization_id}/workspaces/{workspace_id}``."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.contracts import Contracts
from mockserver.toggl import errors, handlers, render

P = "/api/organizations/{organization_id}/workspaces/{workspace_id}"


def _endpoint(contracts: Contracts, handler, string_errors: bool):
    """Auth, quota and error rendering around one handler. ``string_errors``: the route's Swagger declares its
    error bodies as JSON strings."""

    async def endpoint(request: Request) -> Response:
        state = request.app.state.runtime.store["toggl"]
        as_string = string_errors and state.error_body == "swagger"
        headers: dict[str, str] = {}
        try:
            user, organization, workspace_id = handlers.authenticate(state, request)
            remaining, resets_in, allowed = state.spend_quota(user, organization)
            headers = render.quota_headers(remaining, resets_in)
            if not allowed:
                raise errors.QuotaExceeded()
            call = handlers.Call(state, user, organization, workspace_id, request, contracts)
            response = render.response(await handler(call), state.blobs)
        except errors.TogglError as exc:
            response = render.error(exc, as_string)
        except Exception:
            response = render.error(errors.InternalServerError(), as_string)
        response.headers.update(headers)
        return response

    return endpoint


REQUEST_CONTRACTS = ["toggl/attachment.create.form", "toggl/attachment.bulk.form", "toggl/taskattachment.Payload",
                     "toggl/projectattachment.Payload", "toggl/task.CreatePayload"]


def routes(contracts: Contracts) -> list[Route]:
    contracts.prepare(REQUEST_CONTRACTS)
    def route(path, handler, method, string_errors=True, **kwargs):
        return Route(P + path, _endpoint(contracts, partial(handler, **kwargs) if kwargs else handler,
                                         string_errors), methods=[method])

    table = [route("/attachments/storage", handlers.storage_usage, "GET"),
             route("/tasks", handlers.create_task, "POST", string_errors=False),
             route("/tasks/{task_id}", handlers.get_task, "GET", string_errors=False),
             route("/tasks/{task_id}", handlers.delete_task, "DELETE", string_errors=False)]
    for owner, collection in (("task", "tasks"), ("project", "projects")):
        base = f"/{collection}/{{{owner}_id}}/attachments"
        table += [
            route(base, handlers.list_attachments, "GET", owner=owner),
            route(base, handlers.create_attachment, "POST", owner=owner),
            route(base + "/bulk", handlers.bulk_create_attachments, "POST", owner=owner),
            route(base + "/{attachment_id}", handlers.update_attachment, "PUT", owner=owner),
            route(base + "/{attachment_id}", handlers.delete_attachment, "DELETE", owner=owner),
            route(base + "/{attachment_id}/view", handlers.view_attachment, "GET", owner=owner),
        ]
    return table
