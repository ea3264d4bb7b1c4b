"""Messaging pages through Django's test client, VI being the sandbox over HTTP."""

import pytest
from django.urls import reverse

from messaging.models import Brand, Campaign, SentMessage, SMSNumber
from tests.messaging.conftest import campaign_with, owned, sms_enabled, sms_state

pytestmark = pytest.mark.django_db


def test_viewer_sees_the_list_filters_and_detail_pages(synced, viewer_client):
    page = viewer_client.get("/messaging/")
    assert page.status_code == 200
    assert page.content.decode().count('data-tn="') == 50
    assert b"Apply destination" not in page.content  # no write controls for a Viewer

    blocked = viewer_client.get("/messaging/?problem=no_campaign").content.decode()
    expected = SMSNumber.objects.filter(enabled=True, campaign_id="")
    assert blocked.count('data-testid="no-campaign"') == expected.count() > 0
    on_rejected = viewer_client.get("/messaging/?problem=rejected_campaign").content.decode()
    assert on_rejected.count('data-tn="') == 0
    email = viewer_client.get("/messaging/?destination_type=EMAIL").content.decode()
    assert email.count('data-tn="') == SMSNumber.objects.filter(destination_type="EMAIL").count()

    rejected = Campaign.objects.get(status="REJECTED")
    detail = viewer_client.get(f"/messaging/campaigns/{rejected.campaign_id}/").content.decode()
    assert (
        'data-testid="rejection"' in detail
        and "opt-out language" in detail
        and "What to do" in detail
    )
    brand = Brand.objects.first()
    assert viewer_client.get(f"/messaging/brands/{brand.customer_id}/").status_code == 200
    assert viewer_client.get("/messaging/campaigns/C000000/").status_code == 404


def test_viewer_cannot_change_anything(synced, viewer_client):
    tn = sms_enabled(synced)[0]
    for url in (
        "/messaging/bulk/campaign/",
        f"/messaging/numbers/{tn}/send/",
        "/messaging/brands/create/",
    ):
        assert (
            viewer_client.post(
                url, {"tns": [tn], "recipient": "8015550199", "message": "x"}
            ).status_code
            == 403
        )
    assert synced.control.state("messaging/messages") == []


def test_bulk_assign_shows_a_result_per_number(synced, operator_client):
    active = campaign_with(synced, status="ACTIVE")
    free = sms_enabled(synced, on_campaign=False)[0]
    no_sms = owned(synced, sms=False)[0]
    page = operator_client.post(
        "/messaging/bulk/campaign/", {"tns": [free, no_sms], "campaign": active["CampaignId"]}
    )
    html = page.content.decode()
    assert f'data-tn="{free}" data-ok="yes"' in html
    assert f'data-tn="{no_sms}" data-ok="no"' in html and "VI code 954" in html
    assert sms_state(synced, free)["campaignId"] == active["CampaignId"]


def test_bulk_destination_refuses_bad_input_without_calling_vi(synced, operator_client):
    tn = owned(synced, sms=True)[0]
    page = operator_client.post(
        "/messaging/bulk/destination/",
        {"tns": [tn], "destination_type": "FORWARD", "destination": "call me"},
    )
    assert "not a telephone number" in page.content.decode()
    assert sms_state(synced, tn)["DestinationType"] != "FORWARD"


def test_number_panel_sets_destination_and_sends_sms_and_mms(synced, operator_client):
    tn = sms_enabled(synced)[0]
    panel = operator_client.get(f"/messaging/numbers/{tn}/panel/")
    assert b'data-testid="messaging-panel"' in panel.content
    number_page = operator_client.get(f"/numbers/{tn}/")
    assert (
        f"/messaging/numbers/{tn}/panel/" in number_page.content.decode()
    )  # the slot loads the panel

    saved = operator_client.post(
        f"/messaging/numbers/{tn}/destination/",
        {
            "destination_type": "GET",
            "destination": "https://hooks.example.com/x",
            "auth_token": "tok",
        },
    )
    assert b'data-testid="destination-result" data-ok="yes"' in saved.content
    assert sms_state(synced, tn)["hasAuthToken"] is True

    sent = operator_client.post(
        f"/messaging/numbers/{tn}/send/", {"recipient": "+1 801 555 0199", "message": "Hi"}
    )
    assert b'data-testid="send-result" data-ok="yes"' in sent.content
    assert synced.control.state("messaging/messages")[-1]["sender"] == f"1{tn}"

    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile(
        "big.png", b"\x89PNG" + b"\0" * (1024 * 1024 + 10), content_type="image/png"
    )
    refused = operator_client.post(
        f"/messaging/numbers/{tn}/send/", {"recipient": "8015550199", "image": big}
    )
    assert "at most 1024 KB" in refused.content.decode()
    bad_number = operator_client.post(
        f"/messaging/numbers/{tn}/send/", {"recipient": "12", "message": "Hi"}
    )
    assert "not a telephone number" in bad_number.content.decode()
    assert SentMessage.objects.count() == 1


def test_sending_from_a_number_without_sms_shows_vis_refusal(synced, operator_client):
    tn = owned(synced, sms=False)[0]
    page = operator_client.post(
        f"/messaging/numbers/{tn}/send/", {"recipient": "8015550199", "message": "Hi"}
    )
    assert b'data-ok="no"' in page.content and b"VI code 950" in page.content


