"""The real ``kanboard`` client against fault rules: PHP's empty 500 on createTaskFile, alone or inside a batch,
and a procedure that answers false."""

from __future__ import annotations

import base64

import httpx
import kanboard
import pytest

BLOB = base64.b64encode(b"hello").decode()


@pytest.fixture
def kb(taskmock):
    return kanboard.Client(url=taskmock.kanboard.url, username="jsonrpc", password=taskmock.kanboard.token)


def test_the_client_raises_on_a_500_of_create_task_file(kb, taskmock):
    with taskmock.fault("kanboard", operation="createTaskFile", error="PhpFatalError"):
        with pytest.raises(kanboard.ClientError, match="500"):
            kb.create_task_file(project_id=1, task_id=1, filename="a.txt", blob=BLOB)
    assert kb.get_all_task_files(task_id=1) == []
    assert kb.create_task_file(project_id=1, task_id=1, filename="a.txt", blob=BLOB) == 1


def test_the_fault_inside_a_batch_ends_the_whole_exchange(kb, taskmock):
    taskmock.fault("kanboard", operation="createTaskFile", error="PhpFatalError", times=1)
    batch = [{"jsonrpc": "2.0", "method": "getVersion", "id": 1},
             {"jsonrpc": "2.0", "method": "createTaskFile", "params": [1, 1, "a.txt", BLOB], "id": 2}]
    reply = httpx.post(taskmock.kanboard.url, auth=("jsonrpc", taskmock.kanboard.token), json=batch)
    assert (reply.status_code, reply.content) == (500, b"")
    assert taskmock.requests(operation="createTaskFile")[0]["operations"] == ["getVersion", "createTaskFile"]
    assert kb.get_all_task_files(task_id=1) == []


def test_a_procedure_that_answers_false(kb, taskmock):
    taskmock.fault("kanboard", operation="createTaskFile", error="FalseResult", times=1)
    assert kb.create_task_file(project_id=1, task_id=1, filename="a.txt", blob=BLOB) is False
    assert kb.create_task_file(project_id=1, task_id=1, filename="a.txt", blob=BLOB) == 1
