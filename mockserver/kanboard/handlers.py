"""Kanboard's procedures: the task- and project-file ones, and those a test needs to seed state as Kanboard's
own integration tests do. Each returns plain data; ``render`` shapes it and the JSON-RPC layer wraps it.

Every procedure's signature (names, order, defaults) is its params contract in ``contracts/kanboard/``; the
operation table (``routes``) names it.
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from mockserver import http
from mockserver.kanboard import php, render, search
from mockserver.kanboard.errors import Forbidden, PhpFatalError, Unauthorized
from mockserver.kanboard.models import (
    APP_ADMIN, APP_MANAGER, APP_ROLES, APP_USER, PROJECT_MANAGER, PROJECT_MEMBER, PROJECT_VIEWER, Comment,
    KanboardState, User, file_extension,
)
from mockserver.kanboard.php import sql_id

BRUTEFORCE_LOCKDOWN = 6          # failures allowed before a user is locked
LOCKDOWN_SECONDS = 15 * 60
VERSION = "1.2.53"


@dataclass
class Session:
    state: KanboardState
    user: User | None            # None: the application token (no permission checks, user_id 0)

    @property
    def user_id(self) -> int:
        return self.user.id if self.user else 0


@dataclass
class Credentials:
    state: KanboardState
    authorization: str | None
    custom: str | None           # the API_AUTHENTICATION_HEADER value, when that header is configured


# -- authentication ---------------------------------------------------------------------------------------------

def authenticate(credentials: Credentials) -> Session:
    """HTTP Basic (or the configured custom header, raw base64 ``user:password``, which wins):
    a user with their password or personal API token, else ``jsonrpc`` with the application token."""
    pair = None
    if credentials.custom:
        pair = http.basic_pair(credentials.custom, strict=False)
        if pair:
            pair = (pair[0], pair[1].split(":", 1)[0])
    elif credentials.authorization and credentials.authorization[:6].lower() == "basic ":
        pair = http.basic_pair(credentials.authorization[6:], strict=False)
    if pair is None:
        raise Unauthorized()
    username, password = pair
    state = credentials.state
    if username != "jsonrpc":
        user = state.user_by_name(username)
        now = state.clock.time()
        if user is None or not user.is_active or user.locked_until > now:
            raise Unauthorized()
        if password == user.password or (user.api_access_token and password == user.api_access_token):
            user.failed_logins = 0
            return Session(state, user)
        user.failed_logins += 1
        if user.failed_logins > BRUTEFORCE_LOCKDOWN:
            user.locked_until = now + LOCKDOWN_SECONDS
        raise Unauthorized()
    if password == state.app_token:
        return Session(state, None)
    raise Unauthorized()


# -- authorization ------------------------------------------------------------------------------------------------

_APP_RANK = {APP_USER: 1, APP_MANAGER: 2, APP_ADMIN: 3}
_PROJECT_RANK = {PROJECT_VIEWER: 1, PROJECT_MEMBER: 2, PROJECT_MANAGER: 3}


def before(proc, session: Session) -> None:
    """``beforeProcedure``: ``My*`` procedures need a user; user credentials need the procedure's app role."""
    if session.user is None:
        if proc.meta.get("user_only"):
            raise Forbidden()
        return
    if _APP_RANK.get(session.user.role, 0) < _APP_RANK[proc.meta.get("app_role", APP_USER)]:
        raise Forbidden()


def _allow(session: Session, project_id: int | None, needed: str) -> None:
    """Project role check for user credentials; a project that resolves to nothing is 'Project Not Found': 403."""
    if session.user is None:
        return
    role = session.state.project_role(project_id, session.user.id)
    if _PROJECT_RANK.get(role, 0) < _PROJECT_RANK[needed]:
        raise Forbidden()


def _task_project(session: Session, task_id: Any) -> int | None:
    task = session.state.tasks.find(sql_id(task_id))
    return task.project_id if task else None


def _file_project(session: Session, file_id: Any) -> int | None:
    f = session.state.files.find(sql_id(file_id))
    return _task_project(session, f.owner_id) if f else None


# -- task files -------------------------------------------------------------------------------------------------

def createTaskFile(s: Session, project_id, task_id, filename, blob):
    """The role on ``project_id``, the task in it (PHP's ``!=``: ``true`` equals any project), then the role on
    the task's own project."""
    _allow(s, sql_id(project_id), PROJECT_MEMBER)
    task = s.state.tasks.find(sql_id(task_id))
    if task is None or not php.loose_equals(task.project_id, project_id):
        return False
    _allow(s, task.project_id, PROJECT_MEMBER)
    return _store(s, s.state.files, task_id, task.id, filename, blob)


