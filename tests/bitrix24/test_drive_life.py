"""The whole life of a task file on Bitrix24 through the two real clients: find the task, upload, rename, move,
a new version, every version's bytes, the trash and back, attach through REST 2 and 3 and through a comment, read
it back, delete; and each method's documented errors, provoked as the real service would be."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.bitrix24.conftest import HOOK          # Boris: task 3701 is his; workgroup 5 is his, 6 is not


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_the_life_of_a_task_file_through_b24pysdk(b24, taskmock_https, https):
    [task] = b24.tasks.task.list(filter={"TITLE": "%quarterly%"}, select=["ID", "TITLE"]).result["tasks"]
    task_id = int(task["id"])
    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    folder = b24.disk.folder.add_sub_folder(root, {"NAME": "Reports"}).result["ID"]
    assert b24.disk.folder.get(folder).result["NAME"] == "Reports"

    uploaded = b24.disk.folder.upload_file(root, data={"NAME": "draft.txt"},
                                           file_content=["draft.txt", b64(b"first draft")]).result
    file_id = uploaded["ID"]
    renamed = b24.disk.file.rename(file_id, "report.txt").result
    assert renamed["NAME"] == "report.txt"
    moved = b24.disk.file.move_to(file_id, folder).result
    assert moved["PARENT_ID"] == str(folder)
    assert [o["NAME"] for o in b24.disk.folder.get_children(folder).result] == ["report.txt"]
    second = b24.disk.file.upload_version(file_id, ["report.txt", b64(b"second draft, longer")]).result
    assert (second["GLOBAL_CONTENT_VERSION"], second["NAME"], second["SIZE"]) == ("2", "report.txt", "20")
    versions = b24.disk.file.get_versions(file_id).result
    assert [v["GLOBAL_CONTENT_VERSION"] for v in versions] == ["2", "1"]
    assert [https.get(v["DOWNLOAD_URL"]).content for v in versions] == [b"second draft, longer", b"first draft"]
    assert https.get(second["DOWNLOAD_URL"]).content == b"second draft, longer"

    trashed = b24.disk.file.mark_deleted(file_id).result
    assert (trashed["DELETED_TYPE"], trashed["DELETED_BY"]) == ("3", "2") and trashed["DELETE_TIME"]
    assert b24.disk.folder.get_children(folder).result == []
    again = b24.disk.folder.upload_file(folder, data={"NAME": "report.txt"},
                                        file_content=["report.txt", b64(b"a newcomer")]).result
    restored = b24.disk.file.restore(file_id).result
    assert (restored["NAME"], restored["DELETED_TYPE"]) == ("report (1).txt", "0")     # the name was taken
    assert sorted(o["NAME"] for o in b24.disk.folder.get_children(folder).result) == ["report (1).txt", "report.txt"]

    attached = b24.tasks.task.files.attach(task_id=task_id, file_id=file_id).result["attachmentId"]
    v3 = https.post(f"{taskmock_https.url}/rest/api/{HOOK}/tasks.task.file.attach",
                    json={"taskId": task_id, "fileIds": [again["ID"]]})
    assert v3.status_code == 200 and v3.json()["result"] == {"result": True} and "time" in v3.json()
    files = b24.tasks.task.get(task_id, select=["UF_TASK_WEBDAV_FILES"]).result["task"]["ufTaskWebdavFiles"]
    assert files[0] == attached and len(files) == 2

    comment_id = b24.task.commentitem.add(task_id, {"POST_MESSAGE": "See the report",
                                                    "UF_FORUM_MESSAGE_DOC": [f"n{file_id}"]}).result
    comment = b24.task.commentitem.get(task_id, comment_id).result
    [(attachment_id, shown)] = comment["ATTACHED_OBJECTS"].items()
    assert (comment["POST_MESSAGE"], shown["NAME"]) == ("See the report", "report (1).txt")
    assert https.get(taskmock_https.url + shown["DOWNLOAD_URL"]).content == b"second draft, longer"
    info = b24.disk.attached_object.get(int(attachment_id)).result
    assert (info["ENTITY_TYPE"], info["ENTITY_ID"]) == ("forum_message", str(comment_id))
    assert [c["ID"] for c in b24.task.commentitem.getlist(task_id).result] == [str(comment_id)]

    copied = b24.disk.file.copy_to(file_id, root).result
    assert copied["NAME"] == "report (1).txt" and copied["ID"] != str(file_id)
    assert https.get(copied["DOWNLOAD_URL"]).content == b"second draft, longer"
    link = b24.disk.file.get_external_link(file_id).result
    assert link.startswith(taskmock_https.url + "/~") and b24.disk.file.get_external_link(file_id).result == link
    assert b24.disk.file.delete(file_id).result is True


def test_the_documented_errors_of_the_drive_methods(b24, taskmock_https):
    from b24pysdk.errors import BitrixAPIError

    def error_of(request):
        with pytest.raises(BitrixAPIError) as caught:
            request.result
        return caught.value.error, caught.value.error_description

    root = int(b24.disk.storage.get_list(filter={"ENTITY_TYPE": "user"}).result[0]["ROOT_OBJECT_ID"])
    a = b24.disk.folder.upload_file(root, data={"NAME": "a.txt"}, file_content=["a.txt", "YQ=="]).result["ID"]
    b24.disk.folder.upload_file(root, data={"NAME": "b.txt"}, file_content=["b.txt", "Yg=="]).result
    assert error_of(b24.disk.file.rename(a, "b.txt")) == ("DISK_OBJ_22000", "A file with that name already exists")
    assert error_of(b24.disk.file.rename(a, " ")) == ("0", "Empty name")
    assert error_of(b24.disk.folder.add_sub_folder(root, {"NAME": "a.txt"})) == (
        "DISK_OBJ_22000", "A folder with this name already exists")
    assert error_of(b24.disk.file.move_to(a, 999999)) == ("ERROR_NOT_FOUND", "Could not find entity with id `999999`")
    assert "3" not in {s["ENTITY_ID"] for s in b24.disk.storage.get_list().result}     # Clara's storage is hers
    assert error_of(b24.disk.file.copy_to(999999, root)) == ("ERROR_NOT_FOUND",
                                                            "Could not find entity with id `999999`")
    b24.disk.file.mark_deleted(a).result
    assert error_of(b24.disk.file.get(a))[0] == "ERROR_NOT_FOUND"                        # the trash is out of reach
    assert error_of(b24.disk.file.upload_version(a, ["a.txt", "YQ=="]))[0] == "ERROR_NOT_FOUND"
    assert error_of(b24.disk.file.restore(int(root)))[0] == "ERROR_NOT_FOUND"            # not in the trash
    assert error_of(b24.disk.storage.get_for_app()) == ("ACCESS_DENIED",
                                                         "Access denied! Application context required")
    assert error_of(b24.task.commentitem.add(3701, {"POST_MESSAGE": ""})) == ("ERROR_CORE",
                                                                              "Comment text is not specified")
    assert error_of(b24.task.commentitem.add(3701, {"POST_MESSAGE": "x", "UF_FORUM_MESSAGE_DOC": ["n999999"]})) \
        == ("ERROR_CORE", "File not found")
    assert error_of(b24.task.commentitem.add(3702, {"POST_MESSAGE": "x"})) == (
        "ERROR_CORE", "Insufficient permissions to add a comment")                      # Clara's task


def test_workgroup_storages_and_their_files(b24, taskmock):
    """Boris is in workgroup 5, not 6: he reads and writes 5's storage; 5's files go to 5's tasks only."""
    from b24pysdk.errors import BitrixAPIError

    groups = {s["ENTITY_ID"]: int(s["ROOT_OBJECT_ID"])
              for s in httpx.get(f"{taskmock.url}/rest/1/adminhook/disk.storage.getlist",
                                 params={"filter[ENTITY_TYPE]": "group"}).json()["result"]}
    shared = b24.disk.folder.upload_file(groups["5"], data={"NAME": "plan.txt"},
                                         file_content=["plan.txt", "cGxhbg=="]).result["ID"]
    with pytest.raises(BitrixAPIError) as denied:
        b24.disk.folder.get_children(groups["6"]).result
    assert denied.value.error == "ACCESS_DENIED"
    group_task = b24.tasks.task.add({"TITLE": "Campaign", "RESPONSIBLE_ID": 2, "GROUP_ID": 5}).result["task"]["id"]
    assert b24.tasks.task.files.attach(task_id=int(group_task), file_id=shared).result["attachmentId"]
    with pytest.raises(BitrixAPIError) as other_task:
        b24.tasks.task.files.attach(task_id=3701, file_id=shared).result            # 3701 is in no workgroup
    assert (other_task.value.error, other_task.value.error_description) == ("ERROR_CORE",
                                                                            "Insufficient permissions.<br>")


