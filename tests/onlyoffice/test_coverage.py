"""The ONLYOFFICE coverage table (``mockserver/onlyoffice/coverage.md``) and the operation table agree."""

from __future__ import annotations

import re
from pathlib import Path

from mockserver.onlyoffice import VENDOR

COVERAGE = Path(__file__).parents[2] / "mockserver" / "onlyoffice" / "coverage.md"


def test_every_operation_has_its_row_and_every_implemented_row_its_operation():
    rows = [line.split("|")[1:-1] for line in COVERAGE.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith(("| method", "| ---"))]
    implemented = set()
    for method, path, names, done, _ in rows:
        assert done.strip() in ("yes", "no"), (method, path)
        listed = re.findall(r"`([^`]+)`", names)
        assert bool(listed) == (done.strip() == "yes"), (method, path, names)
        implemented.update(listed)
    assert implemented == {op.name for op in VENDOR.operations}
