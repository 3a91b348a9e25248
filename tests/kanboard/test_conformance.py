"""Replays every line of the recorded Kanboard corpus against the live mock, in order, and requires each
response to match the recording after the corpus README's normalisation."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.kanboard import render

CORPUS = Path(__file__).parent / "conformance" / "cases.jsonl"
FOUND = Path(__file__).parent / "conformance" / "found.jsonl"   # recorded later, by record.py: see its docstring
RECORDED_TOKEN = "secret-token"
CREATES = {"createtaskfile": "F", "createtask": "T", "createproject": "P", "createuser": "U",
           "createprojectfile": "G", "createcomment": "C"}
LABELS = "FTPUGCKS"         # K: columns, S: swimlanes
PATH = re.compile(r"^(tasks|projects)/(\d+)/([0-9a-f]{40})$")


def php_json_text(obj: Any) -> str:
    """``json_encode`` as Kanboard calls it; floats as PHP writes them (``render.php_float``, checked against PHP
    in test_bad_input)."""
    text = render.php_json(obj)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _id_key(value: Any) -> tuple[int, bool] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value, False
    if isinstance(value, str) and value.isdigit():
        return int(value), True
    return None


class Normaliser:
    """One side's label tables (F, T, P, U, G project files, C comments), kept across the whole replay."""

    def __init__(self):
        self.tables: dict[str, dict[tuple[int, bool], str]] = {k: {} for k in LABELS}
        self.counts = {k: 0 for k in LABELS}
        self.task_files: dict[int, set[int]] = {}

    def new(self, kind: str, value: Any) -> str:
        self.counts[kind] += 1
        label = f"{kind}{self.counts[kind]}"
        key = _id_key(value)
        if key is not None:
            self.tables[kind][key] = label
        return label

    def label(self, kind: str, value: Any) -> Any:
        key = _id_key(value)
        if key is None:
            return value
        label = self.tables[kind].get(key) or self.new(kind, value)
        return f"str:{label}" if key[1] else label

    def retire_file(self, value: Any) -> None:
        key = _id_key(value)
        if key is not None:
            self.tables["F"].pop((key[0], False), None)
            self.tables["F"].pop((key[0], True), None)

    def record(self, obj: dict[str, Any]) -> dict[str, Any]:
        """A task-file record (F, its task T) or a project-file record (G, its project P), labelled."""
        out = dict(obj)
        owner, kind, owner_kind = ("task_id", "F", "T") if "task_id" in obj else ("project_id", "G", "P")
        key = _id_key(obj.get(owner))
        fkey = _id_key(obj.get("id"))
        if kind == "F" and key and fkey:
            self.task_files.setdefault(key[0], set()).add(fkey[0])
        out["id"] = self.label(kind, obj["id"])
        out[owner] = self.label(owner_kind, obj[owner])
        if obj.get("user_id") != 0:
            out["user_id"] = self.label("U", obj["user_id"])
        if isinstance(obj.get("date"), int):
            out["date"] = "<DATE>"
        path = obj["path"]
        match = PATH.match(path) if isinstance(path, str) else None
        if match:
            out["path"] = f"{match.group(1)}/{self.label(owner_kind, int(match.group(2)))}/<SHA1>"
        if "etag" in obj and obj["etag"] == hashlib.md5(path.encode()).hexdigest():
            out["etag"] = "<ETAG>"
        return out

    def comment(self, obj: dict[str, Any]) -> dict[str, Any]:
        """A comment row: its id (C), task (T) and author (U, but 0 and null) labelled, its two dates hidden."""
        out = dict(obj, id=self.label("C", obj["id"]), task_id=self.label("T", obj["task_id"]))
        if obj.get("user_id") not in (0, None):
            out["user_id"] = self.label("U", obj["user_id"])
        for key in ("date_creation", "date_modification"):
            if isinstance(obj.get(key), int):
                out[key] = "<DATE>"
        return out

    def task(self, obj: dict[str, Any]) -> dict[str, Any]:
        """A task row: its id (T), project (P), column (K) and swimlane (S) labelled, its dates hidden, the id in
        its ``url`` labelled too."""
        out = dict(obj, id=self.label("T", obj["id"]), project_id=self.label("P", obj["project_id"]),
                   column_id=self.label("K", obj["column_id"]), swimlane_id=self.label("S", obj["swimlane_id"]))
        for key in ("date_creation", "date_modification", "date_moved"):
            if isinstance(obj.get(key), int) and obj[key] > 0:
                out[key] = "<DATE>"
        if isinstance(obj.get("url"), str):
            out["url"] = re.sub(r"task_id=(\d+)", lambda m: f"task_id={self.label('T', int(m.group(1)))}", obj["url"])
        return out

    def walk(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "path" in value and ("task_id" in value or "project_id" in value):
                return self.record(value)
            if "comment" in value and "visibility" in value:
                return self.comment(value)
            if "task_limit" in value and "hide_in_dashboard" in value:          # a column row
                return dict(value, id=self.label("K", value["id"]), project_id=self.label("P", value["project_id"]))
            if "nb_comments" not in value and "column_id" in value and "is_active" in value:   # a task row
                return self.task(value)
            return {k: self.walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v) for v in value]
        return value

    def exchange(self, request_text: str, status: int, body: str) -> Any:
        """The normalised reply; then the label retirements the request implies."""
        try:
            request = json.loads(request_text)
        except ValueError:
            request = None
        elements = request if isinstance(request, list) else [request]
        calls = [e for e in elements if isinstance(e, dict) and isinstance(e.get("method"), str)]
        if body == "":
            normalised: Any = ""
        else:
            reply = json.loads(body, parse_int=lambda t: -0.0 if t == "-0" else int(t))   # PHP writes -0.0 as -0
            assert php_json_text(reply) == body, f"not PHP's json_encode form: {body!r}"
            by_id = {json.dumps(e.get("id")): e for e in calls if "id" in e}
            replies = reply if isinstance(reply, list) else [reply]
            out = []
            for r in replies:
                call = by_id.get(json.dumps(r.get("id"))) if isinstance(r, dict) else None
                kind = CREATES.get(call["method"].lower()) if call else None
                if kind and isinstance(r.get("result"), int) and not isinstance(r["result"], bool):
                    r = dict(r, result=self.new(kind, r["result"]))
                    if kind == "F":
                        self._remember_created_file(call, r, reply)
                out.append(self.walk(r))
            normalised = out if isinstance(reply, list) else out[0]
        for call in calls:
            method = call["method"].lower()
            params = call.get("params")
            if method == "removetaskfile":
                self.retire_file(_param(params, 0, "file_id"))
            elif method == "removealltaskfiles":
                key = _id_key(_param(params, 0, "task_id"))
                for file_id in self.task_files.pop(key[0], set()) if key else ():
                    self.retire_file(file_id)
        return normalised

    def _remember_created_file(self, call, labelled_reply, raw_reply) -> None:
        task = _id_key(_param(call.get("params"), 1, "task_id"))
        raw = raw_reply if not isinstance(raw_reply, list) else next(
            (r for r in raw_reply if json.dumps(r.get("id")) == json.dumps(call.get("id"))), None)
        if task and raw and isinstance(raw.get("result"), int):
            self.task_files.setdefault(task[0], set()).add(raw["result"])


