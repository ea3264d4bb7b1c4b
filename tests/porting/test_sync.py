"""The porting sync against the sandbox: ports mirrored with their numbers and history, FOC
dates set and changed across syncs as events, completion, rejection and cancellation seen
through getPortDetails, completed numbers linked to the numbers mirror, and followers
e-mailed exactly once per event."""

import pytest
from django.core import mail

from dids.models import DID
from portal.models import ChangeRecord, ProviderCall, Source, SyncRun
from portal.sync.services import sync_execute
from portal.voipinnovations.errors import ProviderUnavailable
from porting import services
from porting.models import Port, PortEvent, PortHistoryEntry, PortNumber
from tests.porting.conftest import run_sync, sandbox_port

Kind = PortEvent.Kind
DAY = 24 * 3600

pytestmark = pytest.mark.django_db


def test_the_first_sync_mirrors_every_active_port_with_numbers_and_history(ports_synced):
    sandbox = ports_synced
    active = [
        port
        for port in sandbox.control.state("porting")
        if port["status"] not in ("COMPLETED", "CANCELLED", "REJECTED")
    ]
    assert set(Port.objects.values_list("vi_id", flat=True)) == {port["id"] for port in active}
    sample = next(port for port in active if port["status"] == "FOC RECEIVED")
    stored = Port.objects.get(vi_id=sample["id"])
    assert stored.end_user == sample["endUser"] and stored.porting_from == sample["portingFrom"]
    assert stored.foc_at is not None and stored.foc_at.isoformat().startswith(
        sample["focDate"][:16]
    )
    assert sorted(stored.numbers.values_list("tn", flat=True)) == sorted(
        d["tn"] for d in sample["dids"]
    )
    number = stored.numbers.first()
    wanted = next(d for d in sample["dids"] if d["tn"] == number.tn)
    assert (number.rate_center, number.state, number.lata, number.cnam, number.e911) == (
        wanted["rateCenter"],
        wanted["state"],
        wanted["lata"],
        wanted["cnam"],
        wanted["e911"],
    )
    # VI's history per number was fetched and kept.
    assert PortHistoryEntry.objects.filter(
        port_vi_id=sample["id"], tn=number.tn, status="FOC RECEIVED"
    ).exists()
    # Seeing a port for the first time is history, not an event to tell anyone about.
    assert not PortEvent.objects.exists()
    assert ChangeRecord.objects.filter(model="porting.port", action="created").count() == len(
        active
    )


def test_an_unchanged_port_list_writes_nothing_and_asks_no_history(ports_synced):
    calls = ProviderCall.objects.count()
    run = run_sync()
    assert run.counts["unchanged"] == run.counts["seen"] and run.counts["events"] == 0
    assert ProviderCall.objects.count() == calls + 1  # getActivePorts only
    assert not PortEvent.objects.exists()


def test_foc_dates_set_and_changed_between_syncs_are_events_seen_once(ports_synced):
    sandbox = ports_synced
    submitted = sandbox_port(sandbox, status="SUBMITTED", fate="complete")
    slipping = sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")
    old_foc = Port.objects.get(vi_id=slipping["id"]).foc_at

    sandbox.control.advance(1.05 * DAY)  # the review ends; the slipping port's FOC moves
    run = run_sync()

    set_event = PortEvent.objects.get(port__vi_id=submitted["id"], kind=Kind.FOC_SET)
    assert set_event.before == "" and set_event.after == Port.objects.get(
        vi_id=submitted["id"]
    ).foc_at.strftime("%Y-%m-%d")
    assert PortEvent.objects.filter(
        port__vi_id=submitted["id"],
        kind=Kind.STATUS_CHANGED,
        before="SUBMITTED",
        after="FOC RECEIVED",
    ).exists()
    changed = PortEvent.objects.get(port__vi_id=slipping["id"], kind=Kind.FOC_CHANGED)
    new_foc = Port.objects.get(vi_id=slipping["id"]).foc_at
    assert (changed.before, changed.after) == (f"{old_foc:%Y-%m-%d}", f"{new_foc:%Y-%m-%d}")
    assert (new_foc - old_foc).days == 3
    assert changed.sync_run_id == run.pk

    # The next sync sees nothing new: no event twice.
    count = PortEvent.objects.count()
    run_sync()
    assert PortEvent.objects.count() == count


def test_a_foc_date_changed_at_vi_by_hand_is_seen_by_the_next_sync(ports_synced):
    sandbox = ports_synced
    port = sandbox_port(sandbox, status="FOC RECEIVED", fate="complete")
    sandbox.control.other("port_foc", portId=port["id"], focDate="2031-03-04T15:00:00")
    run_sync()
    event = PortEvent.objects.get(port__vi_id=port["id"])
    assert event.kind == Kind.FOC_CHANGED and event.after == "2031-03-04"
    assert Port.objects.get(vi_id=port["id"]).foc_at.date().isoformat() == "2031-03-04"


