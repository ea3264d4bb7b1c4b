"""Messaging services against the sandbox over HTTP: what VI ends up holding, what the mirror
and history say, and how refusals and bad input come back."""

import inspect
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from messaging import services
from messaging.models import Brand, CachedChoices, Campaign, SentMessage, SMSNumber
from portal.models import ChangeRecord, ProviderCall, Source, SyncRun
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from tests.messaging.conftest import (
    SANDBOX_DAY,
    campaign_with,
    owned,
    run_sync,
    sandbox_campaigns,
    sms_enabled,
    sms_state,
)

pytestmark = pytest.mark.django_db

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

GOOD_CAMPAIGN: dict[str, Any] = {
    "display_name": "Clinic reminders",
    "description": "Appointment reminders for patients who booked online and agreed to texts",
    "usecase_id": "ACCOUNT_NOTIFICATION",
    "sample_msg1": "Your appointment is tomorrow at 9. Reply STOP to opt out.",
}


def verified_brand() -> Brand:
    return Brand.objects.filter(
        verification_status="VERIFIED", entity_type="PRIVATE_PROFIT"
    ).first()


# --- sync ---------------------------------------------------------------------------------------


def test_sync_mirrors_numbers_brands_campaigns_reasons_and_form_lists(synced, operator):
    enabled = sms_enabled(synced)
    assert SMSNumber.objects.count() == 50
    assert set(SMSNumber.objects.filter(enabled=True).values_list("tn", flat=True)) == set(enabled)
    assert Brand.objects.count() == 5
    rejected = Campaign.objects.get(status="REJECTED")
    assert any("opt-out" in reason for reason in rejected.rejection_reasons)
    active = campaign_with(synced, status="ACTIVE")
    assert sorted(Campaign.objects.get(campaign_id=active["CampaignId"]).tns) == sorted(
        active["tns"]
    )
    assert CachedChoices.objects.filter(key="ENTITY_TYPE").exists()
    assert (
        CachedChoices.objects.filter(key__startswith="USECASES:").count() == 2
    )  # the verified brands
    assert ChangeRecord.objects.filter(model="messaging.campaign", source=Source.SYNC).count() == 6

    again = run_sync("messaging")
    assert again.status == SyncRun.Status.SUCCEEDED
    assert again.counts["sms_numbers"]["unchanged"] == 50
    assert again.counts["campaigns"]["updated"] == 0


def test_sync_sees_campaign_review_and_brand_vetting_over_sandbox_time(synced):
    assert Campaign.objects.filter(status="PENDING").count() == 2
    assert Brand.objects.filter(verification_status="PENDING").count() == 1
    synced.control.advance(SANDBOX_DAY)
    assert run_sync("messaging").status == SyncRun.Status.SUCCEEDED
    assert not Campaign.objects.filter(status="PENDING").exists()
    # The clinic's short description was rejected with its reason kept alongside.
    rejected = Campaign.objects.filter(status="REJECTED", description="Clinic texts").get()
    assert any("at least 40 characters" in reason for reason in rejected.rejection_reasons)
    assert Brand.objects.get(display_name="Northwind Logistics").verification_status == "VERIFIED"


def test_sync_of_an_unreachable_vi_changes_nothing(synced):
    before = list(SMSNumber.objects.values_list("tn", "enabled", "campaign_id"))
    synced.control.fault("http500", operation="AuditSMS", times=10)
    run = SyncRun.objects.get(pk=_failed_sync_pk())
    assert run.status == SyncRun.Status.FAILED
    assert list(SMSNumber.objects.values_list("tn", "enabled", "campaign_id")) == before


def _failed_sync_pk() -> int:
    try:
        run = run_sync("messaging")
    except ProviderUnavailable:
        return SyncRun.objects.filter(kind="messaging").latest("created_at").pk
    return run.pk


# --- per-number SMS -----------------------------------------------------------------------------


