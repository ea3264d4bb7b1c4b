"""Thin Celery task over the references apply: a chunk per run, each chunk queues the next, so
a large file takes turns with other bulk jobs (portal/queues.py routes it to "bulk")."""

from celery import shared_task

from . import references


@shared_task(name="customers.tasks.apply_reference_job")
def apply_reference_job(*, job_id: int) -> int:
    """Never retried blindly: it changes numbers at VI. Rows already done are skipped."""
    if references.reference_job_apply_chunk(job_id=job_id):
        apply_reference_job.delay(job_id=job_id)
    return job_id
