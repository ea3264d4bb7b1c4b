"""What the Customers pages read: each client (VI's AuditClients) with what it holds.

A client holds the numbers routed to its endpoint groups. Clients are few, numbers many: every
figure is one grouped query per kind over the numbers (by endpoint group), added up per
client in Python, so the overview costs the same handful of queries at 100,000 numbers.

This app composes the other domains' mirrors read-only (911 locations, SMS numbers, ports);
it never writes them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dids.models import DID, Client, DIDGroup, EndpointGroup
from dids.selectors import client_numbers
from e911.models import PROVISIONED, Location
from messaging.models import SMSNumber
from portal.models import ChangeRecord
from porting.models import FINISHED_STATUSES, Port, PortNumber


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first instant of the current month in the portal's time zone."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass
class ClientSummary:
    client: Client
    owned: int = 0
    added: int = 0
    released: int = 0
    with_911: int = 0
    sms_ready: int = 0
    campaigns: set[str] = field(default_factory=set)
    ports_in_flight: set[int] = field(default_factory=set)

    @property
    def vi_id(self) -> str:
        return self.client.vi_id

    @property
    def name(self) -> str:
        return str(self.client)

    @property
    def usage(self) -> Decimal | None:
        return self.client.month_to_date_usage

    @property
    def coverage_911(self) -> int | None:
        """Percent of its numbers with a provisioned 911 location (None with no numbers)."""
        return round(100 * self.with_911 / self.owned) if self.owned else None

    @property
    def sms_ready_share(self) -> int | None:
        return round(100 * self.sms_ready / self.owned) if self.owned else None

    @property
    def campaign_count(self) -> int:
        return len(self.campaigns)

    @property
    def port_count(self) -> int:
        return len(self.ports_in_flight)

    def sort_value(self, key: str):
        value = {
            "name": self.name.lower(),
            "owned": self.owned,
            "added": self.added,
            "released": self.released,
            "coverage": self.coverage_911,
            "sms": self.sms_ready_share,
            "campaigns": self.campaign_count,
            "ports": self.port_count,
            "usage": self.usage,
        }[key]
        # Clients without a figure sort after those with one, whichever the direction.
        return (value is None, value if value is not None else 0)


SORT_KEYS = ("name", "owned", "added", "released", "coverage", "sms", "campaigns", "ports", "usage")


def _sms_ready() -> QuerySet:
    """TNs that can send SMS: enabled and on a campaign."""
    return SMSNumber.objects.filter(gone_at__isnull=True, enabled=True).exclude(campaign_id="")


def _active_ports() -> QuerySet:
    return Port.objects.filter(gone_at__isnull=True).exclude(status__in=FINISHED_STATUSES)


def client_summaries(
    *, now: datetime.datetime | None = None, q: str = "", sort: str = "name"
) -> list[ClientSummary]:
    """Every current client with its figures, filtered by name and sorted."""
    clients = list(Client.objects.filter(gone_at__isnull=True).order_by("name", "vi_id"))
    text = (q or "").strip().lower()
    if text:
        clients = [c for c in clients if text in c.name.lower() or text == c.vi_id.lower()]
    summaries = [ClientSummary(client=client) for client in clients]
    owners: dict[int, list[ClientSummary]] = defaultdict(list)
    for summary in summaries:
        for group_id in summary.client.endpoint_group_ids or ():
            if isinstance(group_id, int):
                owners[group_id].append(summary)
    if owners:
        _count_numbers(owners, since=month_start(now))
    descending = sort.startswith("-")
    key = sort.lstrip("-") if sort.lstrip("-") in SORT_KEYS else "name"
    summaries.sort(key=lambda s: s.sort_value(key), reverse=descending)
    return summaries


def _owners_of(owners: dict[int, list[ClientSummary]], group_id: int | None) -> list[ClientSummary]:
    """The clients holding an endpoint group (the queries below ask only about such groups)."""
    return owners.get(group_id, []) if group_id is not None else []


def _count_numbers(owners: dict[int, list[ClientSummary]], *, since: datetime.datetime) -> None:
    numbers = DID.objects.filter(endpoint_id__in=list(owners))
    active = numbers.filter(gone_at__isnull=True)
    grouped = active.values("endpoint_id").annotate(
        owned=Count("id"),
        with_911=Count("id", filter=Q(has911=True)),
        sms_ready=Count("id", filter=Q(tn__in=_sms_ready().values("tn"))),
    )
    for row in grouped:
        for summary in _owners_of(owners, row["endpoint_id"]):
            summary.owned += row["owned"]
            summary.with_911 += row["with_911"]
            summary.sms_ready += row["sms_ready"]
    # Added counts numbers first seen this month even if they have gone again since.
    movement = (
        numbers.filter(Q(first_seen_at__gte=since) | Q(gone_at__gte=since))
        .values("endpoint_id")
        .annotate(
            added=Count("id", filter=Q(first_seen_at__gte=since)),
            released=Count("id", filter=Q(gone_at__gte=since)),
        )
    )
    for moved in movement:
        for summary in _owners_of(owners, moved["endpoint_id"]):
            summary.added += moved["added"]
            summary.released += moved["released"]
    campaign = Subquery(_sms_ready().filter(tn=OuterRef("tn")).values("campaign_id")[:1])
    pairs = (
        active.annotate(campaign=campaign)
        .exclude(campaign=None)
        .values_list("endpoint_id", "campaign")
        .distinct()
    )
    for group_id, campaign_id in pairs:
        for summary in _owners_of(owners, group_id):
            summary.campaigns.add(campaign_id)
    ports = (
        PortNumber.objects.filter(port__in=_active_ports(), endpoint_group__in=list(owners))
        .values_list("endpoint_group", "port__vi_id")
        .distinct()
    )
    for group_id, port_id in ports:
        for summary in _owners_of(owners, group_id):
            summary.ports_in_flight.add(port_id)


def client_list() -> list[Client]:
    return list(Client.objects.filter(gone_at__isnull=True).order_by("name", "vi_id"))


def client_get(*, vi_id: str) -> Client | None:
    return Client.objects.filter(vi_id=vi_id).first()


def client_summary(*, client: Client, now: datetime.datetime | None = None) -> ClientSummary:
    summary = ClientSummary(client=client)
    owners = {
        group_id: [summary]
        for group_id in client.endpoint_group_ids or ()
        if isinstance(group_id, int)
    }
    if owners:
        _count_numbers(owners, since=month_start(now))
    return summary


def client_endpoint_groups(*, client: Client) -> list[tuple[int, EndpointGroup | None, int]]:
    """(group id, its mirror row if synced, numbers routed there) for each of its groups."""
    ids = [group_id for group_id in client.endpoint_group_ids or () if isinstance(group_id, int)]
    rows = {group.vi_id: group for group in EndpointGroup.objects.filter(vi_id__in=ids)}
    counts = dict(
        DID.objects.filter(gone_at__isnull=True, endpoint_id__in=ids)
        .values_list("endpoint_id")
        .annotate(total=Count("id"))
        .values_list("endpoint_id", "total")
    )
    return [(group_id, rows.get(group_id), counts.get(group_id, 0)) for group_id in ids]


def client_did_groups(*, client: Client) -> list[tuple[int, DIDGroup | None]]:
    ids = [group_id for group_id in client.did_group_ids or () if isinstance(group_id, int)]
    rows = {group.vi_id: group for group in DIDGroup.objects.filter(vi_id__in=ids)}
    return [(group_id, rows.get(group_id)) for group_id in ids]


# --- problems ------------------------------------------------------------------------------
# Kept short on the page: a count and the first few numbers, each linked; the whole set is
# one click away in the numbers list where a filter exists for it.
PROBLEM_SAMPLE = 10


@dataclass(frozen=True)
class Problem:
    key: str
    title: str
    count: int
    sample: list[str]
    list_query: str = ""  # extra numbers-list filters showing the whole set, when it has one


def client_problems(*, client: Client) -> list[Problem]:
    numbers = client_numbers(client=client)
    no_911 = numbers.filter(has911=False).order_by("tn")
    sms_without_campaign = numbers.filter(
        tn__in=SMSNumber.objects.filter(gone_at__isnull=True, enabled=True, campaign_id="").values(
            "tn"
        )
    ).order_by("tn")
    # A 911 location that was validated but never provisioned (parked), or whose validation
    # VI no longer accepts: it will not route an emergency call until someone acts.
    stale_911 = numbers.filter(
        tn__in=Location.objects.filter(gone_at__isnull=True)
        .exclude(status_code=PROVISIONED)
        .values("tn")
    ).order_by("tn")
    found = [
        ("no_911", "Numbers without 911", no_911, "e911=no"),
        (
            "sms_no_campaign",
            "SMS on but on no campaign (messages are blocked)",
            sms_without_campaign,
            "",
        ),
        (
            "stale_911",
            "911 location validated but not provisioned, or invalid",
            stale_911,
            "e911=unprovisioned",
        ),
    ]
    problems = []
    for key, title, rows, query in found:
        count = rows.count()
        if count:
            sample = list(rows.values_list("tn", flat=True)[:PROBLEM_SAMPLE])
            problems.append(
                Problem(key=key, title=title, count=count, sample=sample, list_query=query)
            )
    return problems


def client_ports(*, client: Client) -> list[Port]:
    ids = [group_id for group_id in client.endpoint_group_ids or () if isinstance(group_id, int)]
    return list(
        _active_ports()
        .filter(numbers__endpoint_group__in=ids)
        .distinct()
        .order_by("foc_at", "vi_id")
    )


def client_campaigns(*, client: Client) -> list[tuple[str, int]]:
    """(campaign id, how many of its numbers are on it), most numbers first."""
    tns = client_numbers(client=client).values("tn")
    rows = (
        _sms_ready()
        .filter(tn__in=tns)
        .values("campaign_id")
        .annotate(total=Count("id"))
        .order_by("-total", "campaign_id")
    )
    return [(row["campaign_id"], row["total"]) for row in rows]


@dataclass(frozen=True)
class HistoryItem:
    at: datetime.datetime
    what: str
    detail: str
    who: str
    tn: str = ""


# How far back to look for numbers moved in or out: the newest endpoint-group changes only.
MOVES_SCANNED = 500


def client_history(*, client: Client, limit: int = 30) -> list[HistoryItem]:
    """The client's own changes at VI (groups, usage, ...) and its numbers moving in and out."""
    items = []
    own = (
        ChangeRecord.objects.filter(model="dids.client", object_key=client.vi_id)
        .select_related("actor")
        .order_by("-at")
    )
    for record in own[:limit]:
        fields = ", ".join(sorted(record.changes or {})).replace("_", " ")
        items.append(
            HistoryItem(
                at=record.at,
                what=record.get_action_display(),
                detail=fields,
                who=str(record.actor or record.get_source_display()),
            )
        )
    groups = {group_id for group_id in client.endpoint_group_ids or () if isinstance(group_id, int)}
    moves = (
        ChangeRecord.objects.filter(
            model="dids.did", action=ChangeRecord.Action.UPDATED, changes__has_key="endpoint_id"
        )
        .select_related("actor")
        .order_by("-at")[:MOVES_SCANNED]
    )
    for record in moves:
        before, after = ((record.changes or {}).get("endpoint_id") or [None, None])[:2]
        if (after in groups) == (before in groups):
            continue
        what = "Number moved in" if after in groups else "Number moved out"
        items.append(
            HistoryItem(
                at=record.at,
                what=what,
                detail=f"endpoint group {before} → {after}",
                who=str(record.actor or record.get_source_display()),
                tn=record.object_key,
            )
        )
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]


CSV_HEADER = [
    "client id",
    "client",
    "numbers",
    "added this month",
    "released this month",
    "911 coverage %",
    "SMS-ready %",
    "campaigns",
    "ports in flight",
    "usage this month",
]


def client_csv_rows(*, summaries: list[ClientSummary]):
    yield CSV_HEADER
    for s in summaries:
        yield [
            s.vi_id,
            s.name,
            s.owned,
            s.added,
            s.released,
            "" if s.coverage_911 is None else s.coverage_911,
            "" if s.sms_ready_share is None else s.sms_ready_share,
            s.campaign_count,
            s.port_count,
            "" if s.usage is None else s.usage,
        ]
