"""Each compliance rule with a passing, a failing and a not-applicable case (no database)."""

from dataclasses import replace
from typing import Any

import pytest

from compliance.checks import (
    CHECKS,
    NumberFacts,
    Settings,
    cnam_acceptable,
    cnam_caller_name,
    cnam_problem,
    dispatchable_unit,
    evaluate,
    has_unit,
    kari_alert,
    location_valid,
    readiness,
    revalidation,
    sms_campaign,
)

S = Settings(shared_address_numbers=3)
PROVISIONED = NumberFacts(
    tn="1", has_location=True, location_status="PROVISIONED", address1="350 S 200 E"
)


def provisioned(**changes: Any) -> NumberFacts:
    """A number with a provisioned 911 location, and these facts besides."""
    return replace(PROVISIONED, **changes)


def test_kari_alert():
    assert kari_alert(provisioned(alert_count=1), S) is True
    assert kari_alert(provisioned(alert_count=0), S) is False
    assert kari_alert(NumberFacts(tn="1"), S) is None  # no 911: Kari's Law asks nothing
    assert kari_alert(NumberFacts(tn="1", has_location=True, location_status="GEOCODED"), S) is None


@pytest.mark.parametrize("address1,address2,expected", [
    ("350 S 200 E", "Suite 4", True), ("350 S 200 E STE 4", "", True), ("12 Main St #5", "", True),
    ("12 Main St Fl 3", "", True), ("350 S 200 E", "", False), ("12 Stevens Rd", "", False),
])  # fmt: skip
def test_unit_detection(address1, address2, expected):
    assert has_unit(address1, address2) is expected


def test_dispatchable_unit():
    alone = provisioned(address_numbers=1, address_clients=1)
    assert dispatchable_unit(alone, S) is True
    two_clients = provisioned(address_numbers=2, address_clients=2)
    assert dispatchable_unit(two_clients, S) is False
    crowded = provisioned(address_numbers=4, address_clients=1)
    assert dispatchable_unit(crowded, S) is False
    at_threshold = provisioned(address_numbers=3, address_clients=1)
    assert dispatchable_unit(at_threshold, S) is True
    with_unit = provisioned(address2="Floor 2", address_numbers=50, address_clients=4)
    assert dispatchable_unit(with_unit, S) is True
    assert dispatchable_unit(NumberFacts(tn="1"), S) is None


def test_location_valid():
    assert location_valid(provisioned(), S) is True
    assert location_valid(NumberFacts(tn="1"), S) is False
    assert (
        location_valid(NumberFacts(tn="1", has_location=True, location_status="INVALID"), S)
        is False
    )
    assert (
        location_valid(NumberFacts(tn="1", has_location=True, location_status="GEOCODED"), S)
        is False
    )


def test_revalidation():
    assert revalidation(provisioned(revalidated_valid=True), S) is True
    assert revalidation(provisioned(revalidated_valid=False), S) is False
    assert revalidation(provisioned(), S) is None


def test_cnam_caller_name():
    assert cnam_caller_name(provisioned(caller_name="acme  co", cnam_name="ACME CO"), S) is True
    assert cnam_caller_name(provisioned(caller_name="ACME", cnam_name="OTHER"), S) is False
    assert cnam_caller_name(provisioned(caller_name="ACME", cnam_name=""), S) is None


@pytest.mark.parametrize("name,problem", [
    ("ACME DENTAL", ""), ("AB 12", ""),
    ("ACME DENTAL GROUP", "longer than 15 characters"), ("A1", "has fewer than 2 letters"),
    ("5551234", "is all digits"), ("ACME & SONS", "has characters other than letters, digits and spaces"),
    ("<b>X</b>", "has characters other than letters, digits and spaces"),
    ("AB\x00CD", "has characters other than letters, digits and spaces"), ("É" * 3, "has characters other than letters, digits and spaces"),
    ("X" * 10000, "longer than 15 characters"),
])  # fmt: skip
def test_cnam_problem(name, problem):
    assert cnam_problem(name) == problem
    assert cnam_acceptable(NumberFacts(tn="1", cnam_name=name), S) is (problem == "")


def test_cnam_not_applicable_without_a_name():
    assert cnam_acceptable(NumberFacts(tn="1"), S) is None


@pytest.mark.parametrize("campaign_id,status,gone,expected", [
    ("C1", "ACTIVE", False, True), ("", "", False, False), ("C1", "REJECTED", False, False),
    ("C1", "DELETED", False, False), ("C1", "EXPIRED", False, False), ("C1", "ACTIVE", True, False),
    ("C1", "PENDING", False, True),
])  # fmt: skip
def test_sms_campaign(campaign_id, status, gone, expected):
    facts = NumberFacts(
        tn="1",
        sms_enabled=True,
        campaign_id=campaign_id,
        campaign_status=status,
        campaign_gone=gone,
    )
    assert sms_campaign(facts, S) is expected
    assert sms_campaign(NumberFacts(tn="1", sms_enabled=False), S) is None


def test_every_check_explains_itself():
    for check in CHECKS:
        assert check.title and check.reason and check.fix and check.law


def test_readiness_is_the_share_of_applicable_checks_passed():
    verdict = evaluate(provisioned(alert_count=0, address_numbers=1, address_clients=1), S)
    assert verdict.failed == ("kari_alert",)
    assert set(verdict.passed) == {"dispatchable_unit", "location_valid"}
    assert verdict.score == 66.6
    assert readiness(0, 0) is None
    assert evaluate(NumberFacts(tn="1", has_location=False), S).score == 0
