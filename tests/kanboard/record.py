"""Records the cases the differential run found into ``conformance/found.jsonl``, from the real Kanboard.

Not part of the suite (it needs PHP): run it by hand where ``kanboard_up.sh`` can start the recorded Kanboard.

    python tests/kanboard/record.py PATH/TO/kanboard_up.sh

It replays ``conformance/cases.jsonl`` into a fresh Kanboard (for the seed's state and ids), then sends each case
below and writes what the real server answered, in the corpus's line format: ``template`` holds the body with
``{{VAR}}`` placeholders, ``request.body`` the exact text sent. ``test_conformance.py`` replays both files.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent / "conformance"
APP = "Basic " + base64.b64encode(b"jsonrpc:secret-token").decode()


def _image(fmt: str, cut: str = "") -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (12, 9), (200, 30, 30)).save(buffer, fmt)
    data = buffer.getvalue()
    data = {"": data, "half": data[: len(data) // 2], "garbage": data[:16] + b"garbage" * 10}[cut]
    return base64.b64encode(data).decode()


def _call(method: str, params: Any, request_id: Any = 1) -> str:
    return json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": request_id},
                      separators=(",", ":"))


def _raw(text: str) -> str:
    """A JSON text placed as is (a float literal, an integer past the double range)."""
    return "\x00" + text + "\x00"


def _template(method: str, params: list[Any], request_id: Any = 1) -> str:
    return _call(method, params, request_id).replace('"\\u0000', "").replace('\\u0000"', "")


HELLO = "aGVsbG8="
MEMBER = {"Content-Type": "application/json",
          "Authorization": "Basic " + base64.b64encode(b"conf_member:member-secret").decode()}
CASES: list[dict[str, Any]] = [
    # GD decodes the whole image
    {"name": "image/png-truncated", "note": "half a PNG under an image name: GD fails, PHP dies (500)",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", "cut.png", _image("PNG", "half")])},
    {"name": "image/png-signature-then-garbage", "note": "a good signature followed by garbage: 500",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", "junk.png", _image("PNG", "garbage")])},
    {"name": "image/gif-truncated", "note": "half a GIF: 500",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", "cut.gif", _image("GIF", "half")])},
    {"name": "image/webp-as-png", "note": "a valid WebP under a .png name: GD reads it, the file is created",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", "webp.png", _image("WEBP")])},
    {"name": "image/avif-as-jpg", "note": "a valid AVIF under a .jpg name: created",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", "avif.jpg", _image("AVIF")])},
    {"name": "image/bmp-as-gif", "note": "a valid BMP under a .gif name: created",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", "bmp.gif", _image("BMP")])},
    # generatePath's id rule
    *[{"name": f"path-id/project-{label}", "note": f"createProjectFile with a {label} project id: error 0",
       "template": _template("createProjectFile", [value, "p.txt", HELLO])}
      for label, value in [("float", _raw("{{P_MAIN}}.0")), ("true", True), ("null", None), ("zero", 0),
                           ("negative", -1), ("array", ["{{P_MAIN}}"])]],
    {"name": "path-id/task-float", "note": "createTaskFile with the task id as a float: found, then error 0",
     "template": _template("createTaskFile", ["{{P_MAIN}}", _raw("{{T_MAIN}}.0"), "t.txt", HELLO])},
    {"name": "path-id/project-string", "note": "a numeric string is cast: the project file is created",
     "template": _template("createProjectFile", ["{{P_MAIN}}", "p.txt", HELLO]), "bind": {"G_ONE": "/result"}},
    {"name": "project-file/int-cast-get", "note": "getProjectFile compares (int) casts: '<id>abc' finds it",
     "template": _template("getProjectFile", ["{{P_MAIN}}abc", _raw("{{G_ONE}}")])},
    {"name": "project-file/int-cast-download", "note": "and so does a float project id: <id>.9",
     "template": _template("downloadProjectFile", [_raw("{{P_MAIN}}.9"), _raw("{{G_ONE}}")])},
    # arrays where strings are expected
    {"name": "array/filename-missing-task", "note": "an array filename on a task that does not exist: false",
     "template": _template("createTaskFile", ["{{P_MAIN}}", 999999, ["a"], HELLO])},
    {"name": "array/blob-missing-task", "note": "an object blob on a task that does not exist: false",
     "template": _template("createTaskFile", ["{{P_MAIN}}", 999999, "a.txt", {"x": 1}])},
    {"name": "array/filename", "note": "an array filename on a real task: pathinfo() TypeError, 500",
     "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_MAIN}}", ["a"], HELLO])},
    # PHP's number formatting
    *[{"name": f"number/filename-{label}", "note": f"a {label} filename is cast to a string by PHP",
       "template": _template("createTaskFile", ["{{P_MAIN}}", "{{T_NAMES}}", _raw(literal), HELLO]),
       "bind": {f"F_NUM_{label.upper()}": "/result"}}
      for label, literal in [("big", "1e20"), ("third", "0.3"), ("negzero", "-0.0"), ("inf", "1" + "0" * 400)]],
    {"name": "number/filenames-listed", "note": "1.0E+20, 0.3, -0 and INF as PHP wrote them",
     "template": _template("getAllTaskFiles", ["{{T_NAMES}}"])},
    *[{"name": f"number/id-{label}", "note": f"the request id {literal} echoed as PHP's json_encode writes it",
       "template": _template("removeAllTaskFiles", ["{{T_EMPTY}}"], _raw(literal))}
      for label, literal in [("big", "1e20"), ("negzero", "-0.0"), ("small", "1.5e-7"), ("bigint", "1" + "0" * 20)]],
    {"name": "number/id-past-double", "note": "an id past the double range cannot be encoded: one -32603 for all",
     "template": "[" + _template("removeAllTaskFiles", ["{{T_EMPTY}}"]) + ","
                 + _template("removeAllTaskFiles", ["{{T_EMPTY}}"], _raw("1" + "0" * 400)) + "]"},
    {"name": "parse/nesting-512-no-credentials", "note": "511 levels deep is the limit: 512 is -32700 before auth",
     "headers": {"Content-Type": "application/json"},
     "template": '{"jsonrpc":"2.0","method":"getVersion","params":' + "[" * 511 + "]" * 511 + ',"id":1}'},
    {"name": "parse/nesting-511", "note": "511 levels is still a request (here: too many arguments)",
     "template": '{"jsonrpc":"2.0","method":"getVersion","params":' + "[" * 510 + "]" * 510 + ',"id":1}'},
    # the validators
    *[{"name": f"createTask/{label}", "note": note,
       "template": _template("createTask", {"title": "t", "project_id": "{{P_MAIN}}", **fields})}
      for label, note, fields in [
          ("swimlane-zero", "swimlane_id 0 fails GreaterThan(0): false", {"swimlane_id": 0}),
          ("column-missing", "a column that does not exist: the insert fails, 0", {"column_id": 999999}),
          ("owner-string-zero", "owner '0' is not the int 0, and nobody: false", {"owner_id": "0"}),
          ("owner-viewer", "a project-viewer cannot be assigned: false", {"owner_id": _raw("{{U_VIEWER}}")}),
          ("date-invalid", "month 13: false", {"date_due": "2026-13-02"}),
          ("date-timestamp", "a timestamp is no date format: false", {"date_due": 1700000000}),
          ("start-after-due", "start after due: false", {"date_started": "2027-02-02", "date_due": "2027-01-02"}),
          ("reference-192", "a reference of 192 characters: false", {"reference": "r" * 192}),
          ("score-float", "score 5.5 is not an integer: false", {"score": 5.5}),
          ("project-float", "project_id 1.0 is not an integer to the validator: false",
           {"project_id": _raw("{{P_MAIN}}.0")}),
          ("project-negative", "'-1' passes the validator; the insert fails: 0", {"project_id": "-1"}),
          ("title-zero", "title 0 is given, and stored as 'Untitled'", {"title": 0}),
      ]],
    {"name": "createTask/22-positional", "note": "all 22 parameters by position",
     "template": _template("createTask", ["p22", "{{P_MAIN}}", "", 0, 0, 0, "", "", 0, 0, None, 0, 0, 0, 0, 0, 0,
                                          "", [], "", None, None])},
    {"name": "createTask/23-positional", "note": "one more is too many",
     "template": _template("createTask", ["p23", "{{P_MAIN}}", "", 0, 0, 0, "", "", 0, 0, None, 0, 0, 0, 0, 0, 0,
                                          "", [], "", None, None, 1])},
    *[{"name": f"createProject/{label}", "note": note, "template": _template("createProject", params)}
      for label, note, params in [
          ("identifier-51", "an identifier over 50 characters: false", {"name": "i", "identifier": "x" * 51}),
          ("identifier-dash", "an identifier that is not alphanumeric: false", {"name": "i", "identifier": "a-b"}),
          ("email-invalid", "a project e-mail Firefox's rule refuses: false", {"name": "e", "email": "a@b"}),
          ("owner-missing", "an owner who does not exist: false", {"name": "o", "owner_id": 999999}),
      ]],
    {"name": "addProjectUser/null-role", "note": "a NULL role fails the insert: false",
     "template": _template("addProjectUser", ["{{P_MAIN}}", "{{U_OUTSIDER}}", None])},
    # discovery
    {"name": "getTaskByReference/missing", "note": "no task with that reference: null",
     "template": _template("getTaskByReference", ["{{P_MAIN}}", "no-such-ref"])},
    {"name": "getProjectByIdentifier/empty", "note": "an empty identifier: false",
     "template": _template("getProjectByIdentifier", [""])},
    {"name": "updateTask/title", "note": "a new title: true",
     "template": _template("updateTask", {"id": "{{T_LAX}}", "title": "renamed"})},
    {"name": "updateTask/owner-viewer", "note": "a viewer as owner: false",
     "template": _template("updateTask", {"id": "{{T_LAX}}", "owner_id": _raw("{{U_VIEWER}}")})},
    {"name": "updateTask/missing", "note": "a task that does not exist: false",
     "template": _template("updateTask", {"id": 999999, "title": "x"})},
    {"name": "searchTasks/nothing", "note": "words no task title holds: []",
     "template": _template("searchTasks", ["{{P_MAIN}}", "status:open no-such-words"])},
    # comments
    {"name": "comment/create", "note": "the app token writes for user 0: the new id",
     "template": _template("createComment", ["{{T_MAIN}}", 0, "first comment"]), "bind": {"C_ONE": "/result"}},
    {"name": "comment/create-manager-visibility", "note": "the app token may choose any visibility",
     "template": _template("createComment", ["{{T_MAIN}}", _raw("{{U_MEMBER}}"), "for managers", "ref-1",
                                             "app-manager"]), "bind": {"C_MANAGERS": "/result"}},
    {"name": "comment/create-as-member", "note": "a member writes as himself", "headers": MEMBER,
     "template": _template("createComment", ["{{T_MAIN}}", _raw("{{U_MEMBER}}"), "mine"]),
     "bind": {"C_MINE": "/result"}},
    {"name": "comment/create-as-member-for-admins", "note": "an app-user may not write for admins: false",
     "headers": MEMBER,
     "template": _template("createComment", ["{{T_MAIN}}", _raw("{{U_MEMBER}}"), "x", "", "app-admin"])},
    {"name": "comment/create-as-member-for-another", "note": "nor in another user's name: false",
     "headers": MEMBER, "template": _template("createComment", ["{{T_MAIN}}", 0, "x"])},
    {"name": "comment/visibility-true", "note": "true passes InArray (loosely) and is stored as '1'",
     "template": _template("createComment", ["{{T_MAIN}}", 0, "true vis", "", True])},
    {"name": "comment/content-array", "note": "an array content is bound as the string 'Array'",
     "template": _template("createComment", ["{{T_MAIN}}", 0, ["a"]])},
    {"name": "comment/missing-task", "note": "the foreign key fails: false",
     "template": _template("createComment", [999999, 0, "x"])},
    {"name": "comment/float-task", "note": "a float task id is no Integer to the validator: false",
     "template": _template("createComment", [_raw("{{T_MAIN}}.0"), 0, "x"])},
    {"name": "comment/empty", "note": "an empty comment is not given: false",
     "template": _template("createComment", ["{{T_MAIN}}", 0, ""])},
    {"name": "comment/reference-array", "note": "mb_strlen() of an array reference: TypeError, 500",
     "template": _template("createComment", ["{{T_MAIN}}", 0, "x", ["r"]])},
    {"name": "comment/get", "note": "the row with its author joined",
     "template": _template("getComment", [_raw("{{C_MANAGERS}}")])},
    {"name": "comment/all", "note": "every comment, oldest first, for the app token",
     "template": _template("getAllComments", ["{{T_MAIN}}"])},
    {"name": "comment/all-as-member", "note": "an app-user sees the app-user ones only", "headers": MEMBER,
     "template": _template("getAllComments", ["{{T_MAIN}}"])},
    {"name": "comment/get-hidden-as-member", "note": "a comment his role may not see: 403", "headers": MEMBER,
     "template": _template("getComment", [_raw("{{C_MANAGERS}}")])},
    {"name": "comment/update", "note": "true", "template": _template("updateComment", [_raw("{{C_ONE}}"), "edited"])},
    {"name": "comment/get-updated", "note": "the new text",
     "template": _template("getComment", [_raw("{{C_ONE}}")])},
    {"name": "comment/update-missing", "note": "no row matches, yet the statement ran: true",
     "template": _template("updateComment", [999999, "x"])},
    {"name": "comment/update-another-users", "note": "a member changes only his own: false", "headers": MEMBER,
     "template": _template("updateComment", [_raw("{{C_ONE}}"), "x"])},
    {"name": "comment/remove-missing", "note": "nothing deleted: false",
     "template": _template("removeComment", [999999])},
    {"name": "comment/remove-own", "note": "true", "headers": MEMBER,
     "template": _template("removeComment", [_raw("{{C_MINE}}")])},
    {"name": "comment/search-none", "note": "comment: with a text no comment holds: []",
     "template": _template("searchTasks", ["{{P_MAIN}}", "comment:no-such-text"])},
    # task metadata
    {"name": "metadata/save", "note": "each value bound as a string (null stays NULL)",
     "template": _template("saveTaskMetadata", ["{{T_MAIN}}", {"b": "2", "a": 1, "z": None, "f": 1.5, "t": True,
                                                              "zero": "0"}])},
    {"name": "metadata/get", "note": "name => value by name",
     "template": _template("getTaskMetadata", ["{{T_MAIN}}"])},
    {"name": "metadata/by-name-zero", "note": "'0' is falsy: ''",
     "template": _template("getTaskMetadataByName", ["{{T_MAIN}}", "zero"])},
    {"name": "metadata/by-name", "note": "the value",
     "template": _template("getTaskMetadataByName", ["{{T_MAIN}}", "a"])},
    {"name": "metadata/save-missing-task", "note": "the insert breaks the foreign key: false",
     "template": _template("saveTaskMetadata", [999999, {"a": "b"}])},
    {"name": "metadata/save-nothing-missing-task", "note": "nothing to insert: true",
     "template": _template("saveTaskMetadata", [999999, {}])},
    {"name": "metadata/save-string", "note": "a string where PHP wants an array: TypeError, 500",
     "template": _template("saveTaskMetadata", ["{{T_MAIN}}", "str"])},
    {"name": "metadata/remove", "note": "true", "template": _template("removeTaskMetadata", ["{{T_MAIN}}", "a"])},
    {"name": "metadata/remove-again", "note": "nothing deleted: false",
     "template": _template("removeTaskMetadata", ["{{T_MAIN}}", "a"])},
    {"name": "metadata/none", "note": "an object, empty",
     "template": _template("getTaskMetadata", ["{{T_EMPTY}}"])},
    # searchTasks' own project filter, and the filters by name
    {"name": "searchTasks/project-true", "note": "true is not less than 2147483647: the name LIKE '1'",
     "template": _template("searchTasks", [True, "status:all"])},
    {"name": "searchTasks/swimlane-digits", "note": "swimlane: is a name LIKE, digits too: []",
     "template": _template("searchTasks", ["{{P_MAIN}}", "swimlane:1"])},
    {"name": "searchTasks/column-case", "note": "column: names are compared exactly: []",
     "template": _template("searchTasks", ["{{P_MAIN}}", "column:backlog"])},
    {"name": "searchTasks/project-like", "note": "project: names are LIKE the value as given, no % added: []",
     "template": _template("searchTasks", ["{{P_MAIN}}", "project:conformance"])},
    # columns and moving a task between them
    {"name": "columns/all", "note": "the project's columns by position, whole rows",
     "template": _template("getColumns", ["{{P_MAIN}}"]), "bind": {"K_READY": "/result/1/id", "K_DONE": "/result/3/id"}},
    {"name": "columns/one", "note": "one row", "template": _template("getColumn", [_raw("{{K_READY}}")])},
    {"name": "columns/missing", "note": "null", "template": _template("getColumn", [999999])},
    {"name": "move/to-column", "note": "into another column at position 1: true",
     "template": _template("moveTaskPosition", ["{{P_MAIN}}", "{{T_MAIN}}", _raw("{{K_READY}}"), 1, 0])},
    {"name": "move/moved", "note": "the task's column and position now",
     "template": _template("getTask", ["{{T_MAIN}}"])},
    {"name": "move/nothing-to-change", "note": "the same column and position: false",
     "template": _template("moveTaskPosition", ["{{P_MAIN}}", "{{T_MAIN}}", _raw("{{K_READY}}"), 1, 0])},
    {"name": "move/position-zero", "note": "a position below 1: false",
     "template": _template("moveTaskPosition", ["{{P_MAIN}}", "{{T_MAIN}}", _raw("{{K_DONE}}"), 0, 0])},
    {"name": "move/other-project", "note": "the task is not in that project: false",
     "template": _template("moveTaskPosition", ["{{P_OTHER}}", "{{T_MAIN}}", _raw("{{K_DONE}}"), 1, 0])},
    {"name": "move/missing-column", "note": "a column that does not exist breaks the foreign key: false",
     "template": _template("moveTaskPosition", ["{{P_MAIN}}", "{{T_MAIN}}", 999999, 1, 0])},
    {"name": "move/missing-task", "note": "no task, project 0: the null task reaches fireEvents(), PHP dies",
     "template": _template("moveTaskPosition", [0, 999999, _raw("{{K_DONE}}"), 1, 0])},
    # the task's own project is checked too
    {"name": "createTaskFile/true-project-other-task", "note": "true equals any project id; the task's own "
     "project then refuses a non-member: 403", "headers": MEMBER,
     "template": _template("createTaskFile", [True, "{{T_OTHER}}", "x.txt", HELLO])},
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kanboard_up")
    parser.add_argument("--port", type=int, default=18098)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kanboard-record-"))
    up = subprocess.run(["bash", args.kanboard_up, str(args.port), "secret-token", str(work)], capture_output=True,
                        text=True, check=True)
    url, pid = up.stdout.split()[:2]
    env: dict[str, Any] = {}
    lines = []
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            def send(body: str, headers: dict[str, str]) -> httpx.Response:
                return client.post("/jsonrpc.php", content=body.encode("utf-8"), headers=headers)

            for line in (HERE / "cases.jsonl").read_text(encoding="utf-8").splitlines():
                case = json.loads(line)
                body = case.get("template") or case["request"]["body"]
                for var, value in env.items():
                    body = body.replace("{{" + var + "}}", str(value))
                response = send(body, case["request"]["headers"])
                for var, pointer in (case.get("bind") or {}).items():
                    doc = response.json()
                    for part in pointer.strip("/").split("/"):
                        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
                    env[var] = doc
            for case in CASES:
                headers = case.get("headers") or {"Content-Type": "application/json", "Authorization": APP}
                body = case["template"]
                for var, value in env.items():
                    body = body.replace("{{" + var + "}}", str(value))
                response = send(body, headers)
                for var, pointer in (case.get("bind") or {}).items():
                    doc = response.json()
                    for part in pointer.strip("/").split("/"):
                        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
                    env[var] = doc
                kept = {k: response.headers[k] for k in ("Content-Type", "WWW-Authenticate") if k in response.headers}
                lines.append({"name": case["name"], "note": case["note"], **({"bind": case["bind"]} if "bind" in case
                                                                               else {}),
                              "template": case["template"],
                              "request": {"method": "POST", "headers": headers, "body": body},
                              "response": {"status": response.status_code, "headers": kept, "body": response.text}})
    finally:
        subprocess.run(["kill", pid], check=False)
    (HERE / "found.jsonl").write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                                      encoding="utf-8")
    print(f"recorded {len(lines)} cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