def test_rest_3_attach_and_its_errors(taskmock):
    url = f"{taskmock.url}/rest/api/{HOOK}/tasks.task.file.attach"
    root = httpx.get(f"{taskmock.url}/rest/{HOOK}/disk.storage.getlist",
                     params={"filter[ENTITY_TYPE]": "user"}).json()["result"][0]["ROOT_OBJECT_ID"]
    file_id = httpx.post(f"{taskmock.url}/rest/{HOOK}/disk.folder.uploadfile",
                         json={"id": root, "data": {"NAME": "v3.txt"}, "fileContent": ["v3.txt", "djM="]}
                         ).json()["result"]["ID"]

    def error(response, status):
        assert response.status_code == status, response.text
        return response.json()["error"]

    missing = error(httpx.post(url, json={"fileIds": [file_id]}), 400)
    assert missing == {"code": "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
                       "message": "Error validating the request object",
                       "validation": [{"message": "The required field `taskId` is missing", "field": "taskId"}]}
    assert error(httpx.post(url, json={"taskId": "3701", "fileIds": [file_id]}), 400)["validation"][0][
        "message"] == "The field `taskId` requires data type `int` for this request"
    assert error(httpx.post(url, data={"taskId": 3701, "fileIds": file_id}), 400)["code"] == \
        "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION"
    assert error(httpx.post(url, json={"taskId": 3702, "fileIds": [file_id]}), 403)["code"] == \
        "BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION"                                 # Clara's task
    assert httpx.post(url, json={"taskId": 3701, "fileIds": [file_id]}).json()["result"] == {"result": True}
    old = httpx.post(f"{taskmock.url}/rest/{HOOK}/tasks.task.file.attach", json={"taskId": 3701, "fileIds": [1]})
    assert old.status_code == 404 and old.json()["error"] == "ERROR_METHOD_NOT_FOUND"     # REST 3.0 only
    oauth = httpx.post(f"{taskmock.url}/rest/api/tasks.task.file.attach",
                       json={"taskId": 3701, "fileIds": [file_id], "auth": "oauth-token-user-2"})
    assert oauth.json()["result"] == {"result": True}


