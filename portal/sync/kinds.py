"""The registry of sync kinds: what can be synced, and which domain service does it.

Each kind maps to the dotted path of a domain service with the signature
`(*, run: SyncContext, confirmed: bool) -> None`. The domain apps provide them; a kind
whose service cannot be imported yet is reported as not available and skipped rather
than breaking the others.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

# Insertion order is the order `vi_sync all` runs them in and the Sync page lists them.
SYNC_KINDS: dict[str, str] = {
    "dids": "dids.services.dids_sync",
    "e911": "e911.services.e911_sync",
    "messaging": "messaging.services.messaging_sync",
    "porting": "porting.services.porting_sync",
}

KIND_LABELS: dict[str, str] = {
    "dids": "Numbers",
    "e911": "911",
    "messaging": "Messaging",
    "porting": "Porting",
}


class SyncKindUnavailable(Exception):
    """The kind is unknown, or its domain service does not exist (yet)."""


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def kind_service(kind: str) -> Callable[..., None]:
    """The domain service for `kind`, imported now (so a registry edit needs no restart)."""
    try:
        dotted = SYNC_KINDS[kind]
    except KeyError:
        raise SyncKindUnavailable(f"Unknown sync kind {kind!r}.") from None
    module_path, _, name = dotted.rpartition(".")
    try:
        module = import_module(module_path)
    except ImportError as exc:
        # Only "this service does not exist yet" is unavailability; a broken import
        # inside an existing module is a bug and must surface.
        if exc.name and (module_path == exc.name or module_path.startswith(exc.name + ".")):
            raise SyncKindUnavailable(f"The {kind} sync is not available yet ({dotted}).") from None
        raise
    service = getattr(module, name, None)
    if not callable(service):
        raise SyncKindUnavailable(f"The {kind} sync is not available yet ({dotted}).")
    return service


def kind_is_available(kind: str) -> bool:
    try:
        kind_service(kind)
    except SyncKindUnavailable:
        return False
    return True