def _store(s: Session, table, path_id, owner_id: int | None, filename, blob):
    """``FileModel::uploadContent``, step by step: lax base64 (an array dies), nothing or "0" is false, the
    path's id rule, the extension (an array name dies), GD for image names, then the insert, whose foreign key
    fails (false) when the owner does not exist."""
    data = php.lax_base64(blob)
    if data in (b"", b"0"):
        return False
    php.path_id(path_id)
    if isinstance(filename, (list, dict)):
        raise PhpFatalError()           # pathinfo(): Argument #1 must be of type string
    name = render.php_string(filename)
    if file_extension(name).lower() in ("jpeg", "jpg", "png", "gif") and not php.gd_can_read(data):
        raise PhpFatalError()           # the thumbnail fails (DivisionByZeroError or TypeError): no row written
    if owner_id is None:
        return False
    return s.state.add_file(table, owner_id, name, data, s.user_id).id


def getTaskFile(s: Session, file_id):
    _allow(s, _file_project(s, file_id), PROJECT_VIEWER)
    f = s.state.files.find(sql_id(file_id))
    return render.file_record(f) if f else None


def getAllTaskFiles(s: Session, task_id):
    _allow(s, _task_project(s, task_id), PROJECT_VIEWER)
    tid = sql_id(task_id)
    return [render.file_record(f, s.state.users) for f in s.state.files_of(s.state.files, tid)]


def downloadTaskFile(s: Session, file_id):
    _allow(s, _file_project(s, file_id), PROJECT_VIEWER)
    f = s.state.files.find(sql_id(file_id))
    data = s.state.blobs.read(f.blob) if f is not None else None
    return base64.b64encode(data).decode("ascii") if data is not None else ""


def removeTaskFile(s: Session, file_id):
    _allow(s, _file_project(s, file_id), PROJECT_MEMBER)
    fid = sql_id(file_id)
    return s.state.remove_file(s.state.files, fid) if fid is not None else False


def removeAllTaskFiles(s: Session, task_id):
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    tid = sql_id(task_id)
    return s.state.remove_all_files(s.state.files, tid) if tid is not None else True


# -- project files --------------------------------------------------------------------------------------------------

def _project_file(s: Session, project_id, file_id):
    """The file, if it exists and belongs to that project: ``(int) $file['project_id'] === (int) $project_id``."""
    f = s.state.project_files.find(sql_id(file_id))
    return f if f is not None and f.owner_id == php.php_int(project_id) else None


def createProjectFile(s: Session, project_id, filename, blob):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_MEMBER)
    project = s.state.projects.find(pid)
    return _store(s, s.state.project_files, project_id, project.id if project else None, filename, blob)


def getAllProjectFiles(s: Session, project_id):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_VIEWER)
    return [render.file_record(f, s.state.users, owner="project_id")
            for f in s.state.files_of(s.state.project_files, pid)]


def getProjectFile(s: Session, project_id, file_id):
    _allow(s, sql_id(project_id), PROJECT_VIEWER)
    f = _project_file(s, project_id, file_id)
    return render.project_file_row(f) if f else False


def downloadProjectFile(s: Session, project_id, file_id):
    _allow(s, sql_id(project_id), PROJECT_VIEWER)
    f = _project_file(s, project_id, file_id)
    data = s.state.blobs.read(f.blob) if f is not None else None
    return base64.b64encode(data).decode("ascii") if data is not None else ""


def removeProjectFile(s: Session, project_id, file_id):
    _allow(s, sql_id(project_id), PROJECT_MEMBER)
    f = _project_file(s, project_id, file_id)
    return s.state.remove_file(s.state.project_files, f.id) if f else False


def removeAllProjectFiles(s: Session, project_id):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_MEMBER)
    return s.state.remove_all_files(s.state.project_files, pid) if pid is not None else True


# -- users ---------------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def createUser(s: Session, username, password, name="", email="", role=APP_USER):
    username = render.php_string(username)
    if (not username or len(username) > 255 or s.state.user_by_name(username) is not None
            or len(render.php_string(password)) < 6 or role not in APP_ROLES
            or (email and not _EMAIL.fullmatch(render.php_string(email)))):
        return False
    return s.state.add_user(username, render.php_string(password), render.php_string(name),
                            render.php_string(email), role).id


def getUser(s: Session, user_id):
    user = s.state.users.find(sql_id(user_id))
    return user.row() if user else None


