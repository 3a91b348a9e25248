"""How a Toggl Focus client finds its ids with nothing but a key, then works on what it found: over real HTTP,
every answer checked against the Swagger (the vendor's cut and focus-discovery.swagger.json) by the suite."""

from __future__ import annotations

import httpx
import pytest

KEY = "toggl_sk_mock_owner_key"
ORG = 1001


@pytest.fixture
def client(taskmock):
    with httpx.Client(base_url=taskmock.url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as c:
        yield c


def test_from_the_key_to_an_attachment_and_back(client):
    settings = client.get("/api/users/me/settings").json()
    workspace = settings["current_workspace_id"]
    assert workspace == 2001
    P = f"/api/organizations/{ORG}/workspaces/{workspace}"
    [website] = [p for p in client.get(f"{P}/projects").json()["data"] if p["name"] == "Website"]
    found = client.get(f"{P}/tasks", params={"name": "design", "project_id[]": website["id"]}).json()
    assert (found["page"], found["per_page"], found["total"]) == (1, 50, 1)
    [task] = found["data"]
    assert task["name"] == "Design review" and task["project_id"] == website["id"]
    created = client.post(f"{P}/tasks", json={"name": "From the tracker", "integration_ext_id": 9001,
                                              "integration_source": "jira", "position": None, "tag_ids": None})
    assert created.status_code == 201 and created.json()["metadata"] == {"external_id": "9001"}
    by_external = client.get(f"{P}/tasks/by-external-id", params={"external_id": "9001"})
    assert by_external.json()["id"] == created.json()["id"]
    task_id = by_external.json()["id"]
    upload = client.post(f"{P}/tasks/{task_id}/attachments", files={"file": ("a.txt", b"found it", "text/plain")},
                         data={"display_order": "0"})
    assert upload.status_code == 201
    assert [a["name"] for a in client.get(f"{P}/tasks/{task_id}/attachments").json()] == ["a.txt"]
    assert client.delete(f"{P}/tasks/{task_id}").status_code == 204
    gone = client.get(f"{P}/tasks/by-external-id", params={"external_id": "9001"})
    assert gone.status_code == 404 and gone.json()["error_description"] == "Task does not exist"


def test_paging_filters_and_order(client):
    P = f"/api/organizations/{ORG}/workspaces/2001"
    for n in range(4):
        client.post(f"{P}/tasks", json={"name": f"Batch {n}", "pinned": n % 2 == 0, "start_date": f"2027-01-0{n + 1}",
                                        "end_date": f"2027-01-0{n + 2}"})
    everything = client.get(f"{P}/tasks").json()
    assert everything["total"] == len(everything["data"]) == 6
    second = client.get(f"{P}/tasks", params={"per_page": 2, "page": 2}).json()
    assert [t["id"] for t in second["data"]] == [t["id"] for t in everything["data"][2:4]] and second["total"] == 6
    names = [t["name"] for t in client.get(f"{P}/tasks", params={"order_by": "-name", "name": "batch"}).json()["data"]]
    assert names == ["Batch 3", "Batch 2", "Batch 1", "Batch 0"]
    pinned = client.get(f"{P}/tasks", params={"pinned": "true", "name": "batch"}).json()["data"]
    assert [t["name"] for t in pinned] == ["Batch 0", "Batch 2"]
    overlap = client.get(f"{P}/tasks", params={"start_date": "2027-01-04", "end_date": "2027-01-04"}).json()["data"]
    assert [t["name"] for t in overlap] == ["Batch 2", "Batch 3"]
    assert client.get(f"{P}/tasks", params={"project_id": ""}).json()["total"] == 5      # tasks with no project
    too_many = client.get(f"{P}/tasks", params={"per_page": 101})
    assert too_many.status_code == 400 and too_many.json()["error_description"] == (
        "Key: 'Pagination.PerPage' Error:Field validation for 'PerPage' failed on the 'max' tag")
    assert client.get(f"{P}/tasks", params={"order_by": "nonsense"}).status_code == 400
    assert client.get(f"{P}/tasks", params={"pinned": "maybe"}).status_code == 400


def test_the_settings_follow_the_key_and_workspaces_stay_closed(taskmock):
    outsider = {"Authorization": "Bearer toggl_sk_mock_outsider_key"}
    assert httpx.get(taskmock.url + "/api/users/me/settings", headers=outsider).json()["current_workspace_id"] == 2002
    assert httpx.get(taskmock.url + "/api/users/me/settings").status_code == 401
    closed = httpx.get(taskmock.url + f"/api/organizations/{ORG}/workspaces/2001/tasks", headers=outsider)
    assert closed.status_code == 403


def test_a_wrong_method_names_every_method_the_path_takes(client):
    P = f"/api/organizations/{ORG}/workspaces/2001"
    assert client.patch(f"{P}/tasks/4001/attachments").headers["allow"] == "GET, HEAD, POST"
    assert client.put(f"{P}/tasks").headers["allow"] == "GET, HEAD, POST"
    assert client.post(f"{P}/tasks/4001").headers["allow"] == "DELETE, GET, HEAD"
