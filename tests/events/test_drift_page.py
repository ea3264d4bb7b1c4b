"""'Changed outside the portal': a change made at VI by someone else shows after a sync, on the
page (grouped), the dashboard panel and the number page, and can be acknowledged."""

import pytest
from django.urls import reverse

from dids.models import DID
from portal.events.models import Event
from portal.models import SyncRun
from tests.dids.conftest import owned_numbers, run_dids_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def drifted(sandbox, db):
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    mirrored = set(DID.objects.filter(endpoint_id=8674).values_list("tn", flat=True))
    tn = next(n["tn"] for n in owned_numbers(sandbox) if n["tn"] in mirrored)
    sandbox.control.other("update", tn=tn, endpointGroup=8675)
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    return tn


def test_drift_appears_on_page_panel_and_number_page_then_is_acknowledged(
    client, operator, drifted
):
    client.force_login(operator)

    page = client.get(reverse("events:drift"), {"kind": "number"}).content.decode()
    assert drifted in page and "Number moved to another endpoint group" in page
    assert "made at VI outside the portal" in client.get(reverse("dashboard")).content.decode()
    number_page = client.get(reverse("dids:detail", args=[drifted])).content.decode()
    assert 'data-testid="number-drift"' in number_page and "8674 → 8675" in number_page

    answer = client.post(
        reverse("events:drift_acknowledge"),
        {"kind": "number", "key": drifted, "type": "number.moved"},
    )
    assert answer.status_code == 302
    event = Event.objects.get(subject_key=drifted, type="number.moved")
    assert event.acknowledged_by == operator and event.acknowledged_at is not None
    assert drifted not in client.get(reverse("events:drift"), {"kind": "number"}).content.decode()
    assert "<td>Number bought</td>" not in page  # the first sync imports what VI has: not drift
    assert (
        'data-testid="number-drift"'
        not in client.get(reverse("dids:detail", args=[drifted])).content.decode()
    )
    assert drifted in client.get(reverse("events:drift"), {"acknowledged": "1"}).content.decode()


def test_bulk_acknowledge_takes_only_what_the_filters_show(client, operator, drifted):
    Event.objects.create(
        type="port.foc_set", source="vi", drift=True, subject_kind="port", subject_key="77"
    )
    client.force_login(operator)

    client.post(reverse("events:drift_acknowledge"), {"scope": "filtered", "kind": "number"})

    assert not Event.objects.filter(
        drift=True, subject_kind="number", acknowledged_at__isnull=True
    ).exists()
    assert Event.objects.get(subject_key="77").acknowledged_at is None


def test_a_viewer_cannot_acknowledge(client, viewer, drifted):
    client.force_login(viewer)
    assert (
        client.post(reverse("events:drift_acknowledge"), {"scope": "filtered"}).status_code == 403
    )
    assert Event.objects.filter(drift=True, acknowledged_at__isnull=True).exists()


@pytest.mark.parametrize("hostile", ["\x00", "<script>x</script>", "9" * 10_000, "' OR 1=1 --"])
def test_hostile_filters_and_acknowledgements_are_harmless(client, operator, drifted, hostile):
    client.force_login(operator)
    page = client.get(reverse("events:drift"), {"kind": hostile, "type": hostile, "key": hostile})
    assert (
        page.status_code in (200, 400) and "<script>x" not in page.content.decode()
    )  # NUL: the house answers 400
    answer = client.post(
        reverse("events:drift_acknowledge"),
        {"kind": hostile, "key": hostile, "type": hostile, "next": "//evil.example/"},
    )
    assert answer.status_code in (302, 400)  # NUL: the house answers 400
    assert not answer.get("Location", "").startswith("//")
    assert Event.objects.filter(
        drift=True, acknowledged_at__isnull=True, subject_key=drifted
    ).exists()
