"""The engine stays lean: a large audit reconciles in seconds, in bounded batches.

20,000 rows by default; SYNC_SPEED_ROWS=100000 for the full figure (the benchmark issue
measures it properly).
"""

import os
import time

import pytest

from tests.portal.sync_testapp import install

install()

from portal.models import ChangeRecord, SyncRun  # noqa: E402
from portal.sync import sync_execute  # noqa: E402
from tests.portal.sync_testapp.fixtures import KIND, gadget_record, gadgets_kind  # noqa: E402,F401
from tests.portal.sync_testapp.models import Gadget  # noqa: E402

ROWS = int(os.environ.get("SYNC_SPEED_ROWS", "20000"))

pytestmark = pytest.mark.django_db


def audit(*, changed_every: int = 0):
    # A generator, as the streaming client gives: the engine must not need a list.
    for number in range(ROWS):
        name = "changed" if changed_every and number % changed_every == 0 else f"Gadget {number}"
        yield gadget_record(f"G{number:07d}", Name=name)


def test_a_large_audit_reconciles_in_seconds(gadgets_kind):
    gadgets_kind(audit)
    started = time.monotonic()
    first = sync_execute(kind=KIND, trigger=SyncRun.Trigger.COMMAND)
    first_seconds = time.monotonic() - started

    gadgets_kind(lambda: audit(changed_every=100))
    started = time.monotonic()
    second = sync_execute(kind=KIND, trigger=SyncRun.Trigger.COMMAND)
    second_seconds = time.monotonic() - started

    print(f"\n{ROWS:,} rows: first sync {first_seconds:.1f} s, 1 % changed {second_seconds:.1f} s")
    assert first.counts["created"] == ROWS
    assert (second.counts["updated"], second.counts["unchanged"]) == (
        ROWS // 100,
        ROWS - ROWS // 100,
    )
    assert Gadget.objects.count() == ROWS
    assert ChangeRecord.objects.filter(sync_run=second).count() == ROWS // 100
    # Generous bounds for a shared, busy 2-core machine (seconds per 10,000 rows): they
    # catch a per-row query creeping in, not a few percent.
    assert first_seconds < ROWS / 10_000 * 15
    assert second_seconds < ROWS / 10_000 * 5
