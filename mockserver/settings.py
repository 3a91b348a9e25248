"""What a server is started with: the CLI flags and the pytest fixtures both build one ``Settings``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    vendors: tuple[str, ...] = ()          # empty: every vendor
    fixtures: Path | None = None           # a user's fixture file; sections it names replace the defaults
    seed: int = 0                          # seeds the fake names, titles and e-mails
    journal_size: int = 1000               # requests kept by the journal; 0 switches it off
    journal_body_limit: int = 64 * 1024    # bytes of each request/response body the journal keeps
    tls: bool = False                      # serve HTTPS with a throw-away CA (mockserver.tls)
    blob_dir: Path | None = None           # where uploaded bytes live; default: a fresh temp directory
    keep_ids: bool = False                 # a reset goes on counting ids instead of starting again (mockserver.ids)
    # vendor switches at start: {"toggl": {"quota_enforced": True}}
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)
