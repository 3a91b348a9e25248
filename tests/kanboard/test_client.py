"""The official Python client (``kanboard`` 1.1.8) against the live mock, unchanged."""

from __future__ import annotations

import base64

import kanboard
import pytest


@pytest.fixture
def app_client(taskmock):
    return kanboard.Client(url=taskmock.kanboard.url, username="jsonrpc", password=taskmock.kanboard.token)


def user_client(taskmock, username):
    return kanboard.Client(url=taskmock.kanboard.url, username=username,
                           password=taskmock.kanboard.users[username])


def test_task_file_round_trip(app_client):
    """Kanboard's own integration test ``TaskFileProcedureTest::testAll``, ported."""
    project_id = app_client.create_project(name="My project to test task files", description="Description")
    assert project_id is not False
    task_id = app_client.create_task(title="My task", project_id=project_id)
    assert task_id is not False
    file_id = app_client.create_task_file(project_id=project_id, task_id=task_id, filename="My file",
                                          blob=base64.b64encode(b"plain text file").decode())
    assert isinstance(file_id, int)
    record = app_client.get_task_file(file_id=file_id)
    assert record["name"] == "My file" and record["size"] == 15 and record["user_id"] == 0
    assert base64.b64decode(app_client.download_task_file(file_id=file_id)) == b"plain text file"
    listed = app_client.get_all_task_files(task_id=task_id)
    assert [f["name"] for f in listed] == ["My file"]
    assert listed[0]["username"] is None and listed[0]["user_name"] is None
    assert app_client.remove_task_file(file_id=file_id) is True
    assert app_client.get_all_task_files(task_id=task_id) == []
    for name in ("one.txt", "two.txt"):
        app_client.create_task_file(project_id=project_id, task_id=task_id, filename=name,
                                    blob=base64.b64encode(b"x").decode())
    assert app_client.remove_all_task_files(task_id=task_id) is True
    assert app_client.get_all_task_files(task_id=task_id) == []


def test_failure_values_come_back_as_the_client_sees_them_on_kanboard(app_client):
    assert app_client.get_task_file(file_id=999) is None
    assert app_client.create_task_file(project_id=1, task_id=999, filename="x", blob="eA==") is False
    assert app_client.download_task_file(file_id=999) == ""
    assert app_client.remove_task_file(file_id=999) is False
    assert app_client.remove_all_task_files(task_id=999) is True


def test_the_seeding_flow_of_kanboards_integration_tests(app_client):
    """``BaseProcedureTest::setUp``: getUserByName, then createUser for each missing user."""
    for username, role in (("superuser", "app-admin"), ("manager2", "app-manager"), ("user", "app-user")):
        assert app_client.get_user_by_name(username=username) is None
        user_id = app_client.create_user(username=username, password="password", name=username,
                                         email=f"{username}@example.org", role=role)
        assert app_client.get_user_by_name(username=username)["id"] == user_id
    assert app_client.create_user(username="user", password="password") is False


def test_user_credentials_follow_project_roles(taskmock, app_client):
    member, viewer, outsider = (user_client(taskmock, n) for n in ("member", "viewer", "outsider"))
    blob = base64.b64encode(b"by member").decode()
    file_id = member.create_task_file(project_id=1, task_id=1, filename="member.txt", blob=blob)
    listed = viewer.get_all_task_files(task_id=1)
    assert [(f["name"], f["username"]) for f in listed] == [("member.txt", "member")]
    assert viewer.download_task_file(file_id=file_id) == blob
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        viewer.create_task_file(project_id=1, task_id=1, filename="v.txt", blob=blob)
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        viewer.remove_task_file(file_id=file_id)
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        outsider.get_task_file(file_id=file_id)
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        member.get_task_file(file_id=999)     # user credentials: a missing file is 403, not null
    assert member.remove_task_file(file_id=file_id) is True


def test_client_errors(taskmock, app_client):
    wrong = kanboard.Client(url=taskmock.kanboard.url, username="jsonrpc", password="wrong")
    with pytest.raises(kanboard.ClientError, match="HTTP Error 401: Unauthorized"):
        wrong.get_all_task_files(task_id=1)
    with pytest.raises(kanboard.ClientError, match="^Invalid params$"):
        app_client.get_task_file(8)          # the client drops positional arguments: params {}
    with pytest.raises(kanboard.ClientError, match="^Method not found$"):
        app_client.delete_task_file(file_id=1)


def test_custom_auth_header_as_the_client_sends_it(tmp_path):
    """``auth_header`` makes the client send raw base64 user:password in that header, no 'Basic '."""
    from mockserver.pytest_plugin import LiveServer
    from mockserver.settings import Settings

    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text('{"kanboard": {"app_token": "t0ken", "auth_header": "X-API-Auth",'
                        ' "projects": [{"name": "P", "tasks": [{"title": "T"}]}]}}')
    server = LiveServer(Settings(port=0, fixtures=fixtures))
    try:
        client = kanboard.Client(url=server.kanboard.url, username="jsonrpc", password="t0ken",
                                 auth_header="X-API-Auth")
        assert client.get_all_task_files(task_id=1) == []
        plain = kanboard.Client(url=server.kanboard.url, username="jsonrpc", password="t0ken")
        assert plain.get_all_task_files(task_id=1) == []      # Basic still works when the header is absent
    finally:
        server.stop()


