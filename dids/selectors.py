"""Reads for the numbers pages: the filtered, sorted, paged list, one number, its history.

Built for 100,000 rows: keyset pagination (no OFFSET, no COUNT(*) over the whole table),
filters that match the indexes in dids/models.py and the trigram indexes of migration 0002,
and a CSV iterator that streams in chunks.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from portal.history import shown_changes, with_first_load_entry
from portal.models import ChangeRecord, SyncRun

from .models import DID, Client, DIDGroup, EndpointGroup, PrepaidBalanceReading
from .numbers import digits_only

# Feature filters a person can tick; each is a condition on the row.
FEATURES: dict[str, Q] = {
    "forward": ~Q(forward=""),
    "failover": ~Q(failover=""),
    "cnam": ~Q(cnam_name=""),
    "cnam_dip": Q(cnam=True),
    "fax": ~Q(fax_to_email=""),
    "conference": Q(conference_line=True),
    "script": ~Q(script_id=""),
    "t38": Q(t38=True),
    "has911": Q(has911=True),
    "no911": Q(has911=False),
}

# Sort keys a person can choose -> the model field (nullable ints sorted as 0 = "none").
SORTS: dict[str, str] = {
    "tn": "tn",
    "state": "state",
    "rate_center": "rate_center",
    "tier": "tier",
    "endpoint": "endpoint_id",
    "did_group": "did_group_id",
    "first_seen": "first_seen_at",
    "changed": "locally_changed_at",
}
_NULLABLE_INT_SORTS = {"endpoint_id", "did_group_id"}

_NUMBER_LIKE = re.compile(r"[\d\s().+-]+")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class DIDFilters:
    """What the list page filters on. Empty values mean "any"."""

    q: str = ""  # digits anywhere in the number, or text in the reference / CNAM name
    state: str = ""
    rate_center: str = ""
    endpoint_id: int | None = None
    # A client's endpoint groups (the client filter): its numbers are the ones routed there.
    endpoint_ids: tuple[int, ...] | None = None
    # A reference (VI's refId), matched whole, case aside.
    ref_id: str = ""
    did_group_id: int | None = None
    tier: str = ""
    features: frozenset[str] = field(default_factory=frozenset)
    # Numbers picked elsewhere ("release these"), matched exactly.
    tns: frozenset[str] | None = None
    # Restrictions from other apps' selectors, each a lazy queryset of TNs (messaging's
    # "SMS enabled"): applied as subqueries, never materialised — at 100,000 numbers such a
    # set would be a 75,000-element IN list.
    tn_querysets: tuple[QuerySet, ...] = ()
    include_gone: bool = False
    only_gone: bool = False


@dataclass(frozen=True)
class DIDPage:
    rows: list[DID]
    next_cursor: str | None
    previous_cursor: str | None  # the cursor that produced this page ("" for the first)
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


def did_queryset(*, filters: DIDFilters) -> QuerySet[DID]:
    """The DIDs matching `filters`, unsorted; the base of the list, the CSV and bulk actions."""
    rows = DID.objects.all()
    if filters.only_gone:
        rows = rows.filter(gone_at__isnull=False)
    elif not filters.include_gone:
        rows = rows.filter(gone_at__isnull=True)
    text = (filters.q or "").strip()
    if text:
        rows = rows.filter(_search_condition(text))
    if filters.state:
        rows = rows.filter(state=filters.state.upper())
    if filters.rate_center:
        rows = rows.filter(rate_center__iexact=filters.rate_center)
    if filters.endpoint_id is not None:
        rows = rows.filter(endpoint_id=filters.endpoint_id)
    if filters.endpoint_ids is not None:
        rows = rows.filter(endpoint_id__in=list(filters.endpoint_ids))
    if filters.ref_id:
        rows = rows.filter(ref_id__iexact=filters.ref_id)
    if filters.did_group_id is not None:
        rows = rows.filter(did_group_id=filters.did_group_id or None)
    if filters.tier:
        rows = rows.filter(tier=filters.tier)
    for name in filters.features:
        if name in FEATURES:
            rows = rows.filter(FEATURES[name])
    if filters.tns is not None:
        rows = rows.filter(tn__in=list(filters.tns))
    for tns in filters.tn_querysets:
        rows = rows.filter(tn__in=tns)
    return rows


def _search_condition(text: str) -> Q:
    """What the search box matches: a number's digits, or text in the reference / CNAM name.

    A (possibly formatted) number searches only the number column, for its digits anywhere
    ("+1 435…" -> "435…"). OR-ing the reference and name in as well made PostgreSQL combine
    three trigram indexes or read the whole table: at 100,000 numbers a digits search took
    75 ms, against 25 ms for the unfiltered list (docs/benchmarks.md).
    """
    digits = digits_only(text)
    if digits and _NUMBER_LIKE.fullmatch(text):
        return Q(tn__contains=digits[-10:])
    return Q(ref_id__icontains=text) | Q(cnam_name__icontains=text)


def _encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    return values if isinstance(values, list) and len(values) == 2 else None


def _cursor_position(cursor: str, key: str) -> tuple[Any, str] | None:
    """The (sort value, tn) a cursor points after, typed for the sort column; None (the first
    page) for a cursor that is not one of ours: a crafted one must not reach the query with
    the wrong types and fail the page (issue 12)."""
    from django.utils.dateparse import parse_datetime

    position = _decode_cursor(cursor)
    if position is None or not isinstance(position[1], str) or isinstance(position[0], bool):
        return None
    value, tn = position
    try:
        if key in _NULLABLE_INT_SORTS:
            return (value, tn) if isinstance(value, int) and -(2**31) <= value < 2**31 else None
        if key.endswith("_at"):
            value = parse_datetime(value) if isinstance(value, str) else None
            return (value, tn) if value is not None else None
    except ValueError:  # well-formed but impossible, like 2026-02-31
        return None
    return (value, tn) if isinstance(value, str) else None


def _sorted(rows: QuerySet[DID], sort: str) -> tuple[QuerySet[DID], str, bool]:
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), "tn")
    if key in _NULLABLE_INT_SORTS:
        rows = rows.annotate(sort_key=Coalesce(F(key), Value(0)))
    elif key in {"locally_changed_at"}:
        rows = rows.annotate(sort_key=Coalesce(F(key), F("first_seen_at")))
    else:
        rows = rows.annotate(sort_key=F(key))
    order = ("-sort_key", "-tn") if descending else ("sort_key", "tn")
    return rows.order_by(*order), key, descending


def did_list(
    *, filters: DIDFilters, sort: str = "tn", cursor: str = "", page_size: int = DEFAULT_PAGE_SIZE
) -> DIDPage:
    """One page of the list, after `cursor` (from the previous page's `next_cursor`).

    One query: the page plus one row to know whether there is a next page.
    """
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    rows, key, descending = _sorted(did_queryset(filters=filters), sort)
    position = _cursor_position(cursor, key) if cursor else None
    if position is not None:
        value, tn = position
        if descending:
            rows = rows.filter(Q(sort_key__lt=value) | Q(sort_key=value, tn__lt=tn))
        else:
            rows = rows.filter(Q(sort_key__gt=value) | Q(sort_key=value, tn__gt=tn))
    fetched = list(rows[: page_size + 1])
    next_cursor = None
    if len(fetched) > page_size:
        fetched = fetched[:page_size]
        last: Any = fetched[-1]  # annotated with `sort_key` by _sorted
        next_cursor = _encode_cursor([last.sort_key, last.tn])
    return DIDPage(
        rows=fetched, next_cursor=next_cursor, previous_cursor=cursor, page_size=page_size
    )


def did_count(*, filters: DIDFilters, limit: int = 10_000) -> tuple[int, bool]:
    """How many numbers match, counted up to `limit` (returns (count, more_than_limit)).

    Bounded so a broad filter over 100,000 rows costs a capped scan, not a full COUNT(*).
    Unordered: ordering by tn (the model's default) made PostgreSQL find and sort every
    match before the cap could stop it.
    """
    counted = did_queryset(filters=filters).order_by().values("pk")[: limit + 1].count()
    return min(counted, limit), counted > limit


CSV_HEADER = [
    "number", "state", "rate center", "tier", "endpoint group", "DID group", "reference",
    "caller ID name", "inbound CNAM", "forward", "failover", "fax to email", "conference line",
    "911", "T.38", "network", "first seen", "gone at",
]  # fmt: skip


def did_csv_rows(
    *, filters: DIDFilters, sort: str = "tn", chunk_size: int = 2000
) -> Iterator[list[str]]:
    """The header then one list of strings per matching number, streamed in chunks."""
    yield CSV_HEADER
    rows, _, _ = _sorted(did_queryset(filters=filters), sort)
    for row in rows.iterator(chunk_size=chunk_size):
        yield [
            row.tn,
            row.state,
            row.rate_center,
            row.tier,
            "" if row.endpoint_id is None else str(row.endpoint_id),
            "" if row.did_group_id is None else str(row.did_group_id),
            row.ref_id,
            row.cnam_name,
            "yes" if row.cnam else "no",
            row.forward,
            row.failover,
            row.fax_to_email,
            "yes" if row.conference_line else "no",
            "yes" if row.has911 else "no",
            "yes" if row.t38 else "no",
            row.network,
            row.first_seen_at.isoformat() if row.first_seen_at else "",
            row.gone_at.isoformat() if row.gone_at else "",
        ]


@dataclass(frozen=True)
class FilterChoices:
    states: list[str]
    rate_centers: list[str]
    tiers: list[str]
    endpoint_groups: list[EndpointGroup]
    did_groups: list[DIDGroup]


def did_filter_choices(*, state: str = "") -> FilterChoices:
    """The values the list's filter menus offer (rate centers narrowed by state if given)."""
    menus = _active_distinct_values(state=state.upper())
    return FilterChoices(
        states=menus["state"],
        rate_centers=menus["rate_center"],
        tiers=menus["tier"],
        endpoint_groups=list(EndpointGroup.objects.filter(gone_at__isnull=True).order_by("vi_id")),
        did_groups=list(DIDGroup.objects.filter(gone_at__isnull=True).order_by("vi_id")),
    )


def _loose_scan(name: str, column: str, *, skip_empty: bool = True) -> str:
    """A recursive CTE listing `column`'s distinct values among active numbers, in order.

    Each step asks the (column, tn) index for the next value after the previous one, so
    the cost grows with the number of distinct values (tens), not of rows: SELECT DISTINCT
    over 100,000 numbers read the whole table three times per page view (docs/benchmarks.md).
    """
    table = DID._meta.db_table
    first = f" AND {column} > ''" if skip_empty else ""
    return (
        f"{name}(value) AS ("
        f" SELECT MIN({column}) FROM {table} WHERE gone_at IS NULL{first}"
        f" UNION ALL"
        f" SELECT (SELECT MIN({column}) FROM {table} WHERE gone_at IS NULL AND {column} > {name}.value)"
        f" FROM {name} WHERE {name}.value IS NOT NULL)"
    )


def _active_distinct_values(*, state: str) -> dict[str, list[str]]:
    """States, rate centers (of `state` if given) and tiers in use, in one statement."""
    from django.db import connection

    table = DID._meta.db_table
    scans = [_loose_scan("states", "state", skip_empty=False), _loose_scan("tiers", "tier")]
    if state:
        # Within one state a plain DISTINCT is cheap (the state index narrows it first),
        # and a loose scan on rate_center would wade through every other state's rows.
        rate_centers = f"SELECT DISTINCT 2, rate_center FROM {table} WHERE gone_at IS NULL AND state = %s AND rate_center > ''"
        params: list[str] = [state]
    else:
        scans.append(_loose_scan("rate_centers", "rate_center"))
        rate_centers = "SELECT 2, value FROM rate_centers WHERE value IS NOT NULL"
        params = []
    sql = (
        f"WITH RECURSIVE {', '.join(scans)} "
        "SELECT 1, value FROM states WHERE value IS NOT NULL "
        f"UNION ALL {rate_centers} "
        "UNION ALL SELECT 3, value FROM tiers WHERE value IS NOT NULL "
        "ORDER BY 1, 2"
    )
    menus: dict[str, list[str]] = {"state": [], "rate_center": [], "tier": []}
    names = {1: "state", 2: "rate_center", 3: "tier"}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for menu, value in cursor.fetchall():
            menus[names[menu]].append(value)
    return menus


def did_get(*, tn: str) -> DID | None:
    return DID.objects.filter(tn=tn).select_related("last_changed_by").first()


def did_last_seen_at(*, did: DID) -> datetime.datetime | None:
    """When VI last listed the number: the start of the last successful numbers sync (for a
    gone number, the last one before it went)."""
    runs = SyncRun.objects.filter(
        kind="dids", status=SyncRun.Status.SUCCEEDED, finished_at__gte=did.first_seen_at
    )
    if did.gone_at is not None:
        runs = runs.filter(started_at__lt=did.gone_at)
    return runs.order_by("-started_at").values_list("started_at", flat=True).first()


def did_history(*, tn: str, limit: int = 100) -> list[ChangeRecord]:
    """A number's history, newest first (uses ChangeRecord's (model, object_key, -at) index).

    A number the first numbers sync brought has no "created" entry of its own: that sync
    wrote one for all of them; the number's history shows it as "First seen in …".
    """
    records = list(
        ChangeRecord.objects.filter(model="dids.did", object_key=tn).select_related(
            "actor", "sync_run"
        )[:limit]
    )
    first_seen_at = Subquery(DID.objects.filter(tn=tn).values("first_seen_at")[:1])
    return with_first_load_entry(
        records, model="dids.did", key=tn, first_seen_at=first_seen_at, limit=limit
    )


def endpoint_group_names() -> dict[int, str]:
    """VI endpoint group id -> name, for showing names next to the ids on DID rows."""
    return dict(EndpointGroup.objects.values_list("vi_id", "name"))


def did_group_names() -> dict[int, str]:
    return dict(DIDGroup.objects.values_list("vi_id", "name"))


def prepaid_balance_latest() -> PrepaidBalanceReading | None:
    return PrepaidBalanceReading.objects.order_by("-read_at", "-id").first()


def prepaid_balance_history(*, limit: int = 200) -> list[PrepaidBalanceReading]:
    return list(PrepaidBalanceReading.objects.order_by("-read_at", "-id")[:limit])


# --- added by numbers-web for the endpoint-group, account and detail pages -------------------
# (small reads the pages needed before the owner published them; the owner may move or rename
# them — the views in dids/views/ are the only callers)


def endpoint_group_list() -> list[EndpointGroup]:
    """Endpoint groups on the account (not gone), by VI id: for pickers and the groups page."""
    return list(EndpointGroup.objects.filter(gone_at__isnull=True).order_by("vi_id"))


def endpoint_group_get(*, vi_id: int) -> EndpointGroup | None:
    return EndpointGroup.objects.filter(vi_id=vi_id).first()


def endpoint_group_did_counts() -> dict[int, int]:
    """How many numbers on the account route to each endpoint group (one grouped query)."""
    from django.db.models import Count

    rows = (
        DID.objects.filter(gone_at__isnull=True, endpoint_id__isnull=False)
        .values("endpoint_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {row["endpoint_id"]: row["total"] for row in rows if row["endpoint_id"] is not None}


def did_provider_calls(*, tn: str, limit: int = 25) -> list:
    """The provider calls whose (redacted) parameters name this number, newest first."""
    from portal.models import ProviderCall

    return list(
        ProviderCall.objects.filter(parameters__icontains=tn).select_related("actor")[:limit]
    )


def intl_did_list() -> list:
    from .models import IntlDID

    return list(IntlDID.objects.order_by("gone_at", "tn"))


def client_list() -> list:
    from .models import Client

    return list(Client.objects.filter(gone_at__isnull=True).order_by("name", "vi_id"))


# --- clients: which client holds which numbers -------------------------------------------------
# A client holds the numbers routed to its endpoint groups (AuditClients lists the groups per
# client). Clients are few (tens, hundreds), so the group -> client map is built in Python;
# the numbers are then one indexed `endpoint_id IN (...)` query.


def clients_by_endpoint_group(*, clients: list[Client] | None = None) -> dict[int, Client]:
    """Endpoint group id -> the (current) client that owns it (from `clients` if given)."""
    owners: dict[int, Client] = {}
    current = (
        clients
        if clients is not None
        else Client.objects.filter(gone_at__isnull=True).order_by("vi_id")
    )
    for client in sorted(current, key=lambda c: c.vi_id):
        for group_id in client.endpoint_group_ids or ():
            if isinstance(group_id, int):
                owners.setdefault(group_id, client)
    return owners


def client_numbers(*, client, include_gone: bool = False):
    """The client's numbers: the DIDs routed to its endpoint groups."""
    from .models import DID

    group_ids = [
        group_id for group_id in client.endpoint_group_ids or () if isinstance(group_id, int)
    ]
    numbers = DID.objects.filter(endpoint_id__in=group_ids)
    return numbers if include_gone else numbers.filter(gone_at__isnull=True)


def client_move_targets(
    *, owners: dict[int, Client] | None = None, names: dict[int, str] | None = None
) -> list[tuple[int, str]]:
    """Each client's endpoint groups, labelled client first: where numbers can be moved to."""
    if names is None:
        names = dict(
            EndpointGroup.objects.filter(gone_at__isnull=True).values_list("vi_id", "name")
        )
    owners = clients_by_endpoint_group() if owners is None else owners
    targets = [
        (group_id, f"{client} — {names.get(group_id) or 'endpoint group'} ({group_id})")
        for group_id, client in owners.items()
    ]
    return sorted(targets, key=lambda item: item[1].lower())


def client_endpoint_ids(*, vi_id: str) -> tuple[int, ...]:
    """The endpoint groups of the client with this VI id; none for an unknown client."""
    client = Client.objects.filter(vi_id=vi_id).first()
    return tuple(
        group_id
        for group_id in (client.endpoint_group_ids if client else ())
        if isinstance(group_id, int)
    )


def client_of_number(*, did) -> Client | None:
    if did.endpoint_id is None:
        return None
    return clients_by_endpoint_group().get(did.endpoint_id)


# --- the number page: names instead of ids, a status derived from the row, how it went ---------


def endpoint_group_label(vi_id: int | None, names: dict[int, str] | None = None) -> str:
    """ "Trunk 2 (8675)": the name a person knows, VI's id after it; "—" for none."""
    if vi_id is None or vi_id == 0:
        return "—"
    name = (names if names is not None else endpoint_group_names()).get(vi_id, "")
    return f"{name} ({vi_id})" if name else f"Endpoint group {vi_id} (not synced yet)"


def did_group_label(vi_id: int | None, names: dict[int, str] | None = None) -> str:
    if vi_id is None:
        return "—"
    name = (names if names is not None else did_group_names()).get(vi_id, "")
    return f"{name} ({vi_id})" if name else f"DID group {vi_id} (not synced yet)"


def did_group_list() -> list[DIDGroup]:
    """The account's DID groups by name, for the number page's picker."""
    return list(DIDGroup.objects.filter(gone_at__isnull=True).order_by("name", "vi_id"))


def did_group_find(*, name: str) -> DIDGroup | None:
    """An existing group of this name (any case), so typing a known name never makes a twin."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        return None
    return (
        DIDGroup.objects.filter(gone_at__isnull=True, name__iexact=cleaned)
        .order_by("vi_id")
        .first()
    )


@dataclass(frozen=True)
class Departure:
    """When and how a number left the account, from its history."""

    at: datetime.datetime
    how: str  # "released by ada in the portal", "no longer in VI's list at a sync", ...


@dataclass(frozen=True)
class DIDSummary:
    """What the number page's status rows say, derived from the row as it is now.

    VI's own `status` text is a sentence frozen at the last sync ("Number currently
    assigned to you … to endpoint '8674'"): after a change in the portal it names the old
    endpoint group, and after a release it still says "assigned to you". So the page
    never shows it; it says what the current fields mean.
    """

    status: str
    endpoint_group: str
    endpoint_group_name: str
    did_group: str
    departure: Departure | None


def did_departure(*, did: DID) -> Departure | None:
    if did.gone_at is None:
        return None
    record = (
        ChangeRecord.objects.filter(
            model="dids.did", object_key=did.tn, action=ChangeRecord.Action.GONE
        )
        .select_related("actor")
        .first()
    )
    if record is None:
        return Departure(at=did.gone_at, how="no record of who released it")
    who = record.actor.get_username() if record.actor else ""
    if record.source == "sync":
        how = "VI no longer listed it on the account at a sync (released or moved at VI, outside the portal)"
    elif record.source == "admin":
        how = f"released by {who or 'someone'} in the admin site"
    elif record.note.startswith("Refreshed"):
        how = f"VI no longer had it on the account when {who or 'someone'} refreshed it from VI"
    else:
        how = f"released by {who or 'someone'} in the portal"
    return Departure(at=record.at, how=how)


def did_summary(*, did: DID) -> DIDSummary:
    groups = endpoint_group_names()
    endpoint = endpoint_group_label(did.endpoint_id, groups)
    if did.gone_at is not None:
        status = "Not on the account any more"
    elif did.script_id:
        status = f"On the account — calls run the programmable-telco script {did.script_id}"
    elif did.forward:
        from .templatetags.dids_extras import tn_format

        status = f"On the account — calls forward to {tn_format(did.forward)}"
    elif not did.endpoint_id:
        status = "On the account — routed nowhere yet (no endpoint group)"
    else:
        status = f"On the account — calls go to {endpoint}"
    return DIDSummary(
        status=status,
        endpoint_group=endpoint,
        endpoint_group_name=groups.get(did.endpoint_id, "") if did.endpoint_id else "",
        did_group=did_group_label(did.did_group_id),
        departure=did_departure(did=did),
    )


# History shows a person's words for each field, and group names for group ids.
_HISTORY_LABELS = {"gone_at": "left the account", "status_code": "VI status code"}
# VI's status sentence restates the other fields as they were at a sync ("currently assigned
# to you … to endpoint '8674'"); shown in history it reads as current on a gone number.
_HISTORY_HIDDEN = {"status", "content_hash"}


@dataclass(frozen=True)
class HistoryRow:
    record: ChangeRecord
    changes: list[tuple[str, Any, Any]]
    # The first sync's entry shown for a number it brought (unsaved, no values of its own).
    first_load: bool = False


def did_history_rows(*, tn: str, limit: int = 100) -> list[HistoryRow]:
    records = did_history(tn=tn, limit=limit)
    groups, did_groups = endpoint_group_names(), did_group_names()

    def shown(name: str, value: Any) -> Any:
        if value is None or value == "" or value == []:
            return None
        if name.endswith("_at") or name == "expire_date":
            from django.utils import timezone
            from django.utils.dateparse import parse_datetime

            moment = parse_datetime(str(value))
            if moment is not None:
                moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
                return moment.strftime("%Y-%m-%d %H:%M")
        if name == "endpoint_id":
            return endpoint_group_label(value, groups)
        if name == "did_group_id":
            return did_group_label(value, did_groups)
        if isinstance(value, bool):
            return "on" if value else "off"
        return value

    rows = []
    for record in records:
        changes = [
            (change.label, change.before, change.after)
            for change in shown_changes(
                "dids.did", record.changes, show=shown, labels=_HISTORY_LABELS
            )
            if change.name not in _HISTORY_HIDDEN
        ]
        rows.append(HistoryRow(record=record, changes=changes, first_load=record.pk is None))
    return rows
