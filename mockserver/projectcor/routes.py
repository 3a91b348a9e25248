"""ProjectCOR's operation table: ``/v1/oauth/...``, ``/v1/me``, ``/v1/tasks/{task_id}/attachments``, and the
attachment bytes behind each record's ``url`` (``/projectcor-files/{attachment_id}/{filename}``).

``meta``: ``bearer`` (the operation needs an access token)."""

from __future__ import annotations

from mockserver.projectcor import handlers as h
from mockserver.vendor import Operation

BEARER = {"bearer": True}

OPERATIONS = [
    Operation("oauth.token", h.issue_token, "POST", "/v1/oauth/token", response="projectcor/token.result"),
    Operation("oauth.refreshtoken", h.refresh_token, "POST", "/v1/oauth/refreshtoken",
              response="projectcor/token.result"),
    Operation("me", h.me, "GET", "/v1/me", response="projectcor/me.result", meta=BEARER),
    Operation("attachments.upload", h.upload_attachments, "POST", "/v1/tasks/{task_id}/attachments",
              request="projectcor/attachments.upload.form", response="projectcor/attachments.upload.result",
              meta=BEARER),
    Operation("attachments.list", h.list_attachments, "GET", "/v1/tasks/{task_id}/attachments",
              response="projectcor/attachments.list.result", meta=BEARER),
    Operation("attachments.download", h.download, "GET", "/projectcor-files/{attachment_id}/{filename}"),
]
