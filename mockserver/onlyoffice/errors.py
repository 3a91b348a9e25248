"""ONLYOFFICE errors, one class per answer, with the HTTP status, message and .NET HRESULT the real server
sends (``{"status":1,"statusCode":N,"error":{"message","hresult","data":{}}}``), except ``Unauthorized``, which
is a plain-text body outside the envelope."""

from __future__ import annotations

from mockserver.vendor import VendorError


class OnlyofficeError(VendorError):
    """``code`` is the .NET HRESULT of the exception behind the answer; ``handler_body``: what FileHandler.ashx
    writes for it (its answers are outside the API: most have no body)."""
    status, message, hresult = 500, "Server error", -2146233088
    handler_body = b""

    @property
    def code(self) -> int:              # type: ignore[override]
        return self.hresult


class InternalServerError(OnlyofficeError):
    """Any exception the API does not map: 500 with its message (what the mock answers when it fails itself)."""


class ServiceUnavailable(OnlyofficeError):
    """A cloud portal's rate limit (500 requests in 10 s per IP): 503 with ``Retry-After`` (documented); the
    body in the envelope is inferred."""
    status, message, headers = 503, "Service Unavailable", {"Retry-After": "10"}


class ItemNotFound(OnlyofficeError):
    status, message, hresult = 404, "Item not found", -2147467259


class FileNotFound(ItemNotFound):
    message = "File not found"


class FolderNotFound(ItemNotFound):
    message, hresult = "The required folder was not found", -2147024893


class MethodNotFound(ItemNotFound):
    message = "Method not found"


class InvalidArguments(OnlyofficeError):
    """ArgumentException, a value the binder cannot convert, or a malformed body."""
    status, message, hresult = 400, "Value does not fall within the expected range.", -2147024809


class BadRequest(InvalidArguments):
    """FileHandler.ashx with an ``action`` it does not know."""
    message = "Bad request."


class StreamForbidden(OnlyofficeError):
    """``action=stream`` without credentials and without a valid ``stream_auth``: 403 and the text."""
    status, message = 403, "You don't have enough permission to perform the operation"
    handler_body = message.encode()


class AccessDenied(OnlyofficeError):
    status, message, hresult = 403, "Access denied.", -2146233078


class NoCreatePermission(AccessDenied):
    message = "You don't have enough permission to create"


class NoEditPermission(AccessDenied):
    message = "You don't have enough permission to edit the file"


class FilesAccessDenied(AccessDenied):
    """``GET project/{id}/files`` without the Files right: ``SecurityException("Access to files is denied")``."""
    message = "Access to files is denied"


class NoFolderReadPermission(AccessDenied):
    message = "You don't have enough permission to view the folder content"


class NoReadPermission(OnlyofficeError):
    """``FileStorageService.GetFile``'s ``ErrorIf(!CanRead)``: an InvalidOperationException, which the API
    answers 403."""
    status, message, hresult = 403, "You don't have enough permission to view the file", -2146233079


class RefusedOperation(OnlyofficeError):
    """The file service's ``ErrorIf``: an InvalidOperationException with one of the Files module's texts, which
    the API answers 403 (the folder routes: ``CreateNewFolder``, ``GetFolder``, ``FolderRename``)."""
    status, hresult = 403, -2146233079


class FolderMissing(RefusedOperation):
    message = "The required folder was not found"


class FolderCreateDenied(RefusedOperation):
    message = "You don't have enough permission to create"


class FolderReadDenied(RefusedOperation):
    message = "You don't have enough permission to view the folder content"


class FolderRenameDenied(RefusedOperation):
    message = "You don't have enough permission to rename the folder"


class TrashItem(RefusedOperation):
    message = "You are not allowed to preview the elements in the Trash"


class NoSuchTaskStatus(OnlyofficeError):
    """A task status with no default custom status (only open and closed have one): ``First`` finds none, and
    its InvalidOperationException is answered 403."""
    status, message, hresult = 403, "Sequence contains no matching element", -2146233079


class AuthenticationFailed(OnlyofficeError):
    status, message, hresult = 500, "User authentication failed", -2146233087


class EmptyFile(OnlyofficeError):
    status, message = 500, "Empty file"


class FileTooLarge(OnlyofficeError):
    status, message = 500, "The maximum file size is exceeded (100 MB)."


class Unauthorized(VendorError):
    """401, body the plain text ``Unauthorized``; ``WWW-Authenticate`` only when an Authorization header came."""
    status, message = 401, "Unauthorized"

    def __init__(self, header_sent: bool):
        super().__init__()
        self.header_sent = header_sent
