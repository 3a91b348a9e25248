"""Kanboard JSON-RPC: the task-file procedures on ``POST /jsonrpc.php`` and what clients call around them (tasks,
projects, users, comments, task metadata), as Kanboard 1.2.53 answers them.

Spec: the project's vendor notes on Kanboard (checked against a running Kanboard 1.2.53; not in this
repository) and the corpus recorded from a real Kanboard, kept in ``tests/kanboard/conformance/``, which
``tests/kanboard/test_conformance.py`` replays in full.

Where those are silent, this module relied on Kanboard's public source (kanboard/kanboard, ``app/Api``):
- procedure signatures of createUser, createProject, createTask, addProjectUser, removeProjectUser,
  getProjectUsers, getTask, removeTask, removeProject, getUser(ByName), removeUser (``app/Api/Procedure/*``);
- the app-role map of ``AuthenticationProvider::getApiAccessMap`` (UserProcedure needs app-admin, createProject
  app-manager) and the project-role hierarchy of ``getApiProjectAccessMap`` (manager > member > viewer;
  ProjectPermission and project removal need manager, task and file writes need member);
- ``UserValidator``/``ProjectValidator``/``TaskValidator`` creation rules, approximated: username required,
  unique, at most 255; password at least 6; project name required; task title and an existing project required;
- the discovery procedures (``getAllProjects`` app-admin, ``getProjectByName``, ``getMyProjects`` and
  ``getMyProjectsList`` for users alone, ``getAllTasks`` with ``status_id`` 1 by default, ``openTask``/``closeTask``
  true for any existing task), ordered as ``ProjectModel::getAll`` (by name) and ``TaskFinderModel::getAll`` (by
  id) order them; each answer, and the project and task records (``is_everybody_allowed``, ``default_swimlane``,
  ``show_default_swimlane``; ``time_spent``/``time_estimated`` null; ``swimlane_id`` the project's own default
  swimlane; the ``?controller=...`` links), compared call by call with the recorded Kanboard running here
  (``kanboard_up.sh``), ids aside. The links start with the fixture's ``application_url`` (default
  ``http://localhost/``, what the recorded server printed: Kanboard takes it from its configuration).

Seen on the recorded Kanboard by the differential run (``tests/kanboard/differential.py``: random sequences
of calls with hostile ids, images, validator edge values, user credentials and odd request ids, into both) and
by its source: GD decodes the whole image (``php.gd_can_read``); ``generatePath``'s id rule; the ``(int)`` casts
of the project-file reads; PHP's float formatting (``render.php_float``); ``TaskValidator``/``ProjectValidator``
(``php.valid_*``); the filter language of ``searchTasks`` (``search``); the full ``users`` row of ``getUser``.
Comments and task metadata, from ``CommentProcedure``, ``CommentModel``, ``CommentValidator``,
``CommentAuthorization`` and ``TaskMetadataProcedure``/``MetadataModel``: a user writes comments as himself, at
a visibility his application role may see, and changes or removes only his own; ``getAllComments`` hides from a
user what his role may not see; values are stored as PDO binds them (strings, ``Array`` for an array, NULL) and
SQLite's column affinity keeps them (``php.bound``, ``php.integer_affinity``); ``updateComment`` is true when the
statement ran, a removal when a row went; a write for a task that does not exist breaks the foreign key (false);
``searchTasks``' ``comment:`` and ``nb_comments``; a task's removal takes its comments and metadata with it.
``getColumns``/``getColumn`` answer whole ``columns`` rows; ``moveTaskPosition`` is ``TaskPositionModel::
movePosition`` as the API calls it (closed tasks too, the tasks around renumbered from 1, false when nothing
changes, a missing column's foreign key undoing the move but not its ``date_moved``, a missing task a 500 once
its events fire). ``searchTasks``' own project filter, ``project:``, ``column:`` and ``swimlane:`` are as their filters (exact
column titles, names ``LIKE`` the value as given). The cases that showed each difference are recorded from the
real server in ``tests/kanboard/conformance/found.jsonl`` (by ``tests/kanboard/record.py``) and replayed in CI.

Inferred, not seen: reads of a task (``getTask``) need project-viewer like the file reads that were seen;
an image past 50 megapixels exhausts PHP's memory (a 500); the stored password hash only has bcrypt's shape.
The project-file procedures follow §10 of the spec (their own table and ids, ``projects/<id>/<sha1>`` paths,
``false`` for a file of another project); their list has the task-file list's columns with ``project_id``, and
their reads need project-viewer like the task files' (inferred). ``getVersion`` answers ``1.2.53``, a release's
version (the recorded server, a build from git, answers ``main.<commit>``).

Fixture switches (section ``kanboard``): ``app_token``, and ``auth_header`` (Kanboard's
``API_AUTHENTICATION_HEADER``: a header carrying raw base64 ``user:password``, which then wins over Basic).
Types are those of current Kanboard on SQLite/MySQL: ints, ``is_image`` 0/1, ``etag`` present.
"""

from mockserver.vendor import Vendor

VENDOR = Vendor(name="kanboard", prefixes=("/jsonrpc.php",), entry_path="/jsonrpc.php")
