"""Differential run: the same random sequences of JSON-RPC calls into a real Kanboard and into the mock, each
answer compared after normalising what legitimately differs (timestamps, stored paths and their etags).

Not part of the suite (it needs PHP): run it by hand where ``kanboard_up.sh`` can start the recorded Kanboard.

    python tests/kanboard/differential.py PATH/TO/kanboard_up.sh [--sequences 200] [--seed 1]

Both sides start empty but for Kanboard's own ``admin`` user, so ids line up as long as both behave alike;
a difference is printed with the call that showed it, and the run ends with its figure: sequences, calls,
mismatched calls.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

TOKEN = "secret-token"
TIMES = {"date_creation", "date_modification", "date_moved", "last_modified", "date", "date_completed"}


def normalise(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in TIMES and isinstance(item, int) and item > 1_000_000_000:
                item = "<time>"
            elif key == "path" and isinstance(item, str):
                item = re.sub(r"/[0-9a-f]{40}$", "/<sha1>", item)
            elif key == "etag":
                item = "<etag>"
            out[key] = normalise(item)
        return out
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def differences(left: Any, right: Any, at: str = "") -> list[str]:
    """Where two normalised answers part: one line per differing leaf."""
    if isinstance(left, dict) and isinstance(right, dict):
        return [line for key in dict.fromkeys([*left, *right])
                for line in differences(left.get(key, "<absent>"), right.get(key, "<absent>"), f"{at}.{key}")]
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)) and len(left) == len(right):
        return [line for i, (a, b) in enumerate(zip(left, right)) for line in differences(a, b, f"{at}[{i}]")]
    return [] if left == right else [f"{at or '.'}: real {str(left)[:150]} | mock {str(right)[:150]}"]


def calls(rng: random.Random, ids: dict[str, list[int]]) -> list[tuple[str, Any]]:
    """One sequence: a handful of calls on ids seen so far (and a few that do not exist)."""
    def some(kind: str) -> Any:
        known = ids[kind]
        return rng.choice(known) if known and rng.random() < 0.85 else rng.choice([0, 999, "1", -1])
    makers = [
        lambda: ("createProject", {"name": f"P{rng.randrange(1000)}"}),
        lambda: ("createTask", {"title": rng.choice(["t", "Task ü", "x" * 30]), "project_id": some("project")}),
        lambda: ("createTaskFile", [some("project"), some("task"), rng.choice(["a.txt", "b.png", "ü.pdf"]),
                                    base64.b64encode(rng.randbytes(rng.randrange(1, 40))).decode()]),
        lambda: ("getAllTaskFiles", {"task_id": some("task")}),
        lambda: ("getTaskFile", [some("file")]),
        lambda: ("downloadTaskFile", [some("file")]),
        lambda: ("removeTaskFile", [some("file")]),
        lambda: ("getTask", [some("task")]),
        lambda: ("getAllTasks", {"project_id": some("project"), "status_id": rng.choice([0, 1])}),
        lambda: ("closeTask", [some("task")]),
        lambda: ("openTask", [some("task")]),
        lambda: ("getProjectById", [some("project")]),
        lambda: ("getAllProjects", None),
        lambda: ("getProjectByName", [f"P{rng.randrange(1000)}"]),
        lambda: ("removeTask", [some("task")]),
    ]
    return [rng.choice(makers)() for _ in range(rng.randrange(3, 12))]


def post(client: httpx.Client, method: str, params: Any) -> httpx.Response:
    body = {"jsonrpc": "2.0", "method": method, "id": 1}
    if params is not None:
        body["params"] = params
    return client.post("/jsonrpc.php", json=body)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kanboard_up")
    parser.add_argument("--sequences", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=18099)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kanboard-diff-"))
    up = subprocess.run(["bash", args.kanboard_up, str(args.port), TOKEN, str(work)], capture_output=True,
                        text=True, check=True)
    real_url, real_pid = up.stdout.split()[:2]
    fixtures = work / "fixtures.json"
    fixtures.write_text(json.dumps({"kanboard": {"app_token": TOKEN, "projects": [], "users": [
        {"username": "admin", "password": "admin", "role": "app-admin", "name": ""}]}}))
    mock = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--vendor", "kanboard",
                             "--fixtures", str(fixtures)], stdout=subprocess.PIPE, text=True)
    mock_url = mock.stdout.readline().strip() if mock.stdout else ""
    auth = (("jsonrpc", TOKEN))
    rng = random.Random(args.seed)
    ids: dict[str, list[int]] = {"project": [], "task": [], "file": []}
    total = mismatched = 0
    try:
        with httpx.Client(base_url=real_url, auth=auth, timeout=30) as real, \
                httpx.Client(base_url=mock_url, auth=auth, timeout=30) as mocked:
            for sequence in range(args.sequences):
                for method, params in calls(rng, ids):
                    total += 1
                    a, b = post(real, method, params), post(mocked, method, params)
                    left = (a.status_code, a.headers.get("content-type"), normalise(a.json()) if a.content else "")
                    right = (b.status_code, b.headers.get("content-type"), normalise(b.json()) if b.content else "")
                    if left != right:
                        mismatched += 1
                        if mismatched <= 15:
                            print(f"sequence {sequence}: {method} {json.dumps(params)[:120]}")
                            for line in differences(left, right):
                                print("   ", line)
                    result = a.json().get("result") if a.content else None
                    kind = {"createProject": "project", "createTask": "task", "createTaskFile": "file"}.get(method)
                    if kind and isinstance(result, int) and result > 0:
                        ids[kind].append(result)
    finally:
        mock.terminate()
        subprocess.run(["kill", real_pid], check=False)
    print(f"sequences {args.sequences}, calls {total}, mismatched calls {mismatched}")
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
