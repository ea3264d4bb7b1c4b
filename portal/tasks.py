"""The generic sync task: beat schedules and the Sync page both enqueue it."""

from __future__ import annotations

import logging

from celery import shared_task

from portal.sync import SyncKindUnavailable, sync_execute
from portal.voipinnovations.errors import ProviderUnavailable

logger = logging.getLogger(__name__)


@shared_task(
    name="portal.tasks.run_sync",
    # A sync only reads from VI, so an unreachable VI is worth asking again, with backoff;
    # every retry records a fresh run (see sync_execute).
    autoretry_for=(ProviderUnavailable,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def run_sync(
    *, kind: str, trigger: str, requested_by_id: int | None = None, run_id: int | None = None
) -> int | None:
    """Run one sync; idempotent: a redelivered message for a finished run does nothing."""
    try:
        run = sync_execute(
            kind=kind, trigger=trigger, requested_by_id=requested_by_id, run_id=run_id
        )
    except SyncKindUnavailable as exc:
        logger.info("%s", exc)
        return None
    return run.pk if run else None
