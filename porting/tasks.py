"""Thin Celery tasks over the porting services. The "porting" sync runs through the generic
`portal.tasks.run_sync` (kind "porting")."""

from celery import shared_task

from . import selectors, services


@shared_task(name="porting.tasks.check_portability")
def check_portability(*, job_id: int, size: int | None = None) -> int:
    """Check the next chunk of a queued job's numbers, then queue the chunk after it, so a
    long list takes turns with other bulk work (portal/queues.py) instead of holding a worker
    for minutes. isPortable only reads, and a redelivered message takes only the numbers still
    pending and unclaimed, so delivery twice asks VI nothing twice. `size` (how many numbers
    in the whole job) is there for the router: a few go to the interactive queue, and every
    chunk of a long list goes to the bulk queue."""
    job = services.portability_job_run(job_id=job_id)
    wait = selectors.portability_next_chunk_in(job=job)
    if wait == 0:
        check_portability.delay(job_id=job_id, size=job.progress_total)
    elif wait is not None:  # every pending number is another run's: look again once it is stale
        check_portability.apply_async(
            kwargs={"job_id": job_id, "size": job.progress_total}, countdown=wait
        )
    return job.pk
