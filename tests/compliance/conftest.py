"""Compliance test helpers: the mirrors filled from the sandbox by the real syncs."""

from __future__ import annotations

import pytest

from portal.models import SyncRun
from portal.sync import sync_execute


@pytest.fixture
def synced(sandbox, db):
    for kind in ("dids", "e911", "messaging"):
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox
