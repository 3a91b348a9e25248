"""Toggl Focus errors, one class per answer, each with its HTTP status, ``error`` code and text.

The attachment routes' Swagger declares their error bodies as a JSON string (``"Task does not exist"``); the
task routes declare ``response.Error`` (``{"error", "error_description", "trace_id"}``). ``wire.Wire.error``
writes whichever the route declares, or the object everywhere when the ``error_body`` switch says ``object``.
401, 402 and 403 are declared nowhere in that Swagger (its copy lost the security sections): they are always
``response.Error``, the shape seen live on this service.
"""

from __future__ import annotations

from mockserver.vendor import VendorError


class TogglError(VendorError):
    """``code`` is the ``error`` of ``response.Error``, ``message`` its ``error_description``."""
    status, code, message = 500, "internal", "Internal Server Error"
    in_swagger = True          # a status the routes' Swagger declares (400, 404, 500); 401-403 are not


class InvalidRequest(TogglError):
    status, code, message = 400, "validation", "Invalid request"


class Unauthorized(TogglError):
    status, code, message, in_swagger = 401, "unauthorized", "Unauthorized", False


class QuotaExceeded(TogglError):
    status, code, message, in_swagger = 402, "quota_exceeded", "You have exceeded your hourly API quota", False


class InsufficientPermissions(TogglError):
    status, code, message, in_swagger = 403, "forbidden", "Insufficient permissions", False


class PayloadTooLarge(TogglError):
    """A body past the server's ceiling [INFER: the service is written in Go, whose ``http.MaxBytesReader`` says
    this; the Swagger declares no 413]."""
    status, code, message, in_swagger = 413, "request_too_large", "http: request body too large", False


class NotFound(TogglError):
    status, code = 404, "not_found"


class TaskNotFound(NotFound):
    message = "Task does not exist"


class TaskAttachmentNotFound(NotFound):
    message = "Task attachment does not exist"


class TaskAttachmentViewNotFound(NotFound):
    message = "TaskAttachment does not exist"


class ProjectNotFound(NotFound):
    message = "Project does not exist"


class ProjectAttachmentNotFound(NotFound):
    message = "Project attachment does not exist"


class ProjectAttachmentViewNotFound(NotFound):
    message = "ProjectAttachment does not exist"


class InternalServerError(TogglError):
    status, code, message = 500, "internal", "Internal Server Error"
