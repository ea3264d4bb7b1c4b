"""Reads for the compliance pages: the facts every rule needs, gathered in a handful of
set-based queries over the mirrors (never one query per number), then judged in Python.

Owned numbers are the active rows of the numbers mirror. A number's client is the client
owning its endpoint group (as on the Customers pages).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db.models import Count
from django.db.models.functions import Upper

from dids.models import DID
from dids.numbers import digits_only
from dids.selectors import clients_by_endpoint_group
from e911.models import AlertRecipient, Location
from messaging.models import Campaign, SMSNumber
from portal.csv_export import csv_line

from .checks import (
    CHECKS,
    CHECKS_BY_KEY,
    Check,
    NumberFacts,
    Settings,
    Verdict,
    evaluate,
    readiness,
)
from .models import Revalidation, Snapshot


def rule_settings() -> Settings:
    return Settings(
        shared_address_numbers=int(
            getattr(django_settings, "COMPLIANCE_SHARED_ADDRESS_NUMBERS", 10)
        )
    )


def address_key(address1: str, city: str, state: str, zip_code: str) -> str:
    """One street address, however it was typed (case, spacing, ZIP+4)."""
    return "|".join(
        " ".join((part or "").upper().split())
        for part in (address1, city, state, (zip_code or "")[:5])
    )


# Owned-ness is checked in Python against the numbers already read: "tn IN (SELECT tn FROM
# dids_did ...)" took 0.9 s on 3,000 numbers right after a sync (a nested loop on fresh
# statistics), reading every active location and dropping the few off-net ones takes 10 ms.
def _location_rows(*, tns: set[str] | None):
    rows = Location.objects.filter(gone_at__isnull=True)
    if tns is not None:
        rows = rows.filter(tn__in=tns)
    return rows.values_list(
        "tn",
        "address1",
        "address2",
        "city",
        "state",
        "zip_code",
        "status_code",
        "caller_name",
        "alerts_fetched_at",
    )


def _address_sharing(
    *, keys: set[str], all_rows: list | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Street address key -> how many owned numbers, and how many clients' numbers, use it.

    Counted over the whole account, even when only a few numbers are judged (a number page):
    then only the locations on the same street lines are read.
    """
    if all_rows is None:
        streets = {key.split("|", 1)[0] for key in keys}
        rows = (
            Location.objects.filter(gone_at__isnull=True)
            .annotate(street=Upper("address1"))
            .filter(street__in=streets)
        )
        all_rows = list(
            rows.values_list(
                "tn",
                "address1",
                "address2",
                "city",
                "state",
                "zip_code",
                "status_code",
                "caller_name",
                "alerts_fetched_at",
            )
        )
        owned = set(
            DID.objects.filter(
                gone_at__isnull=True, tn__in=[row[0] for row in all_rows]
            ).values_list("tn", flat=True)
        )
        all_rows = [row for row in all_rows if row[0] in owned]
    members: dict[str, set[str]] = defaultdict(set)
    for tn, a1, _a2, city, state, zip_code, _status, _caller, _read in all_rows:
        key = address_key(a1, city, state, zip_code)
        if key in keys:
            members[key].add(tn)
    owners = clients_by_endpoint_group()
    sharing_tns = {tn for group in members.values() for tn in group}
    client_of = (
        {
            tn: owners[eid].vi_id
            for tn, eid in DID.objects.filter(gone_at__isnull=True, tn__in=sharing_tns).values_list(
                "tn", "endpoint_id"
            )
            if eid in owners
        }
        if len(sharing_tns) < 5000
        else _all_clients(owners)
    )
    numbers = {key: len(group) for key, group in members.items()}
    clients = {
        key: len({client_of[tn] for tn in group if tn in client_of})
        for key, group in members.items()
    }
    return numbers, clients


def _all_clients(owners) -> dict[str, str]:
    return {
        tn: owners[eid].vi_id
        for tn, eid in DID.objects.filter(
            gone_at__isnull=True, endpoint_id__in=list(owners)
        ).values_list("tn", "endpoint_id")
    }


