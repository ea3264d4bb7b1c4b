"""'Changed outside the portal': changes a sync found at VI that no one made here, and acknowledging them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from portal.actor import Actor
from portal.events.models import Event
from portal.events.types import EventType, SubjectKind
from portal.models import Source

MAX_IDS = 1000  # ids one bulk acknowledgement may name


@dataclass(frozen=True)
class DriftFilters:
    kind: str = ""  # a subject kind
    type: str = ""  # an event type
    key: str = ""  # a number, port id ... (exact, or its start)
    acknowledged: bool = False


def drift_filters(params) -> DriftFilters:
    """Filters from a query string; anything unknown or hostile is dropped, never a 500."""
    kind = params.get("kind", "")
    event_type = params.get("type", "")
    key = "".join(ch for ch in str(params.get("key", ""))[:64] if ch.isprintable())
    return DriftFilters(
        kind=kind if kind in SubjectKind.values else "",
        type=event_type if event_type in EventType.values else "",
        key=key.strip(),
        acknowledged=params.get("acknowledged") == "1",
    )


def drift_events(*, filters: DriftFilters = DriftFilters()) -> QuerySet[Event]:
    events = Event.objects.filter(drift=True)
    events = (
        events.exclude(acknowledged_at__isnull=True)
        if filters.acknowledged
        else events.filter(acknowledged_at__isnull=True)
    )
    if filters.kind:
        events = events.filter(subject_kind=filters.kind)
    if filters.type:
        events = events.filter(type=filters.type)
    if filters.key:
        events = events.filter(subject_key__startswith=filters.key)
    return events.order_by("-id")


@dataclass(frozen=True)
class DriftGroup:
    subject_kind: str
    subject_key: str
    type: str
    count: int
    first_id: int
    last_id: int
    last_at: object

    @property
    def type_label(self) -> str:
        return EventType(self.type).label

    @property
    def kind_label(self) -> str:
        return SubjectKind(self.subject_kind).label


def drift_groups(*, filters: DriftFilters = DriftFilters(), limit: int = 200) -> list[DriftGroup]:
    """Drift grouped by subject and kind of change, most recent first."""
    rows = (
        drift_events(filters=filters)
        .order_by()
        .values("subject_kind", "subject_key", "type")
        .annotate(
            count=Count("id"), first_id=Min("id"), last_id=Max("id"), last_at=Max("occurred_at")
        )
        .order_by("-last_id")[:limit]
    )
    return [DriftGroup(**row) for row in rows]


def drift_counts() -> list[tuple[str, int]]:
    """(type label, open count) for the dashboard panel, most first."""
    rows = (
        Event.objects.filter(drift=True, acknowledged_at__isnull=True)
        .order_by()
        .values("type")
        .annotate(count=Count("id"))
        .order_by("-count")
    )
    return [(EventType(row["type"]).label, row["count"]) for row in rows]


def number_drift(*, tn: str, limit: int = 20) -> list[Event]:
    return list(
        Event.objects.filter(
            drift=True,
            acknowledged_at__isnull=True,
            subject_kind=SubjectKind.NUMBER,
            subject_key=tn,
        ).order_by("-id")[:limit]
    )


def drift_acknowledge(
    *,
    ids: Iterable[int] = (),
    filters: DriftFilters | None = None,
    actor: Actor,
    source: Source,
) -> int:
    """Acknowledge the named drift events, or all open ones matching `filters`; returns how many.

    The acknowledgement is kept on the events themselves (by whom, when); `source` says from
    where, as for every service."""
    now = timezone.now()
    if filters is not None:
        events = drift_events(
            filters=DriftFilters(kind=filters.kind, type=filters.type, key=filters.key)
        )
    else:
        wanted = [int(i) for i in list(ids)[:MAX_IDS]]
        events = Event.objects.filter(drift=True, acknowledged_at__isnull=True, id__in=wanted)
    return Event.objects.filter(id__in=events.values("id")).update(
        acknowledged_at=now, acknowledged_by=actor
    )


def acknowledge_group(
    *, subject_kind: str, subject_key: str, type: str, actor: Actor, source: Source
) -> int:
    """Acknowledge one row of the grouped page: every open event of that kind about that subject."""
    return Event.objects.filter(
        drift=True,
        acknowledged_at__isnull=True,
        subject_kind=subject_kind,
        subject_key=subject_key[:64],
        type=type,
    ).update(acknowledged_at=timezone.now(), acknowledged_by=actor)
