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
    max_body: int = 64 * 1024 * 1024       # bytes of a body read whole (JSON, forms, plain multipart fields)
    max_upload: int = 2 * 1024 ** 3        # bytes of any body (uploads stream to disk)
    header_timeout: float = 30.0           # seconds a request's head may take to arrive whole
    body_timeout: float = 30.0             # seconds a request's body may stall
    keep_alive: int = 75                   # seconds an idle connection is kept (nginx's default, in front of
                                           # three of the vendors; a short one races clients that reuse it)
    max_connections: int = 2048            # connections and requests at once; past it uvicorn answers 503
    admin_token: str | None = None         # when set, /__admin/* needs it as a Bearer token
    admin_hosts: tuple[str, ...] = ()      # Host names the admin API answers besides localhost and the bound one
    keep_ids: bool = False                 # a reset goes on counting ids instead of starting again (mockserver.ids)
    # vendor switches at start: {"toggl": {"quota_enforced": True}}
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)
