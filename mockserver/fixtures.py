"""Fixture files, and the seeded fake data that fills what they leave out.

The default fixtures ship in ``fixtures/default.json``: one section per vendor. A user's file (``--fixtures``)
has the same shape; each vendor section it names replaces the default section whole.

Fixture entries may leave names, titles and e-mails out; vendors fill them from ``Fake``, which draws them from
faker, seeded, so the same ``--seed`` always gives the same data. Faker is imported on first use only.
"""

from __future__ import annotations

import functools
import importlib
import json
from pathlib import Path
from typing import Any


@functools.lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """The repo's top-level ``contracts/`` or ``fixtures/``: installed as ``mockserver._<name>`` by a wheel,
    read in place from a source checkout (an editable install)."""
    try:
        package = importlib.import_module(f"mockserver._{name}")     # a data-only (namespace) package
        return Path(next(iter(package.__path__)))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / name


def load_fixtures(path: Path | None = None, own_only: bool = False) -> dict[str, Any]:
    """The default fixtures with the sections of ``path`` over them; ``own_only``: the file's sections alone."""
    default = json.loads((data_dir("fixtures") / "default.json").read_text("utf-8"))
    if path is None:
        return default
    own = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(own, dict):
        raise ValueError(f"{path}: a fixture file is a JSON object with one section per vendor")
    return own if own_only else {**default, **own}


class Fake:
    """Seeded fake values. Each vendor gets its own stream, so one vendor's fixtures never shift another's."""

    def __init__(self, seed: int, stream: str):
        self._seed = f"{seed}:{stream}"
        self._generator: Any = None

    @property
    def _gen(self):
        if self._generator is None:
            from faker import Generator
            from faker.providers.internet.en_US import Provider as Internet
            from faker.providers.lorem.en_US import Provider as Lorem
            from faker.providers.person.en_US import Provider as Person

            gen = Generator()
            for provider in (Person, Internet, Lorem):
                gen.add_provider(provider)
            gen.seed_instance(self._seed)
            self._generator = gen
        return self._generator

    def name(self) -> str:
        return f"{self._gen.first_name()} {self._gen.last_name()}"

    def email(self, name: str | None = None) -> str:
        if name:
            return ".".join(name.lower().split()) + "@example.com"
        return self._gen.safe_email()

    def title(self, words: int = 3) -> str:
        return self._gen.sentence(nb_words=words).rstrip(".")

    def text(self) -> str:
        return self._gen.sentence(nb_words=10)
