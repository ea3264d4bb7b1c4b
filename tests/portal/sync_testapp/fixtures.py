"""Fixtures for the sync tests: the "gadgets" kind registered, its audit in the tests' hands."""

import datetime
from decimal import Decimal

import pytest

from portal.sync import SYNC_KINDS
from tests.portal.sync_testapp import services

KIND = "gadgets"


def gadget_record(code: str, **overrides) -> dict:
    """One record as VI would list it (VI-style names; the test kind maps them)."""
    record = {
        "Code": code,
        "Name": f"Gadget {code}",
        "Status": "active",
        "Price": Decimal("1.5000"),
        "RenewsAt": datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC),
        "Tags": ["a", "b"],
    }
    record.update(overrides)
    return record


def audit_of(count: int, *, start: int = 0) -> list[dict]:
    return [gadget_record(f"G{number:06d}") for number in range(start, start + count)]


@pytest.fixture
def gadgets_kind(monkeypatch):
    """Register the test kind; returns a setter for the audit VI "sends" next."""
    monkeypatch.setitem(SYNC_KINDS, KIND, "tests.portal.sync_testapp.services.sync_gadgets")

    def set_audit(audit) -> None:
        monkeypatch.setattr(services, "AUDIT", audit)

    return set_audit


GHOST = "ghost"


@pytest.fixture
def ghost_kind(monkeypatch):
    """A registered kind whose domain service does not exist (yet)."""
    monkeypatch.setitem(SYNC_KINDS, GHOST, "tests.portal.sync_testapp.nowhere.sync_ghost")
    return GHOST
