"""ProjectCOR: OAuth client credentials and task attachments under ``/v1``.

Spec (the project's own notes, kept outside this repository):
``shared/vendors/projectcor.md`` (documentation only, thin) and the seed page
``shared/seeds/004_a1aab7ffa608003a.txt`` (the upload page: fields, enums, the reply, ``files_q`` = attachments
now on the task, ``errors`` present only when a file failed for size or extension).

Inferred, not documented: the upload answers 200; error bodies are ``{"message": ...}`` (the spec's
recommendation); an unknown task is 404; an ``attachment_parent_id`` that is not an attachment of this task is
404; a new version keeps the chain's root as ``attachment_parent_id`` and counts ``version`` up from the
chain's highest; several files uploaded with a parent become successive versions; the size limit and the
extension deny-list come from the fixtures (``upload_rules``); ``url`` points at this server
(``/projectcor-files/{id}/{filename}``), which serves the bytes; the list answers the documented paginated
wrapper (``perPage`` capped at 50) and ``page=false`` a bare array; refreshing spends the old token pair; a
``grant_type=refresh_token`` call on ``/v1/oauth/token`` is taken as a third-party client sends it. Access
tokens are HS256 JWTs signed with a key made at start; ``token_ttl`` (fixtures) sets their life. The
documented 429 ("back off") and 503 ("wait 5 minutes") answer ``{"message": "Too many requests"}`` and
``{"message": "Service unavailable"}`` (texts inferred); only fault rules send them. A body past the
server's ceiling is 413 ``{"message": "request entity too large"}`` (AdonisJS's body parser, which the token
format suggests); a file past ``upload_rules.max_file_size`` stops being written at the limit and is reported
in ``errors``; the storage name keeps the extension of the name's last path segment.
"""

from mockserver.projectcor.models import CorState
from mockserver.projectcor.routes import OPERATIONS
from mockserver.projectcor.wire import WIRE
from mockserver.vendor import Vendor

VENDOR = Vendor(name="projectcor", prefixes=("/v1/", "/projectcor-files/"), entry_path="/v1", make_state=CorState,
                operations=OPERATIONS, wire=WIRE)
