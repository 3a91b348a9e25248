"""ProjectCOR over real HTTP, as an integration that acts for a user finds its work: the authorization-code
flow (consent, code, token), the task list with its filters, a task created, files uploaded to it and found
again through its project, the task deleted."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest


def _code(taskmock, state="s1"):
    consent = httpx.get(f"{taskmock.url}/oauth2/authorize", params={
        "name": "My app", "response_type": "code", "redirect_uri": "https://app.example/callback", "state": state})
    assert consent.status_code == 302
    target = urlsplit(consent.headers["location"])
    assert (target.netloc, target.path) == ("app.example", "/callback")
    query = parse_qs(target.query)
    assert query["state"] == [state]
    return query["code"][0]


@pytest.fixture
def client(taskmock):
    code = _code(taskmock)
    # the vendor's own SDK sends the code as a multipart form field
    token = httpx.post(f"{taskmock.url}/v1/oauth2/token", params={"grant_type": "authorization_code"},
                       files={"code": (None, code)})
    assert token.status_code == 200 and token.json()["token_type"] == "Bearer"
    with httpx.Client(base_url=taskmock.url, timeout=30,
                      headers={"Authorization": f"Bearer {token.json()['access_token']}"}) as c:
        yield c


def test_an_authorization_code_is_good_once(taskmock):
    code = _code(taskmock)
    first = httpx.post(f"{taskmock.url}/v1/oauth2/token", params={"grant_type": "authorization_code", "code": code})
    again = httpx.post(f"{taskmock.url}/v1/oauth2/token", params={"grant_type": "authorization_code", "code": code})
    assert first.status_code == 200 and again.status_code == 401
    assert again.json() == {"message": "Invalid authorization code"}
    wrong_grant = httpx.post(f"{taskmock.url}/v1/oauth2/token", params={"grant_type": "password", "code": code})
    assert wrong_grant.status_code == 400
    me = httpx.get(f"{taskmock.url}/v1/me", headers={"Authorization": f"Bearer {first.json()['access_token']}"})
    assert me.json()["id"] == 61
    no_redirect = httpx.get(f"{taskmock.url}/oauth2/authorize", params={"response_type": "code"})
    assert no_redirect.status_code == 400


def test_find_a_task_work_on_it_and_delete_it(client):
    listed = client.get("/v1/tasks", params={"filters": json.dumps({"projects": [8001]})}).json()
    assert listed["total"] == "2" and {t["project_id"] for t in listed["data"]} == {8001}
    created = client.post("/v1/tasks", json={"title": "Write the release notes", "project_id": 8001,
                                             "deadline": "2027-01-15T18:00:00Z", "priority": 3,
                                             "status": "en_proceso"})
    assert created.status_code == 200
    task = created.json()
    assert (task["status"], task["priority"], task["deadline"], task["created_by"]) == \
        ("en_proceso", 3, "2027-01-15T18:00:00Z", 61)
    found = client.get("/v1/tasks", params={"filters": json.dumps({"status": "en_proceso", "title": "release"})})
    assert [t["id"] for t in found.json()["data"]] == [task["id"]]
    assert client.get(f"/v1/tasks/{task['id']}").json() == task
    upload = client.post(f"/v1/tasks/{task['id']}/attachments",
                         files=[("file", ("notes.txt", b"draft", "text/plain")), ("file", ("x.exe", b"MZ", None))])
    assert upload.json()["files_q"] == 1 and [e["filename"] for e in upload.json()["errors"]] == ["x.exe"]
    by_project = client.get("/v1/projects/8001/attachments").json()
    assert [(a["name"], a["type"]) for a in by_project] == [("notes.txt", "txt")]
    url = by_project[0]["url"]
    assert client.get(url).content == b"draft"
    assert client.delete(f"/v1/tasks/{task['id']}").status_code == 204
    assert client.get(f"/v1/tasks/{task['id']}").status_code == 404
    assert client.get(url).status_code == 404                       # its files went with it
    assert client.get("/v1/projects/8001/attachments").json() == []
    assert client.get("/v1/projects/999/attachments").json() == {"message": "Project not found"}


def test_task_lists_page_and_refuse_what_they_cannot_read(client):
    for n in range(3):
        client.post("/v1/tasks", data={"title": f"Form task {n}", "project_id": "8002"})     # a form body too
    every = client.get("/v1/tasks", params={"page": "false"}).json()
    assert isinstance(every, list) and len(every) == 5
    second = client.get("/v1/tasks", params={"page": 2, "perPage": 2}).json()
    assert (second["total"], second["page"], second["lastPage"]) == ("5", 2, 3)
    assert [t["id"] for t in second["data"]] == [t["id"] for t in every[2:4]]
    assert client.get("/v1/tasks", params={"filters": "{not json"}).status_code == 400
    for bad in ({"project_id": 8001}, {"title": "x", "project_id": "abc"}, {"title": "x", "project_id": 8001, "status": "done"},
                {"title": "x", "project_id": 8001, "priority": 7}, {"title": "x", "project_id": 8001,
                                                                    "deadline": "someday"}):
        refused = client.post("/v1/tasks", json=bad)
        assert refused.status_code == 400 and "message" in refused.json(), bad


def test_the_undocumented_choices_are_switchable(taskmock, client):
    taskmock.options("projectcor", task_create_status=201, unknown_filter="400")
    assert client.post("/v1/tasks", json={"title": "x", "project_id": 8001}).status_code == 201
    assert client.get("/v1/tasks", params={"filters": json.dumps({"pm": 61})}).status_code == 400


def test_update_search_and_a_task_without_a_project(client):
    """``TaskInput`` needs a title alone; ``PUT`` takes ``TaskUpdateInput`` (title required, the rest when sent);
    ``search-by-title`` answers an array."""
    loose = client.post("/v1/tasks", json={"title": "Loose end"}).json()
    assert loose["project_id"] is None and loose["archived"] is False
    updated = client.put(f"/v1/tasks/{loose['id']}", json={"title": "Tied end", "project_id": 8001,
                                                            "status": "finalizada", "archived": True})
    assert updated.status_code == 200
    body = updated.json()
    assert (body["title"], body["project_id"], body["status"], body["archived"], body["priority"]) == (
        "Tied end", 8001, "finalizada", True, 1)
    assert client.get(f"/v1/tasks/{loose['id']}").json() == body
    assert client.put(f"/v1/tasks/{loose['id']}", json={"status": "nueva"}).status_code == 400   # no title
    assert client.put("/v1/tasks/999", json={"title": "x"}).status_code == 404
    assert [t["id"] for t in client.get("/v1/tasks/search-by-title/TIED").json()] == [loose["id"]]
    assert client.get("/v1/tasks/search-by-title/nothing-like-it").json() == []


def test_user_credentials_login(taskmock):
    """``POST /v1/auth/login`` with a form: a token pair for that user, as the OAuth routes answer."""
    user = taskmock.projectcor.users[0]
    answer = httpx.post(f"{taskmock.url}/v1/auth/login", data={"email": user["email"], "password": user["password"]})
    assert answer.status_code == 200 and set(answer.json()) == {"access_token", "token_type", "expires_in",
                                                                "refresh_token"}
    me = httpx.get(f"{taskmock.url}/v1/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"})
    assert me.json()["email"] == user["email"]
    wrong = httpx.post(f"{taskmock.url}/v1/auth/login", data={"email": user["email"], "password": "nope"})
    assert (wrong.status_code, wrong.json()) == (401, {"message": "Invalid email or password"})
    assert httpx.post(f"{taskmock.url}/v1/auth/login", data={"email": user["email"]}).status_code == 400