def test_vi_unreachable_is_said_and_nothing_changes(synced, operator_client):
    tn = owned(synced, sms=True)[0]
    before = sms_state(synced, tn)
    synced.control.fault("http500", operation="ConfigSMSDestination", times=5)
    page = operator_client.post(
        f"/messaging/numbers/{tn}/destination/", {"destination_type": "SIP"}
    )
    assert b"VI could not be reached" in page.content and b"Nothing was changed." in page.content
    assert sms_state(synced, tn) == before


def test_brand_and_campaign_pages_create_with_vis_lists(synced, operator_client):
    new = operator_client.get("/messaging/brands/new/").content.decode()
    assert "SOLE_PROPRIETOR" in new and "HEALTHCARE" in new  # choices from GetSMSEnumerations
    missing = operator_client.post(
        "/messaging/brands/create/",
        {
            "display_name": "X",
            "entity_type": "PRIVATE_PROFIT",
            "email": "a@b.example",
            "phone": "1801",
            "country": "US",
        },
    )
    assert missing.status_code == 200 and "needs its EIN" in missing.content.decode()
    assert "This is not a phone number" in missing.content.decode()

    brand = Brand.objects.filter(verification_status="VERIFIED").first()
    form = operator_client.get(
        f"/messaging/campaigns/new/?brand={brand.customer_id}"
    ).content.decode()
    assert "MIXED" in form and "Sample message 1" in form
    refused = operator_client.post(
        "/messaging/campaigns/create/",
        {"customer_id": brand.customer_id, "display_name": "X", "usecase_id": "MARKETING"},
    )
    assert (
        refused.status_code == 200
        and refused.content.decode().count("This field is required.") == 3
    )
    created = operator_client.post(
        "/messaging/campaigns/create/",
        {
            "customer_id": brand.customer_id,
            "display_name": "Promos",
            "usecase_id": "MARKETING",
            "description": "Monthly offers for customers who joined the loyalty club at the till",
            "message_flow": "Customers tick the texting box on the loyalty club sign-up form at the till",
            "sample_msg1": "20% off this week. Reply STOP to unsubscribe.",
            "sample_msg2": f"{brand.display_name}: your loyalty points are waiting.",
            "sub_opt_out": "on",
        },
    )
    assert created.status_code == 302
    campaign = Campaign.objects.get(display_name="Promos")
    assert campaign.status == "PENDING" and campaign.sub_opt_out


def test_deleting_campaigns_and_brands_needs_the_delete_permission(
    synced, operator_client, administrator_client
):
    active = campaign_with(synced, status="ACTIVE")
    assert (
        operator_client.post(f"/messaging/campaigns/{active['CampaignId']}/delete/").status_code
        == 403
    )
    confirm = administrator_client.get(
        f"/messaging/campaigns/{active['CampaignId']}/"
    ).content.decode()
    assert "takes messaging away from" in confirm and active["tns"][0][:3] in confirm
    done = administrator_client.post(
        f"/messaging/campaigns/{active['CampaignId']}/delete/", follow=True
    )
    assert "lost messaging" in done.content.decode()

    brand = Brand.objects.get(display_name="Acme Dental Group")
    blocked = administrator_client.post(
        f"/messaging/brands/{brand.customer_id}/delete/"
    ).content.decode()
    assert "still has campaigns" in blocked
    assert brand.customer_id in {
        c["customerId"] for c in synced.control.state("messaging/customers")
    }


def test_dashboard_shows_numbers_that_will_be_blocked_and_campaigns_to_act_on(
    synced, viewer_client
):
    page = viewer_client.get("/").content.decode()
    assert 'data-testid="messaging-attention"' in page
    count = SMSNumber.objects.filter(enabled=True, campaign_id="").count()
    assert f"{count} number" in page
    assert Campaign.objects.get(status="REJECTED").display_name in page


@pytest.mark.parametrize(
    "address, form_page",
    [
        ("messaging:brand_create", "messaging:brand_new"),
        ("messaging:campaign_create", "messaging:campaign_new"),
        ("messaging:campaign_register", "messaging:campaigns"),
    ],
)
def test_reopening_a_registration_address_leads_back_to_its_form(
    sandbox, operator_client, address, form_page
):
    # After a refused form the address bar holds the POST-only address; opening it again
    # must land on the form, not on a blank 405 or on the list the form is not on.
    response = operator_client.get(reverse(address))
    assert response.status_code == 302
    assert response["Location"] == reverse(form_page)


def test_a_brand_button_vi_refuses_shows_vis_words_and_code_on_the_brand_page(
    synced, operator_client
):
    verified = Brand.objects.filter(verification_status="VERIFIED").first()
    assert verified is not None
    page = operator_client.post(f"/messaging/brands/{verified.customer_id}/otp/")
    # Not a redirect: the brand page again, with VI's refusal the way every page shows one.
    assert page.status_code == 200
    assert b"VI said:" in page.content and b'data-vi-code="968"' in page.content
    verified.refresh_from_db()
    assert verified.verification_status == "VERIFIED"
