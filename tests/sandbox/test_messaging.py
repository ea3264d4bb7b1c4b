"""The sandbox's SMS and 10DLC domain through a zeep client on our WSDL (VI's 2014 one has none
of these operations), plus raw envelopes for VI's request tolerance."""

from __future__ import annotations

import base64

import pytest
import zeep

from tests.fixtures.shared import REPO_DIR

from .soap_client import items

OUR_WSDL = REPO_DIR / "portal" / "voipinnovations" / "wsdl" / "APIService.wsdl"
HOUR = 3600
GOOD_CAMPAIGN = {
    "description": "Appointment reminders for patients of Acme Dental who opted in at the front desk",
    "displayName": "Acme reminders",
    "vertical": "HEALTHCARE",
    "messageFlow": "Patients opt in on the intake form",
    "sampleMsg1": "Acme: your cleaning is tomorrow at 9. Reply STOP to opt out.",
    "sampleMsg2": "Acme: reply C to confirm.",
    "subOptIn": True,
    "subOptOut": True,
    "subHelp": True,
    "numPooling": False,
    "directLending": False,
    "embeddedLink": False,
    "embeddedPhone": False,
    "affMarketing": False,
    "ageGated": False,
    "usecaseId": "CUSTOMER_CARE",
    "subUsecaseIds": "",
}
BRAND = {
    "displayName": "Blue Sky Pediatrics",
    "entityType": "PRIVATE_PROFIT",
    "companyName": "Blue Sky Pediatrics",
    "ein": "84-1234567",
    "vertical": "HEALTHCARE",
    "email": "sms@bluesky.example",
    "phone": "18015550111",
    "country": "US",
    "tag": "reseller-c",
}


@pytest.fixture(scope="module")
def our_client():
    return zeep.Client(str(OUR_WSDL))


@pytest.fixture
def vi(our_client, sandbox):
    service = our_client.create_service("{http://tempuri.org/}APIServiceSoap", sandbox.url)

    class Calls:
        def __getattr__(self, operation):
            method = getattr(service, operation)
            return lambda **params: method(login=sandbox.login, secret=sandbox.secret, **params)

    return Calls()


def _audit(vi) -> list:
    return vi.AuditSMS().SMSDIDs.SMSDID


def _enabled(vi) -> list:
    return [record for record in _audit(vi) if record.enabled]


def _sms_capable_disabled(vi, sandbox) -> str:
    capable = {n["tn"] for n in sandbox.control.state("numbers/owned") if n["sms"]}
    return next(record.tn for record in _audit(vi) if not record.enabled and record.tn in capable)


def _campaigns(vi) -> dict:
    return {
        campaign.CampaignId: campaign for campaign in vi.GetSMSCampaigns().Campaigns.SMSCampaign
    }


def _customer(vi, name: str):
    return next(c for c in vi.GetSMSCustomers().Customers.SMSCustomer if c.displayName == name)


# --- per-number SMS settings ---------------------------------------------------------------------


def test_audit_sms_lists_every_owned_number(vi, sandbox):
    owned = {n["tn"] for n in sandbox.control.state("numbers/owned")}
    records = _audit(vi)
    assert {record.tn for record in records} == owned
    enabled = [r for r in records if r.enabled]
    assert enabled and len(enabled) < len(records)
    assert any(r.campaignId is None for r in enabled), "some numbers have SMS but no campaign"
    assert {r.DestinationType for r in records if not r.enabled} == {"NONE"}


def test_audit_sms_for_one_number_and_refusals(vi, sandbox):
    tn = sandbox.control.state("numbers/owned")[0]["tn"]
    (record,) = vi.AuditSMS(tn=tn).SMSDIDs.SMSDID
    assert record.tn == tn
    assert vi.AuditSMS(tn="8015550199").responseCode == 909
    assert vi.AuditSMS(tn="12").responseCode == 944


