"""The state store: one state object per vendor, built from that vendor's fixture section and reset to it."""

from __future__ import annotations

from typing import Any

from mockserver.blobs import BlobStore
from mockserver.fixtures import Fake, load_fixtures
from mockserver.settings import Settings
from mockserver.vendors import Vendor, VendorContext


class StateStore:
    def __init__(self, vendors: list[Vendor], settings: Settings, blobs: BlobStore):
        self.vendors = {v.name: v for v in vendors}
        self.settings = settings
        self.blobs = blobs
        self.fixtures = load_fixtures(settings.fixtures)
        self.states: dict[str, Any] = {}
        self.reset()

    def _build(self, vendor: Vendor):
        context = VendorContext(
            fixture=self.fixtures.get(vendor.name, {}),
            fake=Fake(self.settings.seed, vendor.name),
            blobs=self.blobs,
            options=self.settings.extra.get(vendor.name, {}),
        )
        return vendor.make_state(context)

    def reset(self) -> None:
        """Every vendor back to its fixtures; every stored blob dropped."""
        self.blobs.clear()
        self.states = {name: self._build(vendor) for name, vendor in self.vendors.items()}

    def __getitem__(self, vendor: str):
        return self.states[vendor]
