"""ONLYOFFICE over real HTTP: updating a task and its status as ``UpdateProjectTask`` and ``UpdateTask`` do it,
with ``ProjectSecurity.CanUpdateEntity``'s rights, in JSON and in XML."""

from __future__ import annotations

import pytest

from tests.onlyoffice.test_documents import Api


def ids(people: list[dict]) -> list[str]:
    return [p["id"] for p in people]


def test_an_update_replaces_what_it_is_sent_and_clears_what_it_is_not(taskmock):
    manager, member = Api(taskmock, "manager", "json"), Api(taskmock, "member", "json")
    me = member("GET", "people/@self")["id"]
    updated = manager("PUT", "project/task/1", json={
        "title": "Prepare the report", "description": "numbers for Q3", "deadline": "2027-01-15T17:00:00.000Z",
        "startDate": "2027-01-10", "priority": "high", "responsibles": [me, me]})
    assert updated["title"] == "Prepare the report" and updated["description"] == "numbers for Q3"
    assert updated["deadline"].startswith("2027-01-15T17:00:00") and updated["startDate"].startswith("2027-01-10")
    assert updated["priority"] == 1 and ids(updated["responsibles"]) == [me]
    assert member("GET", "project/task/@self")[0]["id"] == 1        # his task now

    # what a PUT leaves out it clears; what it cannot parse is 400 with ApiDateTime's text
    again = manager("PUT", "project/task/1", json={"title": "Prepare the report"})
    assert again["description"] is None and "deadline" not in again and again["responsibles"] == []
    assert again["priority"] == 1                                    # priority is kept when not sent
    bad = manager("PUT", "project/task/1", status=400, json={"title": "x", "deadline": "15/01/2027 17:00"})
    assert bad["message"] == "invalid date time format: 15/01/2027 17:00"
    empty = manager("PUT", "project/task/1", status=400, json={"title": ""})
    assert empty["message"] == "title can't be empty\nParameter name: title"
    assert manager("PUT", "project/task/1", status=404, json={"title": "x", "milestoneid": 4})["message"] \
        == "Milestone not found"
    manager("PUT", "project/task/999", status=404, json={"title": "x"})


def test_who_may_update_a_task(taskmock):
    manager, member = Api(taskmock, "manager", "json"), Api(taskmock, "member", "json")
    stranger = Api(taskmock, "stranger", "json")
    stranger_id = stranger("GET", "people/@self")["id"]
    member_id = member("GET", "people/@self")["id"]

    # a team member may change a task with no responsible, and taking it for himself is allowed
    taken = member("PUT", "project/task/2", json={"title": "Mine now", "responsibles": [member_id]})
    assert ids(taken["responsibles"]) == [member_id] and taken["canEdit"] is True
    # someone outside the team reads the open project's task but may not change it, nor be made responsible
    assert stranger("GET", "project/task/2")["canEdit"] is False
    assert stranger("PUT", "project/task/2", status=403, json={"title": "Hijacked"})["message"] == "Access denied."
    manager("PUT", "project/task/2", status=403, json={"title": "Mine now", "responsibles": [stranger_id]})
    # the same values are no change, and need no right
    same = stranger("PUT", "project/task/2", json={"title": "Mine now", "responsibles": [member_id]})
    assert same["title"] == "Mine now"
    # a private project's task is not found by a stranger
    stranger("PUT", "project/task/3", status=404, json={"title": "x"})


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_closing_and_reopening_a_task(taskmock, fmt):
    manager = Api(taskmock, "manager", fmt)
    closed = manager("PUT", "project/task/1/status", json={"status": "closed"})
    assert manager.get(closed, "status") == "2"
    # closing a task without responsibles makes the caller its responsible
    assert manager.get(closed, "responsibles/id" if fmt == "xml" else "responsibles/0/id") \
        == manager.get(manager("GET", "people/@self"), "id")
    assert manager.get(manager("PUT", "project/task/1/status", json={"status": 1}), "status") == "1"
    # only open and closed have a default status: any other is the server's 403
    as_json = Api(taskmock, "manager", "json")
    refused = as_json("PUT", "project/task/1/status", status=403, json={"status": "notaccept"})
    assert refused["message"] == "Sequence contains no matching element"
    as_json("PUT", "project/task/1/status", status=400, json={"status": "finished"})


def test_the_status_of_many_tasks_leaves_out_those_that_fail(taskmock):
    member, stranger = Api(taskmock, "member", "json"), Api(taskmock, "stranger", "json")
    done = member("PUT", "project/task/status", json={"taskids": [1, 2, 3, 999], "status": "closed"})
    assert [t["id"] for t in done] == [1, 2, 3] and {t["status"] for t in done} == {2}
    assert stranger("PUT", "project/task/status", json={"taskids": [1, 2], "status": "open"}) == []
    assert [t["status"] for t in member("GET", "project/1/task")] == []           # the list shows open tasks


def test_a_projects_team_with_each_members_files_right(taskmock):
    api = Api(taskmock, "stranger", "json")
    team = api("GET", "project/2/team")                 # the server checks nothing but that the project exists
    by_name = {p["userName"]: p for p in team}
    assert set(by_name) == {"manager", "member", "guest"}
    assert [p["displayName"] for p in team] == sorted(p["displayName"] for p in team)
    assert (by_name["member"]["canReadFiles"], by_name["guest"]["canReadFiles"]) == (True, False)
    assert list(team[0])[:2] == ["canReadFiles", "canReadMilestones"] and team[0]["isRemovedFromTeam"] is False
    assert api("GET", "project/99/team", status=404)["message"] == "Item not found"
