"""Reads for the porting pages: the active ports and their filters, one port's timeline, a
number's port history, events ("what changed"), portability results."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.csv_export import csv_line

from .models import (
    CLAIM_LIFETIME,
    FINISHED_STATUSES,
    KNOWN_STATUSES,
    Port,
    PortabilityJob,
    PortabilityRow,
    PortEvent,
    PortFollow,
    PortHistoryEntry,
    PortHistoryLookup,
    PortingViewer,
    PortNumber,
    calendar_day,
)

FOC_KINDS = (PortEvent.Kind.FOC_SET, PortEvent.Kind.FOC_CHANGED)


@dataclass(frozen=True)
class PortFilters:
    status: str = ""
    foc: str = (
        ""  # "week": FOC date within the next 7 days; "overdue": FOC date passed, not completed
    )
    changed: bool = False  # FOC set or changed since the person's baseline
    following: bool = False


FOC_CHOICES = [("", "Any FOC date"), ("week", "FOC this week"), ("overdue", "Overdue")]


def _active() -> QuerySet[Port]:
    return Port.objects.filter(gone_at__isnull=True).exclude(status__in=FINISHED_STATUSES)


def port_list(
    *,
    filters: PortFilters,
    user,
    baseline: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> list[Port]:
    """Active ports, soonest FOC first, each with `number_count`, `followed` and `foc_changed_recently`."""
    now = now or timezone.now()
    foc_changes = PortEvent.objects.filter(port=OuterRef("pk"), kind__in=FOC_KINDS)
    if baseline is not None:
        foc_changes = foc_changes.filter(seen_at__gt=baseline)
    rows = _active().annotate(
        number_count=Count("numbers", distinct=True),
        followed=Exists(PortFollow.objects.filter(port=OuterRef("pk"), user=user)),
        foc_changed_recently=Exists(foc_changes),
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.foc == "week":
        rows = rows.filter(foc_at__gte=now, foc_at__lt=now + datetime.timedelta(days=7))
    elif filters.foc == "overdue":
        rows = rows.filter(foc_at__lt=now)
    if filters.changed:
        rows = rows.filter(foc_changed_recently=True)
    if filters.following:
        rows = rows.filter(followed=True)
    return list(rows.order_by("foc_at", "vi_id"))


def port_status_choices() -> list[str]:
    seen = set(_active().values_list("status", flat=True).distinct())
    return [status for status in KNOWN_STATUSES if status in seen] + sorted(
        seen - set(KNOWN_STATUSES)
    )


def days_until(
    moment: datetime.datetime | None, *, now: datetime.datetime | None = None
) -> int | None:
    """Whole days from today in the portal's time zone to the day VI named (negative: past)."""
    day = calendar_day(moment)
    if day is None:
        return None
    today = timezone.localdate(now or timezone.now())
    return (day - today).days


def viewer_get(*, user) -> PortingViewer | None:
    return PortingViewer.objects.filter(user=user).first()


def port_get(*, vi_id: int) -> Port | None:
    return Port.objects.filter(vi_id=vi_id).first()


def port_is_followed(*, port: Port, user) -> bool:
    return PortFollow.objects.filter(port=port, user=user).exists()


def port_numbers(*, port: Port) -> list[PortNumber]:
    return list(port.numbers.select_related("did").order_by("tn"))


@dataclass
class TimelineItem:
    at: datetime.datetime | None
    what: str
    detail: str = ""
    kind: str = ""  # "event" (seen by the portal) or "vi" (VI's port history)
    numbers: list[str] = field(default_factory=list)


def port_timeline(*, port: Port) -> list[TimelineItem]:
    """VI's history of the port (one step for all its numbers) and the changes the portal saw,
    newest first."""
    items: dict[tuple, TimelineItem] = {}
    for entry in PortHistoryEntry.objects.filter(port_vi_id=port.vi_id).order_by("at", "tn"):
        key = (entry.at, entry.status, entry.description)
        item = items.setdefault(
            key, TimelineItem(at=entry.at, what=entry.status, detail=entry.description, kind="vi")
        )
        item.numbers.append(entry.tn)
    timeline = list(items.values())
    timeline += [
        TimelineItem(
            at=event.seen_at, what=event.get_kind_display(), detail=event.summary, kind="event"
        )
        for event in port.events.all()
    ]
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(timeline, key=lambda item: item.at or epoch, reverse=True)


