"""ProjectCOR under the clock and fault rules: an access token expires when the clock passes its life and the
refresh flow recovers; a 429 the client must back off from."""

from __future__ import annotations

import httpx


def test_a_token_expires_with_the_clock_and_the_refresh_flow_recovers(taskmock):
    c = taskmock.projectcor
    pair = httpx.post(f"{taskmock.url}/v1/oauth/token", params={"grant_type": "client_credentials"},
                      auth=(c.api_key, c.client_secret)).json()
    attachments = f"{taskmock.url}/v1/tasks/{c.task_ids[0]}/attachments"
    assert httpx.get(attachments, headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code == 200
    taskmock.advance(3601)
    expired = httpx.get(attachments, headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert (expired.status_code, expired.json()) == (401, {"message": "Token expired"})
    renewed = httpx.post(f"{taskmock.url}/v1/oauth/refreshtoken", data={"refresh_token": pair["refresh_token"]})
    assert renewed.status_code == 200
    again = httpx.get(attachments, headers={"Authorization": f"Bearer {renewed.json()['access_token']}"})
    assert again.status_code == 200 and again.json()["data"] == []


def test_a_429_to_back_off_from(taskmock):
    c = taskmock.projectcor
    taskmock.fault("projectcor", operation="oauth.token", error="TooManyRequests", times=1)
    token = f"{taskmock.url}/v1/oauth/token"
    refused = httpx.post(token, params={"grant_type": "client_credentials"}, auth=(c.api_key, c.client_secret))
    assert (refused.status_code, refused.json()) == (429, {"message": "Too many requests"})
    assert httpx.post(token, params={"grant_type": "client_credentials"},
                      auth=(c.api_key, c.client_secret)).status_code == 200
