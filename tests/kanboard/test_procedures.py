"""The task-file procedures' quirks, in-process: each is a behaviour of the real server a client can meet."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from tests.kanboard.rpc import Rpc, b64

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4d80000000049454e44ae426082")


@pytest.fixture
def app(taskmock_asgi):
    return Rpc(taskmock_asgi)


def create(app, name, data=b"data", task=1, project=1):
    return app("createTaskFile", project, task, name, b64(data) if isinstance(data, bytes) else data)


def test_record_fields_types_and_derivations(app):
    before = int(time.time())
    file_id = create(app, "report.txt", b"plain text file")
    record = app("getTaskFile", file_id)
    assert list(record) == ["id", "name", "path", "is_image", "task_id", "date", "user_id", "size", "etag"]
    assert record["date"] >= before and record["size"] == 15 and record["is_image"] == 0
    expected_path = "tasks/1/" + hashlib.sha1(f"report.txt{record['date']}".encode()).hexdigest()
    assert record["path"] == expected_path
    assert record["etag"] == hashlib.md5(expected_path.encode()).hexdigest()
    listed = app("getAllTaskFiles", 1)[0]
    assert list(listed) == ["id", "name", "path", "is_image", "task_id", "date", "user_id", "size",
                            "username", "user_name", "etag"]


@pytest.mark.parametrize("blob, size", [
    ("not base64 at all?", 10), ("YQ==YQ==", 3), (1234, 3), (" Y Q = =\n", 1), ("aGVs-_bG8", 5),
])
def test_base64_is_decoded_as_php_does_without_strict_mode(app, blob, size):
    file_id = create(app, "lax.txt", blob)
    assert app("getTaskFile", file_id)["size"] == size


@pytest.mark.parametrize("blob", ["", "!!!!", "Q", "-_-_", True, None, False, b64(b"0")])
def test_blobs_that_decode_to_nothing_or_zero_are_refused(app, blob):
    assert create(app, "empty.txt", blob) is False
    assert app("getAllTaskFiles", 1) == []


def test_names_are_cut_at_255_bytes_and_a_cut_inside_a_character_breaks_encoding(app):
    long_id = create(app, "a" * 1000)
    assert app("getTaskFile", long_id)["name"] == "a" * 255
    cut_id = create(app, "x" * 254 + "é.txt", task=2)
    reply = app.call("getTaskFile", [cut_id], request_id=9)
    assert reply == {"jsonrpc": "2.0", "error": {"code": -32603, "message": "Internal error",
                     "data": "Malformed UTF-8 characters, possibly incorrectly encoded"}, "id": 9}
    assert app.call("getAllTaskFiles", [2])["error"]["code"] == -32603
    assert app("downloadTaskFile", cut_id) == b64(b"data")


@pytest.mark.parametrize("name, is_image", [
    ("Photo.PNG", 1), (".gif", 1), ("pic.jpeg", 1), ("dir/sub.jpg", 1), ("a.webp", 0), ("archive.png.txt", 0),
    ("noext", 0), ("x.bmp", 0),
])
def test_is_image_goes_by_extension_only(app, name, is_image):
    assert app("getTaskFile", create(app, name, PNG))["is_image"] == is_image


def test_non_image_bytes_under_an_image_name_kill_the_request_and_store_nothing(app):
    response = app.raw('{"jsonrpc":"2.0","method":"createTaskFile","params":[1,1,"fake.png","'
                       + b64(b"this is not a PNG") + '"],"id":1}')
    assert response.status_code == 500 and response.content == b""
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    assert app("getAllTaskFiles", 1) == []


def test_listing_is_by_name_with_ascii_case_folding(app):
    for name in ["b.txt", "A.png", "C.JPG", "d.doc", "_notes.txt", "10.txt", "9.txt", "Éa", "éb"]:
        create(app, name, PNG)
    names = [f["name"] for f in app("getAllTaskFiles", 1)]
    assert names == ["10.txt", "9.txt", "_notes.txt", "A.png", "b.txt", "C.JPG", "d.doc", "Éa", "éb"]


def test_filenames_of_other_json_types_become_php_strings(app):
    assert app("getTaskFile", create(app, 12345))["name"] == "12345"
    assert app("getTaskFile", create(app, None))["name"] == ""
    assert app("getTaskFile", create(app, 1.5))["name"] == "1.5"


def test_ids_are_compared_as_sqlite_compares_them(app):
    file_id = create(app, "x.txt")
    assert app("getTaskFile", str(file_id))["id"] == file_id
    assert app("getTaskFile", float(file_id))["id"] == file_id
    assert app("getTaskFile", "abc") is None
    assert app("getTaskFile", [file_id]) is None
    assert app("getTaskFile", 10**30) is None
    assert create(app, "y.txt", task="1", project="1") is not False


def test_create_checks_task_and_project(app):
    assert create(app, "x.txt", task=999) is False
    assert create(app, "x.txt", task=4, project=1) is False      # task 4 is in project 2
    assert create(app, "x.txt", task=4, project=2) is not False


def test_ids_are_reused_after_the_top_row_is_deleted(app):
    first = create(app, "one.txt")
    second = create(app, "two.txt")
    assert app("removeTaskFile", second) is True
    assert app("removeTaskFile", second) is False
    assert create(app, "three.txt") == second
    assert first < second


def test_removing_a_task_or_project_removes_its_files_and_their_blobs(app, taskmock_asgi):
    blobs = taskmock_asgi.app.state.runtime.blobs
    file_id = create(app, "x.txt")
    blob = taskmock_asgi.app.state.runtime.store["kanboard"].files[file_id].blob
    assert blobs.read(blob) == b"data"
    assert app("removeTask", 1) is True
    assert app("getTaskFile", file_id) is None and blobs.read(blob) is None
    other = create(app, "y.txt", task=2)
    assert app("removeProject", 1) is True
    assert app("getTaskFile", other) is None
    assert app("getTask", 2) is None


def test_array_arguments_where_php_wants_a_string_are_fatal(app):
    for params in ([1, 1, "x.txt", ["a"]], [1, 1, "x.txt", {"a": 1}], [1, 1, ["x"], "eA=="]):
        assert app.raw('{"jsonrpc":"2.0","method":"createTaskFile","params":%s,"id":1}'
                       % json.dumps(params)).status_code == 500
    assert app.raw('{"jsonrpc":"2.0","method":"createTask","params":{"title":"t","project_id":1,"tags":"x"},'
                   '"id":1}').status_code == 500
    assert app("getAllTaskFiles", 1) == []


def test_seeding_procedures(app):
    user_id = app("createUser", "alice", "alice-secret", "Alice Liddell", "alice@example.org")
    assert app("getUser", user_id)["username"] == "alice"
    assert app("createUser", "alice", "another-secret") is False        # username taken
    assert app("createUser", "bob", "short") is False                   # password under 6
    assert app("createUser", "carol", "carol-secret", "", "not-an-email") is False
    project_id = app("createProject", "Alice's project")
    assert app("createProject", "") is False
    assert app("addProjectUser", project_id, user_id, "project-member") is True
    assert app("addProjectUser", project_id, user_id) is False          # already a member
    assert app("addProjectUser", project_id, 999) is False
    assert app("getProjectUsers", project_id) == {str(user_id): "Alice Liddell"}
    task_id = app("createTask", "A task", project_id)
    task = app("getTask", task_id)
    assert task["project_id"] == project_id and task["title"] == "A task" and task["creator_id"] == 0
    assert app("createTask", "", project_id) is False
    assert app("createTask", "No project", 999) == 0          # valid, but the insert fails: 0, not false
    assert app("getProjectById", project_id)["name"] == "Alice's project"
    assert app("getVersion").count(".") == 2


def test_a_user_creating_a_project_manages_it(taskmock_asgi):
    manager = Rpc(taskmock_asgi, "manager")
    project_id = manager("createProject", "Managed")
    task_id = manager("createTask", "Mine", project_id)
    assert manager("getTask", task_id)["creator_id"] == manager("getMe")["id"]
    assert manager("addProjectUser", project_id, 3) is True


def test_app_roles(taskmock_asgi):
    member = Rpc(taskmock_asgi, "member")
    assert member.raw('{"jsonrpc":"2.0","method":"createUser","params":["x","secret1"],"id":1}').status_code == 403
    assert member.raw('{"jsonrpc":"2.0","method":"createProject","params":["x"],"id":1}').status_code == 403
    admin = Rpc(taskmock_asgi, "admin")
    assert admin("createUser", "newbie", "secret1") > 0
    app = Rpc(taskmock_asgi)
    forbidden = app.raw('{"jsonrpc":"2.0","method":"getMe","id":1}')
    assert forbidden.status_code == 403 and forbidden.json()["id"] is None


def test_viewer_reads_but_does_not_write(taskmock_asgi):
    app, viewer = Rpc(taskmock_asgi), Rpc(taskmock_asgi, "viewer")
    file_id = create(app, "x.txt")
    assert viewer("getTaskFile", file_id)["id"] == file_id
    assert viewer("getTask", 1)["id"] == 1
    for method, params in (("createTaskFile", [1, 1, "v.txt", "eA=="]), ("removeTaskFile", [file_id]),
                           ("removeAllTaskFiles", [1]), ("createTask", ["t", 1]), ("addProjectUser", [1, 5])):
        response = viewer.raw('{"jsonrpc":"2.0","method":"%s","params":%s,"id":1}'
                              % (method, json.dumps(params)))
        assert response.status_code == 403, method
        assert response.json() == {"jsonrpc": "2.0", "error": {"code": 403, "message": "Forbidden"}, "id": None}


def test_personal_api_token_and_lockout_after_seven_failures(tmp_path):
    from mockserver.pytest_plugin import AsgiHandle
    from mockserver.settings import Settings

    fixtures = tmp_path / "f.json"
    fixtures.write_text('{"kanboard": {"users": [{"username": "tok", "password": "pass-word",'
                        ' "api_access_token": "personal-token"}]}}')
    handle = AsgiHandle(Settings(fixtures=fixtures))
    try:
        assert Rpc(handle, "tok", "personal-token")("getVersion")
        wrong = Rpc(handle, "tok", "nope")
        for _ in range(7):
            assert wrong.raw('{"jsonrpc":"2.0","method":"getVersion","id":1}').status_code == 401
        locked = Rpc(handle, "tok", "pass-word").raw('{"jsonrpc":"2.0","method":"getVersion","id":1}')
        assert locked.status_code == 401
        assert locked.headers["www-authenticate"] == 'Basic realm="JsonRPC"'
    finally:
        handle.close()


def test_six_failures_then_a_success_resets_the_count(taskmock_asgi):
    wrong = Rpc(taskmock_asgi, "member", "nope")
    for _ in range(6):
        assert wrong.raw('{"jsonrpc":"2.0","method":"getVersion","id":1}').status_code == 401
    assert Rpc(taskmock_asgi, "member")("getVersion")
    for _ in range(6):
        wrong.raw('{"jsonrpc":"2.0","method":"getVersion","id":1}')
    assert Rpc(taskmock_asgi, "member")("getVersion")


def test_project_files(app, taskmock_asgi):
    file_id = app("createProjectFile", 1, "Plan.PNG", b64(PNG))
    assert app("createProjectFile", 999, "x.txt", "eA==") is False
    assert app("createProjectFile", 1, "x.txt", "") is False
    row = app("getProjectFile", 1, file_id)
    assert list(row) == ["id", "project_id", "name", "path", "is_image", "size", "user_id", "date", "etag"]
    assert row["path"].startswith("projects/1/") and row["is_image"] == 1 and row["size"] == len(PNG)
    assert app("getProjectFile", 2, file_id) is False                 # a file of another project
    listed = app("getAllProjectFiles", 1)
    assert [f["name"] for f in listed] == ["Plan.PNG"] and listed[0]["project_id"] == 1
    assert list(listed[0])[-3:] == ["username", "user_name", "etag"]
    assert app("downloadProjectFile", 1, file_id) == b64(PNG)
    assert app("downloadProjectFile", 2, file_id) == ""
    assert app("getAllTaskFiles", 1) == []                             # task files are another table
    viewer = Rpc(taskmock_asgi, "viewer")
    assert viewer("getProjectFile", 1, file_id)["id"] == file_id
    assert viewer.raw('{"jsonrpc":"2.0","method":"removeProjectFile","params":[1,%d],"id":1}' % file_id
                      ).status_code == 403
    assert app("removeProjectFile", 2, file_id) is False
    assert app("removeProjectFile", 1, file_id) is True
    app("createProjectFile", 1, "a.txt", "eA==")
    assert app("removeAllProjectFiles", 1) is True and app("getAllProjectFiles", 1) == []
    fake = app.raw('{"jsonrpc":"2.0","method":"createProjectFile","params":[1,"x.gif","eA=="],"id":1}')
    assert fake.status_code == 500 and fake.content == b""


def test_same_name_in_the_same_second_shares_one_stored_object(app):
    """Kanboard's object store is keyed by path, sha1(name + time()): the second upload overwrites the first's
    bytes, and removing one row keeps the object while another row names it (seen on the recorded Kanboard)."""
    for _ in range(3):                  # both uploads in one batch: the same second but at a second's edge
        batch = [{"jsonrpc": "2.0", "method": "createTaskFile", "params": [1, 1, "same.txt", b64(data)], "id": n}
                 for n, data in enumerate((b"one", b"two"))]
        first, second = (r["result"] for r in app.raw(json.dumps(batch)).json())
        if app("getTaskFile", first)["path"] == app("getTaskFile", second)["path"]:
            break
    else:
        pytest.fail("three batches in a row straddled a second")
    assert app("downloadTaskFile", first) == app("downloadTaskFile", second) == b64(b"two")
    assert app("removeTaskFile", first) is True and app("downloadTaskFile", second) == b64(b"two")
    assert app("removeTaskFile", second) is True and app("downloadTaskFile", second) == ""
