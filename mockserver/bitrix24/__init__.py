"""Bitrix24 REST: ``tasks.task.files.attach`` and the Drive and task methods a client needs around it, on
``/rest/{user_id}/{code}/{method}`` (webhooks) and ``/rest/{method}`` (OAuth tokens).

Spec (the project's own notes, kept outside this repository):
``shared/vendors/bitrix24.md`` (official docs, the REST module's PHP source, and the traffic of
b24pysdk and fast_bitrix24) and the seed page ``shared/seeds/000_c31a39be5b1dc748.txt``; both clients run
against this module in ``tests/bitrix24``. The official REST docs (``bitrix24/b24restdocs``):
``user.current`` (scopes ``user``, ``user_basic``, ``user_brief``; the fields each shows, from "User scope
versions") and ``profile`` (no scope needed); the seed's time block (``duration`` = ``finish`` - ``start``, the
start a whole second). PHP's own bounds on a form: ``max_input_vars`` 1000, ``max_input_nesting_level`` 64.

Inferred, not documented: ``user.current``'s values for what the fixture does not hold (``UF_DEPARTMENT`` ``[1]``,
registered when the server started, online now); attaching the same file twice makes a new attachment; a
nonexistent file id is ``ERROR_CORE`` "Insufficient permissions." and a nonexistent task id ``"0"`` "Access
denied", as the spec suspects; the attach errors are checked in the order taskId, fileId, task, file; a user may
read and add in his own Drive storage and the shared one (admins everywhere), may edit a task he created, is
responsible for or assists, and may see one he audits; deleting a Drive file detaches it from tasks; a name that
exists in the folder without ``generateUniqueName`` is ``ERROR_CORE``; ``DOWNLOAD_URL``s are signed by this server
and need no other credentials; the portal time zone is UTC; ``tasks.task.update`` answers ``{"task": {...}}`` (as a
third-party client's recorded reply shows; the official page has no example); the XML transport wraps the envelope
in ``<response>`` with list items as ``<item>``. The ``Https required.`` check of webhooks is not applied (the
spec says a mock must not by default). Rate limits are off unless switched on: ``rate_limits`` (the leaky bucket
X=50, Y=2/s → 503 ``QUERY_LIMIT_EXCEEDED``; the operating-time limit, 480 s a method in 10 minutes → 429
``OPERATION_TIME_LIMIT``), with ``bucket_size``, ``bucket_drain``, ``operating_limit`` and ``operating_cost``
(seconds counted per call) to tune them, from the fixture's ``options`` or ``--set bitrix24.KEY=VALUE``. A body past the server's ceiling
is the 413 page of the nginx in front of the portal. ``tasks.task.list``: ``ACCOMPLICE``/``AUDITOR`` match a task
having any of the values, an unprefixed ``TITLE`` is SQL's LIKE (``%``, ``_``), the other fields and prefixes
filter as every list does; ``tasks.task.delete`` is allowed to the creator and admins (the docs say "permission
to delete a task").

The life of a Drive file, from the docs' pages of each method (``disk.folder.get``, ``disk.file.rename``,
``moveTo``, ``copyTo``, ``markDeleted``, ``restore``, ``uploadVersion``, ``getVersions``, ``getExternalLink``,
``disk.storage.getForApp``): their parameters, results, "who can execute" lines and documented errors
(``DISK_OBJ_22000`` for a name taken by rename, move, copy and ``addsubfolder``; ``0`` "Empty name";
``ACCESS_DENIED`` "Access denied! Application context required" for ``getForApp`` from a webhook); a file in the
trash has ``DELETED_TYPE`` 3, is out of listings and of the other methods, and is restored as ``name (1).ext``
when its name was taken meanwhile; each version keeps its own id, name, bytes and ``DOWNLOAD_URL``
(``service=version``), newest first. ``task.commentitem.add``/``get``/``getlist`` (``UF_FORUM_MESSAGE_DOC`` as
``nNNN`` files the author may read, else "File not found"; ``ATTACHED_OBJECTS`` with relative ``uf.php`` links);
REST 3.0 (``rest-v3.md``, ``tasks.task.file.attach``): ``/rest/api/{user}/{code}/{method}`` or ``/rest/api/{method}``
with ``auth`` in the body, JSON only (else ``BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION``), ``{"result":
{"result": true}}``, validation errors with their ``validation`` list, 403 ``ACCESSDENIEDEXCEPTION``. Inferred
there: edit rights are read rights on a storage (no per-object rights are modelled); a trashed file's task
attachments stay until it is deleted for good; the external link is one per file; ``getForApp`` makes the
application's storage on first use; workgroups come from the fixtures (``groups``: id, name, members), each with a
storage its members read and write, and a workgroup's file goes only to that workgroup's tasks ("Insufficient
permissions." otherwise); REST 3.0 answers the shared transport's errors (auth, a method not found) in its own
shape with their v2 codes; ``task.commentitem.*``'s parameter errors word the TASKS_ERROR_EXCEPTION the docs
quote. ``mockserver/bitrix24/coverage.md`` lists what is and is not answered.

Task work, from the docs' pages: ``tasks.task.start`` (3), ``pause`` (2), ``defer`` (6), ``complete`` (5) and
``renew`` (2) answer ``{"task": {...}}``, for whoever may edit the task, else ``"0"`` "Action on the task is not
allowed" (the example's code; some tables say 1048582); the product's rules between statuses and completion
control (status 4) are not in the docs and not modelled. ``task.commentitem.update`` (``POST_MESSAGE`` required:
"Comment text not specified.<br>"; ``UF_FORUM_MESSAGE_DOC``, when sent, the whole new set of files) and
``.delete`` (its attachments go, the Drive files stay) answer ``true``, for the author or an administrator, else
"TASKS_ERROR_EXCEPTION_#4; Action is not allowed; 4/TE/ACTION_NOT_ALLOWED.<br>"; their parameter errors are the
docs' texts, which name ``ctaskcommentitem::delete()`` on both pages. ``disk.file.restoreFromVersion``: the
version's bytes, copied, become the newest version under the file's name; another file's version is
``DISK_FILE_22004``; an unknown version is not found [INFER: listed for the file only]; "Full access" is edit
access here, as everywhere in this module. Folders: ``disk.folder.rename`` (as a file's), ``markDeleted`` (the
folder 3, what it holds 4: "deleted along with the parent folder", as the docs' ``DELETED_TYPE`` says),
``restore`` (an administrator's, as its "who can execute" says; the contents come back with it) and
``deleteTree`` (for good; a storage's root is ``DISK_OBJ_22000`` "Could not delete root folder", and so is
trashing or renaming it [INFER]); ``moveTo`` (edit on the folder, add on the target; "Could not move root
folder", the docs' text, with ``DISK_OBJ_22000`` [INFER: the docs give no code]) and ``copyTo`` (read on the
folder; new files with copies of the current bytes, the trash left out) take all the folder holds; a folder put
into itself or a folder it holds is refused with ``DISK_OBJ_22000`` [INFER: not in the docs].

Workgroups, from ``sonet_group.get``'s page: ``ORDER`` (``ID`` descending by default), ``FILTER`` (its fields and
the list prefixes; ``?`` and ``><`` are not modelled), ``GROUP_ID``, ``IS_ADMIN`` (``Y`` from an administrator
lifts the rights check, from anyone else it is ignored), ``start`` (50 a page); rows in the example's member order,
ids and counts as strings, ``SITE_ID`` ``s1``, subject 1 "Workgroups". Its scope is ``sonet_group`` (the scopes
page: "sonet_group, socialnetwork"; the method's page says ``sonet``). Inferred: a user sees the visible groups
and those he is a member of (the page: "considering the permissions of the current user"); parameter names are
taken in any case; a group's dates are the server's start; its owner is a member."""

from mockserver.options import Option
from mockserver.vendor import Vendor

BUCKET_SIZE, BUCKET_DRAIN = 50, 2.0          # leaky bucket: X requests, drained Y per second
OPERATING_LIMIT = 480.0                       # seconds a method may spend in the 10-minute window

OPTIONS = [
    Option("rate_limits", False, "apply the leaky bucket (503 QUERY_LIMIT_EXCEEDED) and the operating-time limit "
                                 "(429 OPERATION_TIME_LIMIT)"),
    Option("bucket_size", BUCKET_SIZE, "requests the leaky bucket holds"),
    Option("bucket_drain", BUCKET_DRAIN, "requests the bucket drains per second"),
    Option("operating_limit", OPERATING_LIMIT, "seconds a method may spend in 10 minutes before 429"),
    Option("operating_cost", 0.0, "seconds counted per call on top of the real time spent"),
]

VENDOR = Vendor(name="bitrix24", prefixes=("/rest/", "/bitrix/tools/"), entry_path="/rest", options=OPTIONS)
