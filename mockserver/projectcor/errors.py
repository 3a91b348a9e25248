"""ProjectCOR errors, one class per answer, each with its status, text and body. The vendor's OpenAPI document
gives three shapes: the attachment service's ``{"status": "ERROR", "code", "message"}``, ``CORCustomError``
(``{"status": N, "name": "CORCustomError", "code", "message"}``) and the validator's list
``[{"message", "field", "validation"}]``; where it gives none, the mock sends ``{"message": "..."}`` (what the
vendor's pages recommend)."""

from __future__ import annotations

from typing import Any

from mockserver.vendor import VendorError


class CorError(VendorError):
    status, message = 500, "Internal server error"

    def body(self) -> Any:
        return {"message": self.message}


class StorageError(CorError):
    """``CORErrorResponse`` of the attachment routes; ``errors`` (the per-file failures) when there are some."""
    code = ""

    def __init__(self, message: str | None = None, errors: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.errors = errors

    def body(self) -> Any:
        body: dict[str, Any] = {"status": "ERROR", "code": self.code, "message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


class NothingUploaded(StorageError):
    """``AttachmentUploadBadRequest``: not one file of the upload could be stored."""
    status, code, message = 400, "FS001", "Unable to upload any file"


class UndefinedAttachment(StorageError):
    status, code, message = 404, "FS003", "Undefined attachment"


class CustomError(CorError):
    """``CORCustomError``."""
    code = "AC001"

    def body(self) -> Any:
        return {"status": self.status, "name": "CORCustomError", "code": self.code, "message": self.message}


class InvalidSourceType(CustomError):
    status, message = 400, "Invalid source type"


class TaskIdNotFound(CustomError):
    """Deleting attachments of a task that does not exist (the document's example)."""
    status, message = 417, "exists validation failed on taskId"


class ValidationFailed(CorError):
    """The validator's 417 (``ValidationErrorArray``): one rule on one field."""
    status = 417

    def __init__(self, field: str = "task_id", validation: str = "exists"):
        super().__init__(f"{validation} validation failed on {field}")
        self.field, self.validation = field, validation

    def body(self) -> Any:
        return [{"message": self.message, "field": self.field, "validation": self.validation}]


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


class InvalidUserCredentials(Unauthorized):
    message = "Invalid email or password"


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