def test_the_new_methods_inside_batch_through_fast_bitrix24(taskmock):
    """fast_bitrix24 sends everything through ``batch``: the Drive life in batches, under a webhook."""
    from fast_bitrix24 import Bitrix

    fast = Bitrix(f"{taskmock.url}/rest/{HOOK}", verbose=False)

    def call(method, params):
        """fast_bitrix24 keys a record result by its batch order: the record itself."""
        result = fast.call(method, params)
        return result["order0000000000"] if isinstance(result, dict) and "order0000000000" in result else result

    [storage] = fast.get_all("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "user"}})
    root = int(storage["ROOT_OBJECT_ID"])
    file_id = call("disk.folder.uploadfile", {"id": root, "data": {"NAME": "fast.txt"},
                                              "fileContent": ["fast.txt", b64(b"one")]})["ID"]
    assert call("disk.file.rename", {"id": file_id, "newName": "faster.txt"})["NAME"] == "faster.txt"
    assert call("disk.file.uploadversion", {"id": file_id, "fileContent": ["x", b64(b"two")]})[
        "GLOBAL_CONTENT_VERSION"] == "2"
    versions = fast.call("disk.file.getversions", {"id": file_id}, raw=True)["result"]
    assert [v["GLOBAL_CONTENT_VERSION"] for v in versions] == ["2", "1"]
    assert httpx.get(versions[1]["DOWNLOAD_URL"]).content == b"one"
    assert call("disk.file.markdeleted", {"id": file_id})["DELETED_TYPE"] == "3"
    assert call("disk.file.restore", {"id": file_id})["DELETED_TYPE"] == "0"
    comment = call("task.commentitem.add", {"TASKID": 3701, "FIELDS": {"POST_MESSAGE": "via batch",
                                                                        "UF_FORUM_MESSAGE_DOC": [f"n{file_id}"]}})
    got = call("task.commentitem.get", {"TASKID": 3701, "ITEMID": comment})
    assert [f["NAME"] for f in got["ATTACHED_OBJECTS"].values()] == ["faster.txt"]
    assert call("disk.file.delete", {"id": file_id}) is True


NEW_FILE_METHODS = ["disk.file.rename", "disk.file.moveto", "disk.file.copyto", "disk.file.markdeleted",
                    "disk.file.restore", "disk.file.uploadversion", "disk.file.getversions",
                    "disk.file.getexternallink"]


@pytest.mark.parametrize("method", NEW_FILE_METHODS + ["disk.folder.get"])
def test_missing_unknown_and_forbidden_ids(taskmock, method):
    """Each new Drive method: ``id`` missing is ``ERROR_ARGUMENT``, unknown ``ERROR_NOT_FOUND``, another user's
    file ``ACCESS_DENIED`` (Boris on Clara's)."""
    clara = f"{taskmock.url}/rest/3/c3webhook"
    root = httpx.get(f"{clara}/disk.storage.getlist", params={"filter[ENTITY_TYPE]": "user"}).json()["result"][0][
        "ROOT_OBJECT_ID"]
    hers = root if method == "disk.folder.get" else httpx.post(f"{clara}/disk.folder.uploadfile", json={
        "id": root, "data": {"NAME": "hers.txt"}, "fileContent": ["hers.txt", "aA=="]}).json()["result"]["ID"]
    extra = {"newName": "x.txt", "targetFolderId": root, "fileContent": ["x.txt", "aA=="]}
    boris = f"{taskmock.url}/rest/{HOOK}/{method}"
    for params, code in (({}, "ERROR_ARGUMENT"), ({"id": 999999}, "ERROR_NOT_FOUND"), ({"id": hers}, "ACCESS_DENIED")):
        if method == "disk.file.restore" and code == "ACCESS_DENIED":
            continue                                   # a live file is not in the trash: not found first
        answer = httpx.post(boris, json={**extra, **params})
        assert answer.status_code == 400 and answer.json()["error"] == code, (params, answer.text)


def test_the_new_methods_from_an_oauth_token_inside_one_batch(taskmock):
    url = f"{taskmock.url}/rest"
    token = "oauth-token-user-2"
    root = httpx.get(f"{url}/disk.storage.getlist.json", params={"auth": token, "filter[ENTITY_TYPE]": "user"}
                     ).json()["result"][0]["ROOT_OBJECT_ID"]
    file_id = httpx.post(f"{url}/disk.folder.uploadfile", json={
        "auth": token, "id": root, "data": {"NAME": "o.txt"}, "fileContent": ["o.txt", "b25l"]}).json()["result"]["ID"]
    cmd = {"rename": f"disk.file.rename?id={file_id}&newName=p.txt",
           "version": f"disk.file.uploadversion?id={file_id}&fileContent[]=p.txt&fileContent[]=dHdv",
           "versions": f"disk.file.getversions?id={file_id}",
           "folder": f"disk.folder.get?id={root}",
           "comment": "task.commentitem.add?TASKID=3701&FIELDS[POST_MESSAGE]=hi"
                      f"&FIELDS[UF_FORUM_MESSAGE_DOC][]=n{file_id}",
           "read": "task.commentitem.get?TASKID=3701&ITEMID=$result[comment]",
           "trash": f"disk.file.markdeleted?id={file_id}",
           "app": "disk.storage.getforapp"}                       # Boris is no administrator
    reply = httpx.post(f"{url}/batch", json={"auth": token, "halt": 0, "cmd": cmd}).json()["result"]
    assert reply["result_error"] == {"app": {"error": "ACCESS_DENIED", "error_description": "Access denied"}}
    got = reply["result"]
    assert got["rename"]["NAME"] == "p.txt" and got["version"]["GLOBAL_CONTENT_VERSION"] == "2"
    assert [v["GLOBAL_CONTENT_VERSION"] for v in got["versions"]] == ["2", "1"]
    assert got["folder"]["ID"] == str(root) and got["trash"]["DELETED_TYPE"] == "3"
    assert [f["NAME"] for f in got["read"]["ATTACHED_OBJECTS"].values()] == ["p.txt"]
    admin = httpx.post(f"{url}/disk.storage.getforapp", json={"auth": "oauth-token-admin"}).json()["result"]
    assert admin["ENTITY_TYPE"] == "restapp"          # an administrator's application: its storage
    update = {"auth": token, "taskId": 3701, "fields": {"PRIORITY": 2, "RESPONSIBLE_ID": 1, "AUDITORS": [3, 99]}}
    assert httpx.post(f"{url}/tasks.task.update", json=update).status_code == 200
    listed = httpx.post(f"{url}/tasks.task.list", json={"auth": "oauth-token-admin", "filter": {
        "PRIORITY": 2, "RESPONSIBLE_ID": 1, "AUDITOR": 3}}).json()["result"]["tasks"]
    assert [t["id"] for t in listed] == ["3701"]
