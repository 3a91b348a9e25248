"""The state store: one state object per vendor, built from that vendor's fixture section and reset to it.

The sections of a user's fixture file are checked against ``contracts/<vendor>/fixtures.json`` at start, so a
broken file stops the server before it says it is ready (the shipped defaults are checked by the test-suite). A vendor's state is built on first use (the fake
data behind it costs more than the rest of start-up together), and again on first use after a reset.
"""

from __future__ import annotations

from typing import Any

from mockserver.blobs import BlobStore
from mockserver.clock import Clock
from mockserver.contracts import Contracts
from mockserver.fixtures import Fake, load_fixtures
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
        context = VendorContext(
            fixture=self.fixtures.get(vendor.name, {}),
            fake=Fake(self.settings.seed, vendor.name),
            blobs=self.blobs.scoped(vendor.name),
            options=self.options.values[vendor.name],
            clock=self.clock,
        )
        return vendor.make_state(context)

    def reset(self, vendor: str | None = None) -> None:
        """Every vendor (or one) back to its fixtures and the switches it started with; its stored bytes
        dropped."""
        gone = list(self.states.values()) if vendor is None else [self.states.get(vendor)]
        for state in gone:
            if state is not None:
                state.blobs.retire()     # a request still in flight on it finishes there, keeping nothing
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
