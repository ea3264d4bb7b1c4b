"""A sync held for confirmation or failed is an event too, written with the run's outcome."""

import pytest

from portal.events.models import Event
from portal.models import SyncRun
from portal.voipinnovations.errors import ProviderUnavailable
from tests.dids.conftest import owned_numbers, run_dids_sync

pytestmark = pytest.mark.django_db


def test_a_failed_sync_publishes_sync_failed_once(sandbox):
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    sandbox.control.fault("http500", operation="auditDIDs", times=5)
    with pytest.raises(ProviderUnavailable):  # raised on for the task's retry
        run_dids_sync()
    run = SyncRun.objects.latest("id")
    assert run.status == SyncRun.Status.FAILED
    [event] = Event.objects.filter(type="sync.failed")
    assert (event.subject_key, event.sync_run_id, event.after["kind"]) == (
        str(run.pk),
        run.pk,
        "dids",
    )


def test_a_shrunken_audit_held_for_confirmation_publishes_sync_held(sandbox):
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    for number in owned_numbers(sandbox)[:20]:
        sandbox.control.other("release", tn=number["tn"])
    run = run_dids_sync()
    assert run.status == SyncRun.Status.NEEDS_CONFIRMATION
    assert list(Event.objects.values_list("type", flat=True)) == [
        "sync.held"
    ]  # nothing applied, nothing else
