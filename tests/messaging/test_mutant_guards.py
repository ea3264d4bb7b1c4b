"""Two messaging promises a person relies on, against the sandbox over HTTP.

- A campaign move mirrors only what VI confirmed: a number VI refused stays where it was on
  our pages (its SMS panel, the campaign's number list), and a number VI says is not ours
  never appears in the messaging list.
- A webhook auth token goes to VI only with a webhook destination (POST, GET). Typed (or
  left over in the browser) with e-mail, forward, SIP or NONE, it is dropped before VI:
  the provider log of the call shows no token.

Kills the mutants "a campaign move writes refused numbers into the mirror as moved" and "an
SMS destination's auth token is kept for destination types that have no webhook"
(docs/mutants.md).
"""

import re

import pytest
from django.urls import reverse

from messaging import services
from messaging.models import Campaign, SMSNumber
from portal.models import ProviderCall, Source
from tests.messaging.conftest import campaign_with, owned, sms_enabled, sms_state

pytestmark = pytest.mark.django_db

NOT_OURS = "2015550123"


def campaign_page(client, campaign_id: str) -> str:
    return client.get(reverse("messaging:campaign", args=[campaign_id])).content.decode()


def campaign_shown_on_the_panel(client, tn: str) -> str:
    """The "Campaign: …" line of the number's SMS panel."""
    panel = client.get(reverse("messaging:number_panel", args=[tn])).content.decode()
    match = re.search(r'data-testid="sms-campaign">(.*?)</p>', panel, flags=re.DOTALL)
    assert match, panel
    return match.group(1)


# --- campaign moves ----------------------------------------------------------------------------


def test_numbers_vi_refused_to_move_stay_where_they_were(synced, operator, operator_client):
    active = campaign_with(synced, status="ACTIVE")
    campaign_id = active["CampaignId"]
    [free] = sms_enabled(synced, on_campaign=False)[:1]
    disabled = next(tn for tn in owned(synced, sms=True) if not sms_state(synced, tn)["enabled"])
    listed_before = set(Campaign.objects.get(campaign_id=campaign_id).tns)

    outcomes = services.campaign_numbers_assign(
        tns=[free, disabled, NOT_OURS], campaign_id=campaign_id, actor=operator, source=Source.STAFF
    )

    assert [(outcome.tn, outcome.ok) for outcome in outcomes] == [
        (free, True),
        (disabled, False),
        (NOT_OURS, False),
    ]
    # What VI holds and what our pages say agree, number by number.
    assert sms_state(synced, free)["campaignId"] == campaign_id
    assert not sms_state(synced, disabled)["campaignId"]
    assert SMSNumber.objects.get(tn=free).campaign_id == campaign_id
    assert SMSNumber.objects.get(tn=disabled).campaign_id == ""
    assert not SMSNumber.objects.filter(tn=NOT_OURS).exists()
    assert set(Campaign.objects.get(campaign_id=campaign_id).tns) == listed_before | {free}

    page = campaign_page(operator_client, campaign_id)
    assert f'data-tn="{free}"' in page
    assert f'data-tn="{disabled}"' not in page and f'data-tn="{NOT_OURS}"' not in page
    assert campaign_id not in campaign_shown_on_the_panel(operator_client, disabled)
    assert campaign_id in campaign_shown_on_the_panel(operator_client, free)


def test_a_number_refused_on_a_new_campaign_stays_on_its_old_one(synced, operator, operator_client):
    """Moved from campaign A to B, refused by VI for B: still on A, in VI's eyes and ours."""
    active = [
        campaign
        for campaign in synced.control.state("messaging/campaigns")
        if campaign["status"] == "ACTIVE"
    ]
    first = active[0]["CampaignId"]
    [tn] = sms_enabled(synced, on_campaign=False)[:1]
    [moved] = services.campaign_numbers_assign(
        tns=[tn], campaign_id=first, actor=operator, source=Source.STAFF
    )
    assert moved.ok
    # VI turns SMS off for the number meanwhile (a colleague, in VI's portal): the next move is refused.
    services.destinations_configure(
        tns=[tn], destination_type="NONE", actor=operator, source=Source.STAFF
    )
    campaign_before = SMSNumber.objects.get(tn=tn).campaign_id
    second = next((campaign["CampaignId"] for campaign in active[1:]), None)
    if second is None:
        pytest.fail("the sandbox's test seed needs two active campaigns for this test")

    [refused] = services.campaign_numbers_assign(
        tns=[tn], campaign_id=second, actor=operator, source=Source.STAFF
    )

    assert not refused.ok
    assert SMSNumber.objects.get(tn=tn).campaign_id == campaign_before
    assert tn not in Campaign.objects.get(campaign_id=second).tns
    assert f'data-tn="{tn}"' not in campaign_page(operator_client, second)


# --- auth tokens only for webhooks ------------------------------------------------------------


def destination_calls():
    return ProviderCall.objects.filter(operation="ConfigSMSDestination").order_by("id")


@pytest.mark.parametrize(
    "destination_type, destination",
    [("EMAIL", "ops@example.com"), ("FORWARD", "(801) 555-0100"), ("SIP", ""), ("NONE", "")],
)
def test_no_token_is_sent_to_vi_with_a_destination_that_has_no_webhook(
    synced, operator, destination_type, destination
):
    tn = owned(synced, sms=True)[0]

    [outcome] = services.destinations_configure(
        tns=[tn],
        destination_type=destination_type,
        destination=destination,
        auth_token="left-over-webhook-token",
        actor=operator,
        source=Source.STAFF,
    )

    assert outcome.ok, outcome.message
    [call] = destination_calls()
    assert call.parameters.get("authToken") in (None, "")
    assert sms_state(synced, tn)["hasAuthToken"] is False


def test_a_webhook_keeps_its_token_and_the_log_hides_it(synced, operator):
    """The control: POST sends the token (the log shows it redacted, never in clear)."""
    tn = owned(synced, sms=True)[0]

    [outcome] = services.destinations_configure(
        tns=[tn],
        destination_type="POST",
        destination="https://hooks.example.com/in",
        auth_token="webhook-token-77",
        actor=operator,
        source=Source.STAFF,
    )

    assert outcome.ok
    [call] = destination_calls()
    assert call.parameters.get("authToken") not in (None, "", "webhook-token-77")
    assert sms_state(synced, tn)["hasAuthToken"] is True


@pytest.mark.parametrize(
    "token", ["<script>alert(1)</script>", "t" * 5000, "a\x00b", "\u202egnp.exe"]
)
def test_hostile_tokens_with_an_email_destination_from_the_panel_never_reach_vi(
    synced, operator_client, token
):
    tn = owned(synced, sms=True)[0]
    calls_before = destination_calls().count()

    response = operator_client.post(
        reverse("messaging:number_destination", args=[tn]),
        {"destination_type": "EMAIL", "destination": "ops@example.com", "auth_token": token},
    )

    assert response.status_code in (200, 400, 422)
    assert "<script>alert(1)</script>" not in response.content.decode()
    for call in destination_calls()[calls_before:]:
        assert call.parameters.get("authToken") in (None, "")
    assert sms_state(synced, tn)["hasAuthToken"] is False
