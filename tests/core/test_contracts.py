"""The contracts themselves: valid schemas, one params and one result contract per procedure."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from mockserver.contracts import Contracts
from mockserver.fixtures import Fake, data_dir, load_fixtures
from mockserver.kanboard.routes import OPERATIONS as KANBOARD_OPERATIONS


def test_every_contract_is_a_valid_schema():
    paths = sorted(data_dir("contracts").rglob("*.json"))
    assert paths
    for path in paths:
        Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_each_kanboard_procedure_has_its_contracts_and_signature():
    contracts = Contracts(["kanboard"])
    for op in KANBOARD_OPERATIONS:
        func = op.handler
        params = contracts.schema(f"kanboard/{func.__name__}.params")
        assert f"kanboard/{func.__name__}.result" in contracts
        code = func.__code__
        assert list(params["properties"]) == list(code.co_varnames[1:code.co_argcount]), func.__name__


def test_fixture_files_replace_whole_vendor_sections(tmp_path):
    own = tmp_path / "own.json"
    own.write_text('{"kanboard": {"users": []}}')
    assert load_fixtures(own)["kanboard"] == {"users": []}
    assert load_fixtures()["kanboard"]["users"]


def test_fake_data_is_seeded():
    assert Fake(1, "kanboard").name() == Fake(1, "kanboard").name()
    assert Fake(1, "kanboard").name() != Fake(2, "kanboard").name()


def test_a_broken_fixture_file_stops_the_server_at_start(tmp_path):
    import pytest

    from mockserver.app import create_app
    from mockserver.settings import Settings

    bad = tmp_path / "bad.json"
    bad.write_text('{"kanboard": {"users": [{"username": "x"}]}}')
    with pytest.raises(ValueError, match=r"^fixtures: kanboard.users\[0\] must contain \['password'\]"):
        create_app(Settings(fixtures=bad))


def test_the_compiled_checks_agree_with_jsonschema():
    contracts = Contracts(["kanboard"])
    samples = [None, True, 0, 1, -1, 1.5, "", "2.0", "x", [], [1], {}, {"a": 1}, {"jsonrpc": "2.0", "method": "m"},
               {"jsonrpc": 2.0, "method": "m"}, {"jsonrpc": "2.0", "method": 1}, {"jsonrpc": "2.0", "method": "m",
               "params": "p"}, {"jsonrpc": "2.0", "method": "m", "params": None}, {"jsonrpc": True, "method": "m"}]
    params = [{"project_id": 1, "task_id": 1, "filename": f, "blob": b} for f in ("x", 1, None, [], {}, True)
              for b in ("eA==", 2, None, [], {"a": 1}, False)]
    params += [{"title": "t", "project_id": 1, "tags": t} for t in ([], {}, "x", None, 1)]
    for name, instances in (("kanboard/request", samples), ("kanboard/createTaskFile.params", params),
                            ("kanboard/createTask.params", params)):
        for instance in instances:
            assert contracts.check(name)(instance) == contracts.validator(name).is_valid(instance), (name, instance)


def test_the_shipped_fixtures_keep_their_contracts():
    from mockserver.vendor import REGISTRY

    contracts = Contracts(list(REGISTRY))
    fixtures = load_fixtures()
    for vendor in REGISTRY:
        contracts.validator(f"{vendor}/fixtures").validate(fixtures[vendor])


def test_bitrix24_params_contracts_name_real_error_classes():
    from mockserver.bitrix24 import errors
    from mockserver.bitrix24.routes import OPERATIONS

    contracts = Contracts(["bitrix24"])
    named = [n for n in contracts.names("bitrix24") if n.endswith(".params")]
    assert {n.split("/")[1][: -len(".params")] for n in named} <= {op.name.lower() for op in OPERATIONS}
    for name in named:
        for prop in contracts.schema(name)["properties"].values():
            for key in ("x-missing", "x-invalid"):
                if key in prop:
                    assert issubclass(getattr(errors, prop[key]), errors.BitrixError), (name, prop[key])