def _param(params: Any, index: int, name: str) -> Any:
    if isinstance(params, list):
        return params[index] if len(params) > index else None
    if isinstance(params, dict):
        return params.get(name, params.get(str(index)))
    return None


def _pointer(doc: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def _headers(recorded: dict[str, str], token: str) -> dict[str, str]:
    headers = dict(recorded)
    auth = headers.get("Authorization")
    if auth == f"Bearer {RECORDED_TOKEN}":
        headers["Authorization"] = f"Bearer {token}"
    elif auth and auth.startswith("Basic ") and base64.b64decode(auth[6:]) == f"jsonrpc:{RECORDED_TOKEN}".encode():
        headers["Authorization"] = "Basic " + base64.b64encode(f"jsonrpc:{token}".encode()).decode()
    return headers


def _cases(*files: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_recorded_corpus_replays_identically(taskmock):
    cases = _cases(CORPUS, FOUND)
    assert len(cases) == 84 + 103
    env: dict[str, Any] = {}
    recorded_side, mock_side = Normaliser(), Normaliser()
    failures = []
    with httpx.Client(base_url=taskmock.url, timeout=10) as client:
        for number, case in enumerate(cases, 1):
            body = case.get("template") or case["request"]["body"]
            for var, value in env.items():
                body = body.replace("{{" + var + "}}", str(value))
            assert "{{" not in body, f"line {number}: unbound placeholder"
            response = client.request(case["request"]["method"], "/jsonrpc.php", content=body.encode("utf-8"),
                                      headers=_headers(case["request"]["headers"], taskmock.kanboard.token))
            for var, pointer in (case.get("bind") or {}).items():
                env[var] = _pointer(response.json(), pointer)
            recorded = case["response"]
            want = (recorded["status"], recorded["headers"].get("Content-Type"),
                    recorded["headers"].get("WWW-Authenticate"),
                    recorded_side.exchange(case["request"]["body"], recorded["status"], recorded["body"]))
            got = (response.status_code, response.headers.get("content-type"),
                   response.headers.get("www-authenticate"),
                   mock_side.exchange(body, response.status_code, response.text))
            if want != got:
                failures.append(f"line {number} {case['name']}:\n  recorded {want}\n  mock     {got}")
    assert not failures, "\n".join(failures)


def test_a_replay_that_differs_is_caught():
    """The normaliser must not hide a difference: a wrong size or a missing etag fails the comparison."""
    record = {"id": 1, "name": "a", "path": "tasks/1/" + "a" * 40, "is_image": 0, "task_id": 1, "date": 5,
              "user_id": 0, "size": 3, "etag": hashlib.md5(("tasks/1/" + "a" * 40).encode()).hexdigest()}
    left = Normaliser().exchange('{"jsonrpc":"2.0","method":"getTaskFile","params":[1],"id":1}', 200,
                                 php_json_text({"jsonrpc": "2.0", "result": record, "id": 1}))
    wrong_size = Normaliser().exchange('{"jsonrpc":"2.0","method":"getTaskFile","params":[1],"id":1}', 200,
                                       php_json_text({"jsonrpc": "2.0", "result": dict(record, size=4), "id": 1}))
    bad_etag = Normaliser().exchange('{"jsonrpc":"2.0","method":"getTaskFile","params":[1],"id":1}', 200,
                                     php_json_text({"jsonrpc": "2.0", "result": dict(record, etag="0" * 32), "id": 1}))
    assert left != wrong_size
    assert left != bad_etag
    with pytest.raises(AssertionError):
        Normaliser().exchange("{}", 200, '{"jsonrpc": "2.0", "result": 1, "id": 1}')