@pytest.mark.parametrize(
    ("kind", "destination", "stored_destination", "forward"),
    [
        ("SIP", "sip:inbound@pbx.example.com", "sip:inbound@pbx.example.com", None),
        (
            "EMAIL",
            "a@example.com; b@example.com",
            "a@example.com;b@example.com",
            "a@example.com;b@example.com",
        ),
        ("FORWARD", "18015550123", "8015550123", "8015550123"),
        ("POST", "https://hooks.example.com/sms", "https://hooks.example.com/sms", None),
        ("GET", "https://hooks.example.com/sms", "https://hooks.example.com/sms", None),
        ("PROGTELCO", None, None, None),
    ],
)
def test_config_sms_destination_types(vi, sandbox, kind, destination, stored_destination, forward):
    tn = _sms_capable_disabled(vi, sandbox)

    answer = vi.ConfigSMSDestination(
        tn=tn, destinationType=kind.lower(), destination=destination, authToken="s3cret-token"
    )

    assert answer.responseCode == 100
    (record,) = answer.SMSDIDs.SMSDID
    assert (record.enabled, record.DestinationType, record.Destination, record.Forward) == (
        True,
        kind,
        stored_destination,
        forward,
    )
    state = sandbox.control.state(f"messaging/{tn}")
    assert state["hasAuthToken"] is (kind in ("POST", "GET"))
    assert "s3cret-token" not in str(answer)


def test_config_sms_destination_none_disables(vi, sandbox):
    tn = _enabled(vi)[0].tn
    (record,) = vi.ConfigSMSDestination(tn=tn, destinationType="NONE").SMSDIDs.SMSDID
    assert (record.enabled, record.DestinationType, record.Destination) == (False, "NONE", None)


@pytest.mark.parametrize(
    ("kind", "destination"),
    [
        ("FAX", "x"),
        ("EMAIL", "not-an-email"),
        ("FORWARD", "555"),
        ("POST", "ftp://x"),
        ("GET", None),
    ],
)
def test_config_sms_destination_refuses_bad_input_with_951(vi, sandbox, kind, destination):
    tn = _sms_capable_disabled(vi, sandbox)
    answer = vi.ConfigSMSDestination(tn=tn, destinationType=kind, destination=destination)
    assert answer.responseCode == 951
    (record,) = vi.AuditSMS(tn=tn).SMSDIDs.SMSDID
    assert record.enabled is False


def test_config_sms_destination_needs_an_owned_sms_number(vi, sandbox):
    assert vi.ConfigSMSDestination(tn="8015550199", destinationType="SIP").responseCode == 909
    no_sms = next((n["tn"] for n in sandbox.control.state("numbers/owned") if not n["sms"]), None)
    if no_sms:
        assert vi.ConfigSMSDestination(tn=no_sms, destinationType="SIP").responseCode == 954


def test_deprecated_config_sms(vi, sandbox):
    tn = _sms_capable_disabled(vi, sandbox)
    (record,) = vi.ConfigSMS(tn=tn, enable=True, forwardEmail="desk@example.com").SMSDIDs.SMSDID
    assert (record.enabled, record.DestinationType, record.Forward) == (
        True,
        "EMAIL",
        "desk@example.com",
    )
    (record,) = vi.ConfigSMS(tn=tn, enable=True, forwardEmail="8015550123").SMSDIDs.SMSDID
    assert (record.DestinationType, record.Forward) == ("FORWARD", "8015550123")
    (record,) = vi.ConfigSMS(tn=tn, enable=True, forwardEmail="").SMSDIDs.SMSDID
    assert (record.enabled, record.DestinationType, record.Forward) == (True, "SIP", None)
    (record,) = vi.ConfigSMS(tn=tn, enable=False, forwardEmail="").SMSDIDs.SMSDID
    assert (record.enabled, record.DestinationType) == (False, "NONE")


