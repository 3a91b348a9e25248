"""A tiny JSON-RPC caller for the tests: exact bodies in, status + parsed reply out."""

from __future__ import annotations

import base64
import json
from typing import Any


def basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Rpc:
    def __init__(self, handle, username: str = "jsonrpc", password: str | None = None):
        self.handle = handle
        password = handle.kanboard.token if password is None and username == "jsonrpc" else password
        if password is None:
            password = handle.kanboard.users[username]
        self.headers = basic(username, password)

    def raw(self, body: bytes | str, headers: dict[str, str] | None = None):
        body = body.encode() if isinstance(body, str) else body
        return self.handle.post("/jsonrpc.php", content=body, headers=self.headers if headers is None else headers)

    def call(self, method: str, params: Any = None, request_id: Any = 1) -> dict[str, Any]:
        payload = {"jsonrpc": "2.0", "method": method, "id": request_id}
        if params is not None:
            payload["params"] = params
        response = self.raw(json.dumps(payload))
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()

    def __call__(self, method: str, *params: Any) -> Any:
        reply = self.call(method, list(params))
        assert "error" not in reply, reply
        return reply["result"]
