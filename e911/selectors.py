"""Reads for the 911 pages, the dashboard panel, the number page and the release page.

"Owned" means an active row of the numbers mirror (`dids.DID`, not gone). The compliance
lists are what a person must fix: owned numbers with no 911 location, with one that is not
provisioned (parked GEOCODED, or INVALID), or whose 911 caller name differs from the
number's outbound caller-ID name (CNAM).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Trim, Upper

from dids.models import DID
from dids.numbers import digits_only
from portal.csv_export import csv_line

from .models import PROVISIONED, AlertRecipient, BulkJob, Location, ProvisioningEntry

PROBLEMS = {
    "missing": "No 911 location",
    "unprovisioned": "911 location not provisioned or invalid",
    "caller_name": "911 caller name differs from the CNAM",
}


def _owned() -> QuerySet[DID]:
    return DID.objects.filter(gone_at__isnull=True)


def _active_locations() -> QuerySet[Location]:
    return Location.objects.filter(gone_at__isnull=True)


# --- one number ----------------------------------------------------------------------------


def location_for_tn(*, tn: str) -> Location | None:
    """The number's current 911 location in the mirror, or None."""
    return _active_locations().filter(tn=tn).first()


def locations_for_tns(*, tns: Iterable[str]) -> dict[str, Location]:
    return {row.tn: row for row in _active_locations().filter(tn__in=list(tns))}


def attachments_for_tn(*, tn: str) -> list[str]:
    """What the release page lists for the number: its 911 location, in words."""
    location = location_for_tn(tn=tn)
    if location is None:
        return []
    items = [f"911 location ({location.status_code or 'unknown status'}): {location.one_line}"]
    alerts = AlertRecipient.objects.filter(tn=tn).count()
    if alerts:
        items.append(f"{alerts} 911 alert recipient{'s' if alerts != 1 else ''}")
    return items


def alert_recipients(*, tn: str) -> list[AlertRecipient]:
    return list(AlertRecipient.objects.filter(tn=tn))


def provisioning_history(*, tn: str) -> list[ProvisioningEntry]:
    return list(ProvisioningEntry.objects.filter(tn=tn).order_by("-updated_at", "-location_id"))


def caller_name_for(*, tn: str) -> str:
    """The number's outbound CNAM, the natural caller name for its 911 record."""
    return _owned().filter(tn=tn).values_list("cnam_name", flat=True).first() or ""


# --- compliance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceCounts:
    owned: int
    missing: int
    unprovisioned: int
    caller_name: int

    @property
    def problems(self) -> int:
        return self.missing + self.unprovisioned + self.caller_name


@dataclass(frozen=True)
class ComplianceRow:
    tn: str
    problem: str
    location: Location | None
    cnam_name: str


def _missing() -> QuerySet[DID]:
    return _owned().exclude(tn__in=_active_locations().values("tn"))


def _unprovisioned() -> QuerySet[Location]:
    return _active_locations().filter(tn__in=_owned().values("tn")).exclude(status_code=PROVISIONED)


def _caller_name_mismatch() -> QuerySet[Location]:
    cnam = Subquery(_owned().filter(tn=OuterRef("tn")).values("cnam_name")[:1])
    return (
        _active_locations()
        .annotate(cnam=Coalesce(cnam, Value("")))
        .exclude(cnam="")
        .annotate(caller_name_canon=Upper(Trim("caller_name")), cnam_canon=Upper(Trim("cnam")))
        .filter(~Q(caller_name_canon=F("cnam_canon")))
    )


def unprovisioned_location_tns() -> list[str]:
    """Owned numbers whose 911 location is parked or invalid (not provisioned).

    For the numbers list's 911 filter. A list is fine here: these are the records someone
    must fix, a handful even on a 100,000-number account (unlike "no location", which is
    the numbers mirror's own has911=False and needs no list).
    """
    return list(_unprovisioned().values_list("tn", flat=True))


def compliance_counts() -> ComplianceCounts:
    return ComplianceCounts(
        owned=_owned().count(),
        missing=_missing().count(),
        unprovisioned=_unprovisioned().count(),
        caller_name=_caller_name_mismatch().count(),
    )


def compliance_rows(*, problem: str, q: str = "") -> list[ComplianceRow]:
    """The numbers with `problem` (a key of PROBLEMS), optionally narrowed by digits in the TN."""
    digits = digits_only(q)
    if problem == "missing":
        dids = _missing().order_by("tn")
        if digits:
            dids = dids.filter(tn__contains=digits)
        return [
            ComplianceRow(tn=tn, problem=problem, location=None, cnam_name=name)
            for tn, name in dids.values_list("tn", "cnam_name")
        ]
    if problem == "unprovisioned":
        locations = _unprovisioned()
    elif problem == "caller_name":
        locations = _caller_name_mismatch()
    else:
        raise ValueError(f"unknown compliance problem {problem!r}")
    if digits:
        locations = locations.filter(tn__contains=digits)
    names = dict(_owned().filter(tn__in=locations.values("tn")).values_list("tn", "cnam_name"))
    return [
        ComplianceRow(tn=row.tn, problem=problem, location=row, cnam_name=names.get(row.tn, ""))
        for row in locations.order_by("tn")
    ]


CSV_HEADER = [
    "tn",
    "problem",
    "location_id",
    "status",
    "caller_name",
    "cnam_name",
    "address1",
    "address2",
    "city",
    "state",
    "zip",
]


def compliance_csv(*, problem: str, q: str = "") -> Iterator[str]:
    yield _csv_line(CSV_HEADER)
    for row in compliance_rows(problem=problem, q=q):
        location = row.location
        yield _csv_line(
            [
                row.tn, PROBLEMS[row.problem], location.location_id if location else "",
                location.status_code if location else "", location.caller_name if location else "",
                row.cnam_name, location.address1 if location else "", location.address2 if location else "",
                location.city if location else "", location.state if location else "",
                location.zip_display if location else "",
            ]
        )  # fmt: skip


def _csv_line(values: list[str]) -> str:
    return csv_line(values)  # formula-safe cells (portal/csv_export.py)


# --- all records ---------------------------------------------------------------------------


STATUS_CHOICES = ["PROVISIONED", "GEOCODED", "INVALID"]


def location_search(
    *,
    q: str = "",
    status: str = "",
    city: str = "",
    off_net: bool | None = None,
    include_gone: bool = False,
) -> QuerySet[Location]:
    """Every 911 record (owned and off-net), searched by TN digits or street/city text."""
    rows = Location.objects.all() if include_gone else _active_locations()
    rows = rows.annotate(owned=Exists(_owned().filter(tn=OuterRef("tn"))))
    text = (q or "").strip()
    if text:
        digits = digits_only(text)
        condition = (
            Q(address1__icontains=text) | Q(city__icontains=text) | Q(caller_name__icontains=text)
        )
        if digits and len(digits) >= 3:
            condition |= Q(tn__contains=digits)
        rows = rows.filter(condition)
    if status:
        rows = rows.filter(status_code=status.upper())
    if city:
        rows = rows.filter(city__iexact=city.strip())
    if off_net is True:
        rows = rows.filter(owned=False)
    elif off_net is False:
        rows = rows.filter(owned=True)
    return rows.order_by("tn")


# --- bulk jobs -----------------------------------------------------------------------------


def bulk_jobs_recent(*, limit: int = 20) -> list[BulkJob]:
    return list(BulkJob.objects.select_related("created_by")[:limit])
