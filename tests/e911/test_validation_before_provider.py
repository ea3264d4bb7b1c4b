"""911 addresses: checked with VI before anything is stored, and a refusal is never "fixed"
by another write behind the person's back.

- Storing a location (addLocation, "store only" on the 911 panel) validates the address first,
  like provisioning does: an address VI's provider cannot place never reaches VI, whatever
  the page's hidden fields say (they come from the person's browser).
- Provisioning falls back from insert911 to update911 only when VI says the number already
  has a provisioned location (911). Any other refusal is what the person sees, and nothing
  else is sent to VI.

Kills the mutants "a stored 911 location is sent to VI without validating the address" and
"the update911 fallback fires on any refusal" (docs/mutants.md).
"""

import pytest

from e911 import services
from e911.models import Location
from e911.records import Address
from portal.models import ProviderCall, Source
from portal.voipinnovations.errors import ProviderRejected

from .conftest import BAD, GOOD

pytestmark = pytest.mark.django_db


def locations_at_vi(sandbox, tn: str) -> list[dict]:
    return sandbox.control.state(f"e911/{tn}")["locations"]


def calls(operation: str) -> int:
    return ProviderCall.objects.filter(operation=operation).count()


# --- addLocation: validated first --------------------------------------------------------------


def test_storing_an_address_vi_cannot_place_is_refused_and_nothing_is_stored(
    operator_client, number_without_911, sandbox
):
    tn = number_without_911
    before = locations_at_vi(sandbox, tn)

    response = operator_client.post(f"/e911/numbers/{tn}/provision/", {**BAD, "store_only": "1"})

    assert response.status_code == 422
    text = response.content.decode()
    assert "cannot place" in text
    assert "Address stored at VI" not in text
    assert locations_at_vi(sandbox, tn) == before
    assert calls("addLocation") == 0
    assert not Location.objects.filter(tn=tn, gone_at__isnull=True).exists()


def test_storing_an_address_vi_cannot_place_raises_before_vi_for_any_caller(
    number_with_911, operator, sandbox
):
    """The admin and the bulk upload reach the same service: it checks, not the page."""
    tn = number_with_911
    before = locations_at_vi(sandbox, tn)

    with pytest.raises(services.AddressInvalid):
        services.stored_location_add(
            tn=tn, address=Address(**BAD), actor=operator, source=Source.STAFF
        )

    assert locations_at_vi(sandbox, tn) == before
    assert calls("addLocation") == 0
    assert sandbox.control.state(f"e911/{tn}")["has911"] is True


@pytest.mark.parametrize(
    "address1", ["<script>alert(1)</script> Nowhere Rd", "1 Nowhere Rd" + "x" * 5000, "\x00"]
)
def test_hostile_hidden_fields_on_store_only_never_reach_add_location(
    operator_client, number_without_911, sandbox, address1
):
    tn = number_without_911
    before = locations_at_vi(sandbox, tn)

    response = operator_client.post(
        f"/e911/numbers/{tn}/provision/", {**BAD, "address1": address1, "store_only": "1"}
    )

    assert response.status_code in (
        400,
        422,
    )  # refused as bad input or as an address VI cannot place; never a 500
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert locations_at_vi(sandbox, tn) == before
    assert calls("addLocation") == 0


def test_a_valid_address_is_stored_after_its_check(operator_client, number_without_911, sandbox):
    """The control: the same click with a placeable address stores it (validate911 first)."""
    tn = number_without_911

    response = operator_client.post(f"/e911/numbers/{tn}/provision/", {**GOOD, "store_only": "1"})

    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Address stored at VI" in response.content.decode()
    assert [location["address1"] for location in locations_at_vi(sandbox, tn)] == ["350 S 200 E"]
    operations = list(ProviderCall.objects.order_by("id").values_list("operation", flat=True))
    assert operations.index("validate911") < operations.index("addLocation")


# --- insert911, and update911 only on "already provisioned" ---------------------------------


def test_a_refused_insert911_is_shown_and_no_update911_follows(
    operator_client, number_without_911, sandbox
):
    """VI refuses the insert911 for another reason than "already provisioned" (here: it refuses
    the portal's API login once). The person sees that refusal; the portal sends no update911."""
    tn = number_without_911
    sandbox.control.fault("auth", operation="insert911", times=1)

    response = operator_client.post(f"/e911/numbers/{tn}/provision/", GOOD)

    assert response.status_code == 422
    text = response.content.decode()
    assert "VI refused the portal" in text
    assert "911 address replaced" not in text and "provisioned:" not in text
    assert calls("update911") == 0
    assert sandbox.control.state(f"e911/{tn}")["has911"] is False
    assert locations_at_vi(sandbox, tn) == []


def test_a_number_vi_no_longer_holds_gets_its_909_and_no_update911(
    number_without_911, operator, sandbox
):
    """Released at VI by someone else, still on our list until the next sync."""
    tn = number_without_911
    sandbox.control.other("release", tn=tn)

    with pytest.raises(ProviderRejected) as refusal:
        services.location_provision(
            tn=tn, address=Address(**GOOD), actor=operator, source=Source.STAFF
        )

    assert refusal.value.code == "909"
    assert calls("insert911") == 1
    assert calls("update911") == 0


def test_already_provisioned_is_the_one_refusal_that_becomes_an_update(
    number_with_911, operator, sandbox
):
    """The control: VI's 911 refusal (a location is provisioned) leads to update911."""
    result = services.location_provision(
        tn=number_with_911, address=Address(**GOOD), actor=operator, source=Source.STAFF
    )

    assert result.operation == "update911"
    assert calls("update911") == 1
    provisioned = [
        location
        for location in locations_at_vi(sandbox, number_with_911)
        if location["statusCode"] == "PROVISIONED"
    ]
    assert [location["address1"] for location in provisioned] == ["350 S 200 E"]