def number_port_history(*, tn: str) -> list[PortHistoryEntry]:
    return list(PortHistoryEntry.objects.filter(tn=tn).order_by("-at", "-id"))


def number_history_known(*, tn: str) -> bool:
    """Whether VI was asked for this number's port history already."""
    return PortHistoryLookup.objects.filter(tn=tn).exists()


def number_ports(*, tn: str) -> list[Port]:
    return list(Port.objects.filter(numbers__tn=tn).distinct().order_by("-submitted_at", "-vi_id"))


def events_recent(
    *, since: datetime.datetime | None = None, user=None, following: bool = False, limit: int = 100
) -> list[PortEvent]:
    """The events people are told about, newest first."""
    rows = PortEvent.objects.filter(kind__in=PortEvent.NOTIFY_KINDS).select_related("port")
    if since is not None:
        rows = rows.filter(seen_at__gt=since)
    if following and user is not None:
        rows = rows.filter(port__follows__user=user)
    return list(rows[:limit])


@dataclass(frozen=True)
class PortingCounts:
    active: int
    foc_this_week: int
    overdue: int
    events_last_week: int


def porting_counts(*, now: datetime.datetime | None = None) -> PortingCounts:
    now = now or timezone.now()
    active = _active()
    return PortingCounts(
        active=active.count(),
        foc_this_week=active.filter(
            foc_at__gte=now, foc_at__lt=now + datetime.timedelta(days=7)
        ).count(),
        overdue=active.filter(foc_at__lt=now).count(),
        events_last_week=PortEvent.objects.filter(
            kind__in=PortEvent.NOTIFY_KINDS, seen_at__gte=now - datetime.timedelta(days=7)
        ).count(),
    )


# --- portability ------------------------------------------------------------------------------


def portability_job_get(*, pk: int) -> PortabilityJob | None:
    return PortabilityJob.objects.filter(pk=pk).first()


def portability_jobs_recent(*, user=None, limit: int = 10) -> list[PortabilityJob]:
    rows = PortabilityJob.objects.all()
    if user is not None:
        rows = rows.filter(created_by=user)
    return list(rows[:limit])


def portability_next_chunk_in(*, job: PortabilityJob) -> float | None:
    """After a chunk: in how many seconds the job's next chunk should run, or None when no
    chunk is left (the job is over, or another run is answering its last rows).

    0 while rows are pending and free to take. When every pending row is claimed by another
    run (a redelivered copy of a chunk still at work, or one whose worker died), the next look
    is when those claims go stale: a live run has finished them by then and the look finds
    nothing; a dead one's rows are taken again.
    """
    if job.status != PortabilityJob.Status.RUNNING:
        return None
    now = timezone.now()
    pending = PortabilityRow.objects.filter(job=job, verdict=PortabilityRow.Verdict.PENDING)
    stale = now - CLAIM_LIFETIME
    if pending.filter(Q(claim__isnull=True) | Q(claimed_at__lt=stale)).exists():
        return 0.0
    oldest = pending.order_by("claimed_at").values_list("claimed_at", flat=True).first()
    if oldest is None:
        return None
    return max(1.0, (oldest - stale).total_seconds() + 1)


def portability_counts(*, job: PortabilityJob) -> dict[str, int]:
    return dict(job.rows.values_list("verdict").annotate(n=Count("id")).order_by())


RESULT_HEADER = ["entry", "number", "result", "vi_code", "message"]


def portability_results_csv(*, job: PortabilityJob) -> Iterator[str]:
    line = csv_line  # formula-safe cells (portal/csv_export.py)
    yield line(RESULT_HEADER)
    for row in job.rows.order_by("position").iterator(chunk_size=500):
        yield line([row.entry, row.tn, row.get_verdict_display(), row.code, row.message])
