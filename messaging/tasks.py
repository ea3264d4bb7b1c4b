"""Thin Celery tasks for messaging.

The scheduled "messaging" sync runs through the generic `portal.tasks.run_sync(kind="messaging")`
(its beat schedule lives in the database, see portal/migrations/0004_sync_schedules.py).
What is here is work a page may want off the request.
"""

from celery import shared_task
from django.contrib.auth import get_user_model

from portal.models import Source

from . import services


@shared_task(name="messaging.tasks.refresh_enumerations")
def refresh_enumerations(*, actor_id: int | None = None) -> int:
    """Re-read VI's lists for the forms; a read, so a failure is simply tried next time."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return len(services.refresh_enumerations(actor=actor, source=Source.STAFF))