def test_releasing_a_number_drops_its_sms(vi, sandbox):
    tn = _enabled(vi)[0].tn
    sandbox.control.other("release", tn=tn)
    assert tn not in {record.tn for record in _audit(vi)}
    assert sandbox.control.state(f"messaging/{tn}")["enabled"] is False


# --- sending ----------------------------------------------------------------------------------


def test_send_sms_from_an_enabled_number_is_recorded(vi, sandbox):
    sender = "1" + _enabled(vi)[0].tn

    answer = vi.SendSMS(sender=sender, recipient="18015550100", message="Your table is ready")

    assert (answer.responseCode, answer.responseMessage) == (100, "Success")
    assert (
        answer.Uuid and answer.MsgDetails.uuid == answer.Uuid and answer.MsgDetails.success is True
    )
    (sent,) = sandbox.control.state("messaging/messages")
    assert (sent["uuid"], sent["sender"], sent["recipient"], sent["message"], sent["kind"]) == (
        answer.Uuid,
        sender,
        "18015550100",
        "Your table is ready",
        "SMS",
    )


@pytest.mark.parametrize(
    ("sender_form", "recipient"),
    [
        ("+1{tn}", "18015550100"),
        ("{tn}", "18015550100"),
        ("1{tn}", "+18015550100"),
        ("1{tn}", "8015550100"),
    ],
)
def test_send_sms_wants_digits_with_country_code(vi, sender_form, recipient):
    sender = sender_form.format(tn=_enabled(vi)[0].tn)
    answer = vi.SendSMS(sender=sender, recipient=recipient, message="hi")
    assert (answer.responseCode, answer.responseMessage) == (
        944,
        "Invalid TN. Sender and recipient must be valid phone numbers and include country code.",
    )


def test_send_sms_refuses_a_sender_that_cannot_send(vi, sandbox):
    disabled = _sms_capable_disabled(vi, sandbox)
    for sender in ("18015550199", "1" + disabled):
        answer = vi.SendSMS(sender=sender, recipient="18015550100", message="hi")
        assert (answer.responseCode, answer.responseMessage) == (950, "Invalid sender")
    assert sandbox.control.state("messaging/messages") == []


def test_send_sms_message_length(vi):
    sender = "1" + _enabled(vi)[0].tn
    assert vi.SendSMS(sender=sender, recipient="18015550100", message="").responseCode == 952
    assert (
        vi.SendSMS(sender=sender, recipient="18015550100", message="x" * 1601).responseCode == 952
    )
    assert (
        vi.SendSMS(sender=sender, recipient="18015550100", message="x" * 1600).responseCode == 100
    )


def _file(name="a.png", content_type="image/png", size=100) -> dict:
    return {
        "fileName": name,
        "contentType": content_type,
        "content": b"\x89PNG" + b"\x00" * (size - 4),
    }


def test_send_mms(vi, sandbox):
    sender = "1" + _enabled(vi)[0].tn
    answer = vi.SendMMS(
        sender=sender,
        recipient="18015550100",
        message="photo",
        files={"MMSFile": [_file(), _file("b.gif", "image/gif")]},
    )
    assert answer.responseCode == 100
    assert [f.fileName for f in answer.files.MMSFile] == ["a.png", "b.gif"]
    (sent,) = sandbox.control.state("messaging/messages")
    assert sent["kind"] == "MMS" and [f["size"] for f in sent["files"]] == [100, 100]


@pytest.mark.parametrize(
    "files",
    [
        [],
        [_file(content_type="application/x-msdownload")],
        [_file(size=1024 * 1024 + 1)],
        [_file(name=f"{i}.png") for i in range(11)],
    ],
)
def test_send_mms_file_limits(vi, files):
    sender = "1" + _enabled(vi)[0].tn
    answer = vi.SendMMS(
        sender=sender, recipient="18015550100", message="x", files={"MMSFile": files}
    )
    assert answer.responseCode == 953