def _facts(*, tns: Iterable[str] | None = None) -> list[NumberFacts]:
    wanted = None if tns is None else set(tns)
    dids = DID.objects.filter(gone_at__isnull=True)
    if wanted is not None:
        dids = dids.filter(tn__in=wanted)
    owners = clients_by_endpoint_group()
    numbers = list(dids.order_by("tn").values_list("tn", "cnam_name", "endpoint_id"))

    owned = {tn for tn, _, _ in numbers}
    all_rows = (
        [row for row in _location_rows(tns=None) if row[0] in owned] if wanted is None else None
    )
    location_rows = {}
    for tn, a1, a2, city, state, zip_code, status, caller, read in (
        all_rows if all_rows is not None else _location_rows(tns=owned)
    ):
        location_rows[tn] = (
            address_key(a1, city, state, zip_code),
            a1,
            a2,
            status,
            caller,
            read is not None,
        )
    share_numbers, share_clients = _address_sharing(
        keys={row[0] for row in location_rows.values()}, all_rows=all_rows
    )

    def only_wanted(queryset):
        return queryset if wanted is None else queryset.filter(tn__in=wanted)

    alerts = Counter(
        dict(
            only_wanted(AlertRecipient.objects.all())
            .values("tn")
            .annotate(n=Count("id"))
            .values_list("tn", "n")
        )
    )
    revalidated = dict(only_wanted(Revalidation.objects.all()).values_list("tn", "valid"))
    sms = dict(
        only_wanted(SMSNumber.objects.filter(gone_at__isnull=True, enabled=True)).values_list(
            "tn", "campaign_id"
        )
    )
    campaigns = {
        cid: (status, gone is not None)
        for cid, status, gone in Campaign.objects.filter(
            campaign_id__in=set(sms.values())
        ).values_list("campaign_id", "status", "gone_at")
    }

    facts = []
    for tn, cnam_name, endpoint_id in numbers:
        location = location_rows.get(tn)
        key = location[0] if location else ""
        campaign_id = sms.get(tn, "")
        campaign_status, campaign_gone = campaigns.get(campaign_id, ("", False))
        owner = owners.get(endpoint_id) if endpoint_id is not None else None
        facts.append(NumberFacts(
            tn=tn, client=owner.vi_id if owner else "", cnam_name=cnam_name or "",
            has_location=location is not None,
            location_status=location[3] if location else "", caller_name=location[4] if location else "",
            address1=location[1] if location else "", address2=location[2] if location else "",
            alert_count=alerts[tn], alerts_read=bool(location and location[5]),
            address_numbers=share_numbers.get(key, 0), address_clients=share_clients.get(key, 0),
            revalidated_valid=revalidated.get(tn),
            sms_enabled=tn in sms, campaign_id=campaign_id,
            campaign_status=campaign_status or "", campaign_gone=campaign_gone,
        ))  # fmt: skip
    return facts


def verdicts(*, tns: Iterable[str] | None = None) -> list[Verdict]:
    settings = rule_settings()
    return [evaluate(facts, settings) for facts in _facts(tns=tns)]


def verdict_for_tn(*, tn: str) -> Verdict | None:
    found = verdicts(tns=[tn])
    return found[0] if found else None


@dataclass(frozen=True)
class CheckSummary:
    check: Check
    applicable: int
    failing: int

    @property
    def passing(self) -> int:
        return self.applicable - self.failing


@dataclass(frozen=True)
class Overview:
    numbers: int
    score: float | None
    checks: list[CheckSummary]
    clients: dict[str, float | None]

    @property
    def failing_checks(self) -> list[CheckSummary]:
        return [summary for summary in self.checks if summary.failing]