def test_destination_change_reaches_vi_with_history_and_token_only_for_webhooks(synced, operator):
    tn = owned(synced, sms=True)[0]
    outcomes = services.destinations_configure(
        tns=[tn],
        destination_type="EMAIL",
        destination="a@example.com; b@example.com",
        auth_token="not-for-email",
        actor=operator,
        source=Source.STAFF,
    )
    assert outcomes[0].ok
    state = sms_state(synced, tn)
    assert (state["enabled"], state["DestinationType"], state["hasAuthToken"]) == (
        True,
        "EMAIL",
        False,
    )
    row = SMSNumber.objects.get(tn=tn)
    assert row.destination == "a@example.com;b@example.com" and row.last_changed_by == operator
    change = ChangeRecord.objects.filter(
        model="messaging.smsnumber", object_key=tn, source=Source.STAFF
    ).latest("at")
    assert change.actor == operator and change.changes["destination_type"][1] == "EMAIL"

    services.destinations_configure(
        tns=[tn],
        destination_type="POST",
        destination="https://hooks.example.com/in",
        auth_token="s3cret-token",
        actor=operator,
        source=Source.STAFF,
    )
    assert sms_state(synced, tn)["hasAuthToken"] is True
    assert "s3cret-token" not in str(
        list(ProviderCall.objects.values_list("parameters", flat=True))
    )

    services.destinations_configure(
        tns=[tn], destination_type="NONE", actor=operator, source=Source.STAFF
    )
    assert sms_state(synced, tn)["enabled"] is False
    assert SMSNumber.objects.get(tn=tn).enabled is False


@pytest.mark.parametrize(
    "kind, destination",
    [
        ("EMAIL", "not-an-address"),
        ("FORWARD", "12345"),
        ("POST", "ftp://x"),
        ("BOGUS", ""),
    ],
)
def test_bad_destination_is_refused_before_vi(synced, operator, kind, destination):
    calls = ProviderCall.objects.count()
    with pytest.raises(ValidationError):
        services.destinations_configure(
            tns=[owned(synced, sms=True)[0]],
            destination_type=kind,
            destination=destination,
            actor=operator,
            source=Source.STAFF,
        )
    assert ProviderCall.objects.count() == calls


def test_bulk_destination_gives_a_result_per_number(synced, operator):
    capable, incapable = owned(synced, sms=True)[0], owned(synced, sms=False)[0]
    outcomes = services.destinations_configure(
        tns=[capable, incapable, "2015550123"],
        destination_type="SIP",
        actor=operator,
        source=Source.STAFF,
    )
    by_tn = {outcome.tn: outcome for outcome in outcomes}
    assert by_tn[capable].ok
    assert (by_tn[incapable].ok, by_tn[incapable].code) == (False, "954")
    assert (by_tn["2015550123"].ok, by_tn["2015550123"].code) == (False, "909")
    assert SMSNumber.objects.get(tn=capable).enabled is True
    assert SMSNumber.objects.get(tn=incapable).enabled is False


def test_assign_and_remove_campaign_with_per_number_outcomes(synced, operator):
    active = campaign_with(synced, status="ACTIVE")
    free = sms_enabled(synced, on_campaign=False)[:2]
    disabled = next(tn for tn in owned(synced, sms=True) if not sms_state(synced, tn)["enabled"])
    outcomes = services.campaign_numbers_assign(
        tns=[*free, disabled], campaign_id=active["CampaignId"], actor=operator, source=Source.STAFF
    )
    assert [outcome.ok for outcome in outcomes] == [True, True, False]
    assert outcomes[2].code == "954" and "enable" in outcomes[2].message.lower()
    for tn in free:
        assert sms_state(synced, tn)["campaignId"] == active["CampaignId"]
        assert SMSNumber.objects.get(tn=tn).campaign_id == active["CampaignId"]
    assert set(free) <= set(Campaign.objects.get(campaign_id=active["CampaignId"]).tns)

    removed = services.campaign_numbers_remove(
        tns=[free[0], disabled], actor=operator, source=Source.STAFF
    )
    assert [outcome.ok for outcome in removed] == [True, False]
    assert removed[1].code == "956"
    assert SMSNumber.objects.get(tn=free[0]).campaign_id == ""
    assert free[0] not in Campaign.objects.get(campaign_id=active["CampaignId"]).tns


