"""The 10DLC pre-submission check: each rule passing and failing, the sandbox's own rejected
campaign, the form blocking a submission, and the Administrator's recorded override."""

from __future__ import annotations

import pytest

from messaging.lint import explain_rejection, lint_campaign, lint_campaign_row
from messaging.models import Brand, Campaign
from portal.models import ChangeRecord

GOOD = {
    "description": "Order-ready notices for customers who ordered at the Acme Bakery counter",
    "message_flow": "Customers tick 'text me' on the order slip they sign at the counter",
    "sample_msg1": "Acme Bakery: your cake is ready for pickup. Reply STOP to opt out.",
    "sample_msg2": "Acme Bakery: we open at 9 tomorrow. Reply HELP for help.",
    "help_message": "Acme Bakery: call us at the shop for help. Reply STOP to opt out.",
    "opt_out_message": "Acme Bakery: you will get no more texts from us.",
    "embedded_link": False, "embedded_phone": False,
}  # fmt: skip


def codes(**changes) -> list[str]:
    return [
        failure.code for failure in lint_campaign({**GOOD, **changes}, brand_name="Acme Bakery")
    ]


def test_a_good_campaign_passes():
    assert codes() == []


@pytest.mark.parametrize("changes,code", [
    ({"description": "Bakery texts"}, "description_length"),
    ({"description": "x" * 4097}, "description_length"),
    ({"message_flow": "At the till"}, "message_flow_length"),
    ({"sample_msg2": ""}, "sample_missing"),
    ({"sample_msg2": "Acme Bakery hi"}, "sample_length"),
    ({"sample_msg1": "Acme Bakery: your cake is ready for pickup today.", "sample_msg2": "Acme Bakery: STOPS are for buses only."}, "opt_out_missing"),
    ({"sample_msg1": "Your cake is ready for pickup. Reply STOP to opt out.", "sample_msg2": "We open at 9 tomorrow morning, see you."}, "brand_missing"),
    ({"sample_msg2": "Acme Bakery: see https://acme.example/menu for the menu."}, "embedded_link_mismatch"),
    ({"embedded_link": True}, "embedded_link_mismatch"),
    ({"sample_msg2": "Acme Bakery: call 801-555-0111 to change your order."}, "embedded_phone_mismatch"),
    ({"embedded_phone": True}, "embedded_phone_mismatch"),
    ({"help_message": ""}, "help_message_missing"),
    ({"opt_out_message": "  "}, "opt_out_message_missing"),
    ({"description": "Order-ready notices and our weekly craft beer and wine pairings"}, "refused_content"),
    ({"sample_msg2": "Acme Bakery: CBD brownies are back in stock today!"}, "refused_content"),
    ({"sample_msg2": "Acme Bakery: new vape flavours this week only!"}, "refused_content"),
])  # fmt: skip
def test_each_rule_fails_with_its_fix(changes, code):
    found = lint_campaign({**GOOD, **changes}, brand_name="Acme Bakery")
    assert code in [failure.code for failure in found]
    assert all(failure.fix for failure in found)


def test_opt_out_words_each_count_as_a_separate_word():
    for word in ("STOP", "End", "cancel", "UNSUBSCRIBE"):
        assert "opt_out_missing" not in codes(
            sample_msg1=f"Acme Bakery: cake ready. Text {word} to quit texts."
        )
    assert "opt_out_missing" in codes(
        sample_msg1="Acme Bakery: cake ready. Non-stopping fun at the weekend.",
        sample_msg2="Acme Bakery: we open at 9 tomorrow. Reply HELP for help.",
    )


@pytest.mark.parametrize(
    "value", ["\x00", "<script>alert(1)</script>" * 100, "x" * 100000, None, 12, ["a"]]
)
def test_hostile_values_never_crash_the_lint(value):
    found = lint_campaign({name: value for name in GOOD}, brand_name="<b>Acme</b>")
    assert found  # every text is missing or wrong


