"""Toggl Focus under fault rules and the clock: a 402 with its quota headers in the middle of uploads, and the
hourly quota back after an hour that no test waits for."""

from __future__ import annotations

import httpx
import pytest

P = "/api/organizations/1001/workspaces/2001"
FREE = "/api/organizations/1002/workspaces/2002/attachments/storage"


@pytest.fixture
def client(taskmock):
    with httpx.Client(base_url=taskmock.url, headers={"Authorization": f"Bearer {taskmock.toggl.api_key}"}) as c:
        yield c


def upload(client, name):
    return client.post(f"{P}/tasks/4001/attachments", files={"file": (name, b"data", "text/plain")},
                       data={"display_order": "0"})


def test_an_upload_gets_the_quota_402_with_its_headers(client, taskmock):
    taskmock.fault("toggl", operation="create-task-attachment", error="QuotaExceeded", after=1, times=1)
    assert upload(client, "1.txt").status_code == 201
    refused = upload(client, "2.txt")
    assert refused.status_code == 402
    assert refused.json()["error"] == "quota_exceeded" and refused.headers["x-toggl-quota-remaining"] == "0"
    assert int(refused.headers["x-toggl-quota-resets-in"]) > 0
    assert upload(client, "3.txt").status_code == 201
    assert [a["name"] for a in client.get(f"{P}/tasks/4001/attachments").json()] == ["1.txt", "3.txt"]


def test_the_hourly_quota_comes_back_when_the_clock_moves(client, taskmock):
    taskmock.options("toggl", quota_enforced=True)
    assert [client.get(FREE).status_code for _ in range(31)] == [200] * 30 + [402]
    taskmock.advance(3600)
    back = client.get(FREE)
    assert back.status_code == 200 and back.headers["x-toggl-quota-remaining"] == "29"
