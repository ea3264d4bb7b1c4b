"""Thin Celery tasks over the 911 services. Both run a job one chunk at a time: each chunk
queues the next, so bulk jobs take turns on the bulk queue and none holds a worker for minutes
(portal/queues.py routes them)."""

from celery import shared_task

from . import bulk


@shared_task(name="e911.tasks.check_bulk_job")
def check_bulk_job(*, job_id: int) -> int:
    """Check the next chunk of an uploaded file (validate911 only reads: harmless twice)."""
    if bulk.bulk_check_chunk(job_id=job_id):
        check_bulk_job.delay(job_id=job_id)
    return job_id


@shared_task(name="e911.tasks.apply_bulk_job")
def apply_bulk_job(*, job_id: int) -> int:
    """Apply the next chunk of a checked, queued bulk job. Never retried blindly: it provisions
    911 at VI. A redelivered message finds the job (or its rows) finished and does nothing more."""
    if bulk.bulk_apply_chunk(job_id=job_id):
        apply_bulk_job.delay(job_id=job_id)
    return job_id