def getUserByName(s: Session, username):
    user = s.state.user_by_name(render.php_string(username))
    return user.row() if user else None


def getAllUsers(s: Session):
    return [u.row() for u in sorted(s.state.users.values(), key=lambda u: (u.username, u.id))]


def removeUser(s: Session, user_id):
    user = s.state.users.pop(sql_id(user_id) or 0, None)
    if user is None:
        return False
    for project in s.state.projects.values():
        project.members.pop(user.id, None)
    return True


def getMe(s: Session):
    assert s.user is not None              # user_only: the application token never gets here
    return s.user.session()


def getVersion(s: Session):
    return VERSION


# -- projects ------------------------------------------------------------------------------------------------------

def _project_record(s: Session, project) -> dict[str, Any]:
    def link(controller: str) -> str:
        return f"{s.state.app_url}?controller={controller}&action=show&project_id={project.id}"
    return {"id": project.id, "name": project.name, "is_active": project.is_active, "token": "",
            "last_modified": project.last_modified, "is_public": 0, "is_private": 0, "is_everybody_allowed": 0,
            "default_swimlane": "Default swimlane", "show_default_swimlane": 1, "description": project.description,
            "identifier": project.identifier, "start_date": "", "end_date": "", "owner_id": project.owner_id,
            "priority_default": 0, "priority_start": 0, "priority_end": 3, "email": None, **project.settings,
            "predefined_email_subjects": None, "per_swimlane_task_limits": 0, "task_limit": 0,
            "enable_global_tags": 1,
            "url": {"board": link("BoardViewController"), "list": link("TaskListController")}}


def createProject(s: Session, name, description=None, owner_id=0, identifier=None, start_date=None,
                  end_date=None, priority_default=None, priority_start=None, priority_end=None, email=None):
    """``ProjectProcedure::createProject``: ``ProjectValidator::validateCreation`` (name required; priorities
    integers; lengths; identifier alphanumeric and unique once upper-cased; project e-mail valid and unique),
    then ``ProjectModel::create`` (an owner that does not exist is false)."""
    owner = s.user_id if (s.user and owner_id == 0 and type(owner_id) is int) else owner_id
    ident = render.php_string(identifier).upper() if php.given(identifier) else identifier
    projects = s.state.projects.values()
    if not (php.given(name) and all(php.valid_integer(v) for v in (priority_default, priority_start, priority_end))
            and php.valid_max_length(name, 65535) and php.valid_max_length(ident, 50)
            and php.valid_max_length(start_date, 10) and php.valid_max_length(end_date, 10)
            and php.valid_alnum(ident) and php.valid_email(email)
            and not (php.given(ident) and any(p.identifier == ident for p in projects))
            and not (php.given(email) and any(p.settings.get("email") == email for p in projects))):
        return False
    if owner and php.given(owner) and s.state.users.find(sql_id(owner)) is None:
        return False
    settings = {k: v for k, v in (("start_date", start_date), ("end_date", end_date), ("email", email))
                if v is not None}
    settings |= {k: php.php_int(v) for k, v in (("priority_default", priority_default),
                                                ("priority_start", priority_start), ("priority_end", priority_end))
                 if v is not None}
    project = s.state.add_project(render.php_string(name), description,
                                  sql_id(owner) or 0, render.php_string(ident), **settings)
    if s.user is not None:
        project.members[s.user.id] = PROJECT_MANAGER
    return project.id


def getProjectById(s: Session, project_id):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_VIEWER)
    project = s.state.projects.find(pid)
    return _project_record(s, project) if project else None


def removeProject(s: Session, project_id):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_MANAGER)
    return s.state.remove_project(pid) if pid is not None else False


def addProjectUser(s: Session, project_id, user_id, role=PROJECT_MEMBER):
    pid, uid = sql_id(project_id), sql_id(user_id)
    _allow(s, pid, PROJECT_MANAGER)
    project = s.state.projects.find(pid)
    if project is None or uid is None or uid not in s.state.users or uid in project.members or role is None:
        return False                    # the insert fails: a missing row, a duplicate, a NULL role
    project.members[uid] = render.php_string(role)
    return True


def removeProjectUser(s: Session, project_id, user_id):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_MANAGER)
    project = s.state.projects.find(pid)
    return project is not None and project.members.pop(sql_id(user_id) or 0, None) is not None


def getProjectUsers(s: Session, project_id):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_MANAGER)
    project = s.state.projects.find(pid)
    if project is None:
        return []
    users = {str(uid): (s.state.users[uid].name or s.state.users[uid].username)
             for uid in sorted(project.members) if uid in s.state.users}
    return users or []


