"""Running a sync of one kind: the service behind the task, the command and the Sync page."""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from portal.models import SetAsideRecord, Source, SyncRun
from portal.sync.context import SyncAbandoned, SyncContext
from portal.sync.kinds import SyncKindUnavailable, kind_service
from portal.sync.reconcile import ShrinkHeld
from portal.sync.runs import FINISHED_STATUSES, run_create, run_finish, run_start
from portal.voipinnovations.client import provider_context
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from portal.voipinnovations.values import UnfitRecord, set_aside_scope, shown

logger = logging.getLogger(__name__)

Status = SyncRun.Status


class SyncNotConfirmable(Exception):
    """The run is not (or no longer) waiting for a confirmation."""


def sync_execute(
    *,
    kind: str,
    trigger: str,
    requested_by_id: int | None = None,
    run_id: int | None = None,
    confirmed: bool = False,
) -> SyncRun | None:
    """Run the `kind` sync now, in this process, and return its finished SyncRun.

    With `run_id`, works for that QUEUED run (made by the Sync page). A run already past
    QUEUED means the message was delivered twice: nothing to do, unless the run FAILED or
    went STALE, which is how a retry arrives, and a fresh run is started.

    Raises SyncKindUnavailable (before recording anything, unless a queued run was given,
    which is then marked failed) and ProviderUnavailable (after recording the run as
    FAILED) so the task can retry. Any other error ends the run FAILED and is logged.
    """
    try:
        service = kind_service(kind)
    except SyncKindUnavailable as exc:
        if run_id is not None:
            _finish_unstarted(run_id=run_id, error=str(exc))
        raise
    run = _run_for(kind=kind, trigger=trigger, requested_by_id=requested_by_id, run_id=run_id)
    if run is None:
        assert run_id is not None  # no run is found only for a queued one
        return SyncRun.objects.get(pk=run_id)
    if not run_start(run=run):
        logger.info("%s sync run #%s skipped: %s", kind, run.pk, run.error)
        return run

    context = SyncContext(run=run, confirmed=confirmed or run.confirmed_by_id is not None)
    try:
        # In a sync an unfit record is set aside, not raised (portal.voipinnovations.values).
        with _provider_context(actor=run.requested_by), set_aside_scope():
            service(run=context, confirmed=context.confirmed)
    except ShrinkHeld as held:
        run_finish(
            run=run, status=Status.NEEDS_CONFIRMATION, counts=context.counts, error=held.message
        )
    except SyncAbandoned:
        # Another process took over; batches already applied are genuine VI data and stay.
        logger.warning("%s sync run #%s was declared stale while working and stopped", kind, run.pk)
        run.refresh_from_db()
    except ProviderUnavailable as exc:
        run_finish(
            run=run,
            status=Status.FAILED,
            counts=context.counts,
            error=f"VI unreachable: {exc.message}",
        )
        _log_outcome(run)
        raise
    except UnfitRecord as exc:
        # A single value outside any record list (a balance of NaN): kept aside to be seen.
        # The steps a domain service runs regardless were applied; the run says it failed
        # because a part of it was not. No retry: VI will send the same value again.
        _set_aside_value(run=run, problem=exc)
        run_finish(run=run, status=Status.FAILED, counts=context.counts, error=exc.message[:500])
    except ProviderRejected as exc:
        run_finish(
            run=run,
            status=Status.FAILED,
            counts=context.counts,
            error=f"VI refused the audit: {exc}",
        )
    except Exception as exc:  # the run must never stay RUNNING because of a bug
        logger.exception("%s sync run #%s failed", kind, run.pk)
        run_finish(
            run=run,
            status=Status.FAILED,
            counts=context.counts,
            error=f"{type(exc).__name__}: {exc}"[:500],
        )
    else:
        run_finish(run=run, status=Status.SUCCEEDED, counts=context.counts)
    _log_outcome(run)
    return run


SUMMARY_FIGURES = ("seen", "created", "updated", "returned", "gone", "unchanged", "kept_local")


