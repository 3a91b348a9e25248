"""JSON Schema contracts: every schema under ``contracts/`` is loaded when the app is built.

A contract is named by its path below ``contracts/`` without ``.json``: ``kanboard/createTaskFile.params``.
A vendor's own Swagger 2.0 document (``*.swagger.json``) is kept whole in ``documents``; each of its
definitions becomes a contract of its own name (``toggl/models.TaskAttachment``), and each of its operations is
named by its ``operationId`` (``toggl/create-task-attachment``): an operation table may name it as the response
contract, the declared response of each status being the contract of that answer. ``name[]`` stands for a
list of contract ``name``.
Request contracts are enforced by the server (each vendor maps a breach to the error that vendor sends);
response contracts are checked by the test-suite on every response it sees.

Two validators serve two needs. ``check(name)`` compiles the schema to Python code with fastjsonschema, for
the request path: about 1 µs a request where jsonschema takes 17 µs, a fifth of a request's cost. The vendors'
check is compiled on its first use (a start compiling every one would pay some 150 ms before the first answer),
once per process: the schemas read and the checks compiled are shared by every app of the process (a pytest
session builds one per test). That every contract is a valid schema is the test-suite's to check; that each one
an operation table names exists is checked at start. ``validator(name)`` is jsonschema's, for the test-suite and
tools; it is imported on first use, which keeps it out of start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import fastjsonschema

from mockserver.fixtures import data_dir


DRAFT4 = "http://json-schema.org/draft-04/schema#"


def _predicate(validate: Callable[[Any], Any]) -> Callable[[Any], bool]:
    def check(instance: Any) -> bool:
        try:
            validate(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True
    return check


def swagger_schema(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """A Swagger 2.0 schema as a standalone Draft 4 schema, carrying the definitions it reaches through
    ``#/definitions/...`` references (only those: compiling the whole set costs 20 ms a schema)."""
    definitions = document.get("definitions", {})
    reached: dict[str, Any] = {}
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                name = ref[len("#/definitions/"):]
                if name not in reached and name in definitions:
                    reached[name] = definitions[name]
                    pending.append(definitions[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    nullable = _nullable({**schema, "definitions": reached})
    return {"$schema": DRAFT4, **nullable}


def _nullable(node: Any) -> Any:
    """Swagger's ``x-nullable: true`` as JSON Schema says it: ``null`` is accepted too (a copy; the document
    stays as it is)."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items()}
    if out.pop("x-nullable", False) is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "$ref" in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@dataclass
class _VendorContracts:
    """One vendor's contracts as read from its folder, and the checks compiled from them. Both depend on the
    files alone, so every app of a process shares them: a pytest session builds an app per test."""
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    home: dict[str, dict[str, Any]] = field(default_factory=dict)
    compiled: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


_READ: dict[tuple[Path, str], _VendorContracts] = {}
_PARTS: dict[str, Callable[[Any], bool]] = {}          # schema text -> predicate, shared the same way
_NONE = _VendorContracts()                             # the contracts of a vendor not served: none


def _read(root: Path, vendor: str) -> _VendorContracts:
    found = _READ.get((root, vendor))
    if found is None:
        found = _READ[(root, vendor)] = _VendorContracts()
        swaggers = []
        for path in sorted((root / vendor).glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            if path.name.endswith(".swagger.json"):
                found.documents[f"{vendor}/{path.name[:-len('.swagger.json')]}"] = document
                swaggers.append(document)
            else:
                found.schemas[f"{vendor}/{path.name[:-5]}"] = document
        # a vendor's Swagger documents resolve each other's definitions (their own first)
        pool = {name: d for document in swaggers for name, d in document.get("definitions", {}).items()}
        for document in swaggers:
            home = {"definitions": {**pool, **document.get("definitions", {})}}
            for name, definition in document.get("definitions", {}).items():
                found.schemas[f"{vendor}/{name}"] = swagger_schema(definition, home)
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    if isinstance(operation, dict) and "operationId" in operation:
                        key = f"{vendor}/{operation['operationId']}"
                        found.operations[key], found.home[key] = operation, home
    return found


class Contracts:
    """The contracts of the vendors served. A vendor's folder is read on the first look at one of its contracts
    (its first request, usually), and its checks compiled on their first use; both are shared by every app of
    the process."""

    def __init__(self, vendors: tuple[str, ...] | list[str], root: Path | None = None):
        self.root = root or data_dir("contracts")
        self.vendors = tuple(vendors)
        self._validators: dict[str, Any] = {}

    def _of(self, name: str) -> _VendorContracts:
        vendor = name.split("/", 1)[0]
        return _read(self.root, vendor) if vendor in self.vendors else _NONE

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        name = name[:-2] if name.endswith("[]") else name
        read = self._of(name)
        return name in read.schemas or name in read.operations

    def declared(self, name: str, status: int) -> dict[str, Any] | None:
        """The response Swagger operation ``name`` declares for ``status`` (its ``schema`` made standalone),
        or None when it declares none."""
        read = self._of(name)
        declared = read.operations[name]["responses"].get(str(status))
        if declared is None:
            return None
        if "schema" not in declared:
            return declared
        return {**declared, "schema": swagger_schema(declared["schema"], read.home[name])}

    def schema(self, name: str) -> dict[str, Any]:
        return self._of(name).schemas[name]

    def document(self, name: str) -> dict[str, Any]:
        """A vendor's Swagger document as its file holds it: ``toggl/focus``."""
        return self._of(name).documents[name]

    def names(self, vendor: str) -> list[str]:
        return list(self._of(vendor + "/").schemas)

    def _compile(self, name: str) -> Callable[[Any], Any]:
        compiled = self._of(name).compiled
        check = compiled.get(name)
        if check is None:
            check = compiled[name] = fastjsonschema.compile(self.schema(name))
        return check

    def compile(self, schema: dict[str, Any]) -> Callable[[Any], bool]:
        """A predicate for a schema that is not a contract of its own (a part of one), compiled on its first use;
        equal schemas share one."""
        key = json.dumps(schema, sort_keys=True)

        def keeps(instance: Any) -> bool:
            check = _PARTS.get(key)
            if check is None:
                check = _PARTS[key] = _predicate(fastjsonschema.compile(schema))
            return check(instance)
        return keeps

    def error(self, name: str, instance: Any) -> str | None:
        """Why ``instance`` breaks contract ``name``, or None when it keeps it."""
        try:
            self._compile(name)(instance)
        except fastjsonschema.JsonSchemaValueException as exc:
            return exc.message
        return None

    def check(self, name: str) -> Callable[[Any], bool]:
        """A predicate, compiled on its first use: does an instance keep contract ``name``?"""
        compiled: Callable[[Any], Any] | None = None

        def keeps(instance: Any) -> bool:
            nonlocal compiled
            if compiled is None:
                compiled = self._compile(name)
            try:
                compiled(instance)
            except fastjsonschema.JsonSchemaException:
                return False
            return True
        return keeps

    def validator(self, name: str):
        """jsonschema's validator for contract ``name``, of the draft its ``$schema`` names; a ``$ref`` to
        ``other.json`` finds the vendor's contract ``other``."""
        if name not in self._validators:
            from jsonschema.validators import validator_for
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            vendor = name.split("/")[0]
            registry = Registry().with_resources(
                (f"{other.split('/', 1)[1]}.json", Resource.from_contents(self.schema(other), DRAFT202012))
                for other in self.names(vendor))
            schema = self.schema(name)
            self._validators[name] = validator_for(schema)(schema, registry=registry)
        return self._validators[name]
