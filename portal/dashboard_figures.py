"""The dashboard's headline figures and charts, read from the mirror (never from VI).

Each figure and chart is built on its own: one that fails (an app not installed, a bad row)
is logged and left out; the rest of the dashboard still shows. Charts carry their data both
for static/portal/charts.js (`payload`, written with json_script) and for the table shown
without JavaScript (`rows`), so both always agree.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal.sync.kinds import kind_label
from portal.templatetags.console import money, number, percent

logger = logging.getLogger(__name__)

HISTORY_DAYS = 30
SYNC_DAYS = 14
TOP_GROUPS = 8


@dataclass(frozen=True)
class Headline:
    testid: str
    label: str
    value: str
    detail: str = ""
    tone: str = ""  # "", "good", "warn", "bad": one colour meaning each
    url: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Any]
    colour: str = ""


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar | line | doughnut
    axis: str  # what the labels are: "State", "Day", ...
    labels: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    unit: str = ""  # "", "%", "$"
    stacked: bool = False
    horizontal: bool = False
    note: str = ""
    empty_title: str = "Nothing to draw yet"
    empty_hint: str = ""
    colours: list[str] = field(default_factory=list)

    @property
    def script_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def payload(self) -> dict:
        data = {
            "kind": self.kind,
            "labels": self.labels,
            "series": [
                {"label": s.label, "values": s.values, "colour": s.colour} for s in self.series
            ],
            "unit": self.unit,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
        }
        if self.colours:
            data["colours"] = self.colours
        return data

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        shown = percent if self.unit == "%" else (money if self.unit == "$" else number)
        return [
            (label, [shown(s.values[i]) for s in self.series])
            for i, label in enumerate(self.labels)
        ]


# Status colours shared with the badges: green good, amber waiting, red failed, grey other.
GOOD, WAIT, BAD, OTHER, INFO = "#16a34a", "#f59e0b", "#dc2626", "#94a3b8", "#2563eb"


def _url(name: str, query: str = "") -> str:
    try:
        return reverse(name) + query
    except NoReverseMatch:
        return ""


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _month_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _day_start(now: datetime.datetime, days_back: int) -> datetime.datetime:
    local = timezone.localtime(now) - datetime.timedelta(days=days_back)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _days(now: datetime.datetime, count: int) -> list[datetime.date]:
    today = timezone.localtime(now).date()
    return [today - datetime.timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def _signed(value: int) -> str:
    return f"+{value:,}" if value > 0 else (f"−{abs(value):,}" if value < 0 else "no change")


# --- headline figures ------------------------------------------------------------------------


def _numbers_owned(now: datetime.datetime) -> Headline:
    from dids.models import DID

    month = _month_start(now)
    owned = DID.objects.filter(gone_at__isnull=True)
    count = owned.count()
    added = owned.filter(first_seen_at__gte=month).count()
    released = DID.objects.filter(gone_at__gte=month).count()
    change = added - released
    return Headline(
        testid="numbers",
        label="Numbers owned",
        value=number(count),
        detail=f"{_signed(change)} this month ({number(added)} added, {number(released)} gone)",
        url=_url("dids:list"),
    )


def _coverage(now: datetime.datetime) -> Headline:
    from dids.models import DID

    owned = DID.objects.filter(gone_at__isnull=True)
    total = owned.count()
    covered = owned.filter(has911=True).count()
    share = _share(covered, total)
    tone = "" if share is None else ("good" if share >= 99 else ("warn" if share >= 90 else "bad"))
    return Headline(
        testid="e911",
        label="911 coverage",
        value=percent(share),
        detail=f"{number(total - covered)} numbers without a 911 address"
        if total
        else "No numbers yet",
        tone=tone,
        url=_url("e911:index"),
    )


def _sms_ready_count() -> tuple[int, int]:
    from dids.models import DID
    from messaging.models import Campaign, CampaignStatus, SMSNumber

    owned = DID.objects.filter(gone_at__isnull=True)
    approved = Campaign.objects.filter(gone_at__isnull=True, status=CampaignStatus.ACTIVE).values(
        "campaign_id"
    )
    ready = SMSNumber.objects.filter(
        gone_at__isnull=True, enabled=True, campaign_id__in=approved, tn__in=owned.values("tn")
    ).count()
    return ready, owned.count()


def _sms_ready(now: datetime.datetime) -> Headline:
    ready, total = _sms_ready_count()
    return Headline(
        testid="sms",
        label="SMS-ready",
        value=percent(_share(ready, total)),
        detail=f"{number(ready)} numbers with SMS on an approved campaign",
        url=_url("messaging:index"),
    )


def _ports(now: datetime.datetime) -> Headline:
    from porting import selectors

    counts = selectors.porting_counts(now=now)
    parts = [f"{number(counts.foc_this_week)} FOC this week"]
    if counts.overdue:
        parts.append(f"{number(counts.overdue)} past FOC")
    return Headline(
        testid="ports",
        label="Ports in flight",
        value=number(counts.active),
        detail=", ".join(parts),
        tone="warn" if counts.overdue else "",
        url=_url("porting:index"),
    )


def _balance(now: datetime.datetime) -> Headline:
    from dids.models import PrepaidBalanceReading
    from portal import selectors

    reading = selectors.prepaid_balance_latest()
    if reading is None:
        return Headline(
            testid="balance",
            label="Prepaid balance",
            value="unknown",
            detail="No balance reading yet",
            url=_url("dids:account"),
        )
    since = now - datetime.timedelta(days=HISTORY_DAYS)
    earlier = (
        PrepaidBalanceReading.objects.filter(read_at__gte=since)
        .order_by("read_at", "id")
        .values_list("amount", flat=True)
        .first()
    )
    detail = f"as of {timezone.localtime(reading.read_at):%b %-d %H:%M}"
    if earlier is not None and Decimal(earlier) != reading.amount:
        change = reading.amount - Decimal(earlier)
        word = "up" if change > 0 else "down"
        detail = f"{word} {money(abs(change))} in {HISTORY_DAYS} days · " + detail
    threshold = _low_balance_threshold()
    return Headline(
        testid="balance",
        label="Prepaid balance",
        value=money(reading.amount),
        detail=detail,
        tone="bad" if threshold is not None and reading.amount < threshold else "",
        url=_url("dids:account"),
    )


def _low_balance_threshold() -> Decimal | None:
    try:
        from dids.views.endpoint_groups import low_balance_threshold
    except ImportError:
        return None
    return low_balance_threshold()


HEADLINES: list[Callable[[datetime.datetime], Headline]] = [
    _numbers_owned,
    _coverage,
    _sms_ready,
    _ports,
    _balance,
]


# --- charts ------------------------------------------------------------------------------------


def _numbers_by_state(now: datetime.datetime) -> Chart:
    from dids.models import DID

    rows = (
        DID.objects.filter(gone_at__isnull=True)
        .values("state")
        .annotate(n=Count("id"))
        .order_by("-n", "state")
    )
    counts = [(row["state"] or "unknown", row["n"]) for row in rows]
    shown, rest = counts[:12], sum(n for _, n in counts[12:])
    if rest:
        shown.append(("other states", rest))
    return Chart(
        key="states",
        title="Numbers by state",
        kind="bar",
        axis="State",
        labels=[label for label, _ in shown],
        series=[Series("Numbers", [n for _, n in shown], INFO)],
        empty_hint="Numbers appear after the first numbers sync.",
    )


def _numbers_by_endpoint_group(now: datetime.datetime) -> Chart:
    from dids.models import DID, EndpointGroup

    names = dict(EndpointGroup.objects.values_list("vi_id", "name"))
    rows = (
        DID.objects.filter(gone_at__isnull=True)
        .values("endpoint_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    counts = []
    for row in rows:
        group = row["endpoint_id"]
        label = "no endpoint group" if group is None else (names.get(group) or f"group {group}")
        counts.append((label, row["n"]))
    shown, rest = counts[:TOP_GROUPS], sum(n for _, n in counts[TOP_GROUPS:])
    if rest:
        shown.append(("other groups", rest))
    return Chart(
        key="endpoint-groups",
        title="Numbers by endpoint group",
        kind="bar",
        axis="Endpoint group",
        horizontal=True,
        labels=[label for label, _ in shown],
        series=[Series("Numbers", [n for _, n in shown], INFO)],
        empty_hint="Numbers appear after the first numbers sync.",
    )


def _per_day(queryset, days: list[datetime.date]) -> Counter[datetime.date]:
    tz = timezone.get_current_timezone()
    rows = (
        queryset.annotate(day=TruncDate("at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter({row["day"]: row["n"] for row in rows})


def _created_per_day(records, days: list[datetime.date]) -> Counter[datetime.date]:
    """Rows created each day: one per "created" entry, but a first load's one entry
    (portal.history.FIRST_LOAD_KEY) stands for {"count": n} rows."""
    from portal.history import FIRST_LOAD_KEY
    from portal.models import ChangeRecord

    created = records.filter(action=ChangeRecord.Action.CREATED)
    per_day = _per_day(created.exclude(object_key=FIRST_LOAD_KEY), days)
    tz = timezone.get_current_timezone()
    loads = (
        created.filter(object_key=FIRST_LOAD_KEY)
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values("day")
        .annotate(n=Sum(Cast(KT("changes__count"), IntegerField())))
        .order_by()
    )
    per_day.update({row["day"]: row["n"] or 0 for row in loads})
    return per_day


def _coverage_over_time(now: datetime.datetime) -> Chart:
    """911 coverage at the end of each of the last 30 days, worked back from today's mirror
    through the numbers' history: a number created, gone or returned that day, and each
    change of its 911 flag. Days before the first sync have no numbers and no point."""
    from dids.models import DID
    from portal.models import ChangeRecord

    days = _days(now, HISTORY_DAYS)
    start = _day_start(now, HISTORY_DAYS - 1)
    owned = DID.objects.filter(gone_at__isnull=True)
    total, covered = owned.count(), owned.filter(has911=True).count()
    records = ChangeRecord.objects.filter(model="dids.did", at__gte=start)
    action = ChangeRecord.Action
    with_911 = DID.objects.filter(has911=True).values("tn")
    created = _created_per_day(records, days)
    created_911 = _per_day(records.filter(action=action.CREATED, changes__has911__1=True), days)
    gone = _per_day(records.filter(action=action.GONE), days)
    gone_911 = _per_day(records.filter(action=action.GONE, object_key__in=with_911), days)
    returned = _per_day(records.filter(action=action.RETURNED), days)
    returned_911 = _per_day(records.filter(action=action.RETURNED, object_key__in=with_911), days)
    gained = _per_day(
        records.filter(action=action.UPDATED, changes__has911__1=True, changes__has911__0=False),
        days,
    )
    lost = _per_day(
        records.filter(action=action.UPDATED, changes__has911__1=False, changes__has911__0=True),
        days,
    )
    values: list[float | None] = []
    # Walk back from today's end: undo each day's changes to get the day before.
    for day in reversed(days):
        values.append(_share(covered, total))
        total -= created[day] - gone[day] + returned[day]
        covered -= created_911[day] - gone_911[day] + returned_911[day] + gained[day] - lost[day]
        total, covered = max(total, 0), max(min(covered, total), 0)
    values.reverse()
    first = next((i for i, value in enumerate(values) if value is not None), len(values))
    days, values = days[first:], values[first:]
    return Chart(
        key="coverage",
        title="911 coverage, last 30 days",
        kind="line",
        axis="Day",
        unit="%",
        labels=[f"{day:%b %-d}" for day in days],
        series=[Series("911 coverage", values, GOOD)],
        note="share of owned numbers with a 911 address",
        empty_hint="The line starts with the first numbers sync.",
    )


_FOC_BUCKETS = ("past FOC", "this week", "next week", "later", "no FOC date")


def _foc_bucket(foc_at: datetime.datetime | None, today: datetime.date) -> str:
    if foc_at is None:
        return "no FOC date"
    days = (timezone.localtime(foc_at).date() - today).days
    if days < 0:
        return "past FOC"
    if days < 7:
        return "this week"
    if days < 14:
        return "next week"
    return "later"


def _port_status_words(status: str) -> str:
    """VI's "FOC RECEIVED" as "FOC received": sentence case, VI's abbreviations kept."""
    words = status.capitalize()
    return words.replace("Foc", "FOC").replace(" foc", " FOC")


def _port_pipeline(now: datetime.datetime) -> Chart:
    from porting.models import FINISHED_STATUSES, KNOWN_STATUSES, Port

    active = Port.objects.filter(gone_at__isnull=True).exclude(status__in=FINISHED_STATUSES)
    today = timezone.localtime(now).date()
    table: dict[str, Counter] = {}
    for status, foc_at in active.values_list("status", "foc_at"):
        table.setdefault(status or "unknown", Counter())[_foc_bucket(foc_at, today)] += 1
    statuses = [s for s in KNOWN_STATUSES if s in table] + sorted(set(table) - set(KNOWN_STATUSES))
    buckets = [b for b in _FOC_BUCKETS if any(table[s][b] for s in statuses)]
    palette = [WAIT, INFO, GOOD, "#7c3aed", OTHER, BAD]
    return Chart(
        key="ports",
        title="Ports in flight by stage and FOC date",
        kind="bar",
        axis="FOC date",
        stacked=True,
        labels=list(buckets),
        series=[
            Series(
                _port_status_words(status),
                [table[status][b] for b in buckets],
                palette[i % len(palette)],
            )
            for i, status in enumerate(statuses)
        ],
        empty_title="No ports in flight",
        empty_hint="Ports submitted at VI appear here after the porting sync.",
    )


_CAMPAIGN_COLOURS = {
    "ACTIVE": GOOD,
    "PENDING": WAIT,
    "REJECTED": BAD,
    "EXPIRED": OTHER,
    "DELETED": "#cbd5e1",
}


def _campaign_states(now: datetime.datetime) -> Chart:
    from messaging.models import Campaign, CampaignStatus

    rows = (
        Campaign.objects.filter(gone_at__isnull=True)
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    counts = {row["status"]: row["n"] for row in rows}
    order = [s.value for s in CampaignStatus if s.value in counts] + sorted(
        set(counts) - set(CampaignStatus.values)
    )
    labels = [
        CampaignStatus(s).label if s in CampaignStatus.values else (s or "unknown") for s in order
    ]
    return Chart(
        key="campaigns",
        title="10DLC campaigns by state",
        kind="doughnut",
        axis="State",
        labels=labels,
        series=[Series("Campaigns", [counts[s] for s in order])],
        colours=[_CAMPAIGN_COLOURS.get(s, OTHER) for s in order],
        empty_title="No 10DLC campaigns",
        empty_hint="Register a brand, then a campaign, under Messaging.",
    )


def _sync_health(now: datetime.datetime) -> Chart:
    from portal.models import SyncRun

    days = _days(now, SYNC_DAYS)
    tz = timezone.get_current_timezone()
    rows = (
        SyncRun.objects.filter(created_at__gte=_day_start(now, SYNC_DAYS - 1))
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    good: Counter[datetime.date] = Counter()
    bad: Counter[datetime.date] = Counter()
    other: Counter[datetime.date] = Counter()
    for row in rows:
        status = row["status"]
        target = (
            good
            if status == SyncRun.Status.SUCCEEDED
            else (bad if status == SyncRun.Status.FAILED else other)
        )
        target[row["day"]] += row["n"]
    if not (good or bad or other):
        return Chart(
            key="sync",
            title="Sync runs, last 14 days",
            kind="bar",
            axis="Day",
            empty_title="No sync has run yet",
            empty_hint="Start one from the Sync page.",
        )
    return Chart(
        key="sync",
        title="Sync runs, last 14 days",
        kind="bar",
        axis="Day",
        stacked=True,
        labels=[f"{day:%b %-d}" for day in days],
        series=[
            Series("succeeded", [good[d] for d in days], GOOD),
            Series("failed", [bad[d] for d in days], BAD),
            Series("held, skipped or running", [other[d] for d in days], OTHER),
        ],
    )


CHARTS: list[Callable[[datetime.datetime], Chart]] = [
    _coverage_over_time,
    _numbers_by_state,
    _numbers_by_endpoint_group,
    _port_pipeline,
    _campaign_states,
    _sync_health,
]


def _built(builders: list[Callable], now: datetime.datetime) -> list:
    made = []
    for build in builders:
        try:
            made.append(build(now))
        except Exception:  # one broken figure must not take the dashboard down
            logger.exception("Dashboard figure %s failed", build.__name__)
    return made


def headline_figures(*, now: datetime.datetime | None = None) -> list[Headline]:
    return _built(HEADLINES, now or timezone.now())


def dashboard_charts(*, now: datetime.datetime | None = None) -> list[Chart]:
    return _built(CHARTS, now or timezone.now())


def last_sync_words() -> str:
    """ "Last sync with VI 5 minutes ago" for the page header: the newest finished run."""
    from django.contrib.humanize.templatetags.humanize import naturaltime

    from portal.models import SyncRun

    run = SyncRun.objects.filter(status=SyncRun.Status.SUCCEEDED).order_by("-finished_at").first()
    if run is None or run.finished_at is None:
        return "No sync has finished yet"
    return f"Last sync with VI {naturaltime(run.finished_at)} ({kind_label(run.kind)})"