def test_raw_send_sms_prefixed_and_reordered(sandbox, vi):
    from .soap_client import post, result_of

    sender = "1" + _enabled(vi)[0].tn
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="http://tempuri.org/">'
        f"<soap:Body><tns:SendSMS><tns:message>hello</tns:message><tns:recipient>18015550100</tns:recipient>"
        f"<tns:sender>{sender}</tns:sender><tns:secret>{sandbox.secret}</tns:secret>"
        f"<tns:login>{sandbox.login}</tns:login></tns:SendSMS></soap:Body></soap:Envelope>"
    )
    result = result_of(post(sandbox.url, body, operation="SendSMS"), "SendSMS")
    assert result["responseCode"] == "100" and result["Uuid"]


# --- 10DLC customers -----------------------------------------------------------------------------


def test_seeded_customers_cover_each_verification_state(vi):
    states = {c.verificationStatus for c in vi.GetSMSCustomers().Customers.SMSCustomer}
    assert {"VERIFIED", "PENDING", "UNVERIFIED", "OTP_REQUIRED"} <= states


def test_a_new_customer_is_vetted_over_time(vi, sandbox):
    created = vi.CreateSMSCustomer(customer=BRAND).Customers.SMSCustomer[0]
    assert (created.verificationStatus, created.companyName) == ("PENDING", "Blue Sky Pediatrics")

    sandbox.control.advance(1 * HOUR)
    assert (
        vi.CheckSMSCustomerStatus(customerId=created.customerId)
        .Customers.SMSCustomer[0]
        .verificationStatus
        == "PENDING"
    )
    sandbox.control.advance(1 * HOUR + 1)
    assert (
        vi.CheckSMSCustomerStatus(customerId=created.customerId)
        .Customers.SMSCustomer[0]
        .verificationStatus
        == "VERIFIED"
    )


def test_a_customer_with_an_implausible_ein_fails_vetting(vi, sandbox):
    created = vi.CreateSMSCustomer(customer={**BRAND, "ein": "11-1111111"}).Customers.SMSCustomer[0]
    sandbox.control.advance(2 * HOUR + 1)
    status = (
        vi.CheckSMSCustomerStatus(customerId=created.customerId)
        .Customers.SMSCustomer[0]
        .verificationStatus
    )
    assert status == "UNVERIFIED"


@pytest.mark.parametrize(
    "change",
    [
        {"ein": None},
        {"entityType": "PIRATE"},
        {"vertical": "SPACE"},
        {"email": None},
        {"entityType": "PUBLIC_PROFIT"},
    ],  # a listed company needs stockSymbol/stockExchange
)
def test_create_customer_refuses_incomplete_information(vi, change):
    answer = vi.CreateSMSCustomer(customer={**BRAND, **change})
    assert answer.responseCode == 963


def test_sole_proprietor_verifies_by_otp(vi, sandbox):
    owner = _customer(vi, "Jane Smith Photography")
    assert owner.verificationStatus == "OTP_REQUIRED"
    assert (
        vi.TriggerSMSOTP(customerId=_customer(vi, "Acme Dental Group").customerId).responseCode
        == 968
    )

    sent = vi.TriggerSMSOTP(customerId=owner.customerId).Customers.SMSCustomer[0]
    assert sent.verificationStatus == "OTP_SENT"
    sandbox.control.advance(10 * 60 + 1)
    assert (
        vi.CheckSMSCustomerStatus(customerId=owner.customerId)
        .Customers.SMSCustomer[0]
        .verificationStatus
        == "VERIFIED"
    )
    assert vi.TriggerSMSOTP(customerId=owner.customerId).responseCode == 968
    options = vi.GetSMSUsecaseOptions(customerId=owner.customerId).UsecaseOptions.SMSUsecaseOption
    assert [option.usecaseId for option in options] == ["SOLE_PROPRIETOR"]