def test_assigning_to_a_campaign_in_review_is_refused_whole(synced, operator):
    pending = campaign_with(synced, status="PENDING")
    with pytest.raises(ProviderRejected) as refusal:
        services.campaign_numbers_assign(
            tns=sms_enabled(synced)[:1],
            campaign_id=pending["CampaignId"],
            actor=operator,
            source=Source.STAFF,
        )
    assert refusal.value.code == "964"


# --- sending ------------------------------------------------------------------------------------


def test_send_sms_is_recorded_with_vis_answer(synced, operator):
    sender = sms_enabled(synced)[0]
    sent = services.test_message_send(
        sender_tn=sender,
        recipient="(801) 555-0199",
        message="Hello",
        actor=operator,
        source=Source.STAFF,
    )
    assert sent.ok and sent.uuid and (sent.sender, sent.recipient) == (f"1{sender}", "18015550199")
    assert synced.control.state("messaging/messages")[-1]["recipient"] == "18015550199"


def test_send_from_a_number_without_sms_is_recorded_as_refused(synced, operator):
    sender = owned(synced, sms=False)[0]
    sent = services.test_message_send(
        sender_tn=sender,
        recipient="8015550199",
        message="Hello",
        actor=operator,
        source=Source.STAFF,
    )
    assert (sent.ok, sent.response_code) == (False, "950")
    assert SentMessage.objects.filter(ok=False).count() == 1
    assert synced.control.state("messaging/messages") == []


@pytest.mark.parametrize("recipient", ["555", "hello", "+44 12"])
def test_invalid_recipient_is_refused_before_vi(synced, operator, recipient):
    with pytest.raises(ValidationError):
        services.test_message_send(
            sender_tn=sms_enabled(synced)[0],
            recipient=recipient,
            message="Hi",
            actor=operator,
            source=Source.STAFF,
        )
    assert not SentMessage.objects.exists()


def test_mms_with_an_image_and_the_size_and_type_checks(synced, operator):
    sender = sms_enabled(synced)[0]
    image = {"file_name": "dot.png", "content_type": "image/png", "content": PNG_1X1}
    sent = services.test_message_send(
        sender_tn=sender,
        recipient="8015550199",
        message="Look",
        files=[image],
        actor=operator,
        source=Source.STAFF,
    )
    assert sent.ok and sent.kind == "MMS" and sent.files[0]["size"] == len(PNG_1X1)
    assert synced.control.state("messaging/messages")[-1]["files"][0]["contentType"] == "image/png"

    too_big = {**image, "content": b"\0" * (1024 * 1024 + 1)}
    with pytest.raises(ValidationError, match="at most 1024 KB"):
        services.test_message_send(
            sender_tn=sender,
            recipient="8015550199",
            message="",
            files=[too_big],
            actor=operator,
            source=Source.STAFF,
        )
    wrong_type = {**image, "content_type": "application/zip"}
    with pytest.raises(ValidationError, match="images"):
        services.test_message_send(
            sender_tn=sender,
            recipient="8015550199",
            message="",
            files=[wrong_type],
            actor=operator,
            source=Source.STAFF,
        )


# --- brands -------------------------------------------------------------------------------------


BRAND = {
    "display_name": "Bright Smiles", "entity_type": "PRIVATE_PROFIT", "company_name": "Bright Smiles LLC",
    "ein": "12-3456789", "vertical": "HEALTHCARE", "email": "sms@bright.example", "phone": "18015550100",
    "country": "US", "tag": "reseller-c",
}  # fmt: skip


def test_brand_created_vetted_over_time_edited_and_found_by_tag(synced, operator):
    brand = services.brand_create(values=BRAND, actor=operator, source=Source.STAFF)
    assert brand.verification_status == "PENDING"
    synced.control.advance(3 * 3600)
    brand = services.brand_status_check(
        customer_id=brand.customer_id, actor=operator, source=Source.STAFF
    )
    assert brand.verification_status == "VERIFIED"

    brand = services.brand_update(
        customer_id=brand.customer_id,
        values={"website": "https://bright.example"},
        actor=operator,
        source=Source.STAFF,
    )
    assert brand.website == "https://bright.example" and brand.verification_status == "VERIFIED"
    assert [
        b.customer_id
        for b in services.brands_find_by_tag(tag="reseller-c", actor=operator, source=Source.STAFF)
    ] == [brand.customer_id]


