"""The numbers admin: VI-held fields edited through VI, refusals as errors, history shown,
refresh, and the release confirmation that needs the count typed."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dids.models import DID
from portal.models import ChangeRecord, Source

from .conftest import owned_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_staff(operator):
    operator.is_staff = True
    operator.save()
    return operator


def change_url(row: DID) -> str:
    return reverse("admin:dids_did_change", args=[row.pk])


def form_data(row: DID, **changes) -> dict:
    data = {
        "endpoint_id": row.endpoint_id or "",
        "cnam": "on" if row.cnam else "",
        "cnam_name": row.cnam_name,
        "forward": row.forward,
        "failover": row.failover,
        "did_group_id": row.did_group_id or "",
    }
    data.update(changes)
    return {
        name: value for name, value in data.items() if value not in ("", None) or name in changes
    }


def test_the_change_page_shows_the_history(synced, administrator_client):
    row = DID.objects.first()
    assert row is not None

    page = administrator_client.get(change_url(row))

    assert page.status_code == 200
    assert "Created" in page.content.decode() and "Sync" in page.content.decode()


def test_editing_the_endpoint_group_goes_through_vi(synced, administrator_client, administrator):
    row = DID.objects.get(tn=owned_number(synced, endpoint_group=8674)["tn"])

    response = administrator_client.post(change_url(row), form_data(row, endpoint_id=8675))

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.endpoint_id == 8675 and row.last_changed_by == administrator
    assert synced.control.state(f"number/{row.tn}")["endpoint_group"] == 8675
    change = ChangeRecord.objects.filter(model="dids.did", object_key=row.tn).first()
    assert (change.source, change.actor) == (Source.ADMIN, administrator)


def test_a_refusal_shows_as_an_error_and_nothing_is_saved(synced, administrator_client):
    row = DID.objects.get(tn=owned_number(synced, endpoint_group=8674)["tn"])

    response = administrator_client.post(change_url(row), form_data(row, endpoint_id=13550))

    assert response.status_code == 200
    assert "105258" in response.content.decode()
    row.refresh_from_db()
    assert row.endpoint_id == 8674
    assert synced.control.state(f"number/{row.tn}")["endpoint_group"] == 8674


def test_a_bad_caller_id_name_is_a_field_error_before_any_call(synced, administrator_client):
    row = DID.objects.get(tn=owned_number(synced, cnam_storage=True)["tn"])

    response = administrator_client.post(change_url(row), form_data(row, cnam_name="Bad!Name"))

    assert response.status_code == 200
    assert "letters, digits and spaces" in response.content.decode()
    row.refresh_from_db()
    assert row.cnam_name != "Bad!Name"


def test_mirror_rows_cannot_be_added_or_deleted(synced, administrator_client):
    row = DID.objects.first()
    assert administrator_client.get(reverse("admin:dids_did_add")).status_code == 403
    assert (
        administrator_client.get(reverse("admin:dids_did_delete", args=[row.pk])).status_code == 403
    )


def test_refresh_action(synced, administrator_client):
    number = owned_number(synced, endpoint_group=8674)
    synced.control.other("update", tn=number["tn"], refId="from-elsewhere")
    row = DID.objects.get(tn=number["tn"])

    administrator_client.post(
        reverse("admin:dids_did_changelist"),
        {"action": "refresh_from_vi", "_selected_action": [row.pk]},
    )

    row.refresh_from_db()
    assert row.ref_id == "from-elsewhere"


def test_release_needs_the_count_typed_and_lists_attachments(synced, administrator_client):
    with_forward = owned_number(synced, cnam_name="FRONT DESK")
    rows = list(
        DID.objects.filter(
            tn__in=[with_forward["tn"], owned_number(synced, endpoint_group=8675)["tn"]]
        )
    )
    selection = {"action": "release_selected", "_selected_action": [row.pk for row in rows]}
    url = reverse("admin:dids_did_changelist")

    confirmation = administrator_client.post(url, selection)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert all(row.tn in page for row in rows)
    assert "caller ID name “FRONT DESK”" in page

    wrong = administrator_client.post(
        url, {**selection, "confirm_release": "1", "typed_count": "1"}
    )
    assert wrong.status_code == 200 and "Type 2" in wrong.content.decode()
    assert not DID.objects.filter(gone_at__isnull=False).exists()

    administrator_client.post(url, {**selection, "confirm_release": "1", "typed_count": "2"})
    assert DID.objects.filter(pk__in=[row.pk for row in rows], gone_at__isnull=False).count() == 2
    assert synced.control.state(f"number/{rows[0].tn}")["holder"] != "ours"


def test_operators_cannot_release(synced, operator_staff, client):
    client.force_login(operator_staff)
    row = DID.objects.first()
    assert operator_staff.has_perm("portal.operate_numbers")
    assert not operator_staff.has_perm("portal.release_numbers")

    page = client.get(reverse("admin:dids_did_changelist"))
    assert page.status_code == 200
    assert "release_selected" not in page.content.decode()

    client.post(
        reverse("admin:dids_did_changelist"),
        {
            "action": "release_selected",
            "_selected_action": [row.pk],
            "confirm_release": "1",
            "typed_count": "1",
        },
    )
    row.refresh_from_db()
    assert row.gone_at is None
    assert Permission.objects.filter(codename="release_numbers").exists()
