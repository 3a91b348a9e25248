"""Kanboard's task filter language (``searchTasks``), as ``Core/Filter/Lexer`` and ``LexerBuilder`` read it.

The lexer: ``attribute:`` tokens (case-insensitive) take the string right after them (quotes dropped; a space
in between loses the value); every other word joins the left-over text, which goes whole to the default filter,
``title``. Several values of one attribute are OR-ed; different attributes AND-ed. Text matching is SQLite's
``LIKE``: ``%`` and ``_`` are wildcards and only ASCII letters fold case.

Filters applied: ``title`` (digits or ``#digits`` also match the id), ``status`` (open, closed, or a number),
``assignee`` and ``creator`` (digits, ``me``, ``nobody``, ``anybody``, else the username or name),
``id``, ``reference``/``ref`` (``none``, ``*`` as wildcard), ``description``, ``comment`` (any comment
containing it), ``project`` (digits: the id, else the name ``LIKE`` the value as given), ``column`` (digits:
the id, else the title exactly), ``swimlane`` (the name ``LIKE`` the value, digits included), ``color`` (id).
The lexer knows Kanboard's other attributes (dates, category, priority, score, link, tag, subtask:assignee);
the mock does not model what they filter on, so a query that uses one matches no task.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from mockserver.kanboard import php

_ATTRIBUTES = ("assignee", "category", "color", "priority", "column", "comment", "created", "creator",
               "description", "due", "started", "completed", "id", "link", "modified", "updated", "moved",
               "project", "reference", "ref", "score", "status", "subtask:assignee", "swimlane", "tag", "title")
_ATTRIBUTE = re.compile(r"(%s):" % "|".join(sorted(map(re.escape, _ATTRIBUTES), key=len, reverse=True)),
                        re.IGNORECASE)
_STRINGS = [re.compile(p) for p in (r"[<=>]{0,2}[0-9]{4}-[0-9]{2}-[0-9]{2}", r"[<=>]{1,2}\w+", r'[<=>]{1,2}".+"',
                                    r'"(.*?)"', r"\S+")]
_WHITESPACE = re.compile(r"\s+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def tokens(query: str) -> dict[str, list[str]]:
    """``Lexer::tokenize`` then ``map``: attribute -> values, the left-over text under ``title``."""
    found: list[tuple[str, str]] = []
    rest = query
    while rest:
        match = _ATTRIBUTE.match(rest)
        if match:
            found.append((match.group(1).lower(), match.group(0)))
        elif (match := _WHITESPACE.match(rest)):
            found.append(("T_WHITESPACE", match.group(0)))
        else:
            match = next(m for m in (p.match(rest) for p in _STRINGS) if m)
            found.append(("T_STRING", match.group(0).replace('"', "")))
        rest = rest[match.end():]
    mapped: dict[str, list[str]] = {}
    left_over, i = "", 0
    while i < len(found):
        kind, text = found[i]
        if kind in ("T_STRING", "T_WHITESPACE"):
            left_over += text
        else:
            i += 1
            if i < len(found) and found[i][0] == "T_STRING":
                mapped.setdefault(kind, []).append(found[i][1])
        i += 1
    if left_over.strip():
        mapped["title"] = [left_over.strip()]
    return mapped


def like(pattern: str, text: str | None) -> bool:
    """SQLite ``text LIKE pattern``: ``%`` any run, ``_`` one character, ASCII case folded."""
    if text is None:
        return False
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern.translate(_ASCII_LOWER))
    return re.fullmatch(regex, text.translate(_ASCII_LOWER), re.DOTALL) is not None


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _person(value: str, user_id: int, current: int, users: dict[int, Any]) -> bool:
    if _digits(value):
        return user_id == int(value)
    if value == "me":
        return user_id == current
    if value == "nobody":
        return user_id == 0
    if value == "anybody":
        return user_id > 0
    user = users.get(user_id)
    return user is not None and (like(f"%{value}%", user.username) or like(f"%{value}%", user.name))


def _filter(attribute: str, value: str, state: Any, current: int) -> Callable[[Any], bool]:
    if attribute == "title":
        numeric = _digits(value) or (len(value) > 1 and value[0] == "#" and _digits(value[1:]))
        return lambda t: (numeric and t.id == int(value.lstrip("#"))) or like(f"%{value}%", t.title)
    if attribute == "status":
        wanted = {"open": 1, "closed": 0}.get(value, int(value) if _digits(value) else None)
        return (lambda t: True) if wanted is None else (lambda t: t.is_active == wanted)
    if attribute == "assignee":
        return lambda t: _person(value, t.owner_id, current, state.users)
    if attribute == "creator":
        return lambda t: _person(value, t.creator_id, current, state.users)
    if attribute == "id":
        return lambda t: _digits(value) and t.id == int(value)
    if attribute in ("reference", "ref"):
        if value == "none":
            return lambda t: t.reference in ("", None)
        return lambda t: like(value.replace("*", "%"), t.reference)
    if attribute == "description":
        return lambda t: like(f"%{value}%", t.description)
    if attribute == "project":              # TaskProjectFilter
        if _digits(value) and int(value) < 2147483647:
            return lambda t: t.project_id == int(value)
        return lambda t: like(value, state.projects[t.project_id].name)
    if attribute == "column":               # TaskColumnFilter
        if _digits(value):
            return lambda t: t.column_id == int(value)
        return lambda t: state.column_title(t.column_id) == value
    if attribute == "swimlane":             # TaskSwimlaneFilter
        return lambda t: like(value, "Default swimlane")
    if attribute == "comment":              # TaskCommentFilter: the tasks of the comments that hold it
        holding = {c.task_id for c in state.comments.values() if like(f"%{value}%", c.comment)}
        return lambda t: t.id in holding
    if attribute == "color":
        return lambda t: t.color_id == value.lower()
    return lambda t: False


def in_project(value: Any, state: Any) -> Callable[[Any], bool]:
    """``TaskProjectFilter`` of ``searchTasks``' own ``project_id``: an int, or digits below 2147483647 (a
    float's string, but not ``true``, which is not less than a number), is the id; anything else is a name
    ``LIKE`` PHP's string of it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return lambda t: t.project_id == value
    text = php.bound(value)
    if text is None:
        return lambda t: False                             # LIKE NULL
    if _digits(text) and not isinstance(value, bool) and float(text) < 2147483647:
        return lambda t: t.project_id == int(text)
    return lambda t: like(text, state.projects[t.project_id].name)


def matcher(query: str, state: Any, current: int) -> Callable[[Any], bool]:
    """The task predicate the query builds: each attribute's values OR-ed, the attributes AND-ed."""
    groups = [[_filter(attribute, value, state, current) for value in values]
              for attribute, values in tokens(query).items()]
    return lambda task: all(any(f(task) for f in group) for group in groups)