@pytest.mark.anyio
async def test_async_calls(taskmock):
    app_client = kanboard.Client(url=taskmock.kanboard.url, username="jsonrpc", password=taskmock.kanboard.token)
    file_id = await app_client.create_task_file_async(project_id=1, task_id=1, filename="a.txt",
                                                      blob=base64.b64encode(b"async").decode())
    assert (await app_client.get_task_file_async(file_id=file_id))["name"] == "a.txt"


def test_finding_projects_and_tasks_as_clients_do(app_client, taskmock):
    """The discovery procedures, each compared by hand with the recorded Kanboard's answers (ids aside)."""
    member = user_client(taskmock, "member")
    assert member.get_my_projects_list() == {"1": "Demo project"}
    [mine] = member.get_my_projects()
    assert (mine["name"], mine["default_swimlane"]) == ("Demo project", "Default swimlane")
    assert mine["url"]["board"].endswith("?controller=BoardViewController&action=show&project_id=1")
    with pytest.raises(kanboard.ClientError):
        member.get_all_projects()                                   # an app-admin procedure
    with pytest.raises(kanboard.ClientError):
        app_client.get_my_projects()                                # a user procedure
    assert [p["name"] for p in app_client.get_all_projects()] == ["Demo project", "Private project"]
    assert app_client.get_project_by_name(name="Private project")["id"] == 2
    assert app_client.get_project_by_name(name="No such project") is False
    with pytest.raises(kanboard.ClientError):
        member.get_project_by_name(name="Private project")          # not his project: 403
    open_tasks = member.get_all_tasks(project_id=1)
    assert [t["title"] for t in open_tasks][0] == "First task" and len(open_tasks) == 3
    first = open_tasks[0]
    assert first["swimlane_id"] == 1 and first["time_spent"] is None and first["date_completed"] is None
    assert member.close_task(task_id=first["id"]) is True
    assert [t["id"] for t in member.get_all_tasks(project_id=1, status_id=0)] == [first["id"]]
    assert member.get_task(task_id=first["id"])["date_completed"] is not None
    assert member.open_task(task_id=first["id"]) is True and len(member.get_all_tasks(project_id=1)) == 3
    assert member.get_task(task_id=first["id"])["date_completed"] == 0          # opened: 0, never closed: null
    # a new task goes after the open tasks of its column and swimlane: closed ones do not count
    member.close_task(task_id=first["id"])
    new = member.get_task(task_id=member.create_task(title="After", project_id=1))
    assert new["position"] == 1 + sum(1 for t in member.get_all_tasks(project_id=1)
                                      if t["column_id"] == new["column_id"] and t["id"] != new["id"])
    assert app_client.close_task(task_id=99999) is False
    viewer = user_client(taskmock, "viewer")
    with pytest.raises(kanboard.ClientError):
        viewer.close_task(task_id=first["id"])                      # a project-viewer may not


def test_search_reference_identifier_update_and_users_through_the_client(app_client, taskmock):
    """The rest of what clients call to find their work, each compared with the recorded Kanboard by the
    differential run (tests/kanboard/differential.py)."""
    member = user_client(taskmock, "member")
    project_id = app_client.create_project(name="Search", identifier="srch")
    assert app_client.get_project_by_identifier(identifier="SRCH")["id"] == project_id
    assert app_client.get_project_by_identifier(identifier="srch")["identifier"] == "SRCH"
    assert app_client.get_project_by_identifier(identifier="") is False
    assert app_client.create_project(name="Again", identifier="SRCH") is False          # unique identifier
    users = {u["username"]: u for u in app_client.get_all_users()}
    assert app_client.add_project_user(project_id=project_id, user_id=users["member"]["id"]) is True
    bug = app_client.create_task(title="Fix the login bug", project_id=project_id, reference="JIRA-7",
                                 owner_id=users["member"]["id"], date_due="2027-03-01")
    chore = app_client.create_task(title="Water the plants", project_id=project_id, description="weekly")
    assert app_client.get_task_by_reference(project_id=project_id, reference="JIRA-7")["id"] == bug
    assert app_client.get_task_by_reference(project_id=project_id, reference="JIRA-8") is None

    def found(query, client=app_client):
        return [t["id"] for t in client.search_tasks(project_id=project_id, query=query)]
    assert found("login") == [bug] and found("LOGIN bug") == [bug] and found("") == [bug, chore]
    assert found("assignee:member") == [bug] and found("assignee:nobody") == [chore]
    assert found("assignee:me", member) == [bug] and found(f"#{chore}") == [chore]
    assert found("ref:jira-*") == [bug] and found("description:week") == [chore]
    assert found("status:closed") == [] and found("due:tomorrow") == []
    row = app_client.search_tasks(project_id=project_id, query="login")[0]
    assert (row["assignee_username"], row["column_name"], row["project_name"], row["nb_files"]) == \
        ("member", "Backlog", "Search", 0)
    assert app_client.update_task(id=chore, title="Water the garden", score=3) is True
    assert app_client.get_task(task_id=chore)["title"] == "Water the garden"
    assert app_client.update_task(id=chore, date_due="2027-13-01") is False             # no month 13
    assert app_client.update_task(id=99999, title="x") is False
    assert member.update_task(id=chore, owner_id=users["member"]["id"]) is True
    assert found("assignee:member") == [bug, chore]
    assert set(users) >= {"admin", "member", "viewer"} and users["member"]["password"].startswith("$2y$10$")
    me = member.get_me()
    assert me["username"] == "member" and "password" not in me and me["is_ldap_user"] is False
    with pytest.raises(kanboard.ClientError):
        member.get_all_users()                                      # an app-admin procedure