def test_brand_missing_fields_are_named_before_vi(synced, operator):
    with pytest.raises(ValidationError) as error:
        services.brand_create(
            values={**BRAND, "ein": "", "vertical": ""}, actor=operator, source=Source.STAFF
        )
    assert set(error.value.message_dict) == {"ein", "vertical"}
    with pytest.raises(ValidationError) as error:
        services.brand_create(
            values={**BRAND, "entity_type": "PUBLIC_PROFIT"}, actor=operator, source=Source.STAFF
        )
    assert set(error.value.message_dict) == {"stock_symbol", "stock_exchange"}


def test_sole_proprietor_verifies_by_otp(synced, operator):
    jane = Brand.objects.get(entity_type="SOLE_PROPRIETOR")
    assert (
        services.brand_otp_trigger(
            customer_id=jane.customer_id, actor=operator, source=Source.STAFF
        ).verification_status
        == "OTP_SENT"
    )
    synced.control.advance(11 * 60)
    assert (
        services.brand_status_check(
            customer_id=jane.customer_id, actor=operator, source=Source.STAFF
        ).verification_status
        == "VERIFIED"
    )
    with pytest.raises(ProviderRejected) as refusal:
        services.brand_otp_trigger(
            customer_id=verified_brand().customer_id, actor=operator, source=Source.STAFF
        )
    assert refusal.value.code == "968"


def test_brand_with_campaigns_cannot_be_deleted_but_an_empty_one_can(synced, administrator):
    with pytest.raises(services.BrandHasCampaigns):
        services.brand_delete(
            customer_id=verified_brand().customer_id, actor=administrator, source=Source.STAFF
        )
    lonely = Brand.objects.get(display_name="Shady Leads LLC")
    services.brand_delete(customer_id=lonely.customer_id, actor=administrator, source=Source.STAFF)
    lonely.refresh_from_db()
    assert lonely.is_gone
    assert lonely.customer_id not in {
        c["customerId"] for c in synced.control.state("messaging/customers")
    }


# --- campaigns ----------------------------------------------------------------------------------


def test_campaign_rejected_then_fixed_and_approved(synced, operator):
    brand = verified_brand()
    campaign = services.campaign_create(
        customer_id=brand.customer_id,
        actor=operator,
        source=Source.STAFF,
        **{**GOOD_CAMPAIGN, "description": "Reminders"},
    )
    assert campaign.status == "PENDING"
    synced.control.advance(SANDBOX_DAY)
    run_sync("messaging")
    campaign.refresh_from_db()
    assert campaign.status == "REJECTED" and "40 characters" in campaign.rejection_reasons[0]

    campaign = services.campaign_update(
        campaign_id=campaign.campaign_id,
        texts={"description": GOOD_CAMPAIGN["description"]},
        actor=operator,
        source=Source.STAFF,
    )
    assert campaign.status == "PENDING" and campaign.rejection_reasons == []
    synced.control.advance(SANDBOX_DAY)
    run_sync("messaging")
    campaign.refresh_from_db()
    assert campaign.status == "ACTIVE"


def test_campaign_missing_fields_and_wrong_use_case_never_reach_vi(synced, operator):
    brand = verified_brand()
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            customer_id=brand.customer_id,
            actor=operator,
            source=Source.STAFF,
            **{**GOOD_CAMPAIGN, "description": "", "sample_msg1": ""},
        )
    assert set(error.value.message_dict) == {"description", "sample_msg1"}
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            customer_id=brand.customer_id,
            actor=operator,
            source=Source.STAFF,
            **{**GOOD_CAMPAIGN, "usecase_id": "MIXED"},
        )
    assert "sub_usecase_ids" in error.value.message_dict
    unverified = Brand.objects.get(verification_status="UNVERIFIED")
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            customer_id=unverified.customer_id, actor=operator, source=Source.STAFF, **GOOD_CAMPAIGN
        )
    assert "customer_id" in error.value.message_dict


