"""The "dids" sync against the sandbox: first fill, drift made by someone else at VI, gone
numbers, shrink guard and the race with a staff write."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from dids import services
from dids.models import DID, Client, DIDGroup, EndpointGroup, IntlDID, PrepaidBalanceReading
from dids.selectors import did_last_seen_at
from portal.history import FIRST_LOAD_KEY
from portal.models import ChangeRecord, Source, SyncRun

from .conftest import owned_number, owned_numbers, run_dids_sync

pytestmark = pytest.mark.django_db


def test_first_sync_mirrors_every_owned_number_and_the_account(sandbox):
    run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    vi_numbers = {number["tn"]: number for number in owned_numbers(sandbox)}
    assert set(DID.objects.values_list("tn", flat=True)) == set(vi_numbers)
    assert run.counts["dids"]["created"] == len(vi_numbers)

    sample = next(iter(vi_numbers.values()))
    row = DID.objects.get(tn=sample["tn"])
    assert row.state == sample["state"]
    assert row.rate_center == sample["rate_center"]
    assert row.endpoint_id == sample["endpoint_group"]
    assert row.tier == sample["tier"]
    assert row.gone_at is None
    assert did_last_seen_at(did=row) == run.started_at

    # Feature audits are merged into the numbers.
    with_name = owned_number(sandbox, cnam_name="FRONT DESK")
    assert DID.objects.get(tn=with_name["tn"]).cnam_name == "FRONT DESK"
    with_pin = next(number for number in vi_numbers.values() if number["conference_pin"])
    assert DID.objects.get(tn=with_pin["tn"]).conference_line is True
    for number in vi_numbers.values():
        if number["forward"]:
            assert DID.objects.get(tn=number["tn"]).forward == number["forward"]
        if number["fax_email"]:
            assert DID.objects.get(tn=number["tn"]).fax_to_email == number["fax_email"]
        if number["did_group_id"]:
            assert DID.objects.get(tn=number["tn"]).did_group_id == number["did_group_id"]

    ours = {
        group["id"]
        for group in sandbox.control.state("endpoint_groups")
        if group["owner"] == "ours"
    }
    assert ours <= set(EndpointGroup.objects.values_list("vi_id", flat=True))
    assert EndpointGroup.objects.get(vi_id=8676).active is False
    assert set(DIDGroup.objects.values_list("name", flat=True)) >= {"Sales", "Support"}
    assert IntlDID.objects.count() == 2
    assert Client.objects.exists()
    assert PrepaidBalanceReading.objects.latest().amount == 500

    # A first sync files one "created" entry for all the numbers, at their first_seen_at.
    created = ChangeRecord.objects.filter(model="dids.did", action=ChangeRecord.Action.CREATED)
    entry = created.get()
    assert (entry.object_key, entry.source, entry.sync_run_id) == (
        FIRST_LOAD_KEY,
        Source.SYNC,
        run.pk,
    )
    assert entry.note == f"First sync: {len(vi_numbers):,} numbers first seen"
    assert set(DID.objects.values_list("first_seen_at", flat=True)) == {entry.at}


def test_the_pin_of_a_conference_line_is_never_stored(synced):
    with_pin = next(number for number in owned_numbers(synced) if number["conference_pin"])
    pin = with_pin["conference_pin"]
    row = DID.objects.get(tn=with_pin["tn"])
    assert pin not in repr(row.__dict__)
    assert not ChangeRecord.objects.filter(changes__icontains=pin).exists()


def test_a_second_sync_with_no_change_at_vi_writes_nothing(synced):
    before = ChangeRecord.objects.count()

    run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["unchanged"] == DID.objects.count()
    assert ChangeRecord.objects.count() == before


def test_changes_made_at_vi_by_someone_else_show_up_after_the_next_sync(synced):
    number = owned_number(synced, endpoint_group=8674)
    synced.control.other(
        "update", tn=number["tn"], endpointGroup=8675, cnamName="NIGHT LINE", refId="ticket-9"
    )

    run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    row = DID.objects.get(tn=number["tn"])
    assert (row.endpoint_id, row.cnam_name, row.ref_id) == (8675, "NIGHT LINE", "ticket-9")
    change = ChangeRecord.objects.filter(model="dids.did", object_key=number["tn"]).first()
    assert change.action == ChangeRecord.Action.UPDATED
    assert change.source == Source.SYNC
    assert change.changes["endpoint_id"] == [8674, 8675]
    assert change.changes["cnam_name"] == [number["cnam_name"] or "", "NIGHT LINE"]


def test_a_number_released_elsewhere_is_marked_gone_not_deleted(synced):
    number = owned_numbers(synced)[0]
    synced.control.other("release", tn=number["tn"])

    run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    row = DID.objects.get(tn=number["tn"])
    assert row.gone_at is not None
    assert ChangeRecord.objects.filter(
        model="dids.did",
        object_key=number["tn"],
        action=ChangeRecord.Action.GONE,
        source=Source.SYNC,
    ).exists()


def test_a_number_added_elsewhere_appears(synced):
    added = synced.control.other("add", endpointGroup=8674)
    [tn] = added["tns"]

    run_dids_sync()

    assert DID.objects.get(tn=tn).endpoint_id == 8674


def test_an_empty_audit_is_held_for_confirmation_and_changes_nothing(synced):
    synced.control.fault("empty", operation="auditDIDs")

    run = run_dids_sync()

    assert run.status == SyncRun.Status.NEEDS_CONFIRMATION
    assert not DID.objects.filter(gone_at__isnull=False).exists()


def test_a_broken_audit_fails_the_run_and_changes_nothing(synced):
    number = owned_numbers(synced)[0]
    synced.control.other("update", tn=number["tn"], refId="changed-at-vi")
    synced.control.fault("truncated", operation="auditDIDs", times=4)

    with pytest.raises(services.ProviderUnavailable):
        run_dids_sync()

    run = SyncRun.objects.filter(kind="dids").first()
    assert run.status == SyncRun.Status.FAILED
    assert DID.objects.get(tn=number["tn"]).ref_id == number["ref_id"]
    assert not DID.objects.filter(gone_at__isnull=False).exists()


def test_a_sync_that_began_before_a_staff_write_does_not_overwrite_it(synced, operator):
    """The audit was requested before the staff write, and carries VI's older state."""
    number = owned_number(synced, endpoint_group=8674)
    audit_requested = timezone.now()
    # The staff write lands at VI and in the mirror a little later than the audit request...
    with time_machine.travel(audit_requested + datetime.timedelta(seconds=30), tick=False):
        [outcome] = services.dids_configure(
            tns=[number["tn"]], endpoint_id=8675, actor=operator, source=Source.STAFF
        )
    assert outcome.ok
    # ...while the audit, read before it, still says 8674.
    synced.control.other("update", tn=number["tn"], endpointGroup=8674)

    with time_machine.travel(audit_requested, tick=True):
        run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["kept_local"] >= 1
    row = DID.objects.get(tn=number["tn"])
    assert row.endpoint_id == 8675
    assert row.last_changed_by == operator

    # The next sync, requested after the write, settles on what VI holds now.
    with time_machine.travel(audit_requested + datetime.timedelta(minutes=1), tick=True):
        run = run_dids_sync()
    assert DID.objects.get(tn=number["tn"]).endpoint_id == 8674
