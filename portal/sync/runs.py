"""The life of a `SyncRun`: queued, running (locked), finished — or skipped, or stale.

The lock is the partial unique constraint `one_running_sync_per_kind` on SyncRun: moving a
run to RUNNING is an UPDATE that the database refuses while another run of the same kind
is RUNNING, whichever process or machine holds it. A worker that dies leaves its run
RUNNING; the heartbeat tells: a run silent for longer than SYNC_STALE_AFTER_SECONDS is
marked STALE, which releases the lock.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal.events.publish import publish_sync_outcome
from portal.models import SyncRun

logger = logging.getLogger(__name__)

Status = SyncRun.Status

FINISHED_STATUSES = frozenset(
    {Status.SUCCEEDED, Status.FAILED, Status.NEEDS_CONFIRMATION, Status.SKIPPED, Status.STALE}
)
ACTIVE_STATUSES = frozenset({Status.QUEUED, Status.RUNNING})


def run_create(
    *,
    kind: str,
    trigger: str,
    requested_by_id: int | None = None,
    confirmed_by_id: int | None = None,
) -> SyncRun:
    return SyncRun.objects.create(
        kind=kind,
        trigger=trigger,
        requested_by_id=requested_by_id,
        confirmed_by_id=confirmed_by_id,
        status=Status.QUEUED,
        created_at=timezone.now(),
    )


def runs_mark_stale(*, kind: str | None = None, now: datetime.datetime | None = None) -> int:
    """Mark runs whose worker has gone silent as STALE; returns how many.

    A RUNNING run without a heartbeat for SYNC_STALE_AFTER_SECONDS, or a QUEUED run no
    worker picked up in that time (its message was lost), will never finish by itself.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.SYNC_STALE_AFTER_SECONDS)
    silent_running = Q(status=Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    never_started = Q(status=Status.QUEUED, created_at__lt=cutoff)
    runs = SyncRun.objects.filter(silent_running | never_started)
    if kind is not None:
        runs = runs.filter(kind=kind)
    marked = 0
    for run in runs.only("pk", "status", "heartbeat_at", "started_at", "created_at"):
        last_sign = run.heartbeat_at or run.started_at or run.created_at
        reason = (
            f"No sign of life since {last_sign:%Y-%m-%d %H:%M:%S %Z}: the worker stopped."
            if run.status == Status.RUNNING
            else f"Queued at {last_sign:%Y-%m-%d %H:%M:%S %Z} and never started."
        )
        # Conditional on the status we saw, so a run that finishes meanwhile is not touched.
        marked += SyncRun.objects.filter(pk=run.pk, status=run.status).update(
            status=Status.STALE, finished_at=now, error=reason
        )
    if marked:
        logger.warning("Marked %d %s sync run(s) stale", marked, kind or "")
    return marked


def run_start(*, run: SyncRun) -> bool:
    """Take the kind's lock for a QUEUED run: True if it is now RUNNING.

    False if another run of the kind holds the lock; the run is then recorded as SKIPPED
    with the reason, so a second trigger says what happened to it.
    """
    now = timezone.now()
    runs_mark_stale(kind=run.kind, now=now)
    try:
        # atomic(): inside an outer transaction the refused UPDATE must roll back only
        # its savepoint.
        with transaction.atomic():
            started = SyncRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
                status=Status.RUNNING, started_at=now, heartbeat_at=now, error=""
            )
    except IntegrityError:
        holder = SyncRun.objects.filter(kind=run.kind, status=Status.RUNNING).first()
        reason = (
            f"Skipped: run #{holder.pk} of the {run.kind} sync has been running since "
            f"{holder.started_at:%Y-%m-%d %H:%M:%S %Z}."
            if holder
            else f"Skipped: another {run.kind} sync was running."
        )
        SyncRun.objects.filter(pk=run.pk).update(
            status=Status.SKIPPED, started_at=now, finished_at=now, error=reason
        )
        run.refresh_from_db()
        return False
    run.refresh_from_db()
    return bool(started)


def run_heartbeat(*, run: SyncRun, **progress: Any) -> bool:
    """Say the run is alive (and how far it got); False if it is no longer RUNNING."""
    fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
    fields.update(
        {f"progress_{name}": value for name, value in progress.items() if value is not None}
    )
    alive = SyncRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)
    return bool(alive)


def run_finish(*, run: SyncRun, status: str, counts: dict | None = None, error: str = "") -> bool:
    """Record the outcome of a RUNNING run; False if it had been declared stale meanwhile."""
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error[:4000],
        "heartbeat_at": timezone.now(),
    }
    if counts is not None:
        fields["counts"] = counts
    if status == Status.SUCCEEDED:
        fields["progress_label"] = "Done"
    with transaction.atomic():
        finished = SyncRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(**fields)
        if finished and status in (Status.NEEDS_CONFIRMATION, Status.FAILED):
            publish_sync_outcome(
                run=run, status=status, error=error
            )  # the outbox, same transaction
    run.refresh_from_db()
    return bool(finished)
