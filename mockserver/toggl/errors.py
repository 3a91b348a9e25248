"""Toggl Focus errors, one class per answer, each with its HTTP status, ``error`` code and text.

The attachment routes' Swagger declares their error bodies as a JSON string (``"Task does not exist"``); the
task routes declare ``response.Error`` (``{"error", "error_description", "trace_id"}``). ``render.error``
writes whichever the route declares, or the object everywhere when the ``error_body`` switch says ``object``.
401, 402 and 403 are declared nowhere in that Swagger (its copy lost the security sections): they are always
``response.Error``, the shape seen live on this service.
"""

from __future__ import annotations


class TogglError(Exception):
    status = 500
    error = "internal"
    text = "Internal Server Error"
    in_swagger = True          # a status the routes' Swagger declares (400, 404, 500); 401-403 are not

    def __init__(self, text: str | None = None):
        super().__init__(text or self.text)
        self.description = text or self.text


class InvalidRequest(TogglError):
    status, error, text = 400, "validation", "Invalid request"


class Unauthorized(TogglError):
    status, error, text, in_swagger = 401, "unauthorized", "Unauthorized", False


class QuotaExceeded(TogglError):
    status, error, text, in_swagger = 402, "quota_exceeded", "You have exceeded your hourly API quota", False


class InsufficientPermissions(TogglError):
    status, error, text, in_swagger = 403, "forbidden", "Insufficient permissions", False


class NotFound(TogglError):
    status, error = 404, "not_found"


class TaskNotFound(NotFound):
    text = "Task does not exist"


class TaskAttachmentNotFound(NotFound):
    text = "Task attachment does not exist"


class TaskAttachmentViewNotFound(NotFound):
    text = "TaskAttachment does not exist"


class ProjectNotFound(NotFound):
    text = "Project does not exist"


class ProjectAttachmentNotFound(NotFound):
    text = "Project attachment does not exist"


class ProjectAttachmentViewNotFound(NotFound):
    text = "ProjectAttachment does not exist"


class InternalServerError(TogglError):
    status, error, text = 500, "internal", "Internal Server Error"