def test_create_form_skips_answers_it_does_not_have():
    fields = {k: v for k, v in GOOD.items() if k not in ("help_message", "opt_out_message")}
    assert lint_campaign(fields, brand_name="Acme Bakery", answers=False) == []


def test_rejection_reasons_map_to_the_same_explanations():
    assert "STOP" in explain_rejection(
        "Sample messages must include opt-out language (for example 'Reply STOP to unsubscribe')"
    )
    assert "40 characters" in explain_rejection(
        "Campaign description must be at least 40 characters and describe who sends"
    )
    assert explain_rejection("Something new VI says") == ""


@pytest.mark.django_db
def test_the_sandboxs_own_rejected_campaign_fails_the_lint(synced):
    rejected = Campaign.objects.get(status="REJECTED", external=False)
    brand = Brand.objects.get(customer_id=rejected.customer_id)
    found = [failure.code for failure in lint_campaign_row(rejected, brand_name=brand.display_name)]
    assert "opt_out_missing" in found
    for reason in rejected.rejection_reasons:
        assert explain_rejection(reason)


@pytest.mark.django_db
def test_rejected_campaign_page_shows_the_fix_for_each_reason(synced, viewer_client):
    rejected = Campaign.objects.get(status="REJECTED", external=False)
    html = viewer_client.get(f"/messaging/campaigns/{rejected.campaign_id}/").content.decode()
    assert 'data-testid="rejection-fix"' in html and "Reply STOP to unsubscribe" in html


def _post_campaign(client, brand, **changes):
    data = {
        "customer_id": brand.customer_id,
        "display_name": "Pickups",
        "usecase_id": "CUSTOMER_CARE",
        "description": GOOD["description"],
        "message_flow": GOOD["message_flow"],
        "sample_msg1": f"{brand.display_name}: your order is ready for pickup today.",
        "sample_msg2": f"{brand.display_name}: we open at 9 tomorrow morning.",
        **changes,
    }
    return client.post("/messaging/campaigns/create/", data)


@pytest.mark.django_db
def test_a_lint_failure_blocks_the_submission_for_an_operator(synced, operator_client):
    brand = Brand.objects.filter(verification_status="VERIFIED").first()
    before = len(synced.control.state("messaging/campaigns"))
    answer = _post_campaign(operator_client, brand, override_lint="on")
    assert answer.status_code == 200
    assert "No sample message says how to stop" in answer.content.decode()
    assert 'data-testid="lint-override"' not in answer.content.decode()
    assert len(synced.control.state("messaging/campaigns")) == before  # nothing charged


@pytest.mark.django_db
def test_an_administrator_may_override_and_it_is_recorded(
    synced, administrator_client, administrator
):
    brand = Brand.objects.filter(verification_status="VERIFIED").first()
    blocked = _post_campaign(administrator_client, brand)
    assert blocked.status_code == 200 and 'data-testid="lint-override"' in blocked.content.decode()
    sent = _post_campaign(administrator_client, brand, override_lint="on")
    assert sent.status_code == 302
    campaign = Campaign.objects.get(display_name="Pickups")
    record = ChangeRecord.objects.get(
        object_key=campaign.campaign_id, note__contains="pre-submission check"
    )
    assert record.actor == administrator
    assert "stop the messages" in str(record.changes)


@pytest.mark.django_db
def test_compliance_page_lists_campaigns_that_fail_the_check(synced, viewer_client):
    from compliance import selectors

    rejected = Campaign.objects.get(status="REJECTED", external=False)
    listed = {item.campaign.campaign_id: item for item in selectors.campaigns_failing_lint()}
    assert rejected.campaign_id in listed
    assert "opt_out_missing" in [failure.code for failure in listed[rejected.campaign_id].failures]
    assert not any(
        item.campaign.external or item.campaign.status in ("DELETED", "EXPIRED")
        for item in listed.values()
    )
    html = viewer_client.get("/compliance/").content.decode()
    assert (
        f'data-campaign="{rejected.campaign_id}"' in html
        and "No sample message says how to stop" in html
    )
