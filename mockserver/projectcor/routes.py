"""ProjectCOR routes: ``/v1/oauth/...``, ``/v1/me``, ``/v1/tasks/{task_id}/attachments``, and the attachment
bytes behind each record's ``url`` (``/projectcor-files/{attachment_id}/{filename}``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.contracts import Contracts
from mockserver.projectcor import errors, handlers, render


def _endpoint(contracts: Contracts, handler):
    async def endpoint(request: Request) -> Response:
        state = request.app.state.runtime.store["projectcor"]
        try:
            return await handler(handlers.Call(state, request, contracts))
        except errors.CorError as exc:
            return render.error(exc)
        except Exception:
            return render.error(errors.InternalServerError())
    return endpoint


def routes(contracts: Contracts) -> list[Route]:
    contracts.prepare(["projectcor/attachments.upload.form"])
    def route(path, handler, method):
        return Route(path, _endpoint(contracts, handler), methods=[method])

    return [
        route("/v1/oauth/token", handlers.issue_token, "POST"),
        route("/v1/oauth/refreshtoken", handlers.refresh_token, "POST"),
        route("/v1/me", handlers.me, "GET"),
        route("/v1/tasks/{task_id}/attachments", handlers.upload_attachments, "POST"),
        route("/v1/tasks/{task_id}/attachments", handlers.list_attachments, "GET"),
        route("/projectcor-files/{attachment_id}/{filename}", handlers.download, "GET"),
    ]