def test_customers_by_tag_and_unknown_ids(vi):
    tagged = vi.GetSMSCustomersByTag(tag="reseller-a").Customers.SMSCustomer
    assert {c.displayName for c in tagged} == {"Acme Dental Group", "Hilltop Community Clinic"}
    assert vi.GetSMSCustomersByTag(tag="nobody").responseCode == 101
    assert vi.CheckSMSCustomerStatus(customerId="BNOPE00").responseCode == 960


def test_update_customer_identity_is_vetted_again(vi, sandbox):
    acme = _customer(vi, "Acme Dental Group")
    answer = vi.UpdateSMSCustomer(
        customer={"customerId": acme.customerId, "website": "https://acme.example"}
    )
    assert answer.Customers.SMSCustomer[0].verificationStatus == "VERIFIED"
    answer = vi.UpdateSMSCustomer(customer={"customerId": acme.customerId, "ein": "87-7654321"})
    assert answer.Customers.SMSCustomer[0].verificationStatus == "PENDING"


def test_deleting_a_customer_is_blocked_while_campaigns_exist(vi):
    clinic = _customer(vi, "Hilltop Community Clinic")
    answer = vi.DeleteSMSCustomer(customerId=clinic.customerId)
    assert answer.responseCode == 962
    for campaign in _campaigns(vi).values():
        if campaign.customerId == clinic.customerId:
            assert vi.DeleteSMSCampaign(campaignId=campaign.CampaignId).responseCode == 100
    assert vi.DeleteSMSCustomer(customerId=clinic.customerId).responseCode == 100
    assert clinic.customerId not in {
        c.customerId for c in vi.GetSMSCustomers().Customers.SMSCustomer
    }


def test_enumerations_and_usecase_options(vi):
    kinds = {
        e.kind: [v.value for v in e.values.SMSEnumerationValue]
        for e in vi.GetSMSEnumerations().Enumerations.SMSEnumeration
    }
    assert "SOLE_PROPRIETOR" in kinds["ENTITY_TYPE"] and "HEALTHCARE" in kinds["VERTICAL"]
    assert set(kinds["DESTINATION_TYPE"]) == {
        "NONE",
        "SIP",
        "EMAIL",
        "FORWARD",
        "POST",
        "GET",
        "PROGTELCO",
    }
    acme = _customer(vi, "Acme Dental Group")
    options = {
        o.usecaseId: o
        for o in vi.GetSMSUsecaseOptions(customerId=acme.customerId).UsecaseOptions.SMSUsecaseOption
    }
    assert (options["MIXED"].minSubUsecases, options["MIXED"].maxSubUsecases) == (2, 5)
    assert "SOLE_PROPRIETOR" not in options


# --- 10DLC campaigns -----------------------------------------------------------------------------


def test_seeded_campaigns_cover_each_state(vi):
    statuses = {c.status for c in _campaigns(vi).values()}
    assert {"ACTIVE", "PENDING", "REJECTED", "EXPIRED"} <= statuses
    assert any(c.external for c in _campaigns(vi).values())


def test_a_good_campaign_is_approved_after_review(vi, sandbox):
    acme = _customer(vi, "Acme Dental Group")
    created = vi.CreateSMSCampaign(
        customerId=acme.customerId, **GOOD_CAMPAIGN
    ).Campaigns.SMSCampaign[0]
    assert (created.status, created.customerId, created.external) == (
        "PENDING",
        acme.customerId,
        False,
    )

    sandbox.control.advance(23 * HOUR)
    assert _campaigns(vi)[created.CampaignId].status == "PENDING"
    sandbox.control.advance(1 * HOUR + 1)
    assert _campaigns(vi)[created.CampaignId].status == "ACTIVE"
    assert vi.GetCampaignRejectionReason(campaignId=created.CampaignId).responseCode == 101


