"""Helpers for the messaging tests: a synced mirror (numbers and messaging) and sandbox looks."""

import pytest

from portal.models import SyncRun
from portal.sync.services import sync_execute

# One sandbox day: long enough for every review the sandbox runs (brands 2 h, campaigns 24 h).
SANDBOX_DAY = 24 * 3600 + 60


def run_sync(kind: str, *, confirmed: bool = False) -> SyncRun:
    run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND, confirmed=confirmed)
    run.refresh_from_db()
    return run


@pytest.fixture
def synced(sandbox, db):
    """The sandbox's "test" account mirrored: numbers first (the panel hangs off them), then messaging."""
    for kind in ("dids", "messaging"):
        run = run_sync(kind)
        assert run.status == SyncRun.Status.SUCCEEDED, f"{kind}: {run.error}"
    return sandbox


def sms_state(sandbox, tn: str) -> dict:
    return sandbox.control.state(f"messaging/{tn}")


def sandbox_campaigns(sandbox) -> list[dict]:
    return sandbox.control.state("messaging/campaigns")


def sandbox_customers(sandbox) -> list[dict]:
    return sandbox.control.state("messaging/customers")


def owned(sandbox, **wanted) -> list[str]:
    """TNs of owned numbers (sandbox view) whose fields match `wanted`, e.g. sms=False."""
    return [
        n["tn"]
        for n in sandbox.control.state("numbers/owned")
        if all(n.get(name) == value for name, value in wanted.items())
    ]


def sms_enabled(sandbox, *, on_campaign: bool | None = None) -> list[str]:
    """Owned numbers with SMS on at the sandbox, optionally only those on (or off) a campaign."""
    found = []
    for tn in owned(sandbox, sms=True):
        state = sms_state(sandbox, tn)
        if state["enabled"] and (on_campaign is None or bool(state["campaignId"]) == on_campaign):
            found.append(tn)
    return found


def campaign_with(sandbox, *, status: str, external: bool = False) -> dict:
    return next(
        c for c in sandbox_campaigns(sandbox) if c["status"] == status and c["external"] == external
    )
