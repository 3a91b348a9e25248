"""The three calls Bitrix24's transport runs itself: ``batch`` runs up to 50 methods (each through the wire's
``Methods``) with ``$result[...]`` references between them; ``upload`` and ``download`` answer the URLs that
replies hand out."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import parse_qsl

from mockserver.bitrix24 import errors, render
from mockserver.bitrix24.handlers import as_int, boolean, store_file
from mockserver.bitrix24.wire import Call, Page, form_pairs, php_parse
from mockserver.downloads import Download, open_download
from mockserver.http import ascii_digits
from mockserver.multipart import MultipartError, parse_form

MAX_BATCH = 50
_REFERENCE = re.compile(r"\$result\[([^\]]*)\]((?:\[[^\]]*\])*)")


def _substitute(value: Any, results: dict[Any, Any]) -> Any:
    """``$result[key][field]...``: a whole-value reference keeps the referenced type; inline ones become text."""
    if isinstance(value, dict):
        return {k: _substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, results) for v in value]
    if not isinstance(value, str) or "$result[" not in value:
        return value

    def lookup(match: re.Match[str]) -> Any:
        key = match.group(1)
        node = results.get(int(key) if ascii_digits(key) else key, results.get(key))
        for part in re.findall(r"\[([^\]]*)\]", match.group(2)):
            if isinstance(node, list) and ascii_digits(part) and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict):
                node = node.get(part, node.get(int(part)) if ascii_digits(part) else None)
            else:
                return None
        return node

    whole = _REFERENCE.fullmatch(value)
    if whole:
        found = lookup(whole)
        return value if found is None else found
    return _REFERENCE.sub(lambda m: "" if lookup(m) is None else str(lookup(m)), value)


def _key(key: Any) -> Any:
    return int(key) if isinstance(key, str) and ascii_digits(key) and (key == "0" or not key.startswith("0")) else key


def batch(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    lowered = {str(k).lower(): v for k, v in params.items()}
    cmd, halt = lowered.get("cmd"), boolean(lowered.get("halt", False))
    items = list(enumerate(cmd)) if isinstance(cmd, list) else [(_key(k), v) for k, v in cmd.items()] \
        if isinstance(cmd, dict) else []
    results: dict[Any, Any] = {}
    failures: dict[Any, Any] = {}
    totals: dict[Any, Any] = {}
    nexts: dict[Any, Any] = {}
    times: dict[Any, Any] = {}
    assert call.methods is not None and call.who is not None
    for index, (key, command) in enumerate(items):
        if not isinstance(command, str):
            continue
        if index >= MAX_BATCH:
            failures[key] = render.error_body(errors.BatchLengthExceeded())
            continue
        method, _, query = command.partition("?")
        method = method.strip()
        if method.lower().endswith(".json"):
            method = method[:-5]
        try:
            if method.lower() in ("batch", "upload", "download"):
                raise errors.BatchMethodNotAllowed()
            sub_params = _substitute(php_parse(form_pairs(query)), results)
            result, block = call.methods.invoke(call.state, call.who, call.http, method, sub_params, call.note)
        except errors.BitrixError as exc:
            failures[key] = render.error_body(exc)
            if halt:
                break
            continue
        if isinstance(result, Page):
            results[key] = result.result
            if result.total is not None:
                totals[key] = result.total
            if result.next_start is not None:
                nexts[key] = result.next_start
        else:
            results[key] = result
        times[key] = block
    return {"result": render.php_array(results), "result_error": render.php_array(failures),
            "result_total": render.php_array(totals), "result_next": render.php_array(nexts),
            "result_time": render.php_array(times)}


async def upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """The ``uploadUrl`` of ``disk.*.uploadfile``: a multipart POST with the file in ``file``. No time block."""
    state = call.state
    token = str(params.get("token", ""))
    scope, _, rest = token.partition("|")
    payload, _, signature = rest.partition("|")
    if scope != "disk" or not payload or signature != state.sign(payload):
        raise errors.AccessDenied()
    options = dict(parse_qsl(base64.urlsafe_b64decode(payload.encode()).decode()))
    folder = state.objects.get(int(options["folder"]))
    if folder is None:
        raise errors.NotFound(options["folder"])
    try:
        form = await parse_form(call.http, state.blobs)
    except MultipartError:
        raise errors.CouldNotSaveFile() from None
    parts = form.files_named("file")
    if not parts:
        form.discard()
        raise errors.CouldNotSaveFile()
    form.discard(keep=parts[:1])
    try:
        obj = store_file(call, folder, options.get("name") or parts[0].filename, parts[0].blob,
                         options.get("unique") == "1")
    except errors.BitrixError:
        state.blobs.delete(parts[0].blob.key)
        raise
    return {"result": render.disk_object(state, obj, call.link, as_upload=True)}


def download(call: Call, params: dict[str, Any]) -> Download:
    """The ``DOWNLOAD_URL`` of a Drive file."""
    state = call.state
    token = str(params.get("token", ""))
    scope, _, rest = token.partition("|")
    payload, _, signature = rest.partition("|")
    values = dict(parse_qsl(payload))
    missing = errors.NotFound(values.get("id", ""))
    if scope != "disk" or signature != state.sign(payload):
        raise missing
    if values.get("service") == "version":             # a version's own bytes (disk.file.getVersions)
        found = state.version(as_int(values.get("id")) or 0)
        if found is None:
            raise missing
        return open_download(state.blobs, found[1].blob, found[1].name, missing=missing)
    obj = state.objects.get(as_int(values.get("id")) or 0)
    if obj is None or obj.type != "file" or obj.blob is None:
        raise missing
    return open_download(state.blobs, obj.blob, obj.name, missing=missing)