# -- tasks ---------------------------------------------------------------------------------------------------------

def _task_record(s: Session, task) -> dict[str, Any]:
    return {"id": task.id, "title": task.title, "description": task.description,
            "date_creation": task.date_creation, "color_id": task.color_id, "project_id": task.project_id,
            "column_id": task.column_id, "owner_id": task.owner_id, "position": task.position,
            "is_active": task.is_active, "date_completed": task.date_completed, "score": task.score,
            "date_due": task.date_due, "category_id": task.category_id, "creator_id": task.creator_id,
            "date_modification": task.date_modification, "reference": task.reference,
            "date_started": task.date_started, "time_spent": task.time_spent, "time_estimated": task.time_estimated,
            "swimlane_id": task.swimlane_id,
            "date_moved": task.date_moved, "recurrence_status": 0, "recurrence_trigger": 0, "recurrence_factor": 0,
            "recurrence_timeframe": 0, "recurrence_basedate": 0, "recurrence_parent": None,
            "recurrence_child": None, "priority": task.priority, "external_provider": None, "external_uri": None,
            "url": f"{s.state.app_url}?controller=TaskViewController&action=show&task_id={task.id}",
            "color": render.color(task.color_id)}


def _assignable(s: Session, project_id, user_id) -> bool:
    """``ProjectPermissionModel::isAssignable``: an active user with a role above viewer in the project."""
    user = s.state.users.find(sql_id(user_id))
    role = s.state.project_role(sql_id(project_id), user.id) if user and user.is_active else None
    return role in (PROJECT_MANAGER, PROJECT_MEMBER)


_TASK_INTEGERS = ("id", "project_id", "column_id", "owner_id", "creator_id", "score", "category_id", "swimlane_id",
                  "recurrence_factor", "recurrence_timeframe", "recurrence_basedate", "recurrence_trigger",
                  "recurrence_status", "priority")


def _task_rules(v: dict[str, Any], now: float) -> bool:
    """``TaskValidator::commonValidationRules`` over the values given, then ``validateStartAndDueDate``."""
    start, due = v.get("date_started"), v.get("date_due")
    return (all(php.valid_integer(v.get(name)) for name in _TASK_INTEGERS)
            and php.valid_range(v.get("score"), -2147483647, 2147483647)
            and (not php.given(v.get("swimlane_id")) or float(v["swimlane_id"]) > 0)
            and php.valid_max_length(v.get("title"), 65535) and php.valid_max_length(v.get("reference"), 191)
            and php.valid_date(due) and php.valid_date(start)
            and php.valid_numeric(v.get("time_spent")) and php.valid_numeric(v.get("time_estimated"))
            and not (start and due and (php.parse_date(start, now) or 0) > (php.parse_date(due, now) or 0)))


def _number(value) -> int | float | None:
    """A numeric value as SQLite's NUMERIC affinity stores it; empty is 0 (``resetFields``)."""
    if value is None:
        return None
    if not php.given(value) or not php.is_numeric(value):
        return 0
    number = float(value)
    return int(number) if number.is_integer() else number


def createTask(s: Session, title, project_id, color_id="", column_id=0, owner_id=0, creator_id=0, date_due="",
               description="", category_id=0, score=0, swimlane_id=None, priority=0, recurrence_status=0,
               recurrence_trigger=0, recurrence_factor=0, recurrence_timeframe=0, recurrence_basedate=0,
               reference="", tags=(), date_started="", time_spent=None, time_estimated=None):
    """``TaskProcedure::createTask``: owner and creator must be assignable unless exactly ``0``; the validator
    says false; the insert's foreign keys (project, column, swimlane) make ``0``."""
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_MEMBER)
    for user_id in (owner_id, creator_id):
        if not (user_id == 0 and type(user_id) is int) and not _assignable(s, project_id, user_id):
            return False
    now = s.state.clock.time()
    if not (php.given(project_id) and php.given(title) and _task_rules(locals(), now)):
        return False                    # validateCreation: project and title required, then the common rules
    project = s.state.projects.find(pid)
    column = sql_id(column_id) or (project.columns[0]["id"] if project else None)
    swimlane = sql_id(swimlane_id) or (project.swimlane_id if project else None)
    if (project is None or column not in s.state.every_column_id()
            or swimlane not in {p.swimlane_id for p in s.state.projects.values()}):
        return 0
    title = title if php.truthy(title) else "Untitled"      # prepare(): an empty title becomes "Untitled"
    task = s.state.add_task(project.id, render.php_string(title), column_id=column, swimlane_id=swimlane,
                            owner_id=sql_id(owner_id) or 0,
                            creator_id=sql_id(creator_id) or s.user_id,
                            description=render.php_string(description),
                            color_id=render.php_string(color_id) if php.truthy(color_id) else "yellow",
                            score=_number(score) or 0, priority=_number(priority) or 0,
                            category_id=sql_id(category_id) or 0, reference=render.php_string(reference),
                            date_due=php.parse_date(date_due, now) or 0,
                            date_started=php.parse_date(date_started, now) or 0,
                            time_spent=_number(time_spent), time_estimated=_number(time_estimated))
    return task.id


