"""Thin Celery tasks over the 911 services."""

from celery import shared_task

from . import bulk


@shared_task(name="e911.tasks.apply_bulk_job")
def apply_bulk_job(*, job_id: int) -> int:
    """Apply a checked, queued bulk job. Never retried blindly: it provisions 911 at VI.
    A redelivered message finds the job (or its rows) finished and does nothing more."""
    return bulk.bulk_apply(job_id=job_id).pk
