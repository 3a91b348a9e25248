"""Vendor switches and the clock, steered while the server runs: what each vendor declares, the one-line
refusals, and a reset that puts back what the server started with."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mockserver.pytest_plugin import AsgiHandle
from mockserver.settings import Settings

TASKS = "/api/organizations/1001/workspaces/2001/tasks"


def test_every_switch_is_listed_with_its_type_default_and_meaning(taskmock_asgi):
    listed = taskmock_asgi.get("/__admin/options").json()
    assert listed["toggl"]["error_body"] == {"value": "swagger", "default": "swagger", "type": "string",
                                             "choices": ["swagger", "object"], "help": listed["toggl"]
                                             ["error_body"]["help"]}
    assert listed["bitrix24"]["rate_limits"]["value"] is False and listed["kanboard"] == {}
    printed = subprocess.run([sys.executable, "-m", "mockserver", "options"], capture_output=True, text=True,
                             timeout=60).stdout.splitlines()
    assert any(line.startswith("toggl.quota_enforced (boolean, default false): ") for line in printed)
    assert any(line.startswith("projectcor.task_create_status (integer, default 200): ") for line in printed)
    assert len(printed) == sum(len(v) for v in listed.values())


def test_a_switch_changes_the_answer_at_once_and_reset_puts_it_back(taskmock_asgi):
    auth = {"Authorization": f"Bearer {taskmock_asgi.toggl.api_key}"}
    assert taskmock_asgi.get(f"{TASKS}/9/attachments", headers=auth).json() == "Task does not exist"
    changed = taskmock_asgi.request("PATCH", "/__admin/options", json={"toggl": {"error_body": "object",
                                                                                 "unknown_task_list": "empty"}})
    assert changed.json()["toggl"]["error_body"]["value"] == "object"
    assert taskmock_asgi.get(f"{TASKS}/9/attachments", headers=auth).json() == []
    assert taskmock_asgi.get(f"{TASKS}/9", headers=auth).json()["error"] == "not_found"
    taskmock_asgi.post("/__admin/reset", json={})
    assert taskmock_asgi.get("/__admin/options").json()["toggl"]["error_body"]["value"] == "swagger"


@pytest.mark.parametrize("change, message", [
    ({"toggl": {"quota_enforced": "no"}}, "toggl.quota_enforced takes a boolean, not 'no'"),
    ({"toggl": {"quota": True}}, "toggl has no switch 'quota'; its switches: quota_enforced, error_body, "
                                 "unknown_task_list"),
    ({"kanbord": {}}, "unknown vendor 'kanbord'; known: kanboard, bitrix24, toggl, projectcor, onlyoffice"),
    ({"toggl": {"error_body": "object", "unknown_task_list": "never"}},
     "toggl.unknown_task_list takes one of 404, empty, not 'never'"),
    ([], "options are an object: {vendor: {switch: value}}"),
])
def test_a_wrong_switch_is_400_and_changes_nothing(taskmock_asgi, change, message):
    reply = taskmock_asgi.request("PATCH", "/__admin/options", json=change)
    assert (reply.status_code, reply.json()) == (400, {"error": message})
    assert taskmock_asgi.get("/__admin/options").json()["toggl"]["error_body"]["value"] == "swagger"


def test_start_time_switches_are_checked_the_same_way():
    with pytest.raises(ValueError, match=r"^vendor 'bitrix24' is not served by this server \(served: toggl\)$"):
        AsgiHandle(Settings(vendors=("toggl",), extra={"bitrix24": {"rate_limits": True}}))
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--set",
                             "toggl.quota_enforced=no"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (2, "mockserver: toggl.quota_enforced takes a boolean, not 'no'\n")


def test_the_clock_moves_forward_only_and_reset_brings_it_back(taskmock_asgi):
    before = taskmock_asgi.get("/__admin/clock").json()
    moved = taskmock_asgi.post("/__admin/clock", json={"advance": 7200}).json()
    assert moved["offset"] == 7200 and moved["time"] - before["time"] >= 7200
    for body in ({"advance": -1}, {"advance": "1"}, {}):
        assert taskmock_asgi.post("/__admin/clock", json=body).status_code == 400
    taskmock_asgi.post("/__admin/reset", json={})
    assert taskmock_asgi.get("/__admin/clock").json()["offset"] == 0
