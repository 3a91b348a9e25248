"""Bitrix24 REST errors, one class per code the real service sends, each with its ``error`` code (always a
string), its ``error_description`` and its HTTP status (the statuses of ``shared/vendors/bitrix24.md`` §3.7)."""

from __future__ import annotations

from mockserver.vendor import VendorError


class BitrixError(VendorError):
    """``code`` is the envelope's ``error``, ``message`` its ``error_description``. ``binder``: a text of the
    controllers' parameter binder, for which a parameter is there when its key is (an empty value included)."""
    status, code, message = 400, "ERROR_CORE", ""
    binder = False

    @classmethod
    def for_value(cls, value: str) -> "BitrixError":
        """The error for a parameter's value (a params contract's x-invalid): ``{value}`` in the text is it."""
        return cls(cls.message.replace("{value}", value))


# -- transport and auth ------------------------------------------------------------------------------------------

class MethodNotFound(BitrixError):
    code, message, status = "ERROR_METHOD_NOT_FOUND", "Method not found!", 404


class NoAuthFound(BitrixError):
    code, message, status = "NO_AUTH_FOUND", "Wrong authorization data", 401


class InvalidCredentials(BitrixError):
    code, message, status = "INVALID_CREDENTIALS", "Invalid request credentials", 401


class InsufficientScope(BitrixError):
    code, status = "insufficient_scope", 401
    message = "The request requires higher privileges than provided by the webhook token"
    token_message = "The request requires higher privileges than provided by the access token"


class ExpiredToken(BitrixError):
    code, message, status = "expired_token", "The access token provided has expired", 401


class InvalidToken(BitrixError):
    code, message, status = "invalid_token", "Unable to get application by token", 401


class QueryLimitExceeded(BitrixError):
    code, message, status = "QUERY_LIMIT_EXCEEDED", "Too many requests", 503


class OperationTimeLimit(BitrixError):
    code, message, status = "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", 429


class BatchLengthExceeded(BitrixError):
    code, message = "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"


class BatchMethodNotAllowed(BitrixError):
    code, message, status = "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage", 405


class InternalServerError(BitrixError):
    code, message, status = "INTERNAL_SERVER_ERROR", "Internal server error", 500


# -- method errors -------------------------------------------------------------------------------------------------

class CoreError(BitrixError):
    """``ERROR_CORE``: the method's own text, often ending in ``<br>``."""
    code = "ERROR_CORE"


class InsufficientPermissions(CoreError):
    message = "Insufficient permissions.<br>"


# Errors of a missing or mistyped parameter: each params contract (contracts/bitrix24/<method>.params.json)
# names, per property, the class raised when it is missing (x-missing) or breaks its schema (x-invalid).

class TaskNotConstructed(BitrixError):
    code, message = "100", "CTaskItem All parameters in the constructor must have real class type (internal error)"


class WrongTaskId(BitrixError):
    code, message = "0", "wrong task id (internal error)"


# the binder prints "Invalid value {{$value}} ...": the value in braces, as the parameter's name

class FileIdMissing(BitrixError):
    code, message, binder = "100", "Could not find value for parameter {fileId} (internal error)", True


class FileIdNotInt(BitrixError):
    code, binder = "100", True
    message = ("Invalid value {{value}} to match with parameter {fileId}. Should be value of type int. "
               "(internal error)")


class SelectNotArray(BitrixError):
    code, binder = "100", True
    message = ("Invalid value {{value}} to match with parameter {select}. Should be value of type array. "
               "(internal error)")


class FieldsMissing(BitrixError):
    code, message, binder = "100", "Could not find value for parameter {fields} (internal error)", True


class TaskDeleteDenied(BitrixError):
    code, message = "1048582", "No access to delete the task"


class TaskAccessDenied(BitrixError):
    code, message = "0", "Access denied (internal error)"


class ArgumentError(BitrixError):
    code, message = "ERROR_ARGUMENT", "Invalid value of parameter {Parameter #0}"


class NotFound(BitrixError):
    code = "ERROR_NOT_FOUND"

    def __init__(self, entity_id: object):
        super().__init__(f"Could not find entity with id `{entity_id}`")

    @classmethod
    def for_value(cls, value: str) -> "BitrixError":
        return cls(value)


class AccessDenied(BitrixError):
    code, message = "ACCESS_DENIED", "Access denied"


class NameRequired(BitrixError):
    code, message = "DISK_BASE_SERVICE_22001", "Error: required parameter NAME (DISK_BASE_SERVICE_22001)"


class CouldNotSaveFile(BitrixError):
    code, message = "ERROR_COULD_NOT_SAVE_FILE", "Could not save file"


class NameExists(BitrixError):
    """``DISK_OBJ_22000``: a file of that name is in the folder already (rename, move, copy)."""
    code, message = "DISK_OBJ_22000", "A file with that name already exists"


class FolderNameExists(BitrixError):
    code, message = "DISK_OBJ_22000", "A folder with this name already exists"


