"""The state store: one state object per vendor, built from that vendor's fixture section and reset to it.

The sections of a user's fixture file are checked against ``contracts/<vendor>/fixtures.json`` at start, so a
broken file stops the server before it says it is ready (the shipped defaults are checked by the test-suite). A vendor's state is built on first use (the fake
data behind it costs more than the rest of start-up together), and again on first use after a reset.
"""

from __future__ import annotations

import gc

from typing import Any

from mockserver.blobs import BlobStore
from mockserver.clock import Clock
from mockserver.contracts import Contracts
from mockserver.fixtures import Fake, load_fixtures
from mockserver.ids import Ids
from mockserver.options import Options
from mockserver.settings import Settings
from mockserver.vendor import REGISTRY, Vendor, VendorContext


class StateStore:
    def __init__(self, vendors: list[Vendor], settings: Settings, blobs: BlobStore, contracts: Contracts,
                 clock: Clock):
        self.vendors = {v.name: v for v in vendors}
        self.settings = settings
        self.blobs = blobs
        self.clock = clock
        self.fixtures = load_fixtures(settings.fixtures)
        self.states: dict[str, Any] = {}
        self.ids: dict[str, Ids] = {}                 # the ids each vendor's state hands out
        self.floors: dict[str, dict[str, int]] = {}   # where each vendor's ids go on after a reset that kept them
        own = load_fixtures(settings.fixtures, own_only=True) if settings.fixtures else {}
        unknown = sorted(set(own) - set(REGISTRY))
        if unknown:
            raise ValueError(f"fixtures: {settings.fixtures}: no vendor is named {unknown[0]!r}; "
                             f"the sections are {', '.join(REGISTRY)}")
        for name in self.vendors:
            # the shipped fixtures are checked by the test-suite; a user's sections are checked here
            if name in own and f"{name}/fixtures" in contracts:
                error = contracts.error(f"{name}/fixtures", self.fixtures.get(name, {}))
                if error:
                    raise ValueError(f"fixtures: {error.replace('data', name, 1)}")
        self.options = Options(vendors, self.fixtures, settings.extra)

    def _build(self, vendor: Vendor):
        ids = self.ids[vendor.name] = Ids()
        context = VendorContext(
            fixture=self.fixtures.get(vendor.name, {}),
            fake=Fake(self.settings.seed, vendor.name),
            blobs=self.blobs.scoped(vendor.name),
            options=self.options.values[vendor.name],
            clock=self.clock,
            ids=ids,
        )
        state = vendor.make_state(context)
        ids.floor = dict(self.floors.get(vendor.name, {}))     # the fixtures keep their ids; what comes after not
        return state

    def reset(self, vendor: str | None = None, keep_ids: bool | None = None) -> None:
        """Every vendor (or one) back to its fixtures and the switches it started with; its stored bytes
        dropped. ``keep_ids`` (default: the server's setting): its new ids go on from the highest handed out."""
        keep = self.settings.keep_ids if keep_ids is None else keep_ids
        gc.unfreeze()                    # what the reset drops goes back to the collector (see server.py)
        for name in self.vendors if vendor is None else [vendor]:
            state, ids = self.states.get(name), self.ids.get(name)
            if state is not None:
                state.blobs.retire()     # a request still in flight on it finishes there, keeping nothing
            if keep and ids is not None and state is not None:
                self.floors[name] = ids.carried()
            elif not keep:
                self.floors.pop(name, None)
        if vendor is None:
            self.blobs.clear()
            self.states = {}
        else:
            self.blobs.scoped(vendor).clear()
            self.states.pop(vendor, None)
        self.options.reset(vendor)

    def __getitem__(self, vendor: str):
        state = self.states.get(vendor)
        if state is None:
            state = self.states[vendor] = self._build(self.vendors[vendor])
        return state

    def all(self) -> dict[str, Any]:
        return {name: self[name] for name in self.vendors}
