"""The server's temporary directories (the blob store, the HTTPS mode's CA and key), named after the process
that made them: ``taskmock-<kind>-<pid>-<random>``. A process killed with SIGKILL cannot remove its own, so
each new one first removes those, of any kind, whose process is gone."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path


def make(kind: str) -> Path:
    """A fresh directory for ``kind``, after sweeping away what dead processes left."""
    sweep()
    return Path(tempfile.mkdtemp(prefix=f"taskmock-{kind}-{os.getpid()}-"))


def sweep(root: str | None = None) -> list[Path]:
    """Remove the directories of processes that no longer run; what was removed."""
    root = root or tempfile.gettempdir()
    pattern = re.compile(r"taskmock-[a-z]+-([0-9]+)-")
    removed = []
    for entry in os.scandir(root):
        match = pattern.match(entry.name)
        if match and entry.is_dir(follow_symlinks=False) and not alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:           # somebody else's process: alive
        return True
    return True