def test_a_campaign_without_opt_out_language_and_a_short_description_is_rejected(vi, sandbox):
    acme = _customer(vi, "Acme Dental Group")
    weak = {
        **GOOD_CAMPAIGN,
        "description": "Reminders",
        "sampleMsg1": "See you soon",
        "sampleMsg2": "Thanks",
    }
    created = vi.CreateSMSCampaign(customerId=acme.customerId, **weak).Campaigns.SMSCampaign[0]

    sandbox.control.advance(24 * HOUR + 1)

    assert _campaigns(vi)[created.CampaignId].status == "REJECTED"
    reasons = vi.GetCampaignRejectionReason(campaignId=created.CampaignId).RejectionReasons.string
    assert len(reasons) == 2
    assert any("40 characters" in reason for reason in reasons)
    assert any("opt-out" in reason for reason in reasons)

    updated = vi.UpdateSMSCampaign(
        campaignId=created.CampaignId,
        description=GOOD_CAMPAIGN["description"],
        sampleMsg1=GOOD_CAMPAIGN["sampleMsg1"],
    ).Campaigns.SMSCampaign[0]
    assert updated.status == "PENDING"
    sandbox.control.advance(24 * HOUR + 1)
    assert _campaigns(vi)[created.CampaignId].status == "ACTIVE"


@pytest.mark.parametrize(
    ("customer_name", "change"),
    [
        ("Northwind Logistics", {}),  # not verified yet
        ("Acme Dental Group", {"usecaseId": "SOLE_PROPRIETOR"}),
        ("Acme Dental Group", {"usecaseId": "MIXED", "subUsecaseIds": "2FA"}),  # MIXED needs 2-5
        ("Acme Dental Group", {"description": ""}),
    ],
)
def test_create_campaign_refusals(vi, customer_name, change):
    customer = _customer(vi, customer_name)
    answer = vi.CreateSMSCampaign(customerId=customer.customerId, **{**GOOD_CAMPAIGN, **change})
    assert answer.responseCode == 965


def test_create_campaign_for_an_unknown_customer(vi):
    assert vi.CreateSMSCampaign(customerId="BNOPE00", **GOOD_CAMPAIGN).responseCode == 960


def test_assign_and_remove_numbers_with_per_number_outcomes(vi, sandbox):
    campaigns = _campaigns(vi)
    active = next(c for c in campaigns.values() if c.status == "ACTIVE" and not c.external)
    on_it = active.tns.string[0]
    free = next(r.tn for r in _enabled(vi) if r.campaignId is None)
    disabled = _sms_capable_disabled(vi, sandbox)

    answer = vi.AssignToSMSCampaign(
        tns={"string": [free, on_it, disabled, "8015550199", "12"]}, campaignId=active.CampaignId
    )

    assert answer.responseCode == 100
    outcomes = [(r.tn, r.statusCode) for r in answer.TNResults.SMSTNResult]
    assert outcomes == [
        (free, "100"),
        (on_it, "955"),
        (disabled, "954"),
        ("8015550199", "909"),
        ("12", "944"),
    ]
    assert answer.TNResults.SMSTNResult[0].status == f"Assigned to campaign {active.CampaignId}"
    assert free in _campaigns(vi)[active.CampaignId].tns.string

    removed = vi.RemoveFromSMSCampaign(tns={"string": [free, disabled]})
    assert [(r.tn, r.statusCode) for r in removed.TNResults.SMSTNResult] == [
        (free, "100"),
        (disabled, "956"),
    ]
    (record,) = vi.AuditSMS(tn=free).SMSDIDs.SMSDID
    assert record.campaignId is None


def test_numbers_go_only_onto_an_active_campaign(vi):
    campaigns = _campaigns(vi)
    pending = next(c for c in campaigns.values() if c.status == "PENDING")
    tn = _enabled(vi)[0].tn
    answer = vi.AssignToSMSCampaign(tns={"string": [tn]}, campaignId=pending.CampaignId)
    assert (answer.responseCode, answer.TNResults) == (964, None)
    assert vi.AssignToSMSCampaign(tns={"string": [tn]}, campaignId="CNOPE00").responseCode == 961


