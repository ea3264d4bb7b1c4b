"""Thin Celery tasks over the compliance services, scheduled by django-celery-beat rows
(migration 0002). Both are idempotent: a doubled tick replaces the day's snapshot, and a
re-validation only reads from VI."""

from typing import Any

from celery import shared_task
from django.conf import settings

from portal.models import Source

from . import services


@shared_task(name="compliance.tasks.take_daily_snapshot")
def take_daily_snapshot() -> int:
    return services.snapshot_take(actor=None, source=Source.SYSTEM).pk


@shared_task(name="compliance.tasks.revalidate_911_addresses")
def revalidate_911_addresses() -> dict[str, Any]:
    """A batch of validate911 calls; long and paced, so it belongs on the "bulk" queue."""
    run = services.addresses_911_revalidate(
        batch=int(getattr(settings, "COMPLIANCE_REVALIDATE_BATCH", 500)),
        pause_seconds=float(getattr(settings, "COMPLIANCE_REVALIDATE_PAUSE_SECONDS", 0.5)),
        # The schedule re-reads what VI holds, as a sync does: no person acts here.
        actor=None,
        source=Source.SYNC,
    )
    return {
        "checked": run.checked,
        "invalid": run.invalid,
        "changed": run.changed,
        "failed": run.failed,
    }
