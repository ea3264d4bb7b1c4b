"""The sandbox's whole state: clock, randomness, lock, and one store per domain.

Domain stores live in `portal/sandbox/domains/<domain>.py`, each exposing `Store` (see
README.md for the interface). Handlers run under `sandbox.lock`, so stores need no locking of
their own.
"""

from __future__ import annotations

import importlib
import pickle
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from .domains import account, features, numbers  # noqa: F401  (registers the DID handlers)
from .domains.dids import Store as DidStore

if TYPE_CHECKING:
    from .domains import e911, messaging, porting
    from .faults import FaultPlan

# Modules of other domains; each may be missing while it is being written.
OPTIONAL_DOMAINS = ("e911", "porting", "messaging")
RNG_SEED = 20140522  # fixed: the same seed always gives the same account


def load_domain_modules() -> dict[str, ModuleType | None]:
    """Import the optional domain modules (registering their handlers); absent ones are None."""
    modules: dict[str, ModuleType | None] = {}
    for name in OPTIONAL_DOMAINS:
        qualified = f"portal.sandbox.domains.{name}"
        try:
            modules[name] = importlib.import_module(qualified)
        except ModuleNotFoundError as error:
            if error.name != qualified:
                raise
            modules[name] = None
    return modules


class Sandbox:
    """State plus the credentials the sandbox accepts. Pickled as a whole for `--state`."""

    def __init__(self, *, login: str = "sandbox", secret: str = "sandbox-secret"):
        self.login = login
        self.secret = secret
        self.lock = threading.RLock()
        self.clock_offset = timedelta(0)
        self.seed_name: str = "empty"
        self.rng = random.Random(RNG_SEED)
        self.dids = DidStore()
        self.e911: e911.Store | None = None
        self.porting: porting.Store | None = None
        self.messaging: messaging.Store | None = None
        self.faults: FaultPlan | None = None  # set by the server
        self._fresh_domain_stores()

    # -- clock -----------------------------------------------------------------------------
    def now(self) -> datetime:
        """The sandbox clock: real UTC time (naive, as VI writes it) moved by /_sandbox/clock."""
        return datetime.now(UTC).replace(tzinfo=None) + self.clock_offset

    def advance(self, seconds: float) -> None:
        self.clock_offset += timedelta(seconds=seconds)
        for store in self.domain_stores().values():
            hook = getattr(store, "on_clock", None)
            if hook is not None:
                hook(self)

    # -- domains ---------------------------------------------------------------------------
    def _fresh_domain_stores(self) -> None:
        for name, module in load_domain_modules().items():
            setattr(self, name, module.Store() if module is not None else None)

    def domain_stores(self) -> dict[str, object]:
        stores: dict[str, object] = {"dids": self.dids}
        for name in OPTIONAL_DOMAINS:
            store = getattr(self, name)
            if store is not None:
                stores[name] = store
        return stores

    def has_911(self, tn: str) -> bool:
        """Whether 911 is on for `tn`, as the 911 store sees it (False until it exists)."""
        store = self.e911
        return bool(store is not None and store.has_911(tn))

    def notify_released(self, tn: str) -> None:
        """A number left the account: let other domains drop what hangs on it."""
        for name in OPTIONAL_DOMAINS:
            store = getattr(self, name)
            hook = getattr(store, "on_release", None) if store is not None else None
            if hook is not None:
                hook(self, tn)

    # -- seeding ---------------------------------------------------------------------------
    def reset(self, seed: str | int = "empty") -> None:
        from .seeding import seed_sandbox  # seeding imports the stores; keep import cheap

        with self.lock:
            self.clock_offset = timedelta(0)
            self.rng = random.Random(RNG_SEED)
            self.dids = DidStore()
            self._fresh_domain_stores()
            seed_sandbox(self, seed)

    def summary(self) -> dict:
        with self.lock:
            counts = {"seed": self.seed_name, "clock": self.now().isoformat(timespec="seconds")}
            for name, store in self.domain_stores().items():
                summary = getattr(store, "summary", None)
                if summary is not None:
                    counts[name] = summary(self)
            return counts

    # -- persistence (--state FILE) -------------------------------------------------------
    _PERSISTED = ("clock_offset", "seed_name", "rng", "dids", "e911", "porting", "messaging")

    def save(self, path: Path) -> None:
        with self.lock:
            payload = {name: getattr(self, name) for name in self._PERSISTED}
            temporary = Path(f"{path}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)

    def load(self, path: Path) -> bool:
        """Restore a saved state; False if the file is missing or unreadable."""
        try:
            with Path(path).open("rb") as handle:
                payload = pickle.load(handle)  # our own file, written by save()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ModuleNotFoundError):
            return False
        with self.lock:
            for name in self._PERSISTED:
                if name in payload:
                    setattr(self, name, payload[name])
            # A domain module that appeared since the save starts empty rather than missing.
            for name, module in load_domain_modules().items():
                if getattr(self, name) is None and module is not None:
                    setattr(self, name, module.Store())
        return True
