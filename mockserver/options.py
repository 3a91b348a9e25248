"""Vendor switches: each vendor declares its own (``Option``: name, default, one line of meaning, and the values it
takes), and ``Options`` holds the values in force. A server starts with each default, over it the fixture
section's ``options``, over that ``--set VENDOR.KEY=VALUE``; a test changes them while the server runs
(``PATCH /__admin/options``, ``taskmock.options(...)``) and a reset puts back the values it started with. An
unknown vendor or switch, or a value of the wrong type, is refused with one line that says which and what is
known; nothing of a refused change is applied."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, Mapping, TypeVar

if TYPE_CHECKING:
    from mockserver.vendor import Vendor

T = TypeVar("T")


@dataclass(frozen=True)
class Option:
    name: str
    default: bool | int | float | str
    help: str
    choices: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return {bool: "boolean", int: "integer", float: "number", str: "string"}[type(self.default)]

    def check(self, vendor: str, value: Any) -> Any:
        """``value`` as this switch takes it, or ValueError with one line."""
        kind = type(self.default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)           # --set toggl.unknown_task_list=404 reads 404 as JSON
        if type(value) is not kind:
            raise ValueError(f"{vendor}.{self.name} takes a {self.kind}, not {value!r}")
        if self.choices and value not in self.choices:
            raise ValueError(f"{vendor}.{self.name} takes one of {', '.join(self.choices)}, not {value!r}")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise ValueError(f"{vendor}.{self.name} takes a {self.kind} >= 0, not {value!r}")
        return value

    def describe(self) -> str:
        values = " | ".join(self.choices) if self.choices else self.kind
        return f"{self.name} ({values}, default {_text(self.default)}): {self.help}"


class Switch(Generic[T]):
    """A vendor state's attribute that reads the switch of its name in force: ``rate_limits = Switch(bool)``
    (the state keeps its switches as ``self.options``)."""

    def __init__(self, kind: Callable[[Any], T]):
        self.kind = kind
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, state: Any, owner: type | None = None) -> T:
        return self.kind(state.options[self.name])


def parse_pairs(pairs: list[str]) -> dict[str, dict[str, Any]]:
    """``["toggl.quota_enforced=true"]`` -> ``{"toggl": {"quota_enforced": True}}``: VALUE is JSON, or else the
    string as written (what ``--set`` and the ``taskmock_options`` ini option take)."""
    options: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        vendor, dot, name = key.partition(".")
        if not sep or not dot or not name:
            raise ValueError(f"{pair!r}: expected VENDOR.KEY=VALUE")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        options.setdefault(vendor, {})[name] = value
    return options


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


class Options:
    def __init__(self, vendors: list[Vendor], fixtures: Mapping[str, Any],
                 overrides: Mapping[str, Mapping[str, Any]]):
        self.declared = {v.name: {o.name: o for o in v.options} for v in vendors}
        self.values: dict[str, dict[str, Any]] = {v.name: {o.name: o.default for o in v.options} for v in vendors}
        for vendor in vendors:
            self.patch({vendor.name: fixtures.get(vendor.name, {}).get("options", {})})
        self.patch(overrides)
        self._start = {name: dict(values) for name, values in self.values.items()}

    def patch(self, changes: Mapping[str, Any]) -> None:
        """Apply ``{vendor: {switch: value}}`` whole, or nothing of it (ValueError, one line)."""
        checked: list[tuple[str, str, Any]] = []
        if not isinstance(changes, Mapping):
            raise ValueError("options are an object: {vendor: {switch: value}}")
        for vendor, values in changes.items():
            declared = self.declared.get(vendor)
            if declared is None:
                from mockserver.vendor import unknown_vendor
                raise ValueError(unknown_vendor(vendor, list(self.declared)))
            if not isinstance(values, Mapping):
                raise ValueError(f"options of {vendor} are an object: {{switch: value}}")
            for name, value in values.items():
                option = declared.get(name)
                if option is None:
                    known = ", ".join(declared) or "none"
                    raise ValueError(f"{vendor} has no switch {name!r}; its switches: {known}")
                checked.append((vendor, name, option.check(vendor, value)))
        for vendor, name, value in checked:
            self.values[vendor][name] = value

    def reset(self, vendor: str | None = None) -> None:
        """Back to the values the server started with, for every vendor or one (the dicts the vendors hold stay
        the same objects)."""
        for name, values in self._start.items():
            if vendor in (None, name):
                self.values[name].clear()
                self.values[name].update(values)

    def describe(self) -> dict[str, dict[str, dict[str, Any]]]:
        """What ``GET /__admin/options`` shows: per switch its value, default, type, values and meaning."""
        return {vendor: {name: {"value": self.values[vendor][name], "default": o.default, "type": o.kind,
                                **({"choices": list(o.choices)} if o.choices else {}), "help": o.help}
                         for name, o in declared.items()}
                for vendor, declared in self.declared.items()}
