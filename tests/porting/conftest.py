"""Helpers for the porting tests: syncs run the way the schedule runs them, against the sandbox."""

import pytest

from portal.models import SyncRun
from portal.sync.services import sync_execute


def run_sync(kind: str = "porting") -> SyncRun:
    run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return run


@pytest.fixture
def ports_synced(sandbox, db):
    """The sandbox's "test" ports mirrored once."""
    run_sync()
    return sandbox


def sandbox_ports(sandbox) -> list[dict]:
    return sandbox.control.state("porting")


def sandbox_port(sandbox, *, status: str, fate: str | None = None) -> dict:
    for port in sandbox_ports(sandbox):
        if port["status"] == status and (fate is None or port["fate"] == fate):
            return port
    raise AssertionError(f"the test seed has no port {status} {fate or ''}")
