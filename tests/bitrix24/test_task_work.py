"""Bitrix24 around a task's files, through b24pysdk and fast_bitrix24: moving a task through its statuses,
changing and deleting a comment with files, and going back to an earlier version of a file; with the errors the
docs list for each."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.bitrix24.conftest import HOOK          # Boris (user 2): task 3701 is his, 3702 is Clara's (user 3)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def error_of(request) -> tuple[str, str]:
    from b24pysdk.errors import BitrixAPIError

    with pytest.raises(BitrixAPIError) as caught:
        request.result
    return caught.value.error, caught.value.error_description


def test_a_task_moves_through_its_statuses(b24):
    task = b24.tasks.task
    assert task.get(3701).result["task"]["status"] == "2"
    for method, status in ((task.start, "3"), (task.pause, "2"), (task.defer, "6"), (task.complete, "5"),
                           (task.renew, "2")):
        assert method(3701).result["task"]["status"] == status, method
    assert [t["id"] for t in task.list(filter={"STATUS": 2}, select=["ID"]).result["tasks"]] == ["3701"]
    assert error_of(task.complete(3702)) == ("0", "Action on the task is not allowed")         # Clara's task
    assert error_of(task.start(999999)) == ("0", "Action on the task is not allowed")


def test_the_status_methods_inside_batch(taskmock):
    from fast_bitrix24 import Bitrix

    fast = Bitrix(f"{taskmock.url}/rest/{HOOK}", verbose=False)
    done = fast.call("tasks.task.complete", {"taskId": 3701}, raw=True)["result"]
    assert done["task"]["status"] == "5"
    wrong = httpx.post(f"{taskmock.url}/rest/{HOOK}/tasks.task.complete", json={"taskId": "abc"})
    assert (wrong.status_code, wrong.json()["error"]) == (400, "0")


def test_a_comment_changes_its_text_and_files_then_goes(b24, taskmock_https, https):
    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    first, second = (b24.disk.folder.upload_file(root, data={"NAME": name}, file_content=[name, b64(data)]
                                                 ).result["ID"] for name, data in (("a.txt", b"A"), ("b.txt", b"B")))
    comment = b24.task.commentitem.add(3701, {"POST_MESSAGE": "First take", "UF_FORUM_MESSAGE_DOC": [f"n{first}"]}
                                       ).result
    assert b24.task.commentitem.update(3701, comment, {"POST_MESSAGE": "Second take",
                                                       "UF_FORUM_MESSAGE_DOC": [f"n{second}"]}).result is True
    got = b24.task.commentitem.get(3701, comment).result
    assert got["POST_MESSAGE"] == "Second take"
    [(attachment_id, shown)] = got["ATTACHED_OBJECTS"].items()
    assert shown["NAME"] == "b.txt" and https.get(taskmock_https.url + shown["DOWNLOAD_URL"]).content == b"B"

    # the text alone: the files stay
    assert b24.task.commentitem.update(3701, comment, {"POST_MESSAGE": "Third take"}).result is True
    assert list(b24.task.commentitem.get(3701, comment).result["ATTACHED_OBJECTS"]) == [attachment_id]
    assert error_of(b24.task.commentitem.update(3701, comment, {"POST_MESSAGE": " "})) == (
        "ERROR_CORE", "Comment text not specified.<br>")

    assert b24.task.commentitem.delete(3701, comment).result is True
    assert b24.task.commentitem.getlist(3701).result == []
    assert error_of(b24.disk.attached_object.get(int(attachment_id)))[0] == "ERROR_NOT_FOUND"
    assert b24.disk.file.get(second).result["NAME"] == "b.txt"                  # the Drive file stays
    not_allowed = ("ERROR_CORE", "TASKS_ERROR_EXCEPTION_#4; Action is not allowed; 4/TE/ACTION_NOT_ALLOWED.<br>")
    assert error_of(b24.task.commentitem.delete(3701, comment)) == not_allowed


def test_another_users_comment_is_not_changed_but_by_an_administrator(taskmock):
    """Clara's comment on her task, which Boris can see as its auditor or not at all: either way not his."""
    clara, admin = f"{taskmock.url}/rest/3/c3webhook", f"{taskmock.url}/rest/1/adminhook"
    comment = httpx.post(f"{clara}/task.commentitem.add", json={"TASKID": 3702, "FIELDS": {
        "POST_MESSAGE": "Hers"}}).json()["result"]
    boris = httpx.post(f"{taskmock.url}/rest/{HOOK}/task.commentitem.update",
                       json={"TASKID": 3702, "ITEMID": comment, "FIELDS": {"POST_MESSAGE": "His"}})
    assert boris.status_code == 400 and boris.json()["error_description"].startswith("TASKS_ERROR_EXCEPTION_#4;")
    changed = httpx.post(f"{admin}/task.commentitem.update",
                         json={"TASKID": 3702, "ITEMID": comment, "FIELDS": {"POST_MESSAGE": "Moderated"}})
    assert changed.json()["result"] is True
    missing = httpx.post(f"{admin}/task.commentitem.delete", json={"TASKID": 3702})
    assert missing.json()["error_description"] == ("TASKS_ERROR_EXCEPTION_#256; Param #1 (itemId) expected by "
                                                   "method ctaskcommentitem::delete(), but not given.; "
                                                   "256/TE/WRONG_ARGUMENTS")
    assert httpx.post(f"{admin}/task.commentitem.delete", json={"TASKID": 3702, "ITEMID": comment}).json()[
        "result"] is True


