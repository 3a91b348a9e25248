"""JSON Schema contracts: every schema under ``contracts/`` is loaded and compiled once, when the app is built.

A contract is named by its path below ``contracts/`` without ``.json``: ``kanboard/createTaskFile.params``.
Request contracts are enforced by the server (each vendor maps a breach to the error that vendor sends);
response contracts are checked by the test-suite on every response it sees.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from mockserver.fixtures import data_dir


class Contracts:
    def __init__(self, vendors: tuple[str, ...] | list[str], root: Path | None = None):
        self.root = root or data_dir("contracts")
        self.schemas: dict[str, dict[str, Any]] = {}
        self.validators: dict[str, Draft202012Validator] = {}
        for vendor in vendors:
            for path in sorted((self.root / vendor).glob("*.json")):
                name = f"{vendor}/{path.name[:-5]}"
                schema = json.loads(path.read_text(encoding="utf-8"))
                self.schemas[name] = schema
                self.validators[name] = Draft202012Validator(schema)

    def __contains__(self, name: str) -> bool:
        return name in self.validators

    def schema(self, name: str) -> dict[str, Any]:
        return self.schemas[name]

    def validator(self, name: str) -> Draft202012Validator:
        return self.validators[name]

    def names(self, vendor: str) -> list[str]:
        prefix = vendor + "/"
        return [n for n in self.schemas if n.startswith(prefix)]
