"""Turning SMS on from a number's panel, VI's refusal for a number that cannot have SMS, and
VI's enumeration values shown to staff as plain words."""

import pytest

from messaging import gateway
from messaging.models import SMSNumber
from portal.models import ChangeRecord
from tests.messaging.conftest import owned, sms_state

pytestmark = pytest.mark.django_db


def _sms_off(sandbox) -> str:
    return next(tn for tn in owned(sandbox, sms=True) if not sms_state(sandbox, tn)["enabled"])


def test_an_operator_turns_sms_on_from_the_panel(synced, operator_client, operator):
    tn = _sms_off(synced)
    panel = operator_client.get(f"/messaging/numbers/{tn}/panel/").content.decode()
    assert "Turn SMS on" in panel

    response = operator_client.post(f"/messaging/numbers/{tn}/enable/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="enable-result" data-ok="yes"' in body
    assert "SMS on — SIP (the number&#x27;s endpoint group)." in body
    assert "Turn SMS on" not in body
    assert (
        sms_state(synced, tn)["enabled"] is True
        and sms_state(synced, tn)["DestinationType"] == "SIP"
    )
    assert SMSNumber.objects.get(tn=tn).enabled
    assert ChangeRecord.objects.filter(
        model="messaging.smsnumber", object_key=tn, actor=operator
    ).exists()


def test_a_number_that_cannot_have_sms_is_told_so_and_nothing_changes(synced, operator_client):
    tn = owned(synced, sms=False)[0]
    before = sms_state(synced, tn)
    body = operator_client.post(f"/messaging/numbers/{tn}/enable/").content.decode()
    assert 'data-testid="enable-result" data-ok="no"' in body
    assert "This number cannot have SMS" in body and "VI code 954" in body
    assert "enable it first" not in body
    assert sms_state(synced, tn) == before

    # The destination form on the same number says the same, not "enable it first".
    destination = operator_client.post(
        f"/messaging/numbers/{tn}/destination/", {"destination_type": "SIP"}
    ).content.decode()
    assert "This number cannot have SMS" in destination


def test_only_operators_turn_sms_on(synced, viewer_client):
    tn = _sms_off(synced)
    assert viewer_client.post(f"/messaging/numbers/{tn}/enable/").status_code == 403
    assert (
        "Turn SMS on" not in viewer_client.get(f"/messaging/numbers/{tn}/panel/").content.decode()
    )
    assert sms_state(synced, tn)["enabled"] is False


@pytest.mark.parametrize("tn", ["abc", "<script>", "1" * 5000, "80155501"])
def test_turning_sms_on_for_a_non_number_is_not_found(synced, operator_client, tn):
    assert operator_client.post(f"/messaging/numbers/{tn}/enable/").status_code == 404
    assert operator_client.post(f"/messaging/numbers/{_sms_off(synced)}/enable/").status_code == 200


def test_vi_unreachable_while_turning_sms_on_says_so(synced, operator_client):
    tn = _sms_off(synced)
    synced.control.fault("http500", operation="ConfigSMSDestination", times=5)
    response = operator_client.post(f"/messaging/numbers/{tn}/enable/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "VI could not be reached" in body and "Nothing was changed." in body
    assert sms_state(synced, tn)["enabled"] is False


def test_a_number_with_sms_off_on_a_campaign_call_points_at_the_button():
    assert "Turn SMS on" in gateway.describe("954")
    assert "cannot have SMS" in gateway.describe("954", operation="ConfigSMSDestination")
    assert (
        gateway.describe("963", "Invalid customer information: companyName required")
        == gateway.MESSAGES["963"]
    )


def test_a_code_we_have_no_words_for_is_not_shown_as_vis_bare_sentence():
    words = gateway.describe("9999", "Something odd happened")
    assert words.startswith("VI refused it with a code the portal does not know")


def test_brands_and_campaigns_show_words_not_vi_values(synced, viewer_client):
    brands = viewer_client.get("/messaging/brands/").content.decode()
    assert "Private for-profit company" in brands or "Publicly traded company" in brands
    for raw in (
        "PRIVATE_PROFIT",
        "PUBLIC_PROFIT",
        "SOLE_PROPRIETOR",
        ">VERIFIED<",
        ">OTP_REQUIRED<",
    ):
        assert raw not in brands, raw
    campaigns = viewer_client.get("/messaging/campaigns/").content.decode()
    assert "Customer care" in campaigns
    assert ">CUSTOMER_CARE<" not in campaigns and ">ACCOUNT_NOTIFICATION<" not in campaigns


def test_the_numbers_list_and_panel_show_destinations_in_words(synced, viewer_client):
    sip = next(
        tn for tn in owned(synced, sms=True) if sms_state(synced, tn)["DestinationType"] == "SIP"
    )
    listing = viewer_client.get("/messaging/", {"q": sip}).content.decode()
    assert "SIP (the number&#x27;s endpoint group)" in listing
    panel = viewer_client.get(f"/messaging/numbers/{sip}/panel/").content.decode()
    assert "SIP (the number&#x27;s endpoint group)" in panel


def test_history_shows_vis_values_in_words(synced, operator_client):
    brand = next(
        c
        for c in synced.control.state("messaging/customers")
        if c["verificationStatus"] == "PENDING"
    )
    synced.control.advance(3 * 3600)
    operator_client.post(f"/messaging/brands/{brand['customerId']}/check/")
    page = operator_client.get(f"/messaging/brands/{brand['customerId']}/").content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "Being vetted → Verified" in history or "Being vetted → Could not be verified" in history
    assert "PENDING" not in history and "VERIFIED" not in history
