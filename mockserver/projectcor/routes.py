"""ProjectCOR's operation table: ``/v1/oauth/...`` and ``/v1/oauth2/token``, the consent screen
(``/oauth2/authorize``), ``/v1/me``, ``/v1/tasks[/{task_id}]``, task messages, ``/v1/projects[/{project_id}]``, task
and project attachments, and the attachment
bytes behind each record's ``url`` (``/projectcor-files/{attachment_id}/{filename}``).

``meta``: ``bearer`` (the operation needs an access token)."""

from __future__ import annotations

from mockserver.projectcor import handlers as h
from mockserver.vendor import Operation

BEARER = {"bearer": True}

OPERATIONS = [
    Operation("oauth.token", h.issue_token, "POST", "/v1/oauth/token", response="projectcor/token.result"),
    Operation("oauth.refreshtoken", h.refresh_token, "POST", "/v1/oauth/refreshtoken",
              response="projectcor/token.result"),
    Operation("oauth2.token", h.exchange_code, "POST", "/v1/oauth2/token", response="projectcor/token.result"),
    Operation("oauth2.authorize", h.authorize, "GET", "/oauth2/authorize", status=302),
    Operation("auth.login", h.login, "POST", "/v1/auth/login", response="projectcor/token.result"),
    Operation("me", h.me, "GET", "/v1/me", response="projectcor/me.result", meta=BEARER),
    Operation("tasks.list", h.list_tasks, "GET", "/v1/tasks", response="projectcor/tasks.list.result", meta=BEARER),
    Operation("tasks.create", h.create_task, "POST", "/v1/tasks", response="projectcor/task", meta=BEARER),
    Operation("tasks.search", h.search_tasks, "GET", "/v1/tasks/search-by-title/{title}",
              response="projectcor/task[]", meta=BEARER),
    Operation("tasks.get", h.get_task, "GET", "/v1/tasks/{task_id}", response="projectcor/task", meta=BEARER),
    Operation("tasks.update", h.update_task, "PUT", "/v1/tasks/{task_id}", response="projectcor/task", meta=BEARER),
    Operation("tasks.delete", h.delete_task, "DELETE", "/v1/tasks/{task_id}", status=204, meta=BEARER),
    Operation("tasks.messages.list", h.list_messages, "GET", "/v1/tasks/{task_id}/messages",
              response="projectcor/message[]", meta=BEARER),
    Operation("tasks.messages.post", h.post_message, "POST", "/v1/tasks/{task_id}/messages",
              response="projectcor/message", meta=BEARER),
    Operation("projects.list", h.list_projects, "GET", "/v1/projects", response="projectcor/projects.list.result",
              meta=BEARER),
    Operation("projects.search", h.search_projects, "GET", "/v1/projects/search-by-name/{project_name}",
              response="projectcor/project[]", meta=BEARER),
    Operation("projects.get", h.get_project, "GET", "/v1/projects/{project_id}", response="projectcor/project",
              meta=BEARER),
    Operation("projects.attachments", h.project_attachments, "GET", "/v1/projects/{project_id}/attachments",
              response="projectcor/project.attachment[]", meta=BEARER),
    Operation("attachments.upload", h.upload_attachments, "POST", "/v1/tasks/{task_id}/attachments",
              request="projectcor/attachments.upload.form", response="projectcor/attachments.upload.result",
              meta=BEARER),
    Operation("attachments.list", h.list_attachments, "GET", "/v1/tasks/{task_id}/attachments",
              response="projectcor/attachments.list.result", meta=BEARER),
    Operation("attachments.delete", h.delete_attachments, "DELETE", "/v1/tasks/{task_id}/attachments",
              response="projectcor/attachments.delete.result", meta=BEARER),
    Operation("attachments.source", h.attach_from_source, "POST",
              "/v1/tasks/{task_id}/attachments/source/{source_type}", response="projectcor/attachment.source",
              meta=BEARER),
    Operation("attachments.download", h.download, "GET", "/projectcor-files/{attachment_id}/{filename}"),
]
