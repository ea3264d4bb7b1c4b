"""Helpers for the numbers tests: a synced mirror and quick looks at the sandbox's state."""

import pytest

from portal.models import SyncRun
from portal.sync.services import sync_execute


def run_dids_sync(*, confirmed: bool = False) -> SyncRun:
    run = sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND, confirmed=confirmed)
    run.refresh_from_db()
    return run


@pytest.fixture
def synced(sandbox, db):
    """The sandbox's "test" account mirrored once (50 owned numbers)."""
    run = run_dids_sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


def owned_numbers(sandbox) -> list[dict]:
    return sandbox.control.state("numbers/owned")


def owned_number(sandbox, **wanted) -> dict:
    """The first owned number (sandbox view) whose fields match `wanted`."""
    for number in owned_numbers(sandbox):
        if all(number.get(name) == value for name, value in wanted.items()):
            return number
    raise AssertionError(f"the test seed has no owned number with {wanted}")