def test_a_file_goes_back_to_an_earlier_version(b24, https):
    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    file_id = b24.disk.folder.upload_file(root, data={"NAME": "plan.txt"}, file_content=["plan.txt", b64(b"one")]
                                          ).result["ID"]
    assert b24.disk.file.upload_version(file_id, ["plan.txt", b64(b"two")]).result["GLOBAL_CONTENT_VERSION"] == "2"
    versions = b24.disk.file.get_versions(file_id).result
    first = next(v for v in versions if v["GLOBAL_CONTENT_VERSION"] == "1")
    restored = b24.disk.file.restore_from_version(file_id, int(first["ID"])).result
    assert (restored["GLOBAL_CONTENT_VERSION"], restored["NAME"], restored["SIZE"]) == ("3", "plan.txt", "3")
    assert https.get(restored["DOWNLOAD_URL"]).content == b"one"
    assert [https.get(v["DOWNLOAD_URL"]).content for v in b24.disk.file.get_versions(file_id).result] == [
        b"one", b"two", b"one"]

    other = b24.disk.folder.upload_file(root, data={"NAME": "other.txt"}, file_content=["other.txt", b64(b"x")]
                                        ).result["ID"]
    assert error_of(b24.disk.file.restore_from_version(other, int(first["ID"]))) == (
        "DISK_FILE_22004", "Cannot restore version from another file")
    assert error_of(b24.disk.file.restore_from_version(999999, int(first["ID"]))) == (
        "ERROR_NOT_FOUND", "Could not find entity with id `999999`")
    assert error_of(b24.disk.file.restore_from_version(file_id, 999999))[0] == "ERROR_NOT_FOUND"


def test_a_folder_is_renamed_trashed_with_what_it_holds_restored_and_deleted(b24, taskmock_https, https):
    admin = f"{taskmock_https.url}/rest/1/adminhook"
    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    folder = b24.disk.folder.add_sub_folder(root, {"NAME": "Reports"}).result["ID"]
    inner = b24.disk.folder.add_sub_folder(folder, {"NAME": "2026"}).result["ID"]
    file_id = b24.disk.folder.upload_file(inner, data={"NAME": "q1.txt"}, file_content=["q1.txt", b64(b"q1")]
                                          ).result["ID"]
    assert b24.tasks.task.files.attach(task_id=3701, file_id=file_id).result["attachmentId"]
    b24.disk.folder.add_sub_folder(root, {"NAME": "Archive"}).result
    assert error_of(b24.disk.folder.rename(folder, "Archive")) == ("DISK_OBJ_22000",
                                                                   "A folder with this name already exists")
    assert b24.disk.folder.rename(folder, "Reports 2026").result["NAME"] == "Reports 2026"

    trashed = b24.disk.folder.mark_deleted(folder).result
    assert trashed["DELETED_TYPE"] == "3"
    assert "Reports 2026" not in [o["NAME"] for o in b24.disk.folder.get_children(root).result]
    assert error_of(b24.disk.file.get(file_id))[0] == "ERROR_NOT_FOUND"          # gone with its folder
    # restoring is an administrator's (the docs' "who can execute")
    assert error_of(b24.disk.folder.restore(folder))[0] == "ACCESS_DENIED"
    restored = https.post(f"{admin}/disk.folder.restore", json={"id": folder}).json()["result"]
    assert restored["DELETED_TYPE"] == "0" and b24.disk.file.get(file_id).result["NAME"] == "q1.txt"

    assert error_of(b24.disk.folder.delete_tree(root)) == ("DISK_OBJ_22000", "Could not delete root folder")
    assert b24.disk.folder.delete_tree(folder).result is True
    assert error_of(b24.disk.folder.get(inner))[0] == "ERROR_NOT_FOUND"
    files = b24.tasks.task.get(3701, select=["UF_TASK_WEBDAV_FILES"]).result["task"]["ufTaskWebdavFiles"]
    assert files is False                                  # its attachment went with the file
    assert error_of(b24.disk.folder.delete_tree(folder))[0] == "ERROR_NOT_FOUND"


def test_a_folder_moves_and_copies_with_all_it_holds(b24, https):
    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    projects = b24.disk.folder.add_sub_folder(root, {"NAME": "Projects"}).result["ID"]
    folder = b24.disk.folder.add_sub_folder(root, {"NAME": "Specs"}).result["ID"]
    inner = b24.disk.folder.add_sub_folder(folder, {"NAME": "Drafts"}).result["ID"]
    file_id = b24.disk.folder.upload_file(inner, data={"NAME": "a.txt"}, file_content=["a.txt", b64(b"A")]
                                          ).result["ID"]
    moved = b24.disk.folder.move_to(folder, projects).result
    assert moved["PARENT_ID"] == str(projects)
    assert [o["NAME"] for o in b24.disk.folder.get_children(projects).result] == ["Specs"]
    assert b24.disk.file.get(file_id).result["PARENT_ID"] == str(inner)              # its contents came along

    copied = b24.disk.folder.copy_to(folder, root).result
    assert copied["NAME"] == "Specs" and copied["ID"] != str(folder)
    [drafts] = b24.disk.folder.get_children(int(copied["ID"])).result
    [copy_of_file] = b24.disk.folder.get_children(int(drafts["ID"])).result
    assert copy_of_file["ID"] != str(file_id) and https.get(copy_of_file["DOWNLOAD_URL"]).content == b"A"

    assert error_of(b24.disk.folder.copy_to(folder, root)) == ("DISK_OBJ_22000",
                                                               "A folder with this name already exists")
    assert error_of(b24.disk.folder.move_to(folder, inner))[0] == "DISK_OBJ_22000"       # not into itself
    assert error_of(b24.disk.folder.move_to(root, projects)) == ("DISK_OBJ_22000", "Could not move root folder")
    assert error_of(b24.disk.folder.move_to(folder, 999999))[0] == "ERROR_NOT_FOUND"
