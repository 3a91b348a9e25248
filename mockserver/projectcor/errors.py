"""ProjectCOR errors, one class per documented status, each with its text. The body shape is not documented;
the vendor's pages recommend, and this mock sends, ``{"message": "..."}``."""

from __future__ import annotations

from mockserver.vendor import VendorError


class CorError(VendorError):
    status, message = 500, "Internal server error"


class BadRequest(CorError):
    status, message = 400, "Bad request"


class Unauthorized(CorError):
    status, message = 401, "Unauthorized"


class InvalidToken(Unauthorized):
    message = "Invalid or missing token"


class ExpiredToken(Unauthorized):
    message = "Token expired"


class InvalidClientCredentials(Unauthorized):
    message = "Invalid client credentials"


class NotFound(CorError):
    status, message = 404, "Not found"


class TaskNotFound(NotFound):
    message = "Task not found"


class ProjectNotFound(NotFound):
    message = "Project not found"


class InvalidAuthorizationCode(Unauthorized):
    message = "Invalid authorization code"


class AttachmentNotFound(NotFound):
    message = "Attachment not found"


class PayloadTooLarge(CorError):
    """A body past the server's ceiling [INFER: the API looks like AdonisJS, whose body parser says this]."""
    status, message = 413, "request entity too large"


class TooManyRequests(CorError):
    """429, documented as "back off"; the text is inferred."""
    status, message = 429, "Too many requests"


class InternalServerError(CorError):
    status, message = 500, "Internal server error"


class ServiceUnavailable(CorError):
    """503, documented as "wait 5 minutes"; the text is inferred."""
    status, message = 503, "Service unavailable"