def test_comments_and_task_metadata_through_the_client(taskmock, app_client):
    """What an integration writes beside a task's files: a comment naming the file, and its own ids in the task's
    metadata; Kanboard's rules for who may write, see and change them."""
    member, viewer = user_client(taskmock, "member"), user_client(taskmock, "viewer")
    member_id = member.get_me()["id"]
    mine = member.create_comment(task_id=1, user_id=member_id, content="report.pdf attached")
    assert isinstance(mine, int)
    assert member.create_comment(task_id=1, user_id=0, content="as someone else") is False
    assert member.create_comment(task_id=1, user_id=member_id, content="x", visibility="app-manager") is False
    hidden = app_client.create_comment(task_id=1, user_id=0, content="for managers", visibility="app-manager")
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        viewer.create_comment(task_id=1, user_id=viewer.get_me()["id"], content="viewers only read")

    record = viewer.get_comment(comment_id=mine)
    assert (record["comment"], record["username"], record["task_id"]) == ("report.pdf attached", "member", 1)
    assert [c["id"] for c in app_client.get_all_comments(task_id=1)] == [mine, hidden]
    assert [c["id"] for c in viewer.get_all_comments(task_id=1)] == [mine]          # app-user: no manager comments
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        viewer.get_comment(comment_id=hidden)
    assert member.update_comment(id=mine, content="report.pdf, second version") is True
    assert app_client.get_comment(comment_id=mine)["comment"] == "report.pdf, second version"
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        member.update_comment(id=hidden, content="x")                       # a comment his role may not see
    assert app_client.update_comment(id=mine, content="by the app") is True and member.update_comment(
        id=mine, content="report.pdf, second version") is True
    assert [t["nb_comments"] for t in app_client.search_tasks(project_id=1, query="comment:second")] == [2]
    assert member.remove_comment(comment_id=mine) is True
    assert app_client.get_comment(comment_id=mine) is None

    assert member.save_task_metadata(task_id=1, values={"external_id": "EXT-7", "synced": 1}) is True
    assert viewer.get_task_metadata(task_id=1) == {"external_id": "EXT-7", "synced": "1"}
    assert viewer.get_task_metadata_by_name(task_id=1, name="external_id") == "EXT-7"
    assert viewer.get_task_metadata_by_name(task_id=1, name="nothing") == ""
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        viewer.save_task_metadata(task_id=1, values={"x": "y"})
    assert app_client.save_task_metadata(task_id=999, values={"x": "y"}) is False
    assert member.remove_task_metadata(task_id=1, name="synced") is True
    assert member.remove_task_metadata(task_id=1, name="synced") is False
    assert app_client.remove_task(task_id=1) is True
    assert app_client.get_task_metadata(task_id=1) == {} and app_client.get_all_comments(task_id=1) == []


def test_moving_a_task_between_columns_through_the_client(taskmock, app_client):
    """The board as an integration moves a task once its file is attached: columns, then moveTaskPosition."""
    columns = app_client.get_columns(project_id=1)
    assert [c["title"] for c in columns] == ["Backlog", "Ready", "Work in progress", "Done"]
    done = columns[3]["id"]
    assert app_client.get_column(column_id=done)["title"] == "Done"
    first, second = app_client.get_all_tasks(project_id=1)[:2]
    assert app_client.move_task_position(project_id=1, task_id=first["id"], column_id=done, position=1,
                                         swimlane_id=0) is True
    assert app_client.move_task_position(project_id=1, task_id=second["id"], column_id=done, position=1,
                                         swimlane_id=0) is True
    moved = {t["id"]: (t["column_id"], t["position"]) for t in app_client.get_all_tasks(project_id=1)}
    assert moved[second["id"]] == (done, 1) and moved[first["id"]] == (done, 2)      # the first moved down
    assert app_client.move_task_position(project_id=1, task_id=second["id"], column_id=done, position=1,
                                         swimlane_id=0) is False                       # nothing to change
    viewer = user_client(taskmock, "viewer")
    with pytest.raises(kanboard.ClientError, match="HTTP Error 403: Forbidden"):
        viewer.move_task_position(project_id=1, task_id=first["id"], column_id=done, position=1, swimlane_id=0)