# -- discovery: what a client calls to find its projects and tasks ------------------------------------------------

def _by_name(projects) -> list[Any]:
    """``asc('name')`` on SQLite: by the name's bytes (code points), then by row."""
    return sorted(projects, key=lambda p: (p.name, p.id))


def getAllProjects(s: Session):
    return [_project_record(s, p) for p in _by_name(s.state.projects.values())]


def getProjectByName(s: Session, name):
    project = next((p for p in s.state.projects.values() if p.name == render.php_string(name)), None)
    if project is None:
        return False
    _allow(s, project.id, PROJECT_VIEWER)
    return _project_record(s, project)


def _my_projects(s: Session) -> list[Any]:
    """``getActiveProjectsByUser``: the active projects the caller has a role in."""
    assert s.user is not None              # user_only: the application token never gets here
    return _by_name(p for p in s.state.projects.values() if s.user.id in p.members and p.is_active)


def getProjectByIdentifier(s: Session, identifier):
    """``ProjectModel::getByIdentifier``: an empty identifier is false; compared upper-cased."""
    if not php.given(identifier) or identifier in ("0", 0, False, 0.0) or isinstance(identifier, (list, dict)):
        return False
    wanted = render.php_string(identifier).upper()
    project = next((p for p in s.state.projects.values() if p.identifier == wanted), None)
    if project is None:
        return False
    _allow(s, project.id, PROJECT_VIEWER)
    return _project_record(s, project)


def getMyProjects(s: Session):
    return [_project_record(s, p) for p in _my_projects(s)]


def getMyProjectsList(s: Session):
    """``(object) getProjectsByUser``: id -> name for every project the caller has a role in, active or not,
    by name; an object even when empty."""
    assert s.user is not None              # user_only: the application token never gets here
    return {str(p.id): p.name for p in _by_name(p for p in s.state.projects.values() if s.user.id in p.members)}


def getAllTasks(s: Session, project_id, status_id=1):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_VIEWER)
    status = sql_id(status_id)
    return [_task_record(s, t) for t in sorted(s.state.tasks.values(), key=lambda t: t.id)
            if t.project_id == pid and t.is_active == status]


def getTaskByReference(s: Session, project_id, reference):
    pid = sql_id(project_id)
    _allow(s, pid, PROJECT_VIEWER)
    wanted = render.php_string(reference)
    task = next((t for t in sorted(s.state.tasks.values(), key=lambda t: t.id)
                 if t.project_id == pid and t.reference == wanted), None)
    return _task_record(s, task) if task else None


def _search_row(s: Session, task, comments: Counter[int]) -> dict[str, Any]:
    """A row of ``TaskFinderModel::getExtendedQuery``: counts (``comments``: each task's), the task's columns,
    then the joined names."""
    owner = s.state.users.get(task.owner_id)
    return {"nb_comments": comments[task.id], "nb_files": len(s.state.files.of(task.id)),
            "nb_subtasks": 0, "nb_completed_subtasks": 0, "nb_links": 0, "nb_external_links": 0,
            "is_milestone": None, "id": task.id, "reference": task.reference, "title": task.title,
            "description": task.description, "date_creation": task.date_creation,
            "date_modification": task.date_modification, "date_completed": task.date_completed,
            "date_started": task.date_started, "date_due": task.date_due, "color_id": task.color_id,
            "project_id": task.project_id, "column_id": task.column_id, "swimlane_id": task.swimlane_id,
            "owner_id": task.owner_id, "creator_id": task.creator_id, "position": task.position,
            "is_active": task.is_active, "score": task.score, "category_id": task.category_id,
            "priority": task.priority, "date_moved": task.date_moved, "recurrence_status": 0,
            "recurrence_trigger": 0, "recurrence_factor": 0, "recurrence_timeframe": 0, "recurrence_basedate": 0,
            "recurrence_parent": None, "recurrence_child": None, "time_estimated": task.time_estimated,
            "time_spent": task.time_spent, "assignee_username": owner.username if owner else None,
            "assignee_name": owner.name if owner else None, "assignee_email": owner.email if owner else None,
            "assignee_avatar_path": None, "category_name": None, "category_description": None,
            "category_color_id": None, "column_name": s.state.column_title(task.column_id),
            "column_position": _column_position(s, task), "swimlane_name": "Default swimlane",
            "project_name": s.state.projects[task.project_id].name}