def test_ports_that_leave_the_active_list_are_recorded_as_they_ended(ports_synced):
    sandbox = ports_synced
    rejected = sandbox_port(sandbox, status="SUBMITTED", fate="reject")
    cancelled = sandbox_port(sandbox, status="FOC RECEIVED", fate="cancel")
    completing = sandbox_port(sandbox, status="FOC RECEIVED", fate="complete")

    sandbox.control.advance(2.1 * DAY)
    run = run_sync()
    assert run.counts["ended"] >= 3
    assert PortEvent.objects.get(port__vi_id=rejected["id"], kind=Kind.REJECTED).after == "REJECTED"
    assert (
        PortEvent.objects.get(port__vi_id=cancelled["id"], kind=Kind.CANCELLED).before
        == "FOC RECEIVED"
    )
    assert PortEvent.objects.filter(port__vi_id=completing["id"], kind=Kind.COMPLETED).exists()
    done = Port.objects.get(vi_id=completing["id"])
    assert done.status == "COMPLETED" and done.gone_at is None and done.finished_seen_at is not None
    assert ProviderCall.objects.filter(
        operation="getPortDetails", parameters__portId=completing["id"]
    ).exists()
    # VI's history of the number now ends in the completion.
    tn = done.numbers.first().tn
    assert PortHistoryEntry.objects.filter(
        tn=tn, port_vi_id=done.vi_id, status="COMPLETED"
    ).exists()

    # Its numbers are not in the numbers mirror yet; after the next numbers sync they are linked.
    assert not PortNumber.objects.filter(port=done, did__isnull=False).exists()
    assert (
        sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND).status
        == SyncRun.Status.SUCCEEDED
    )
    run_sync()
    linked = PortNumber.objects.filter(port=done)
    assert all(number.did_id for number in linked)
    assert {number.did.tn for number in linked} == {number.tn for number in linked}
    assert DID.objects.filter(tn=tn, gone_at__isnull=True).exists()


def test_a_port_vi_no_longer_knows_is_marked_gone_not_deleted(ports_synced, monkeypatch):
    port = Port.objects.filter(status="SUBMITTED").first()
    monkeypatch.setattr("porting.gateway.active_ports", lambda: [])  # VI's list loses it…
    monkeypatch.setattr(
        "porting.gateway.port_details", lambda port_id: None
    )  # …and VI has no such port
    run = run_sync()
    port.refresh_from_db()
    assert (
        port.gone_at is not None
        and run.counts["gone"] == Port.objects.filter(gone_at__isnull=False).count()
    )
    assert ChangeRecord.objects.filter(
        model="porting.port", object_key=str(port.vi_id), action="gone"
    ).exists()


def test_an_unreachable_vi_fails_the_run_and_changes_nothing(ports_synced):
    sandbox = ports_synced
    sandbox.control.advance(2.1 * DAY)
    sandbox.control.fault("http500", operation="getActivePorts", times=5)
    with pytest.raises(ProviderUnavailable):  # raised on so the task retries
        sync_execute(kind="porting", trigger=SyncRun.Trigger.COMMAND)
    run = SyncRun.objects.filter(kind="porting").first()
    assert run.status == SyncRun.Status.FAILED and "unreachable" in run.error
    assert not PortEvent.objects.exists()
    assert not Port.objects.filter(status__in=["COMPLETED", "CANCELLED", "REJECTED"]).exists()


def test_followers_get_one_email_per_event_however_many_syncs(
    ports_synced, operator, administrator, viewer
):
    sandbox = ports_synced
    slipping = Port.objects.get(
        vi_id=sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")["id"]
    )
    completing = Port.objects.get(
        vi_id=sandbox_port(sandbox, status="FOC RECEIVED", fate="complete")["id"]
    )
    services.port_follow(port=slipping, actor=operator, source=Source.STAFF)
    services.port_follow(port=slipping, actor=viewer, source=Source.STAFF)
    services.port_follow(port=completing, actor=administrator, source=Source.STAFF)

    sandbox.control.advance(1.05 * DAY)
    run_sync()
    foc_mails = [message for message in mail.outbox if f"Port {slipping.vi_id}" in message.subject]
    assert sorted(message.to[0] for message in foc_mails) == sorted([operator.email, viewer.email])
    assert all("FOC date changed" in message.subject for message in foc_mails)
    assert f"/porting/{slipping.vi_id}/" in foc_mails[0].body
    assert not [message for message in mail.outbox if administrator.email in message.to]

    run_sync()
    run_sync()
    assert len(mail.outbox) == 2  # not once per sync

    sandbox.control.advance(1.0 * DAY)  # the followed port completes
    run_sync()
    completed = [message for message in mail.outbox if administrator.email in message.to]
    assert len(completed) == 1 and "Completed" in completed[0].subject
    assert PortEvent.objects.get(port=completing, kind=Kind.COMPLETED).notified_count == 1
    assert "test-secret" not in "".join(message.body for message in mail.outbox)


def test_a_refresh_sees_the_change_and_the_next_sync_does_not_see_it_again(ports_synced, operator):
    sandbox = ports_synced
    port = sandbox_port(sandbox, status="FOC RECEIVED", fate="complete")
    sandbox.control.other("port_foc", portId=port["id"], focDate="2031-05-06T12:00:00")
    services.port_refresh(vi_id=port["id"], actor=operator, source=Source.STAFF)
    event = PortEvent.objects.get(port__vi_id=port["id"])
    assert event.kind == Kind.FOC_CHANGED and event.source == "staff"
    run_sync()
    assert PortEvent.objects.filter(port__vi_id=port["id"]).count() == 1