def overview(*, judged: list[Verdict] | None = None) -> Overview:
    judged = verdicts() if judged is None else judged
    applicable: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    per_client_passed: Counter[str] = Counter()
    per_client_applicable: Counter[str] = Counter()
    for verdict in judged:
        for key in verdict.passed:
            applicable[key] += 1
        for key in verdict.failed:
            applicable[key] += 1
            failing[key] += 1
        if verdict.facts.client:
            per_client_passed[verdict.facts.client] += len(verdict.passed)
            per_client_applicable[verdict.facts.client] += verdict.applicable
    total_applicable = sum(applicable.values())
    total_passed = total_applicable - sum(failing.values())
    return Overview(
        numbers=len(judged),
        score=readiness(total_passed, total_applicable),
        checks=[
            CheckSummary(check=c, applicable=applicable[c.key], failing=failing[c.key])
            for c in CHECKS
        ],
        clients={
            vi_id: readiness(per_client_passed[vi_id], per_client_applicable[vi_id])
            for vi_id in sorted(per_client_applicable)
        },
    )


def failing_for_check(
    *, key: str, q: str = "", judged: list[Verdict] | None = None
) -> list[Verdict]:
    """The numbers failing the check `key` (a KeyError for an unknown key), narrowed by TN digits."""
    CHECKS_BY_KEY[key]
    digits = digits_only(q)
    judged = verdicts() if judged is None else judged
    return [v for v in judged if key in v.failed and (not digits or digits in v.facts.tn)]


def client_verdicts(*, client) -> list[Verdict]:
    group_ids = [gid for gid in client.endpoint_group_ids or () if isinstance(gid, int)]
    tns = DID.objects.filter(gone_at__isnull=True, endpoint_id__in=group_ids).values_list(
        "tn", flat=True
    )
    return verdicts(tns=list(tns))


def snapshots(*, days: int = 90) -> list[Snapshot]:
    return list(reversed(Snapshot.objects.all()[:days]))


def client_names() -> dict[str, str]:
    from dids.models import Client

    return {
        vi_id: name or vi_id
        for vi_id, name in Client.objects.filter(gone_at__isnull=True).values_list("vi_id", "name")
    }


CSV_HEADER = [
    "tn",
    "address1",
    "address2",
    "city",
    "state",
    "zip",
    "caller_name",
    "client",
    "problem",
]


def check_csv(*, key: str, q: str = "") -> Iterator[str]:
    """The numbers failing `key`, as a file the 911 bulk upload reads back: each row carries
    the number's current 911 address (caller name defaulting to its CNAM), so staff add the
    suite or correct the street and upload it to validate and provision many at once."""
    failing = failing_for_check(key=key, q=q)
    check = CHECKS_BY_KEY[key]
    names = client_names()
    locations = {
        row.tn: row
        for row in Location.objects.filter(
            gone_at__isnull=True, tn__in=[v.facts.tn for v in failing]
        )
    }
    yield csv_line(CSV_HEADER)
    for verdict in failing:
        facts, location = verdict.facts, locations.get(verdict.facts.tn)
        yield csv_line([
            facts.tn, location.address1 if location else "", location.address2 if location else "",
            location.city if location else "", location.state if location else "",
            location.zip_code if location else "", (location.caller_name if location else "") or facts.cnam_name,
            names.get(facts.client, ""), check.title,
        ])  # fmt: skip


@dataclass(frozen=True)
class CampaignLint:
    campaign: Campaign
    brand_name: str
    failures: list


def campaigns_failing_lint() -> list[CampaignLint]:
    """Our own campaigns (not external, not deleted or expired) that TCR's reviewers would
    refuse or that carriers may suspend, by the same check the campaign form applies."""
    from messaging.lint import lint_campaign_row
    from messaging.models import Brand

    brands = dict(Brand.objects.values_list("customer_id", "display_name"))
    found = []
    live = Campaign.objects.filter(gone_at__isnull=True, external=False).exclude(
        status__in=["DELETED", "EXPIRED"]
    )
    for campaign in live.order_by("display_name", "campaign_id"):
        name = brands.get(campaign.customer_id, "")
        failures = lint_campaign_row(campaign, brand_name=name)
        if failures:
            found.append(CampaignLint(campaign=campaign, brand_name=name, failures=failures))
    return found
