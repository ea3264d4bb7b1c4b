"""Thin Celery tasks over the porting services. The "porting" sync runs through the generic
`portal.tasks.run_sync` (kind "porting")."""

from celery import shared_task

from . import services


@shared_task(name="porting.tasks.check_portability")
def check_portability(*, job_id: int, size: int | None = None) -> int:
    """Check a queued job's numbers. isPortable only reads, and a redelivered message carries
    on from the numbers not yet answered, so delivery twice is harmless. `size` (how many
    numbers) is there for the router: a few go to the interactive queue (portal/queues.py)."""
    return services.portability_job_run(job_id=job_id).pk