def _column_position(s: Session, task) -> int | None:
    """The position of the task's column, joined by id alone: a column of another project counts too."""
    return next((c["position"] for p in s.state.projects.values() for c in p.columns if c["id"] == task.column_id),
                None)


def searchTasks(s: Session, project_id, query):
    """The filter language (``search``) over the project's tasks, in row order."""
    _allow(s, sql_id(project_id), PROJECT_VIEWER)
    wanted = search.matcher(render.php_string(query), s.state, s.user_id)
    scope = search.in_project(project_id, s.state)
    comments = Counter(c.task_id for c in s.state.comments.values())          # counted once, not per row
    return [_search_row(s, t, comments) for t in sorted(s.state.tasks.values(), key=lambda t: t.id)
            if scope(t) and wanted(t)]


def updateTask(s: Session, id, title=None, color_id=None, owner_id=None, date_due=None, description=None,
               category_id=None, score=None, priority=None, recurrence_status=None, recurrence_trigger=None,
               recurrence_factor=None, recurrence_timeframe=None, recurrence_basedate=None, reference=None,
               tags=None, date_started=None, time_spent=None, time_estimated=None):
    """``TaskProcedure::updateTask``: null arguments are left out; a task that is not found is false; the owner
    must be assignable unless 0; ``validateApiModification``; then the row is written."""
    _allow(s, _task_project(s, id), PROJECT_MEMBER)
    task = s.state.tasks.find(sql_id(id))
    if task is None:
        return False
    if owner_id is not None and not php.loose_equals(0, owner_id) and not _assignable(s, task.project_id, owner_id):
        return False
    given = {k: v for k, v in locals().items() if k not in ("s", "task", "id", "tags") and v is not None}
    now = s.state.clock.time()
    if not _task_rules(given | {"id": id}, now):
        return False                    # validateApiModification
    for name, value in given.items():
        if name in ("date_due", "date_started"):
            value = php.parse_date(value, now) or 0
        elif name in ("time_spent", "time_estimated", "score", "priority"):
            value = _number(value) or 0
        elif name in ("owner_id", "category_id"):
            value = sql_id(value) or 0
        elif name in ("title", "description", "reference", "color_id"):
            value = render.php_string(value)
        else:
            continue                    # recurrence settings: not modelled
        setattr(task, name, value)
    task.date_modification = int(now)
    return True


def openTask(s: Session, task_id):
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    tid = sql_id(task_id)
    return s.state.set_task_open(tid, True) if tid is not None else False


def closeTask(s: Session, task_id):
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    tid = sql_id(task_id)
    return s.state.set_task_open(tid, False) if tid is not None else False


def getTask(s: Session, task_id):
    _allow(s, _task_project(s, task_id), PROJECT_VIEWER)
    task = s.state.tasks.find(sql_id(task_id))
    return _task_record(s, task) if task else None


def removeTask(s: Session, task_id):
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    tid = sql_id(task_id)
    return s.state.remove_task(tid) if tid is not None else False


# -- comments ---------------------------------------------------------------------------------------------------

def _hidden(role: str, visibility: Any) -> bool:
    """What an application role may not see or write: a manager the admins' comments, a user any but users'."""
    return (role == APP_MANAGER and visibility == APP_ADMIN) or (role == APP_USER and visibility != APP_USER)


def _check_comment(s: Session, comment_id: Any, needed: str) -> None:
    """``CommentAuthorization::check`` for user credentials: the role on the comment's task's project (none: 403),
    then an empty id, or a comment the user's role may not see, is 403."""
    if s.user is None:
        return
    comment = s.state.comments.find(sql_id(comment_id))
    task = s.state.tasks.find(comment.task_id) if comment else None
    _allow(s, task.project_id if task else None, needed)
    if not php.truthy(comment_id) or _hidden(s.user.role, comment.visibility if comment else APP_USER):
        raise Forbidden()


