"""The 911 admin: search and filters; an address edit goes through validate-then-provision."""

import pytest

from e911.models import Location
from portal.models import ChangeRecord, ProviderCall

pytestmark = pytest.mark.django_db


def _form(location: Location, **changes) -> dict:
    data = {
        name: getattr(location, name)
        for name in (
            "caller_name",
            "address1",
            "address2",
            "city",
            "state",
            "zip_code",
            "plus_four",
        )
    }
    data.update(changes)
    data.update({"alert_recipients-TOTAL_FORMS": "0", "alert_recipients-INITIAL_FORMS": "0"})
    return data


def test_search_and_filter(administrator_client, number_with_911):
    location = Location.objects.get(tn=number_with_911)
    page = administrator_client.get(
        "/admin/e911/location/", {"q": location.address1, "status_code__exact": "PROVISIONED"}
    )
    assert page.status_code == 200
    assert number_with_911 in page.content.decode()


def test_an_address_edit_is_validated_then_provisioned(administrator_client, number_with_911):
    location = Location.objects.get(tn=number_with_911)
    url = f"/admin/e911/location/{location.pk}/change/"
    response = administrator_client.post(
        url,
        _form(
            location, address1="350 S 200 E", city="Salt Lake City", state="UT", zip_code="84111"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    location.refresh_from_db()
    assert location.address1 == "350 S 200 E" and location.status_code == "PROVISIONED"
    assert ChangeRecord.objects.filter(
        model="e911.location", object_key=number_with_911, source="admin"
    ).exists()


def test_an_invalid_address_in_the_admin_is_a_form_error_and_never_sent(
    administrator_client, number_with_911
):
    location = Location.objects.get(tn=number_with_911)
    url = f"/admin/e911/location/{location.pk}/change/"
    response = administrator_client.post(
        url,
        _form(
            location, address1="1 Nowhere Rd", city="Salt Lake City", state="UT", zip_code="84111"
        ),
    )
    assert response.status_code == 200
    assert "cannot place" in response.content.decode()
    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()
    location.refresh_from_db()
    assert location.address1 != "1 Nowhere Rd"


def test_a_viewer_cannot_edit(viewer_client, number_with_911):
    location = Location.objects.get(tn=number_with_911)
    response = viewer_client.post(
        f"/admin/e911/location/{location.pk}/change/", _form(location, address1="350 S 200 E")
    )
    assert response.status_code in (302, 403)
    location.refresh_from_db()
    assert location.address1 != "350 S 200 E"
