"""Kanboard's operation table: the JSON-RPC procedures on ``/jsonrpc.php``, each with its params contract (which
is also its signature) and its result contract.

``meta``: ``app_role`` (the application role a user's credentials need, ``UserAuthorization``), ``user_only``
(a ``My*`` procedure: user credentials only, the application token is refused)."""

from __future__ import annotations

from typing import Any, Callable

from mockserver.kanboard import handlers as h
from mockserver.kanboard.models import APP_ADMIN, APP_MANAGER, APP_USER
from mockserver.vendor import Operation


def _op(handler: Callable[..., Any], app_role: str = APP_USER, user_only: bool = False) -> Operation:
    name = handler.__name__
    return Operation(name, handler, request=f"kanboard/{name}.params", response=f"kanboard/{name}.result",
                     meta={"app_role": app_role, "user_only": user_only})


OPERATIONS = [
    _op(h.createTaskFile), _op(h.getTaskFile), _op(h.getAllTaskFiles), _op(h.downloadTaskFile),
    _op(h.removeTaskFile), _op(h.removeAllTaskFiles),
    _op(h.createProjectFile), _op(h.getAllProjectFiles), _op(h.getProjectFile), _op(h.downloadProjectFile),
    _op(h.removeProjectFile), _op(h.removeAllProjectFiles),
    _op(h.createUser, APP_ADMIN), _op(h.getUser, APP_ADMIN), _op(h.getUserByName, APP_ADMIN),
    _op(h.removeUser, APP_ADMIN), _op(h.getMe, user_only=True), _op(h.getVersion),
    _op(h.createProject, APP_MANAGER), _op(h.getProjectById), _op(h.removeProject), _op(h.addProjectUser),
    _op(h.removeProjectUser), _op(h.getProjectUsers),
    _op(h.createTask), _op(h.getTask), _op(h.removeTask),
    _op(h.getAllProjects, APP_ADMIN), _op(h.getProjectByName), _op(h.getMyProjects, user_only=True),
    _op(h.getMyProjectsList, user_only=True), _op(h.getAllTasks), _op(h.openTask), _op(h.closeTask),
    _op(h.getProjectByIdentifier), _op(h.getTaskByReference), _op(h.searchTasks), _op(h.updateTask),
    _op(h.getAllUsers, APP_ADMIN),
    _op(h.createComment), _op(h.getComment), _op(h.getAllComments), _op(h.updateComment), _op(h.removeComment),
    _op(h.getTaskMetadata), _op(h.getTaskMetadataByName), _op(h.saveTaskMetadata), _op(h.removeTaskMetadata),
    _op(h.getColumns), _op(h.getColumn), _op(h.moveTaskPosition),
]