def test_deleting_a_campaign_frees_its_numbers(vi):
    active = next(c for c in _campaigns(vi).values() if c.status == "ACTIVE" and not c.external)
    tns = list(active.tns.string)

    assert vi.DeleteSMSCampaign(campaignId=active.CampaignId).responseCode == 100

    assert active.CampaignId not in _campaigns(vi)
    assert all(vi.AuditSMS(tn=tn).SMSDIDs.SMSDID[0].campaignId is None for tn in tns)
    assert vi.DeleteSMSCampaign(campaignId=active.CampaignId).responseCode == 961


def test_external_campaign_registration_and_resubmission(vi, sandbox):
    shared = vi.RegisterExternalSMSCampaign(
        campaignId="c1a2b3c", displayName="Partner alerts"
    ).Campaigns.SMSCampaign[0]
    unshared = vi.RegisterExternalSMSCampaign(
        campaignId="CX12345", displayName="Unshared"
    ).Campaigns.SMSCampaign[0]
    assert (shared.CampaignId, shared.external, shared.status) == ("C1A2B3C", True, "PENDING")
    assert vi.RegisterExternalSMSCampaign(campaignId="C1A2B3C").responseCode == 967
    assert vi.RegisterExternalSMSCampaign(campaignId="12345").responseCode == 965

    sandbox.control.advance(24 * HOUR + 1)
    campaigns = _campaigns(vi)
    assert (campaigns["C1A2B3C"].status, campaigns["CX12345"].status) == ("ACTIVE", "REJECTED")
    assert vi.ResubmitExternalSMSCampaign(campaignId="C1A2B3C").responseCode == 966

    assert (
        vi.ResubmitExternalSMSCampaign(campaignId=unshared.CampaignId)
        .Campaigns.SMSCampaign[0]
        .status
        == "PENDING"
    )
    sandbox.control.advance(24 * HOUR + 1)
    assert _campaigns(vi)["CX12345"].status == "ACTIVE"


def test_only_external_campaigns_are_resubmitted(vi):
    rejected = next(c for c in _campaigns(vi).values() if c.status == "REJECTED" and not c.external)
    assert vi.ResubmitExternalSMSCampaign(campaignId=rejected.CampaignId).responseCode == 966


def test_empty_account_has_no_messaging_records(vi, sandbox, soap):
    sandbox.control.reset("empty")
    assert vi.GetSMSCampaigns().responseCode == 101
    assert vi.GetSMSCustomers().responseCode == 101
    result = soap.call("AuditSMS", "<tn/>")
    assert (result["responseCode"], items(result, "SMSDIDs", "SMSDID")) == ("101", [])


def test_mms_content_is_base64_on_the_wire(sandbox, vi):
    """zeep encodes bytes for us above; a raw caller sends base64 text that must decode."""
    from .soap_client import post, result_of

    sender = "1" + _enabled(vi)[0].tn
    content = base64.b64encode(b"GIF89a" + b"\x00" * 10).decode()
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<SendMMS xmlns="http://tempuri.org/"><login>{sandbox.login}</login><secret>{sandbox.secret}</secret>'
        f"<sender>{sender}</sender><recipient>18015550100</recipient><message/>"
        f"<files><MMSFile><fileName>x.gif</fileName><contentType>image/gif</contentType>"
        f"<content>{content}</content></MMSFile><MMSFile><fileName>y.gif</fileName>"
        "<contentType>image/gif</contentType><content>%%%notbase64</content></MMSFile></files>"
        "</SendMMS></soap:Body></soap:Envelope>"
    )
    result = result_of(post(sandbox.url, body, operation="SendMMS"), "SendMMS")
    assert result["responseCode"] == "953"