def run_summary(run: SyncRun) -> str:
    """One line a person can read: "Numbers sync #3 succeeded in 4.4 s: seen 3,219, created 12"."""
    from portal.sync.context import total_counts
    from portal.sync.kinds import kind_label

    totals = total_counts(run.counts or {})
    figures = ", ".join(
        f"{name.replace('_', ' ')} {totals[name]:,}" for name in SUMMARY_FIGURES if totals.get(name)
    )
    duration = f" in {run.duration_seconds:.1f} s" if run.duration_seconds is not None else ""
    text = f"{kind_label(run.kind)} sync #{run.pk} {run.get_status_display().lower()}{duration}"
    if figures:
        text += f": {figures}"
    if run.error:
        text += f" — {run.error[:300]}"
    return text


def _log_outcome(run: SyncRun) -> None:
    """One line per sync in the process log (the provider log has every VI call)."""
    run.refresh_from_db()
    level = logging.INFO if run.status == Status.SUCCEEDED else logging.WARNING
    logger.log(level, "%s", run_summary(run))


def _set_aside_value(*, run: SyncRun, problem: UnfitRecord) -> None:
    SetAsideRecord.objects.create(
        sync_run=run,
        model="",
        problems=[
            {"field": p.field, "raw": shown(p.raw), "reason": p.reason} for p in problem.problems
        ],
        values={p.field: shown(p.raw) for p in problem.problems},
    )


def _run_for(
    *, kind: str, trigger: str, requested_by_id: int | None, run_id: int | None
) -> SyncRun | None:
    if run_id is None:
        return run_create(kind=kind, trigger=trigger, requested_by_id=requested_by_id)
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None:
        raise SyncRun.DoesNotExist(f"Sync run #{run_id} does not exist.")
    if run.status == Status.QUEUED:
        return run
    if run.status in (Status.FAILED, Status.STALE):
        return run_create(
            kind=run.kind,
            trigger=run.trigger,
            requested_by_id=run.requested_by_id,
            confirmed_by_id=run.confirmed_by_id,
        )
    return None


def _finish_unstarted(*, run_id: int, error: str) -> None:
    SyncRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.FAILED, finished_at=timezone.now(), error=error
    )


def _provider_context(*, actor):
    """Calls made by a sync are logged as the sync's, on behalf of whoever asked for it."""
    return provider_context(actor=actor, source=Source.SYNC)


def sync_request(*, kind: str, actor: User, confirmed: bool = False) -> SyncRun:
    """Queue a sync asked for by a person; the worker picks it up once this transaction commits."""
    kind_service(kind)  # refuse unknown and unavailable kinds before recording anything
    run = run_create(
        kind=kind,
        trigger=SyncRun.Trigger.STAFF,
        requested_by_id=actor.pk,
        confirmed_by_id=actor.pk if confirmed else None,
    )
    _enqueue_after_commit(run)
    return run


def sync_confirm(*, run: SyncRun, actor: User) -> SyncRun:
    """Re-run a held sync with permission to apply its shrink; returns the new queued run."""
    if run.status != Status.NEEDS_CONFIRMATION:
        raise SyncNotConfirmable("Only a run waiting for confirmation can be confirmed.")
    newer = SyncRun.objects.filter(kind=run.kind, created_at__gt=run.created_at).exclude(
        status=Status.SKIPPED
    )
    if newer.exists():
        raise SyncNotConfirmable(
            "A newer sync of this kind has run since; look at its result instead."
        )
    return sync_request(kind=run.kind, actor=actor, confirmed=True)


def _enqueue_after_commit(run: SyncRun) -> None:
    from portal.tasks import run_sync  # tasks import services, not the other way round

    def enqueue() -> None:
        run_sync.delay(
            kind=run.kind, trigger=run.trigger, requested_by_id=run.requested_by_id, run_id=run.pk
        )

    transaction.on_commit(enqueue)


__all__ = [
    "FINISHED_STATUSES",
    "SyncNotConfirmable",
    "sync_confirm",
    "sync_execute",
    "sync_request",
]
