"""ProjectCOR over real HTTP: how an integration finds the project whose tasks it files documents in (the
paginated list with its filters, one project, a search by name), and a task's messages that point at its
attachments."""

from __future__ import annotations

import json

import httpx
import pytest


@pytest.fixture
def client(taskmock):
    token = httpx.post(f"{taskmock.url}/v1/oauth/token", params={"grant_type": "client_credentials"},
                       auth=("cor-api-key", "cor-client-secret")).json()["access_token"]
    with httpx.Client(base_url=taskmock.url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def test_projects_are_listed_paged_filtered_and_found_by_name(client):
    listed = client.get("/v1/projects").json()
    assert (listed["total"], listed["perPage"], listed["page"], listed["lastPage"]) == ("2", 20, 1, 1)
    spring, report = listed["data"]
    assert (spring["id"], spring["name"], spring["client_id"], spring["status"]) == \
        (8001, "Spring campaign", 301, "active")
    assert spring["pm"]["id"] == spring["pm_id"] == 61 and spring["company_id"] == 5001
    assert (report["status"], report["archived"]) == ("finished", True)

    def ids(filters: dict) -> list[int]:
        return [p["id"] for p in client.get("/v1/projects", params={"filters": json.dumps(filters)}).json()["data"]]

    assert ids({"status": "in_process"}) == [8001] and ids({"status": "finished"}) == [8002]
    assert ids({"archived": 1}) == [8002] and ids({"archived": 2}) == [8001]
    assert ids({"client_id": 302}) == [8002] and ids({"user_id": 61}) == [8001, 8002]
    assert [p["id"] for p in client.get("/v1/projects", params={"page": "false"}).json()] == [8001, 8002]
    second = client.get("/v1/projects", params={"perPage": 1, "page": 2}).json()
    assert [p["id"] for p in second["data"]] == [8002] and second["lastPage"] == 2

    assert client.get("/v1/projects/8002").json()["name"] == "Annual report"
    missing = client.get("/v1/projects/999")
    assert (missing.status_code, missing.json()) == (404, {"message": "Project not found"})
    assert [p["id"] for p in client.get("/v1/projects/search-by-name/CAMPAIGN").json()] == [8001]
    assert client.get("/v1/projects/search-by-name/nothing").json() == []
    assert client.get("/v1/projects", params={"filters": "[1"}).status_code == 400


def test_a_task_created_in_a_new_project_makes_it_listed(client):
    made = client.post("/v1/tasks", json={"title": "Brochure", "project_id": 8100})
    assert made.status_code == 200
    assert client.get("/v1/projects/8100").json()["name"] == "Project 8100"


def test_task_messages_point_at_its_attachments(client):
    uploaded = client.post("/v1/tasks/7001/attachments", files={"file": ("brief.pdf", b"%PDF brief", "application/pdf")})
    [stored] = uploaded.json()["files"]
    posted = client.post("/v1/tasks/7001/messages", json={
        "message": "Brief attached", "attachments": [
            {"id": stored["id"]},
            {"name": "moodboard", "url": "https://drive.example/mood", "type": "link", "source": "Drive"}]})
    assert posted.status_code == 200
    message = posted.json()
    [own, external] = message["attachments"]
    assert (own["id"], own["name"], own["type"]) == (stored["id"], "brief.pdf", "pdf")
    assert client.get(own["url"]).content == b"%PDF brief"
    assert (external["id"], external["url"]) == (None, "https://drive.example/mood")
    client.post("/v1/tasks/7001/messages", json={"message": "Second"})
    assert [m["message"] for m in client.get("/v1/tasks/7001/messages").json()] == ["Brief attached", "Second"]
    assert client.get("/v1/tasks/7002/messages").json() == []

    client.request("DELETE", "/v1/tasks/7001/attachments", json={"attachments": [stored["id"]]})
    assert [a["id"] for a in client.get("/v1/tasks/7001/messages").json()[0]["attachments"]] == [None]


def test_refused_messages(client):
    own = client.post("/v1/tasks/7001/attachments", files={"file": ("own.txt", b"o", "text/plain")}).json()
    assert own["files"][0]["id"] == 1                          # what a bool or a float 1 would wrongly name
    other = client.post("/v1/tasks/7002/attachments", files={"file": ("x.txt", b"x", "text/plain")}).json()
    refused = client.post("/v1/tasks/7001/messages", json={"message": "m", "attachments": [{"id": other["files"][0]["id"]}]})
    assert (refused.status_code, refused.json()["code"]) == (404, "FS003")
    for wrong in (True, "1", 1.0, [1]):                        # only a whole number names an attachment
        assert client.post("/v1/tasks/7001/messages", json={"message": "m", "attachments": [{"id": wrong}]}
                           ).json()["code"] == "FS003"
    assert client.post("/v1/tasks/7001/messages", json={"message": " "}).status_code == 400
    assert client.post("/v1/tasks/7001/messages", json={"message": "m", "attachments": "x"}).status_code == 400
    missing = client.get("/v1/tasks/999999/messages")
    assert (missing.status_code, missing.json()) == (404, {"message": "Task not found"})
    assert client.get("/v1/tasks/7001/messages").json() == []          # nothing was stored by the refusals
    assert client.post("/v1/tasks/7001/messages", json={"message": "m", "attachments": [{"id": 1}]}).status_code == 200
