"""The outbox: each change makes its typed events exactly once, in the transaction of the change.

Against the sandbox and real PostgreSQL: staff actions through the services, changes made at
VI by someone else (the sandbox's control API) found by a sync, and rolled-back writes.
"""

import pytest
from django.db import transaction

from dids import services as dids_services
from dids.models import DID
from portal.events.models import Event
from portal.models import Source, SyncRun
from tests.dids.conftest import owned_numbers, run_dids_sync

pytestmark = pytest.mark.django_db


def types_since(last_id: int) -> list[str]:
    return list(Event.objects.filter(id__gt=last_id).order_by("id").values_list("type", flat=True))


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def synced(sandbox, db):
    run = run_dids_sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


def test_buying_a_number_publishes_number_bought_once_by_staff(synced, operator):
    tn = synced.control.state("numbers/available")[0]
    mark = last_event_id()

    dids_services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)
    dids_services.dids_assign(tns=[tn], endpoint_id=8674, actor=operator, source=Source.STAFF)

    assert types_since(mark) == ["number.bought"]
    event = Event.objects.get(id__gt=mark)
    assert (event.subject_kind, event.subject_key, event.source, event.actor) == (
        "number",
        tn,
        "staff",
        operator,
    )
    assert event.after["endpoint_id"] == 8674 and event.drift is False


def test_moving_and_changing_a_number_publishes_moved_then_features_changed(synced, operator):
    tn = owned_numbers(synced)[0]["tn"]
    mark = last_event_id()

    dids_services.dids_configure(
        tns=[tn], endpoint_id=8675, cnam=True, actor=operator, source=Source.STAFF
    )
    dids_services.cnam_name_update(tn=tn, name="ACME", actor=operator, source=Source.STAFF)

    assert types_since(mark) == [
        "number.moved",
        "number.features_changed",
        "number.features_changed",
    ]
    moved = Event.objects.filter(id__gt=mark).order_by("id").first()
    assert moved.after == {"endpoint_id": 8675}


def test_releasing_publishes_number_released(synced, administrator):
    tn = owned_numbers(synced)[1]["tn"]
    mark = last_event_id()

    dids_services.dids_release(tns=[tn], actor=administrator, source=Source.STAFF)

    assert types_since(mark) == ["number.released"]


def test_a_rolled_back_write_leaves_no_event(synced, operator):
    tn = owned_numbers(synced)[0]["tn"]
    mark = last_event_id()

    with pytest.raises(RuntimeError), transaction.atomic():
        dids_services.cnam_name_update(tn=tn, name="ROLLED", actor=operator, source=Source.STAFF)
        assert types_since(mark) == ["number.features_changed"]  # written inside the transaction...
        raise RuntimeError("the caller fails after the service")

    assert types_since(mark) == []  # ...and gone with it


def test_a_change_at_vi_found_by_a_sync_is_one_drift_event_per_change_and_not_again(synced):
    numbers = owned_numbers(synced)
    moved, released = numbers[2]["tn"], numbers[3]["tn"]
    synced.control.other("update", tn=moved, endpointGroup=8675)
    synced.control.other("release", tn=released)
    mark = last_event_id()

    run = run_dids_sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error

    found = list(Event.objects.filter(id__gt=mark).order_by("id"))
    assert sorted(
        (event.type, event.subject_key) for event in found if event.subject_kind == "number"
    ) == sorted([("number.moved", moved), ("number.released", released)])
    assert all(
        event.drift and event.source == "vi" and event.sync_run_id == run.pk for event in found
    )
    assert DID.objects.get(tn=moved).endpoint_id == 8675

    again = last_event_id()
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    assert [
        t for t in types_since(again) if t.startswith("number.")
    ] == []  # nothing new at VI: no event


def test_an_admin_site_edit_is_an_event_from_the_admin(synced, administrator_client, administrator):
    from tests.dids.test_admin import change_url, form_data

    row = DID.objects.filter(endpoint_id=8674).first()
    assert row is not None
    mark = last_event_id()

    assert (
        administrator_client.post(change_url(row), form_data(row, endpoint_id=8675)).status_code
        == 302
    )

    [event] = Event.objects.filter(id__gt=mark)
    assert (event.type, event.source, event.actor, event.subject_key) == (
        "number.moved",
        "admin",
        administrator,
        row.tn,
    )
