"""ONLYOFFICE Workspace (Community Server) Projects API 2.0: task files, with the Documents upload they need,
in JSON and XML.

Spec (the project's own notes, kept outside this repository):
``shared/vendors/onlyoffice.md`` (read out of the Community Server's own code; it corrects the docs) and
the seed page ``shared/seeds/001_179cc6798fed11a9.txt``.

Inferred, not read in the code: the 401 body's Content-Type (``text/html``); a user who is not a participant of
a public project can read its tasks but has no Files right (403), a private project's tasks are 404 to him;
portal admins see everything; ``@common`` takes uploads from admins only; ``createNewIfExist`` defaults to
true (a user's "update if exists" setting defaults to off); titles lose ``\\ / : * ? " < > |`` and are cut at
165 characters; detaching a file that is not attached is 200; attaching is idempotent; the HTTP reason
phrases the server sets ("The record could not be found", ...) are not reproduced (ASGI has none);
``POST /project`` answers the ProjectWrapperFull. The download URL (``viewUrl``) serves the bytes to any
authenticated caller who can read the file. The 503 of a cloud portal's rate limit (documented, with
``Retry-After``) is answered in the error envelope with "Service Unavailable" and ``Retry-After: 10`` (the body
and the value are inferred); it is only ever sent by a fault rule.
"""

from mockserver.onlyoffice.models import OnlyofficeState
from mockserver.onlyoffice.routes import OPERATIONS
from mockserver.onlyoffice.wire import WIRE
from mockserver.vendor import Vendor

VENDOR = Vendor(name="onlyoffice", prefixes=("/api/2.0/", "/Products/Files/"), entry_path="",
                make_state=OnlyofficeState, operations=OPERATIONS, wire=WIRE)
