"""ONLYOFFICE Workspace (Community Server) Projects API 2.0: task files, with the Documents upload they need,
in JSON and XML.

Spec (the project's own notes, kept outside this repository):
``shared/vendors/onlyoffice.md`` (read out of the Community Server's own code; it corrects the docs) and
the seed page ``shared/seeds/001_179cc6798fed11a9.txt``.

Read in the Community Server's code (``ONLYOFFICE/CommunityServer``): links (``viewUrl``, ``webUrl``,
``profileUrl``) are built from the current request (``CommonLinkUtility.GetFullAbsolutePath``), and the 401's
realm is the request's host (``ASCBasicAuthorization``); the Files right is
``ProjectSecurity.GetTeamSecurity(Files)``: portal admins and the project's responsible always, anyone in an open
project, in a private one a participant whose Files right is not taken away; reading a file
(``FileStorageService.GetFile``) checks ``FileSecurity.CanRead`` and answers 403 "You don't have enough
permission to view the file" (an InvalidOperationException), My documents being their owner's alone; the
download handler (``FileHandler.ashx``) answers a missing file 404 and a forbidden one 403, with no body;
``ProjectApi.Tasks``: ``task/@self[/{status}]`` lists the readable tasks the caller is responsible for,
``task/filter`` filters and pages them and sets the envelope's ``total``, ``DELETE task/{taskid}`` answers the
deleted task, refused (403) unless the caller is a project manager (an admin, the responsible) or the team
member who created it (``ProjectSecurityTask.CanDeleteEntity``).

Also read there (``DocumentsApi.cs``, ``ChunkedUploaderHandler.cs``, ``FileUploader.cs``, ``FileOperationWraper``,
``FolderContentWrapper``, ``EmployeeWraperFull``, ``ProjectApi.Projects.cs``): ``PUT files/file/{id}`` renames
(keeping the extension) and ``lastVersion`` restores a version as the newest; ``GET file/{id}/history`` lists the
versions; ``DELETE files/file/{id}`` and ``PUT files/fileops/move`` answer the caller's operations, polled at ``GET
files/fileops`` (a finished one reported once); chunked upload is ``create_session`` (``fileName``,
``fileSize`` a long) then one multipart part per chunk to the session's ``location``
(``ChunkedUploader.ashx?uid=``; 10 MB a chunk, sessions live 12 h from their last chunk; the mock drops an expired
one's bytes at the next ``create_session``), answered outside the envelope as
``{"success","data","message"}``, 201 with the file on the last chunk, 200 with ``success: false`` on an error;
``FolderContentWrapper`` emits its file and folder lists even when empty; ``project/{id}/files`` is 403 "Access
to files is denied" without the Files right; the ``entityfiles`` routes take ``entityType`` (Task is 2; the
default, Project, does nothing and lists nothing) and call the task-file code, ``entityfilesmany`` with the
same attaching bug as ``filesmany``; ``project/{id}/task`` lists open tasks. ``coverage.md`` beside this module
lists what is and is not answered.

File operations and the file handler, from ``DocumentsApi.cs``, ``FileMoveCopyOperation.cs``,
``FileDownloadOperation.cs``, ``FileHandler.ashx.cs`` and ``PathProvider.GetFileStreamUrl``: ``fileops/copy`` makes
new files (the operation lists them) with the move's conflict rules, overwriting as a new version commented
"Overwritten"; ``fileops/delete`` reports a missing file or one not the caller's to delete in the operation's
``error`` ("The required file was not found", "You don't have enough permission to delete the file");
``fileops/bulkdownload`` (operation 3) zips what the caller may read, a folder's files under its title (one
folder alone: no prefix, the archive named after it), a name met again with `` (n)`` before its extension, and
its finished operation has the archive's ``url`` (``filehandler.ashx?action=bulk&filename=...``, the name
encrypted with the instance's key: the mock only makes it opaque; switch ``bulk_download_name=plain``: before
12.0, ``download.zip`` at ``?action=bulk&ext=.zip``); ``action=bulk`` is 403 without credentials, 404 without that
archive; ``presigneduri`` answers an ``action=stream`` link whose ``stream_auth`` works without credentials for
``files.stream-url-minute`` (16) minutes, else 403 with the text "You don't have enough permission to perform the
operation"; with credentials, the right to read is needed (403 bare); an unknown ``action`` is 400. Inferred: a
``filename`` the key cannot decrypt is 500 (the exception is not caught there).

Folders below the roots, from ``DocumentsApi.cs`` (``CreateFolder``, ``GetFolderInfo``, ``GetFolderPath``,
``RenameFolder``, ``DeleteFolder``), ``FileStorageServiceController`` (``CreateNewFolder``, ``GetFolder``,
``FolderRename``), ``FileDeleteOperation.DeleteFolders``, ``FileMoveCopyOperation`` and ``ProjectEntityEngine
.GetFiles``: a folder is made where one may create (not in the trash, not in the projects root), with a title
made valid (no title: 400 "Value does not fall within the expected range."); the file service's refusals are
InvalidOperationExceptions, 403 with its texts ("The required folder was not found", "You don't have enough
permission to create", "... to view the folder content", "... to rename the folder", "You are not allowed to
preview the elements in the Trash"); ``pathParts`` and ``folder/{id}/path`` are the breadcrumbs; a delete is an
operation (a root or a project's folder: "You don't have enough permission to delete the folder"), to the trash
with all it holds, or for good; a move or copy into a folder inside what moves is "You cannot copy the folder to
its subfolder", a copy from or to the trash "Can not copy from Trash." / "Can not copy to Trash."; a folder of
the same title in the destination takes what the moved or copied one holds (files by the conflict rule), a copy
is otherwise made anew, a move takes the folder whole; the operation lists the folders and files it was asked
for. A task keeps the files anywhere in its project's folder tree (their ``RootFolderId`` is the project's).
Inferred: renaming, moving and deleting a made folder take the right to create where it is, or being its
author (as files); the portal's own folders cannot be renamed or deleted; a title already in the parent is not
refused; made folders are listed in the order they were made.

Task updates, from ``ProjectApi.Tasks.cs``, ``TaskEngine`` and ``ProjectSecurity``: ``PUT project/task/{id}``
requires ``title`` (``ArgumentException("title can't be empty", "title")``, whose message Mono writes with
"\nParameter name: title"), sets ``description``, ``deadline``, ``startDate`` and ``responsibles`` to what is
sent (missing clears them), ``priority``, ``projectID`` and ``status`` only when sent; a change needs
``CanUpdateEntity`` (no change in a closed project; a manager; a team member who created the task, is
responsible for it or finds it unassigned), new responsibles must be on the team, both 403 "Access denied.";
``ApiDateTime.Parse``'s formats and texts; ``{id}/status`` and ``task/status`` take the default custom status of
``status``, which only open and closed have (another is ``First``'s InvalidOperationException, 403 "Sequence
contains no matching element"); closing an unassigned task makes the caller responsible; the many-task form
leaves out the tasks that fail. Inferred: the Mono newline; an ``ApiDateTime`` without an offset is UTC.
``GET project/{id}/team`` (``GetProjectTeam``): ``ParticipantWrapper`` (``EmployeeWraperFull`` and the member's
rights) by display name, for any caller, 404 for a project that does not exist; its own members have no
``Order`` and come first (Json.NET's default, inferred); only the Files right is modelled, the others true.

Inferred, not read in the code: the 401 body's Content-Type (``text/html``); a private project's tasks are 404 to a
stranger; portal admins see every project; ``@common`` takes uploads from admins only; ``createNewIfExist``
defaults to true (a user's "update if exists" setting defaults to off); titles lose ``\\ / : * ? " < > |`` and are
cut at 165 characters; detaching a file that is not attached is 200; attaching is idempotent; the HTTP reason
phrases the server sets ("The record could not be found", ...) are not reproduced (ASGI has none); ``POST
/project`` answers the ProjectWrapperFull; creating in a project folder takes a participant with the Files right.
The 503 of a cloud portal's rate limit (documented, with ``Retry-After``) is answered in the error envelope with
"Service Unavailable" and ``Retry-After: 10`` (the body and the value are inferred); it is only ever sent by a
fault rule. A body past the server's ceiling is the 413 page of the nginx in front of the portal (inferred; the
100 MB file limit is the server's own 500). Of the new routes, inferred: an operation runs until the client's
next poll of ``fileops`` (switch ``fileops_delay_ms``: after that long on the mock's clock instead); a delete
goes to the caller's Trash unless ``immediately``; moving takes the right to create in the destination; renaming, moving and deleting take the right to create where the file
is, or being its author; ``terminate`` ends running operations with an error; the chunked-upload limit is 1 GB
(``max_chunked_upload_bytes``); ``people/@self`` orders equal ``Order`` members base class first and has no
groups, contacts or birthday; folders are dated when the portal was made; ``project/{id}/task`` of a project
one cannot read is ``[]``; ``project/filter`` knows ``participant``, ``manager`` and ``status``."""

from mockserver.options import Option
from mockserver.vendor import Vendor

OPTIONS = [
    Option("fileops_delay_ms", 0, "how long a move or delete runs: 0 finishes it when the client next polls "
                                  "GET files/fileops, else after that many milliseconds of the mock's clock"),
    Option("bulk_download_name", "dated", "a bulk download's archive: named <portal>-download-<date>.zip and "
                                          "linked by an encrypted filename (12.0 and later), or download.zip, "
                                          "linked as ?action=bulk&ext=.zip (before 12.0)", ("dated", "plain")),
    Option("stream_url_minutes", 16, "how long a presigneduri stream link works (files.stream-url-minute)"),
]

VENDOR = Vendor(name="onlyoffice", prefixes=("/api/2.0/", "/Products/Files/", "/ChunkedUploader.ashx"),
                entry_path="", options=OPTIONS)
