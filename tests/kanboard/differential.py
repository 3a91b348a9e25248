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
import io
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
            elif key == "etag" or (key == "password" and isinstance(item, str)):
                item = f"<{key}>"
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


HOSTILE = [1.0, 1.5, True, False, None, [1], {"a": 1}, "1abc", " 1", "1e0", -1, 0, 1e20, "abc", "", -0.0]
QUERIES = ["status:open", "status:closed", "status:all", "t", "task", "TASK", "assignee:nobody", "assignee:anybody",
           "assignee:me", "assignee:u1", 'assignee:"u2"', "#1", "1", "id:2", "ref:R*", "ref:none", "reference:r1",
           "title:x status:open", "x%", "_", "column:Backlog", "column:Ready", "swimlane:default", "color:yellow",
           "description:d", "project:P", "due:today", "status: open", "", "creator:me", "t status:closed",
           "project:p%", "swimlane:default%", "swimlane:1", "column:backlog", "column:1", "comment:c", "comment:ü"]


def _image(rng: random.Random) -> bytes:
    from PIL import Image                   # the test extras install Pillow (a runtime dependency)
    buffer = io.BytesIO()
    Image.new("RGB", (rng.randrange(1, 40), rng.randrange(1, 40)), (10, 20, 30)).save(
        buffer, rng.choice(["PNG", "JPEG", "GIF", "BMP", "WEBP"]))
    data = buffer.getvalue()
    return rng.choice([data, data[: len(data) // 2], data[:16] + b"junk" * 8, data + b"tail"])


def calls(rng: random.Random, ids: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    """One sequence: a handful of calls on ids seen so far, now and then a value PHP casts (a float, a bool,
    null, an array, a numeric string) or an id that does not exist."""
    def some(kind: str) -> Any:
        known = ids[kind]
        roll = rng.random()
        if known and roll < 0.75:
            return rng.choice(known)
        return rng.choice(HOSTILE) if roll < 0.9 else rng.choice([999, "999"])

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    def task_fields() -> dict[str, Any]:
        choices = {"color_id": ["red", "", "nosuch"], "column_id": [0, 1, 2, 999, "2", 1.0],
                   "owner_id": [0, "0", None, *ids["user"][:3]], "creator_id": [0, *ids["user"][:2]],
                   "date_due": ["2027-01-02", "2027-13-02", "01/02/2027", 1700000000, "2027-01-02 10:00", ""],
                   "date_started": ["2027-01-01", "2028-01-01", ""], "score": [1, "5", 5.5, 3000000000, "x"],
                   "swimlane_id": [0, None, 1, 999], "priority": [0, 2, -5, "x"], "reference": ["r1", "R2", "r" * 192],
                   "time_spent": ["1.5", "x", 2], "description": ["d", "desc here"], "category_id": [0, 99]}
        return {k: rng.choice(v) for k, v in rng.sample(sorted(choices.items()), rng.randrange(0, 4))}

    makers = [
        lambda: ("createProject", {"name": f"P{rng.randrange(1000)}",
                                   "identifier": rng.choice(["", f"ID{rng.randrange(20)}", "a-b", "x" * 51])}),
        lambda: ("createTask", {"title": rng.choice(["t", "Task ü", "x" * 30, 0, ""]), "project_id": some("project"),
                                **task_fields()}),
        lambda: ("createTaskFile", [some("project"), some("task"), rng.choice(["a.txt", "b.png", "ü.pdf", ["x"]]),
                                    b64(rng.randbytes(rng.randrange(1, 40)))]),
        lambda: ("createTaskFile", [some("project"), some("task"), rng.choice(["i.png", "i.jpg", "i.gif"]),
                                    b64(_image(rng))]),
        lambda: ("createProjectFile", [some("project"), rng.choice(["p.txt", "p.png", 1e20, 0.3]),
                                       rng.choice(["aGVsbG8=", ["x"], "", "MA=="])]),
        lambda: ("getAllProjectFiles", [some("project")]),
        lambda: ("getProjectFile", [some("project"), rng.randrange(1, 6)]),
        lambda: ("downloadProjectFile", [some("project"), rng.randrange(1, 6)]),
        lambda: ("getAllTaskFiles", {"task_id": some("task")}),
        lambda: ("getTaskFile", [some("file")]),
        lambda: ("downloadTaskFile", [some("file")]),
        lambda: ("removeTaskFile", [some("file")]),
        lambda: ("getTask", [some("task")]),
        lambda: ("getAllTasks", {"project_id": some("project"), "status_id": rng.choice([0, 1])}),
        lambda: ("closeTask", [some("task")]),
        lambda: ("openTask", [some("task")]),
        lambda: ("updateTask", {"id": some("task"), **task_fields(),
                                **({"title": rng.choice(["new", ""])} if rng.random() < 0.5 else {})}),
        lambda: ("getProjectById", [some("project")]),
        lambda: ("getAllProjects", None),
        lambda: ("getProjectByName", [f"P{rng.randrange(1000)}"]),
        lambda: ("getProjectByIdentifier", [rng.choice([f"id{rng.randrange(20)}", "", "0", "NOPE"])]),
        lambda: ("getTaskByReference", [some("project"), rng.choice(["r1", "R2", "", "none"])]),
        lambda: ("searchTasks", [some("project"), rng.choice(QUERIES)]),
        lambda: ("removeTask", [some("task")]),
        lambda: ("createUser", {"username": f"u{rng.randrange(30)}", "password": "password",
                                "role": rng.choice(["app-user", "app-manager", "app-admin"])}),
        lambda: ("addProjectUser", [some("project"), some("user"),
                                    rng.choice(["project-member", "project-viewer", "project-manager", None])]),
        lambda: ("getAllUsers", None),
        lambda: ("getUser", [some("user")]),
        lambda: ("getMe", None),
        lambda: ("getMyProjects", None),
        lambda: ("getMyProjectsList", None),
        lambda: ("createComment", {"task_id": some("task"), "user_id": rng.choice([0, 1, *ids["user"][:3], "1", None]),
                                   "content": rng.choice(["c", "ü text", "", 0, ["x"], None]),
                                   **({"reference": rng.choice(["r", "", None, "x" * 192, ["x"]])}
                                      if rng.random() < 0.3 else {}),
                                   **({"visibility": rng.choice(["app-user", "app-manager", "app-admin", "nope",
                                                                 True, 1, None])} if rng.random() < 0.4 else {})}),
        lambda: ("getComment", [some("comment")]),
        lambda: ("getAllComments", [some("task")]),
        lambda: ("updateComment", [some("comment"), rng.choice(["changed", "", None, 5, True])]),
        lambda: ("removeComment", [some("comment")]),
        lambda: ("saveTaskMetadata", [some("task"), rng.choice([{"k": "v"}, {"k": 1, "z": None}, ["a", "b"], {},
                                                                 {"n": True, "f": 1.5, "a": ["x"]}, "str", None,
                                                                 {"k": "0"}])]),
        lambda: ("getTaskMetadata", [some("task")]),
        lambda: ("getTaskMetadataByName", [some("task"), rng.choice(["k", "z", "0", "n", "nope", None, 0])]),
        lambda: ("removeTaskMetadata", [some("task"), rng.choice(["k", "z", "0", "nope", None])]),
        lambda: ("getColumns", [some("project")]),
        lambda: ("getColumn", [rng.choice([1, 2, 5, 8, "3", 999, None, 1.0])]),
        lambda: ("moveTaskPosition", [some("project"), some("task"), rng.choice([1, 2, 3, 4, 5, 6, 9, "2", 999]),
                                      rng.choice([1, 2, 3, 5, 0, -1, "1", "abc", None, 1.5]),
                                      rng.choice([0, 1, 2, "1", 999])]),
    ]
    return [rng.choice(makers)() for _ in range(rng.randrange(3, 12))]


def post(client: httpx.Client, method: str, params: Any, auth: tuple[str, str], request_id: Any) -> httpx.Response:
    body = {"jsonrpc": "2.0", "method": method, "id": request_id}
    if params is not None:
        body["params"] = params
    return client.post("/jsonrpc.php", json=body, auth=auth)


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
        {"username": "admin", "password": "admin", "role": "app-admin", "name": None, "email": None,
         "is_admin": True}]}}))
    mock = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--vendor", "kanboard",
                             "--fixtures", str(fixtures)], stdout=subprocess.PIPE, text=True)
    mock_url = mock.stdout.readline().strip() if mock.stdout else ""
    auth = (("jsonrpc", TOKEN))
    rng = random.Random(args.seed)
    ids: dict[str, list[Any]] = {"project": [], "task": [], "file": [], "user": [], "comment": []}
    users: dict[int, str] = {}
    total = mismatched = 0
    try:
        with httpx.Client(base_url=real_url, auth=auth, timeout=30) as real, \
                httpx.Client(base_url=mock_url, auth=auth, timeout=30) as mocked:
            for sequence in range(args.sequences):
                for method, params in calls(rng, ids):
                    total += 1
                    as_user = rng.random() < 0.4 and users
                    who = (users[rng.choice(sorted(users))], "password") if as_user else auth
                    request_id = rng.choice([1, 1, 1, "x", 2.5, -0.0, 1e20, [1]])
                    a, b = post(real, method, params, who, request_id), post(mocked, method, params, who, request_id)
                    left = (a.status_code, a.headers.get("content-type"), normalise(a.json()) if a.content else "")
                    right = (b.status_code, b.headers.get("content-type"), normalise(b.json()) if b.content else "")
                    if method == "getVersion":
                        continue
                    if left != right or a.text.rsplit('"id":', 1)[-1] != b.text.rsplit('"id":', 1)[-1]:
                        mismatched += 1
                        if mismatched <= 15:
                            print(f"sequence {sequence}: {method} as {who[0]} {json.dumps(params)[:160]}")
                            for line in differences(left, right) or [f"id: {a.text[-30:]} | {b.text[-30:]}"]:
                                print("   ", line)
                    result = a.json().get("result") if a.content else None
                    kind = {"createProject": "project", "createTask": "task", "createTaskFile": "file",
                            "createUser": "user", "createComment": "comment"}.get(method)
                    if kind and isinstance(result, int) and not isinstance(result, bool) and result > 0:
                        ids[kind].append(result)
                        if kind == "user":
                            users[result] = params["username"]
    finally:
        mock.terminate()
        subprocess.run(["kill", real_pid], check=False)
    print(f"sequences {args.sequences}, calls {total}, mismatched calls {mismatched}")
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