def test_external_campaign_rejected_then_resubmitted(synced, operator):
    campaign = services.external_campaign_register(
        campaign_id="cx12345", display_name="Partner", actor=operator, source=Source.STAFF
    )
    assert campaign.campaign_id == "CX12345" and campaign.external
    synced.control.advance(SANDBOX_DAY)
    run_sync("messaging")
    campaign.refresh_from_db()
    assert campaign.status == "REJECTED" and "shared" in campaign.rejection_reasons[0]
    assert (
        services.external_campaign_resubmit(
            campaign_id="CX12345", actor=operator, source=Source.STAFF
        ).status
        == "PENDING"
    )
    synced.control.advance(SANDBOX_DAY)
    run_sync("messaging")
    campaign.refresh_from_db()
    assert campaign.status == "ACTIVE"
    with pytest.raises(ValidationError):
        services.external_campaign_register(campaign_id="NOPE", actor=operator, source=Source.STAFF)


def test_deleting_a_campaign_frees_its_numbers(synced, administrator):
    active = campaign_with(synced, status="ACTIVE")
    freed = services.campaign_delete(
        campaign_id=active["CampaignId"], actor=administrator, source=Source.STAFF
    )
    assert sorted(freed) == sorted(active["tns"]) and freed
    assert Campaign.objects.get(campaign_id=active["CampaignId"]).is_gone
    assert not SMSNumber.objects.filter(campaign_id=active["CampaignId"]).exists()
    assert sms_state(synced, freed[0])["campaignId"] is None
    assert active["CampaignId"] not in {
        c["CampaignId"] for c in sandbox_campaigns(synced) if c["status"] != "DELETED"
    }
    # The next sync agrees and holds nothing for confirmation.
    assert run_sync("messaging").status == SyncRun.Status.SUCCEEDED


# --- house rules --------------------------------------------------------------------------------

# Pure validators (no VI call, no write) and the sync kind (its run carries the actor, the
# engine calls every kind alike) take no actor.
NO_ACTOR = {
    "sms_address",
    "destination_validate",
    "mms_files_validate",
    "brand_validate",
    "messaging_sync",
}


def test_every_service_that_calls_vi_or_writes_takes_a_required_actor_and_source():
    public = {
        name: function
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__ and not name.startswith("_")
    }
    assert NO_ACTOR <= set(public)
    for name, function in public.items():
        if name in NO_ACTOR:
            continue
        parameters = inspect.signature(function).parameters
        for needed in ("actor", "source"):
            assert needed in parameters, f"{name} takes no {needed}"
            parameter = parameters[needed]
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
            assert parameter.default is inspect.Parameter.empty, f"{name}: {needed} has a default"


def test_a_campaign_assignment_writes_numbers_and_campaign_lists_as_one_unit(
    synced, operator, monkeypatch
):
    """If the campaign's number list cannot be written, the numbers' campaign is not either."""
    active = campaign_with(synced, status="ACTIVE")
    tn = sms_enabled(synced, on_campaign=False)[0]
    real_record_many = services.record_many

    def failing_on_campaigns(changes, **kwargs):
        changes = list(changes)
        if any(change.model == "messaging.campaign" for change in changes):
            raise RuntimeError("the campaign's history could not be written")
        return real_record_many(changes, **kwargs)

    monkeypatch.setattr(services, "record_many", failing_on_campaigns)
    with pytest.raises(RuntimeError):
        services.campaign_numbers_assign(
            tns=[tn], campaign_id=active["CampaignId"], actor=operator, source=Source.STAFF
        )
    assert SMSNumber.objects.get(tn=tn).campaign_id == ""
    assert not ChangeRecord.objects.filter(
        model="messaging.smsnumber", object_key=tn, source=Source.STAFF
    ).exists()
