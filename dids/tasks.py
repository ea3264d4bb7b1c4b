"""Thin Celery tasks for the numbers domain.

The scheduled "dids" sync runs through the generic `portal.tasks.run_sync(kind="dids")`
(beat schedules live in the database, see portal/migrations). What is here is work a page
may want off the request: refreshing many numbers from VI at once.
"""

from celery import shared_task
from django.contrib.auth import get_user_model

from portal.models import Source

from . import services


@shared_task(name="dids.tasks.refresh_dids")
def refresh_dids(*, tns: list[str], actor_id: int | None = None, source: str = Source.STAFF) -> int:
    """Read the numbers afresh from VI; returns how many were refreshed.

    A read, so an unreachable VI may simply be tried again by whoever asked; it is not
    retried here, because each number is a separate call and the earlier ones stand.
    """
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    outcomes = services.refresh_dids(tns=tns, actor=actor, source=source)
    return sum(1 for outcome in outcomes if outcome.ok)
