"""Fixture files, and the seeded fake data that fills what they leave out.

The default fixtures ship in ``fixtures/default.json``: one section per vendor. A user's file (``--fixtures``)
has the same shape; each vendor section it names replaces the default section whole.

Fixture entries may leave names, titles and e-mails out; vendors fill them from ``Fake``, seeded, so the same
``--seed`` always gives the same data.
"""

from __future__ import annotations

import functools
import importlib
import json
import random
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


# the words fake values are drawn from
FIRST_NAMES = (
    "Aaron Abigail Adam Alice Amanda Amy Andrew Angela Anna Anthony Ashley Barbara Benjamin Betty Brandon Brian "
    "Carol Catherine Charles Christina Christopher Daniel David Deborah Dennis Diana Donna Dorothy Edward Elizabeth "
    "Emily Emma Eric Ethan Frank Gary George Grace Gregory Hannah Helen Henry Jack Jacob James Janet Jason Jennifer "
    "Jessica John Jonathan Joseph Joshua Julia Justin Karen Katherine Kelly Kenneth Kevin Kimberly Laura Linda Lisa "
    "Margaret Maria Mark Mary Matthew Megan Melissa Michael Michelle Nancy Nathan Nicholas Nicole Olivia Patricia "
    "Patrick Paul Peter Rachel Raymond Rebecca Richard Robert Ronald Ruth Ryan Samantha Samuel Sandra Sarah Scott "
    "Sharon Stephanie Stephen Steven Susan Thomas Timothy Tyler Victoria Walter William").split()
LAST_NAMES = (
    "Adams Allen Anderson Bailey Baker Barnes Bell Bennett Brooks Brown Butler Campbell Carter Clark Collins Cook "
    "Cooper Cox Cruz Davis Diaz Edwards Evans Fisher Flores Foster Garcia Gomez Gonzalez Gray Green Griffin Hall "
    "Harris Hayes Henderson Hill Howard Hughes Jackson James Jenkins Johnson Jones Kelly Kim King Lee Lewis Long "
    "Lopez Martin Martinez Miller Mitchell Moore Morgan Morris Murphy Myers Nelson Nguyen Parker Patel Perez Perry "
    "Peterson Phillips Powell Price Ramirez Reed Reyes Richardson Rivera Roberts Robinson Rodriguez Rogers Ross "
    "Russell Sanchez Sanders Scott Smith Stewart Sullivan Taylor Thomas Thompson Torres Turner Walker Ward Watson "
    "White Williams Wilson Wood Wright Young").split()
WORDS = (
    "able account across action activity agent answer area argument article audience author balance base behind "
    "board budget build capital career case center chance change choice clear close common community company "
    "concern control cost country course cover culture current data deal decision design detail develop "
    "difference direction discussion early economy effort energy enough environment evening event evidence "
    "example experience factor family field figure final focus form forward future goal ground group growth "
    "history idea image impact increase industry issue item kitchen knowledge language large later leader learn "
    "level light line list local magazine main manage market material measure media meeting member memory method "
    "middle minute model moment money morning movement network news note number office order owner page paper "
    "partner pattern people period person picture place plan plant point policy position power practice present "
    "pressure price process produce product program project public purpose quality question range rate reason "
    "record region report research resource response result return review risk role rule scene school season "
    "second section security sense series service share side sign simple single site size skill social source "
    "space special staff stage standard start state step story strategy structure study style subject success "
    "summer support system table task team technology term test theory thing third thought total town trade "
    "training travel treatment trial truth type unit value version view voice wait wall water week window word "
    "work world writer year").split()


class Fake:
    """Seeded fake values: names from common English given names and surnames, titles and text from plain
    English words. Each vendor gets its own stream, so one vendor's fixtures never shift another's."""

    def __init__(self, seed: int, stream: str):
        self._random = random.Random(f"{seed}:{stream}")

    def name(self) -> str:
        return f"{self._random.choice(FIRST_NAMES)} {self._random.choice(LAST_NAMES)}"

    def email(self, name: str | None = None) -> str:
        return ".".join((name or self.name()).lower().split()) + "@example.com"

    def title(self, words: int = 3) -> str:
        return " ".join(self._random.choice(WORDS) for _ in range(words)).capitalize()

    def text(self) -> str:
        return self.title(10) + "."
