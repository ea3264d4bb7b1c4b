"""The e911 sync kind: audit911 streamed into the mirror with the engine's guarantees."""

import pytest

from e911.models import Location
from portal.history import FIRST_LOAD_KEY
from portal.models import ChangeRecord, SyncRun
from portal.sync import sync_execute
from portal.voipinnovations.errors import ProviderUnavailable

pytestmark = pytest.mark.django_db


def _sync() -> SyncRun:
    return sync_execute(kind="e911", trigger=SyncRun.Trigger.COMMAND)


def test_every_did911_field_is_mirrored_including_off_net(synced):
    summary = synced.control.summary()["e911"]
    assert Location.objects.filter(gone_at__isnull=True).count() == summary["dids_with_locations"]
    from dids.models import DID

    owned = DID.objects.filter(gone_at__isnull=True).values("tn")
    assert Location.objects.exclude(tn__in=owned).count() == summary["off_net"]
    row = Location.objects.filter(status_code="PROVISIONED").first()
    assert row.location_id and row.address1 and row.city and row.state and row.zip_code
    assert (
        row.latitude
        and row.longitude
        and row.status_description
        and row.activated_at
        and row.added_at
    )
    # The first 911 sync files one "created" entry for all the locations, none per location.
    created = ChangeRecord.objects.filter(model="e911.location", action="created")
    entry = created.get()
    assert (entry.object_key, entry.source) == (FIRST_LOAD_KEY, "sync")
    assert entry.sync_run.kind == "e911"
    assert entry.note == f"First sync: {Location.objects.count():,} 911 locations first seen"
    assert set(Location.objects.values_list("first_seen_at", flat=True)) == {entry.at}


def test_a_second_sync_writes_nothing_when_nothing_changed(synced):
    run = _sync()
    assert run.status == SyncRun.Status.SUCCEEDED
    counts = run.counts["locations"]
    assert counts["created"] == counts["updated"] == counts["gone"] == 0
    assert counts["unchanged"] == counts["seen"]


def test_a_change_at_vi_is_picked_up_with_history(synced, operator, number_with_911):
    from e911 import gateway
    from e911.records import Address

    # Someone changes the address at VI behind the portal's back (the gateway, not a service).
    gateway.update_911(
        tn=number_with_911,
        address=Address(
            address1="350 S 200 E", city="Salt Lake City", state="UT", zip_code="84111"
        ),
    )
    run = _sync()
    assert run.counts["locations"]["updated"] == 1
    assert Location.objects.get(tn=number_with_911).address1 == "350 S 200 E"
    change = ChangeRecord.objects.filter(
        model="e911.location", object_key=number_with_911, action="updated"
    ).latest("at")
    assert change.source == "sync" and "address1" in change.changes


def test_a_failed_audit_changes_nothing(synced):
    before = list(Location.objects.order_by("tn").values_list("tn", "content_hash", "gone_at"))
    synced.control.fault("truncated", operation="audit911")
    with pytest.raises(ProviderUnavailable):  # so the task retries with backoff
        _sync()
    assert SyncRun.objects.filter(kind="e911").latest("id").status == SyncRun.Status.FAILED
    assert (
        list(Location.objects.order_by("tn").values_list("tn", "content_hash", "gone_at")) == before
    )


def test_an_empty_audit_is_held_for_confirmation(synced):
    synced.control.reset("empty")
    run = _sync()
    assert run.status == SyncRun.Status.NEEDS_CONFIRMATION
    assert not Location.objects.filter(gone_at__isnull=False).exists()
