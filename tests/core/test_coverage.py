"""Each vendor's coverage table (``mockserver/<vendor>/coverage.md``) and its operation table agree: every
operation has its row, every row marked implemented names operations that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockserver.vendor import REGISTRY, load

ROOT = Path(__file__).parents[2] / "mockserver"


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_operation_has_its_row_and_every_implemented_row_its_operation(name):
    [vendor] = load([name])
    table = (ROOT / name / "coverage.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in table.splitlines()
            if line.startswith("| ") and not line.startswith(("| method", "| ---"))]
    implemented = set()
    for method, path, names, done, _ in rows:
        assert done.strip() in ("yes", "no"), (method, path)
        listed = re.findall(r"`([^`]+)`", names)
        assert bool(listed) == (done.strip() == "yes"), (method, path, names)
        implemented.update(listed)
    assert implemented == {op.name for op in vendor.operations}
