"""``sonet_group.get``: how an integration finds the workgroup whose tasks and Drive it works in, through b24pysdk
(its method and its ORM-like manager), fast_bitrix24 inside a batch, and plain HTTP."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.bitrix24.conftest import HOOK          # Boris (user 2): a member of Marketing (5), not of Finance (6)


def test_a_member_finds_his_groups_and_the_visible_ones(b24):
    groups = b24.sonet_group.get().result
    assert [(g["ID"], g["NAME"], g["OWNER_ID"], g["VISIBLE"]) for g in groups] == [("5", "Marketing", "2", "Y")]
    assert groups[0]["NUMBER_OF_MEMBERS"] == "2" and groups[0]["PROJECT"] == "N"
    assert b24.sonet_group.get(group_id=6).result == []             # hidden, and he is no member
    assert [g["ID"] for g in b24.sonet_group.get(filter={"%NAME": "ARK"}).result] == ["5"]
    assert b24.sonet_group.get(filter={"%NAME": "nothing"}).result == []


def test_the_sdk_objects_read_a_group(b24):
    """b24pysdk's object manager parses every field of a row (dates, Y/N flags, ids) and filters by lookups."""
    from b24pysdk.objects.sonet_group import SonetGroup

    groups = SonetGroup.objects.using(client=b24)
    [marketing] = list(groups.filter(name__contains="ark"))
    assert (marketing.bitrix_id, marketing.name, marketing.owner_id) == (5, "Marketing", 2)
    assert (marketing.visible, marketing.project, marketing.number_of_members) == (True, False, 2)
    assert marketing.date_create.year >= 2024
    assert list(groups.filter(name__contains="zzz")) == [] and list(groups.filter(bitrix_id__gt=5)) == []


def test_its_workgroup_storage_follows_from_the_group(taskmock):
    """The id a group list gives is the ``ENTITY_ID`` of that group's Drive storage, and the ``GROUP_ID`` its tasks
    are made in, in one batch."""
    from fast_bitrix24 import Bitrix

    fast = Bitrix(f"{taskmock.url}/rest/1/adminhook", verbose=False)
    found = fast.call_batch({"halt": 0, "cmd": {
        "groups": "sonet_group.get?ORDER[NAME]=ASC",
        "storages": "disk.storage.getlist?filter[ENTITY_TYPE]=group",
    }})
    assert [(g["ID"], g["NAME"]) for g in found["groups"]] == [("6", "Finance"), ("5", "Marketing")]
    assert {s["ENTITY_ID"] for s in found["storages"]} == {"5", "6"}


def test_order_filter_paging_and_names_in_any_case(taskmock):
    hook = f"{taskmock.url}/rest/1/adminhook/sonet_group.get"
    assert [g["ID"] for g in httpx.post(hook, json={}).json()["result"]] == ["6", "5"]             # ID desc
    named = httpx.post(hook, json={"order": {"name": "asc"}, "filter": {"PROJECT": "Y"}}).json()
    assert [g["NAME"] for g in named["result"]] == ["Finance"] and named["total"] == 1
    assert httpx.post(hook, json={"start": 50}).json()["result"] == []
    form = httpx.post(hook, data={"FILTER[>=ID]": "6"}).json()
    assert [g["ID"] for g in form["result"]] == ["6"]


def test_the_scope_is_needed(taskmock):
    """A webhook without ``sonet_group`` (Clara's holds task, disk, user_brief) is refused as every method is."""
    refused = httpx.post(f"{taskmock.url}/rest/3/c3webhook/sonet_group.get", json={})
    assert refused.status_code == 401 and refused.json()["error"] == "insufficient_scope"
    allowed = httpx.post(f"{taskmock.url}/rest/{HOOK}/sonet_group.get", json={})
    assert allowed.status_code == 200


@pytest.fixture
def hidden_group(tmp_path):
    from mockserver.pytest_plugin import AsgiHandle
    from mockserver.settings import Settings

    fixtures = tmp_path / "b24.json"
    fixtures.write_text(json.dumps({"bitrix24": {
        "users": [{"id": 1, "name": "Ada", "admin": True}, {"id": 2, "name": "Ben"}],
        "webhooks": [{"user_id": 1, "code": "adminhook", "scopes": ["sonet_group"]}],
        "groups": [{"id": 9, "name": "Board", "members": [2], "visible": False}],
    }}))
    handle = AsgiHandle(Settings(vendors=("bitrix24",), fixtures=fixtures))
    yield handle
    handle.close()


def test_an_administrator_sees_a_hidden_group_only_with_is_admin(hidden_group):
    hook = "/rest/1/adminhook/sonet_group.get"
    assert hidden_group.post(hook, json={}).json()["result"] == []
    assert hidden_group.post(hook, json={"IS_ADMIN": "N"}).json()["result"] == []
    [board] = hidden_group.post(hook, json={"IS_ADMIN": "Y"}).json()["result"]
    assert (board["ID"], board["VISIBLE"], board["OWNER_ID"]) == ("9", "N", "2")
