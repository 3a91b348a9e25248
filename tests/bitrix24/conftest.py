"""The Bitrix24 tests' clients: b24pysdk on Boris's webhook over the HTTPS mode (it hard-codes https), and an
HTTP client that trusts the same certificate, for the URLs replies hand out."""

from __future__ import annotations

import ssl

import httpx
import pytest

HOOK = "2/b2webhook"            # user 2 (Boris); task 3701 is his, 3702 is Clara's (user 3)


@pytest.fixture
def b24(taskmock_https, monkeypatch):
    from b24pysdk import BitrixWebhook, Client

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", taskmock_https.ca_path)
    domain = taskmock_https.url.split("//", 1)[1]
    return Client(BitrixWebhook(domain=domain, webhook_token=HOOK), max_retries=1)


@pytest.fixture
def https(taskmock_https):
    with httpx.Client(verify=ssl.create_default_context(cafile=taskmock_https.ca_path), timeout=30) as client:
        yield client