def _comment_valid(values: dict[str, Any], creation: bool) -> bool:
    """``CommentValidator``: every rule runs, in its order (``mb_strlen`` of an array reference is a TypeError)."""
    checks = [php.given(values["task_id"]), php.given(values["visibility"]),
              not php.given(values["visibility"]) or values["visibility"] is True
              or values["visibility"] in APP_ROLES] if creation else [php.given(values["id"])]
    checks += [php.valid_integer(values.get("id")), php.valid_integer(values.get("task_id")),
               php.valid_integer(values.get("user_id")), php.valid_max_length(values.get("reference"), 191),
               php.given(values["comment"])]
    return all(checks)


def createComment(s: Session, task_id, user_id, content, reference="", visibility=APP_USER):
    """``CommentProcedure::createComment``: a user writes as himself only, at a visibility his role may see;
    ``validateCreation``; the insert fails (false) when the task does not exist."""
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    if s.user is not None and (not php.loose_equals(s.user.id, user_id) or _hidden(s.user.role, visibility)):
        return False
    values = {"task_id": task_id, "user_id": user_id, "comment": content, "reference": reference,
              "visibility": visibility}
    if not _comment_valid(values, creation=True):
        return False
    task = s.state.tasks.find(sql_id(task_id))      # the foreign key (validated: digits or an int)
    if task is None:
        return False
    now = int(s.state.clock.time())
    comment = Comment(s.state.ids.take("comment", max(s.state.comments, default=0) + 1), task.id,
                      php.integer_affinity(php.bound(user_id)), now, now, php.bound(content) or "",
                      php.bound(reference), php.bound(visibility) or "")
    s.state.comments[comment.id] = comment
    return comment.id


def getComment(s: Session, comment_id):
    _check_comment(s, comment_id, PROJECT_VIEWER)
    comment = s.state.comments.find(sql_id(comment_id))
    return render.comment(comment, s.state.users) if comment else None


def getAllComments(s: Session, task_id):
    """The task's comments, oldest first; a user sees those his application role may."""
    _allow(s, _task_project(s, task_id), PROJECT_VIEWER)
    tid = sql_id(task_id)
    comments = sorted((c for c in s.state.comments.values() if c.task_id == tid),
                      key=lambda c: (c.date_creation, c.id))
    role = s.user.role if s.user else ""
    return [render.comment(c, s.state.users, brief=True) for c in comments
            if not role or not _hidden(role, c.visibility)]


def updateComment(s: Session, id, content):
    """A user changes his own comments; ``validateModification``; true when the statement ran, whether or not a
    row matched (as PicoDb's update says)."""
    _check_comment(s, id, PROJECT_MEMBER)
    comment = s.state.comments.find(sql_id(id))
    if s.user is not None and (comment is None or not php.loose_equals(s.user.id, comment.user_id)):
        return False
    if not _comment_valid({"id": id, "comment": content}, creation=False):
        return False
    if comment is not None:
        comment.comment, comment.date_modification = php.bound(content) or "", int(s.state.clock.time())
    return True


def removeComment(s: Session, comment_id):
    _check_comment(s, comment_id, PROJECT_MEMBER)
    comment = s.state.comments.find(sql_id(comment_id))
    if s.user is not None and (comment is None or not php.loose_equals(s.user.id, comment.user_id)):
        return False
    if comment is None:
        return False
    del s.state.comments[comment.id]
    return True


# -- task metadata --------------------------------------------------------------------------------------------------

def getTaskMetadata(s: Session, task_id):
    """``(object)`` of the task's name => value pairs, by name (SQLite's byte order)."""
    _allow(s, _task_project(s, task_id), PROJECT_VIEWER)
    pairs = s.state.metadata.get(sql_id(task_id) or 0, {})
    return {name: pairs[name] for name in sorted(pairs, key=lambda n: n.encode("utf-8", "surrogateescape"))}


def getTaskMetadataByName(s: Session, task_id, name):
    """The value, or "" when there is none or it is one of PHP's falsy strings (``?: ''``)."""
    _allow(s, _task_project(s, task_id), PROJECT_VIEWER)
    key = php.bound(name)                                   # a NULL name matches no row
    value = s.state.metadata.get(sql_id(task_id) or 0, {}).get(key) if key is not None else None
    return value if php.truthy(value) else ""


def saveTaskMetadata(s: Session, task_id, values):
    """Each pair updated, or inserted; an insert for a task that does not exist breaks its foreign key: false."""
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    task = s.state.tasks.find(sql_id(task_id))
    if task is None:
        return not values               # nothing to insert is true
    stored = s.state.metadata.setdefault(task.id, {})
    for key, value in (values.items() if isinstance(values, dict) else enumerate(values)):
        stored[str(key)] = php.bound(value)
    return True


