"""Thin Celery task over portal.api.jobs. Never retried: a job buys or releases numbers."""

from celery import shared_task

from . import jobs


@shared_task(name="portal.api.tasks.run_api_job")
def run_api_job(*, job_id: int) -> int:
    return jobs.job_run(job_id=job_id).pk
