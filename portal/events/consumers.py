"""Helpers for consumers that handle each outbox event once (port e-mails and the like)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from portal.events.models import Consumed, Event


def unconsumed_ids(*, consumer: str, types: Iterable[str], limit: int = 1000) -> list[int]:
    """Ids of events of `types` this consumer has not handled, oldest first."""
    handled = Consumed.objects.filter(consumer=consumer).values("event_id")
    return list(
        Event.objects.filter(type__in=list(types))
        .exclude(id__in=handled)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def claim(*, consumer: str, event_id: int) -> Event | None:
    """Mark the event handled by `consumer` inside the caller's transaction; None if it already was.

    The caller does its work in the same transaction: rolled back, the claim goes with it and
    the event is handled again next time; committed, never again.
    """
    table = Consumed._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(table)} (consumer, event_id, at) VALUES (%s, %s, %s) "
            "ON CONFLICT (consumer, event_id) DO NOTHING",
            [consumer, event_id, timezone.now()],
        )
        claimed = cursor.rowcount == 1
    return Event.objects.filter(pk=event_id).first() if claimed else None
