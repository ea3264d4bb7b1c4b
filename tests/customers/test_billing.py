"""The billing export: days owned across a month boundary, numbers bought and released within
the month, a number that left and came back; over HTTP against the sandbox."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine

from customers.billing import Month, days_owned, holding_periods
from dids import services
from dids.models import DID, Client
from dids.selectors import client_numbers
from portal.models import ChangeRecord, Source
from tests.dids.conftest import run_dids_sync

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=NEW_YORK)


NOVEMBER = Month(2026, 11)


# --- the arithmetic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_seen", "gone", "events", "expected"),
    [
        (at("2026-10-25"), None, [], 30),  # held before the month and still: every day
        (at("2026-11-10"), at("2026-11-20"), [], 11),  # bought and released within: both ends count
        (at("2026-11-10", 9), at("2026-11-10", 17), [], 1),  # bought and released the same day
        (at("2026-10-25"), at("2026-11-05"), [], 5),  # released within
        (at("2026-10-01"), at("2026-10-31", 23), [], 0),  # gone before the month
        (at("2026-12-01", 0), None, [], 0),  # arrived after the month
        (at("2026-10-25"), at("2026-11-01", 0), [], 0),  # gone at midnight: not held on the 1st
        (at("2026-11-30", 23), None, [], 1),  # the last evening of the month
        # Left on the 5th, came back on the 25th: 1..5 and 25..30.
        (at("2026-10-25"), None, [(at("2026-11-05"), "gone"), (at("2026-11-25"), "returned")], 11),
    ],
)
def test_days_owned(first_seen, gone, events, expected):
    periods = holding_periods(first_seen=first_seen, gone_at=gone, events=events)
    assert days_owned(periods, NOVEMBER) == expected


def test_a_month_boundary_in_local_time():
    # 03:00 UTC on 1 November is still 31 October in New York: October's day, not November's.
    late = datetime.datetime(2026, 11, 1, 3, tzinfo=datetime.UTC)
    assert days_owned(holding_periods(first_seen=at("2026-10-20"), gone_at=late), NOVEMBER) == 0
    assert (
        days_owned(holding_periods(first_seen=at("2026-10-20"), gone_at=late), Month(2026, 10))
        == 12
    )
    assert (
        Month(2026, 2).days == 28
        and Month(2028, 2).days == 29
        and Month(2026, 12).last_day.day == 31
    )


@pytest.mark.parametrize(
    "text",
    ["", "2026", "2026-13", "2026-00", "26-11", "2026-1", "\x00", "x" * 500, "<b>", "1999-12"],
)
def test_months_that_are_not_months_are_refused(text):
    with pytest.raises(ValueError):
        Month.parse(text)


# --- the export over HTTP -----------------------------------------------------------------------


def _rows(response) -> dict[str, dict[str, str]]:
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    return {row["number"]: row for row in lines}


@pytest.mark.django_db
def test_the_billing_export_counts_days_owned(sandbox, operator, viewer_client):
    with time_machine.travel(at("2026-10-25"), tick=True):
        assert run_dids_sync().status == "succeeded"
    main = Client.objects.get(vi_id="1")
    kept, released_early, came_back = (
        client_numbers(client=main).order_by("tn").values_list("tn", flat=True)[:3]
    )
    main_group = main.endpoint_group_ids[0]

    with time_machine.travel(at("2026-11-05"), tick=True):
        sandbox.control.other("release", tn=released_early)  # released at VI by someone else
        outcome = services.dids_release(tns=[came_back], actor=operator, source=Source.STAFF)[0]
        assert outcome.ok, outcome
        assert run_dids_sync(confirmed=True).status == "succeeded"
    with time_machine.travel(at("2026-11-10"), tick=True):
        sandbox.control.other(
            "add", tn=came_back, endpointGroup=main_group
        )  # its aging is over: back
        fresh = [
            tn
            for tn in sandbox.control.state("numbers/available")
            if tn not in (released_early, came_back)
        ]
        bought = sandbox.control.other("add", tn=fresh[0], endpointGroup=main_group)["tns"][0]
        same_day = sandbox.control.other("add", tn=fresh[1], endpointGroup=main_group)["tns"][0]
        assert run_dids_sync().status == "succeeded"
    assert ChangeRecord.objects.filter(object_key=came_back, action="returned").exists()
    with time_machine.travel(at("2026-11-10", 18), tick=True):
        services.dids_release(tns=[same_day], actor=operator, source=Source.STAFF)
    with time_machine.travel(at("2026-11-20"), tick=True):
        services.dids_release(tns=[bought], actor=operator, source=Source.STAFF)

    november = _rows(
        viewer_client.get("/customers/billing.csv", {"month": "2026-11", "client": "1"})
    )
    assert november[kept]["days owned"] == "30"
    assert november[kept]["client"] == "Main Office" and november[kept]["days in month"] == "30"
    assert november[released_early]["days owned"] == "5"
    assert november[bought]["days owned"] == "11"
    assert november[same_day]["days owned"] == "1"
    # Released on the 5th, back on the 10th: 1..5 and 10..30.
    assert november[came_back]["days owned"] == str(5 + 21)
    assert set(november) == {
        tn
        for tn in DID.objects.values_list("tn", flat=True)
        if DID.objects.get(tn=tn).endpoint_id in main.endpoint_group_ids
    }
    assert november[kept]["endpoint group usage this month"] != ""

    october = _rows(viewer_client.get("/customers/billing.csv", {"month": "2026-10"}))
    assert october[kept]["days owned"] == "7"  # 25..31
    assert bought not in october and same_day not in october
    assert {row["client"] for row in october.values()} >= {"Main Office", "Branch Customers"}

    assert _rows(viewer_client.get("/customers/billing.csv", {"month": "2026-09"})) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"month": "2026-13"},
        {"month": "\x00"},
        {"month": "2026-11", "client": "nobody"},
        {"month": "<script>"},
        {},
        {"month": ["2026-11", "x" * 5000]},
    ],
)
def test_the_billing_export_refuses_bad_input_plainly(viewer_client, query):
    response = viewer_client.get("/customers/billing.csv", query)
    assert response.status_code == 400
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_the_billing_page_is_reached_from_customers(viewer_client):
    assert "/customers/billing/" in viewer_client.get("/customers/").content.decode()
    page = viewer_client.get("/customers/billing/").content.decode()
    assert 'name="month"' in page and "/customers/billing.csv" in page
