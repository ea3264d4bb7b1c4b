"""The sync engine shared by every domain: runs and their lock, the reconcile primitive,
the registry of sync kinds.

A domain sync service looks like this::

    def sync_dids(*, run: SyncContext, confirmed: bool) -> None:
        reconcile(run=run, model=DID, records=stream("auditDIDs", record_tag="DID"),
                  step="dids", to_fields=did_fields)

and is listed in SYNC_KINDS. The engine records the run, holds the lock, turns a held
shrink into NEEDS_CONFIRMATION and an unreachable VI into FAILED.
"""

from portal.sync.context import SyncAbandoned, SyncContext, total_counts
from portal.sync.kinds import (
    SYNC_KINDS,
    SyncKindUnavailable,
    kind_is_available,
    kind_label,
    kind_service,
)
from portal.sync.reconcile import ReconcileCounts, ShrinkHeld, reconcile
from portal.sync.runs import run_create, run_finish, run_heartbeat, run_start, runs_mark_stale
from portal.sync.services import SyncNotConfirmable, sync_confirm, sync_execute, sync_request
from portal.sync.writers import BulkWriter, MirrorWriter

__all__ = [
    "SYNC_KINDS",
    "BulkWriter",
    "MirrorWriter",
    "ReconcileCounts",
    "ShrinkHeld",
    "SyncAbandoned",
    "SyncContext",
    "SyncKindUnavailable",
    "SyncNotConfirmable",
    "kind_is_available",
    "kind_label",
    "kind_service",
    "reconcile",
    "run_create",
    "run_finish",
    "run_heartbeat",
    "run_start",
    "runs_mark_stale",
    "sync_confirm",
    "sync_execute",
    "sync_request",
    "total_counts",
]
