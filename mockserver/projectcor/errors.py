"""ProjectCOR errors, one class per documented status, each with its text. The body shape is not documented;
the vendor's pages recommend, and this mock sends, ``{"message": "..."}``."""

from __future__ import annotations


class CorError(Exception):
    status = 500
    text = "Internal server error"

    def __init__(self, text: str | None = None):
        super().__init__(text or self.text)
        self.message = text or self.text


class BadRequest(CorError):
    status, text = 400, "Bad request"


class Unauthorized(CorError):
    status, text = 401, "Unauthorized"


class InvalidToken(Unauthorized):
    text = "Invalid or missing token"


class ExpiredToken(Unauthorized):
    text = "Token expired"


class InvalidClientCredentials(Unauthorized):
    text = "Invalid client credentials"


class NotFound(CorError):
    status, text = 404, "Not found"


class TaskNotFound(NotFound):
    text = "Task not found"


class AttachmentNotFound(NotFound):
    text = "Attachment not found"


class InternalServerError(CorError):
    status, text = 500, "Internal server error"