def removeTaskMetadata(s: Session, task_id, name):
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    stored, key = s.state.metadata.get(sql_id(task_id) or 0, {}), php.bound(name)
    if key is None or key not in stored:
        return False
    del stored[key]
    return True


# -- columns and moving tasks ---------------------------------------------------------------------------------------

def _column(s: Session, column_id: Any) -> tuple[Any, dict[str, Any] | None]:
    cid = sql_id(column_id)
    return next(((p, c) for p in s.state.projects.values() for c in p.columns if c["id"] == cid), (None, None))


def getColumns(s: Session, project_id):
    """The project's columns by position, each a whole ``columns`` row."""
    _allow(s, sql_id(project_id), PROJECT_VIEWER)
    project = s.state.projects.find(sql_id(project_id))
    return [render.column(c, project.id) for c in sorted(project.columns, key=lambda c: (c["position"], c["id"]))] \
        if project else []


def getColumn(s: Session, column_id):
    project, column = _column(s, column_id)
    _allow(s, project.id if project else None, PROJECT_VIEWER)
    return render.column(column, project.id) if column else None


def moveTaskPosition(s: Session, project_id, task_id, column_id, position, swimlane_id):
    """``TaskPositionModel::movePosition`` as the API calls it (closed tasks too): the task must be in
    ``project_id`` (``(int)`` cast); a position below 1 is false; swimlane 0 keeps the task's; then the first of
    swimlane, column, position that differs is changed, the tasks around renumbered from 1; nothing to change is
    false. A column that does not exist breaks the foreign key: false, the renumbering undone, the task's
    ``date_moved`` written all the same (it runs outside the cancelled transaction)."""
    _allow(s, _task_project(s, task_id), PROJECT_MEMBER)
    task = s.state.tasks.find(sql_id(task_id))
    if (task.project_id if task else 0) != php.php_int(project_id):
        return False
    _allow(s, sql_id(project_id), PROJECT_MEMBER)
    if php.less_than(position, 1):
        return False
    if php.loose_equals(0, swimlane_id):
        swimlane_id = task.swimlane_id if task else None
    if task is None:
        # null against each of swimlane, column and position: something differs, every statement matches no row
        # and says true, then the move's events are fired with the null task: a TypeError, PHP dies
        if all(v is None or v is False or (isinstance(v, (int, float, list)) and not v) or v == ""
               for v in (swimlane_id, column_id, position)):
            return False
        raise PhpFatalError()
    project_key, column_key = php.integer_affinity(php.bound(project_id)), php.integer_affinity(php.bound(column_id))
    swimlane_key = php.integer_affinity(php.bound(swimlane_id))
    undo = {t.id: (t.position, t.column_id, t.swimlane_id) for t in s.state.tasks.values()}
    columns = s.state.every_column_id()

    def place(project, moved, at, column, swimlane) -> bool:
        """``saveTaskPositions``: the open tasks of that column and swimlane renumbered, ``moved`` put at ``at``."""
        others = sorted((t for t in s.state.tasks.values() if t.is_active == 1 and t.swimlane_id == swimlane
                         and t.project_id == project and t.column_id == column and t.id != moved.id),
                        key=lambda t: (t.position, t.id))
        offset = 1
        for other in others:
            if php.loose_equals(offset, at):
                if not save(moved, offset, column, swimlane):
                    return False
                offset += 1
            save(other, offset, column, swimlane)
            offset += 1
        return php.less_than(at, offset) or save(moved, offset, column, swimlane)

    def save(t, at, column, swimlane) -> bool:
        if column not in columns:
            return False                        # the column's foreign key
        t.position, t.column_id, t.swimlane_id = at, column, swimlane
        return True

    if not php.loose_equals(task.swimlane_id, swimlane_id) or not php.loose_equals(task.column_id, column_id):
        ok = place(project_key, task, 0, task.column_id, task.swimlane_id) and \
            place(project_key, task, position, column_key, swimlane_key)
        task.date_moved = task.date_modification = int(s.state.clock.time())
    elif not php.loose_equals(task.position, position):
        ok = place(project_key, task, position, column_key, swimlane_key)
    else:
        return False
    if not ok:                                      # the transaction rolled back
        for task_id, (at, column, swimlane) in undo.items():
            moved = s.state.tasks[task_id]
            moved.position, moved.column_id, moved.swimlane_id = at, column, swimlane
    return ok
