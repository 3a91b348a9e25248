"""Every vendor has the same shape: the same modules with the same roles, an operation table whose contracts
exist, handlers free of the web framework, and a response check in the test-suite."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.app import VendorRoutes
from mockserver.contracts import Contracts
from mockserver.pipeline import RouteWire
from mockserver.vendor import MODULES, REGISTRY, Operation, Vendor
from tests.contracts import CHECKS

VENDORS = {name: importlib.import_module(module).VENDOR for name, module in REGISTRY.items()}


def package_dir(name: str) -> Path:
    return Path(importlib.import_module(REGISTRY[name]).__file__).parent


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_vendor_has_the_same_modules(name):
    present = {p.stem for p in package_dir(name).glob("*.py")}
    assert set(MODULES) <= present, set(MODULES) - present
    vendor = VENDORS[name]
    assert vendor.name == name
    assert vendor.operations is importlib.import_module(f"{REGISTRY[name]}.routes").OPERATIONS
    assert vendor.wire is importlib.import_module(f"{REGISTRY[name]}.wire").WIRE
    assert vendor.make_state is importlib.import_module(f"{REGISTRY[name]}.models").STATE


@pytest.mark.parametrize("name", list(REGISTRY))
def test_handlers_know_nothing_of_the_web_framework(name):
    assert not {m for m in imports(package_dir(name) / "handlers.py") if m.split(".")[0] == "starlette"}


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_operation_is_named_once_and_its_contracts_exist(name):
    vendor = VENDORS[name]
    contracts = Contracts([name])
    names = [op.name.lower() for op in vendor.operations]
    assert len(names) == len(set(names)), "operation names are unique in a table"
    for op in vendor.operations:
        for contract in (op.request, op.response):
            assert contract is None or contract in contracts, (op.name, contract)
        assert (op.method is None) == (op.path is None), op.name
        if isinstance(vendor.wire, RouteWire):
            assert op.path and op.method, f"{name}: a route vendor's operation has a path and a method"
        if op.path:
            assert op.path.startswith(vendor.prefixes), f"{op.path}: the app only routes a vendor's prefixes to it"


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_request_contract_compiles(name):
    """They are compiled on first use, at run time: one that the validator cannot compile would be a crash."""
    contracts = Contracts([name])
    for op in VENDORS[name].operations:
        if op.request:
            contracts.check(op.request)(None)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_vendor_has_a_response_check(name):
    assert name in CHECKS


def test_a_table_that_names_a_missing_contract_builds_no_routes():
    kanboard = VENDORS["kanboard"]

    class Broken(Vendor):
        operations = (Operation("getVersion", kanboard.operations[0].handler,
                                request="kanboard/getVersion.params", response="kanboard/noSuch.result"),)

    broken = Broken(name="kanboard", prefixes=kanboard.prefixes, entry_path=kanboard.entry_path)
    with pytest.raises(ValueError, match=r"^kanboard: the operation table names contracts that do not exist: "
                                         r"kanboard/noSuch.result$"):
        VendorRoutes(broken, Contracts(["kanboard"])).table()


def test_the_package_list_ships_every_vendor():
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert set(REGISTRY.values()) <= set(pyproject["tool"]["setuptools"]["packages"])


def test_a_vendor_is_declared_at_start_and_loaded_at_its_first_request():
    """Start-up pays for no vendor's modules: they load when a request first reaches the vendor."""
    probe = """
import sys
from starlette.testclient import TestClient
from mockserver.app import create_app
app = create_app()
loaded = lambda: sorted(m for m in sys.modules if m.startswith("mockserver.") and m.count(".") == 2
                        and m.split(".")[1] in {"kanboard", "bitrix24", "toggl", "projectcor", "onlyoffice"})
print(loaded())
with TestClient(app) as client:
    client.post("/jsonrpc.php", json={"jsonrpc": "2.0", "method": "getVersion", "id": 1},
                auth=("jsonrpc", "kanboard-app-token"))
print(loaded())
"""
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", probe], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert {m.split(".")[1] for m in ast.literal_eval(out[1])} == {"kanboard"}
