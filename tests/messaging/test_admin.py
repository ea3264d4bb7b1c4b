"""Messaging in Django's admin: read-only mirrors, campaign texts edited through VI, bulk assignment action."""

import pytest

from messaging import services
from messaging.models import Campaign, SMSNumber
from portal.models import ChangeRecord, Source
from tests.messaging.conftest import campaign_with, sms_enabled, sms_state

pytestmark = pytest.mark.django_db


def test_admin_action_assigns_numbers_with_a_result_each(synced, administrator_client):
    active = campaign_with(synced, status="ACTIVE")
    tns = sms_enabled(synced, on_campaign=False)[:2]
    pks = list(SMSNumber.objects.filter(tn__in=tns).values_list("pk", flat=True))
    page = administrator_client.post(
        "/admin/messaging/smsnumber/",
        {
            "action": "assign_to_campaign",
            "_selected_action": pks,
            "apply": "1",
            "campaign": active["CampaignId"],
        },
        follow=True,
    )
    assert page.status_code == 200
    for tn in tns:
        assert sms_state(synced, tn)["campaignId"] == active["CampaignId"]
        assert ChangeRecord.objects.filter(object_key=tn, source=Source.ADMIN).exists()


def test_admin_campaign_edit_goes_to_vi_and_back_to_review(synced, administrator_client):
    active = Campaign.objects.filter(status="ACTIVE", external=False).first()
    url = f"/admin/messaging/campaign/{active.pk}/change/"
    assert administrator_client.get(url).status_code == 200
    data = {
        name: getattr(active, name)
        for name in (
            "description",
            "message_flow",
            "help_message",
            "opt_out_message",
            "sample_msg1",
            "sample_msg2",
        )
    }
    data["description"] = active.description + " (edited in admin)"
    administrator_client.post(url, data)
    at_vi = next(
        c
        for c in synced.control.state("messaging/campaigns")
        if c["CampaignId"] == active.campaign_id
    )
    assert at_vi["description"].endswith("(edited in admin)") and at_vi["status"] == "PENDING"
    active.refresh_from_db()
    assert active.status == "PENDING"


def test_viewer_has_no_admin(synced, viewer_client):
    assert viewer_client.get("/admin/messaging/campaign/").status_code != 200


def test_admin_campaign_edit_with_vi_unreachable_says_so_and_changes_nothing(
    synced, administrator_client
):
    active = Campaign.objects.filter(status="ACTIVE", external=False).first()
    assert active is not None
    url = f"/admin/messaging/campaign/{active.pk}/change/"
    data = {name: getattr(active, name) for name in services.UPDATABLE_TEXTS}
    data["description"] = active.description + " (edited in admin)"
    synced.control.fault("http500", operation="UpdateSMSCampaign", times=5)
    page = administrator_client.post(url, data)
    # The change page again, VI's answer on the form, the person's text kept.
    assert page.status_code == 200
    body = page.content.decode()
    assert "VI could not be reached" in body and "Nothing was changed." in body
    assert "(edited in admin)" in body
    at_vi = next(
        c
        for c in synced.control.state("messaging/campaigns")
        if c["CampaignId"] == active.campaign_id
    )
    assert not at_vi["description"].endswith("(edited in admin)") and at_vi["status"] == "ACTIVE"
    active.refresh_from_db()
    assert active.status == "ACTIVE" and not active.description.endswith("(edited in admin)")
    assert not ChangeRecord.objects.filter(
        model="messaging.campaign", object_key=active.campaign_id, source=Source.ADMIN
    ).exists()