class RootFolder(BitrixError):
    """A storage's root folder cannot be deleted (``disk.folder.deleteTree``; trashing and renaming it too
    [INFER])."""
    code, message = "DISK_OBJ_22000", "Could not delete root folder"


class RootFolderMove(BitrixError):
    """``disk.folder.moveTo`` of a storage's root (the docs give the text, no code: ``DISK_OBJ_22000`` [INFER])."""
    code, message = "DISK_OBJ_22000", "Could not move root folder"


class FolderIntoItself(BitrixError):
    """A folder moved or copied into itself or a folder it holds [INFER: not in the docs; the mock refuses it]."""
    code, message = "DISK_OBJ_22000", "Could not move folder into itself"


class EmptyName(BitrixError):
    code, message = "0", "Empty name"


class AppContextRequired(BitrixError):
    """``disk.storage.getforapp`` from a webhook: the method wants an application."""
    code, message = "ACCESS_DENIED", "Access denied! Application context required"


class CouldNotCopy(BitrixError):
    code, message = "DISK_FILE_22003", "Could not copy file"


# task.commentitem.*: the old task API (CTaskCommentItem) words its parameter errors itself [INFER: the texts of
# the TASKS_ERROR_EXCEPTION the docs quote, for each missing or mistyped parameter]

class CommentTaskIdMissing(CoreError):
    message = ("TASKS_ERROR_EXCEPTION_#256; Param #0 (taskId) for method ctaskcommentitem::add() expected to be of "
               "type \"integer\", but given something else.; 256/TE/WRONG_ARGUMENTS")


class CommentTaskIdInvalid(CommentTaskIdMissing):
    pass


class CommentFieldsMissing(CoreError):
    message = ("TASKS_ERROR_EXCEPTION_#256; Param #1 (arFields) for method ctaskcommentitem::add() expected to be "
               "of type \"array\", but given something else.; 256/TE/WRONG_ARGUMENTS")


class CommentItemIdMissing(CoreError):
    message = ("TASKS_ERROR_EXCEPTION_#256; Param #1 (itemId) for method ctaskcommentitem::get() expected to be of "
               "type \"integer\", but given something else.; 256/TE/WRONG_ARGUMENTS")


# task.commentitem.update and .delete: the texts of their docs, which name ctaskcommentitem::delete() on both
# pages (kept as written; the other methods' texts name their own method)

class CommentChangeTaskIdInvalid(CoreError):
    message = ("TASKS_ERROR_EXCEPTION_#256; Param #0 (taskId) for method ctaskcommentitem::delete() expected to be "
               "of type \"integer\", but given something else.; 256/TE/WRONG_ARGUMENTS")


class CommentChangeItemIdMissing(CoreError):
    message = ("TASKS_ERROR_EXCEPTION_#256; Param #1 (itemId) expected by method ctaskcommentitem::delete(), but "
               "not given.; 256/TE/WRONG_ARGUMENTS")


class CommentChangeItemIdInvalid(CoreError):
    message = ("TASKS_ERROR_EXCEPTION_#256; Param #1 (itemId) for method ctaskcommentitem::delete() expected to be "
               "of type \"integer\", but given something else.; 256/TE/WRONG_ARGUMENTS")


class CommentActionNotAllowed(CoreError):
    """No such task or comment, no access to the task, or another user's comment (an administrator aside)."""
    message = "TASKS_ERROR_EXCEPTION_#4; Action is not allowed; 4/TE/ACTION_NOT_ALLOWED.<br>"


class CommentTextMissing(CoreError):
    message = "Comment text not specified.<br>"


class TaskActionNotAllowed(BitrixError):
    """``tasks.task.start`` and the other status methods: no such task, no access, or no right to change it."""
    code, message = "0", "Action on the task is not allowed"


class VersionOfAnotherFile(BitrixError):
    code, message = "DISK_FILE_22004", "Cannot restore version from another file"


class CouldNotCopyFile(BitrixError):
    code, message = "DISK_FILE_22003", "Could not copy file"



# -- REST 3.0 (/rest/api/...): {"error": {"code", "message", "validation"?}} ---------------------------------------

class V3Error(BitrixError):
    """A REST 3.0 error: written ``{"error": {"code", "message"[, "validation"]}}``."""
    validation: list[dict[str, str]] | None = None


class V3Validation(V3Error):
    status, code, message = 400, "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION", \
        "Error validating the request object"

    def __init__(self, field_name: str, text: str):
        super().__init__()
        self.validation = [{"message": text, "field": field_name}]

    @classmethod
    def missing(cls, field_name: str) -> "V3Validation":
        return cls(field_name, f"The required field `{field_name}` is missing")

    @classmethod
    def wrong_type(cls, field_name: str, kind: str) -> "V3Validation":
        return cls(field_name, f"The field `{field_name}` requires data type `{kind}` for this request")


class V3InvalidJson(V3Error):
    status, code, message = 400, "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION", "Invalid JSON in the request body"


class V3AccessDenied(V3Error):
    status, code, message = 403, "BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION", "Insufficient permissions"


class V3InsufficientScope(V3Error):
    status, code, message = 403, "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION", "Insufficient scope"
