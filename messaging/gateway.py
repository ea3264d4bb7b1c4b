"""Typed functions over VI's messaging operations (the 23 `messaging` rows of OPERATIONS.tsv).

The only module of this app that talks to the provider client. Top-level refusals raise
`ProviderRejected` with plain words; per-number outcomes of the campaign calls come back as
`NumberOutcome`s; "No Records Found" (101) on a list read is an empty list; transport
failures propagate as `ProviderUnavailable` from the client.

VI documents neither answers nor codes for SMS/10DLC: the codes below are the ones our
WSDL's sandbox uses (portal/sandbox/domains/messaging.py), with VI's own text kept as a
fallback for anything else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from dids.records import integer, text, vi_list
from portal.voipinnovations import codes
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderRejected

from .records import (
    BRAND_FIELDS,
    BrandRecord,
    CampaignRecord,
    Choice,
    NumberOutcome,
    SendResult,
    SMSSetting,
    UsecaseOption,
)

SUCCESS = 100
EMPTY = 101

# Plain words for the messaging codes (the shared table in codes.py stops at 948).
MESSAGES: dict[str, str] = {
    "909": "The number is not on this account.",
    "944": "VI does not accept this number — senders and recipients are digits only with the country code (1 + 10 digits).",
    "950": "The sender must be one of the account's numbers with SMS enabled.",
    "951": "VI refused the destination for this type — check it.",
    "952": "The message is empty or too long (at most 1,600 characters).",
    "953": "VI refused the file: at most 10 files, 1 MB in all, images, video, audio, text or PDF.",
    "954": "SMS is off on this number: enable it first (“Turn SMS on” on the number's page).",
    "955": "The number is already on this campaign.",
    "956": "The number is not on a campaign.",
    "960": "VI does not know this brand.",
    "961": "VI does not know this campaign.",
    "962": "The brand still has campaigns — delete its campaigns first.",
    "963": "VI refused the brand's details — check the required fields.",
    "964": "The campaign is not approved yet, so numbers cannot be assigned to it.",
    "965": "VI refused the campaign's details.",
    "966": "The campaign cannot be changed in its current status.",
    "967": "This campaign is already registered.",
    "968": "OTP verification does not apply to this brand now.",
}


# VI reuses a code with another meaning on some operations: 954 on a configuration call means
# the number itself cannot have SMS (its carrier or kind of number), not that SMS is off.
CANNOT_HAVE_SMS = (
    "This number cannot have SMS: VI does not offer text messaging on it (its carrier or kind of "
    "number does not support it). Nothing was changed."
)
MESSAGES_BY_OPERATION: dict[tuple[str, str], str] = {
    ("ConfigSMSDestination", "954"): CANNOT_HAVE_SMS,
    ("ConfigSMS", "954"): CANNOT_HAVE_SMS,
}


def describe(code: int | str | None, vi_message: str = "", *, operation: str = "") -> str:
    """Plain words for a messaging code. VI's own sentence is never the message: the page
    shows the code in small print; only for a code we have no words for are VI's words quoted."""
    key = "" if code is None else str(code).strip()
    if (operation, key) in MESSAGES_BY_OPERATION:
        return MESSAGES_BY_OPERATION[(operation, key)]
    if key in MESSAGES:
        return MESSAGES[key]
    described = codes.describe(key)
    if described.meaning == "Unknown code" and vi_message:
        return f"VI refused it with a code the portal does not know; VI's words: “{vi_message.strip()[:200]}”."
    return described.message


def _check(result: Any, *, allow_empty: bool = False, operation: str = "") -> int:
    code = integer(result, "responseCode")
    if code == SUCCESS or (allow_empty and code == EMPTY):
        return code
    raise ProviderRejected(
        code if code is not None else "",
        describe(code, text(result, "responseMessage"), operation=operation),
    )


def _strings(values: Sequence[str]) -> dict:
    return {"string": list(values)}


# --- per-number SMS ---------------------------------------------------------------------------


def audit_sms() -> Iterator[SMSSetting]:
    """Every owned number's SMS state, streamed (AuditSMS without a tn)."""
    for row in stream("AuditSMS", record_tag="SMSDID"):
        setting = SMSSetting.from_vi(row)
        if setting.tn:
            yield setting


def audit_sms_number(*, tn: str) -> SMSSetting | None:
    result = call("AuditSMS", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return None
    rows = [SMSSetting.from_vi(row) for row in vi_list(result, "SMSDIDs", "SMSDID")]
    return next((row for row in rows if row.tn), None)


def _sms_answer(result: Any, tn: str, *, operation: str) -> SMSSetting:
    _check(result, operation=operation)
    rows = [SMSSetting.from_vi(row) for row in vi_list(result, "SMSDIDs", "SMSDID")]
    return next((row for row in rows if row.tn == tn), rows[0] if rows else SMSSetting(tn=tn))


def config_sms_destination(
    *, tn: str, destination_type: str, destination: str = "", auth_token: str = ""
) -> SMSSetting:
    """Set where a number's messages go; NONE turns SMS off (ConfigSMSDestination)."""
    result = call(
        "ConfigSMSDestination",
        tn=tn,
        destinationType=destination_type,
        destination=destination or None,
        authToken=auth_token or None,
    )
    return _sms_answer(result, tn, operation="ConfigSMSDestination")


def config_sms(*, tn: str, enable: bool, forward_email: str = "") -> SMSSetting:
    """Deprecated by VI in favour of ConfigSMSDestination; kept for completeness, unused by pages."""
    result = call("ConfigSMS", tn=tn, enable=enable, forwardEmail=forward_email or None)
    return _sms_answer(result, tn, operation="ConfigSMS")


# --- sending ---------------------------------------------------------------------------------


def send_sms(*, sender: str, recipient: str, message: str) -> SendResult:
    """A refusal is an answer here (the portal records it), so it is returned, not raised."""
    return SendResult.from_vi(call("SendSMS", sender=sender, recipient=recipient, message=message))


def send_mms(
    *, sender: str, recipient: str, message: str, files: Sequence[Mapping[str, Any]]
) -> SendResult:
    """`files`: dicts of file_name, content_type and content (bytes)."""
    payload = [
        {
            "fileName": item["file_name"],
            "contentType": item["content_type"],
            "content": bytes(item["content"]),
        }
        for item in files
    ]
    result = call(
        "SendMMS", sender=sender, recipient=recipient, message=message, files={"MMSFile": payload}
    )
    return SendResult.from_vi(result)


# --- 10DLC brands ----------------------------------------------------------------------------


def _brands(result: Any) -> list[BrandRecord]:
    records = [BrandRecord.from_vi(row) for row in vi_list(result, "Customers", "SMSCustomer")]
    return [record for record in records if record.customer_id]


def get_sms_customers() -> list[BrandRecord]:
    result = call("GetSMSCustomers")
    return _brands(result) if _check(result, allow_empty=True) == SUCCESS else []


def get_sms_customers_by_tag(*, tag: str) -> list[BrandRecord]:
    result = call("GetSMSCustomersByTag", tag=tag)
    return _brands(result) if _check(result, allow_empty=True) == SUCCESS else []


def _customer_param(values: Mapping[str, Any]) -> dict[str, Any]:
    """Brand field values -> VI's SMSCustomer, leaving out what is empty."""
    ours_to_theirs = {ours: theirs for theirs, ours in BRAND_FIELDS.items()}
    param = {"customerId": values.get("customer_id") or None}
    for ours, value in values.items():
        if ours in ours_to_theirs and value not in (None, ""):
            param[ours_to_theirs[ours]] = value
    return param


def _one_brand(result: Any) -> BrandRecord:
    _check(result)
    brands = _brands(result)
    if not brands:
        raise ProviderRejected("", "VI answered without the brand.")
    return brands[0]


def create_sms_customer(*, values: Mapping[str, Any]) -> BrandRecord:
    return _one_brand(call("CreateSMSCustomer", customer=_customer_param(values)))


def update_sms_customer(*, customer_id: str, values: Mapping[str, Any]) -> BrandRecord:
    return _one_brand(
        call("UpdateSMSCustomer", customer=_customer_param({**values, "customer_id": customer_id}))
    )


def delete_sms_customer(*, customer_id: str) -> None:
    _check(call("DeleteSMSCustomer", customerId=customer_id))


def trigger_sms_otp(*, customer_id: str) -> BrandRecord | None:
    result = call("TriggerSMSOTP", customerId=customer_id)
    _check(result)
    brands = _brands(result)
    return brands[0] if brands else None


def check_sms_customer_status(*, customer_id: str) -> BrandRecord:
    return _one_brand(call("CheckSMSCustomerStatus", customerId=customer_id))


def get_sms_enumerations() -> dict[str, list[Choice]]:
    """VI's lists by kind: ENTITY_TYPE, VERTICAL, STOCK_EXCHANGE, DESTINATION_TYPE, …"""
    result = call("GetSMSEnumerations")
    if _check(result, allow_empty=True) != SUCCESS:
        return {}
    kinds: dict[str, list[Choice]] = {}
    for row in vi_list(result, "Enumerations", "SMSEnumeration"):
        kind = text(row, "kind").upper()
        if kind:
            kinds[kind] = [
                Choice(
                    value=text(value, "value"), label=text(value, "name") or text(value, "value")
                )
                for value in vi_list(row, "values", "SMSEnumerationValue")
                if text(value, "value")
            ]
    return kinds


def get_sms_usecase_options(*, customer_id: str) -> list[UsecaseOption]:
    result = call("GetSMSUsecaseOptions", customerId=customer_id)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    options = [
        UsecaseOption.from_vi(row) for row in vi_list(result, "UsecaseOptions", "SMSUsecaseOption")
    ]
    return [option for option in options if option.usecase_id]


# --- 10DLC campaigns -------------------------------------------------------------------------


def _campaigns(result: Any) -> list[CampaignRecord]:
    records = [CampaignRecord.from_vi(row) for row in vi_list(result, "Campaigns", "SMSCampaign")]
    return [record for record in records if record.campaign_id]


def _one_campaign(result: Any) -> CampaignRecord:
    _check(result)
    campaigns = _campaigns(result)
    if not campaigns:
        raise ProviderRejected("", "VI answered without the campaign.")
    return campaigns[0]


def get_sms_campaigns() -> list[CampaignRecord]:
    result = call("GetSMSCampaigns")
    return _campaigns(result) if _check(result, allow_empty=True) == SUCCESS else []


def get_campaign_rejection_reasons(*, campaign_id: str) -> list[str]:
    result = call("GetCampaignRejectionReason", campaignId=campaign_id)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return [
        str(reason).strip() for reason in vi_list(result, "RejectionReasons", "string") if reason
    ]


CREATE_FLAGS = {
    "sub_opt_in": "subOptIn", "sub_opt_out": "subOptOut", "sub_help": "subHelp", "num_pooling": "numPooling",
    "direct_lending": "directLending", "embedded_link": "embeddedLink", "embedded_phone": "embeddedPhone",
    "aff_marketing": "affMarketing", "age_gated": "ageGated",
}  # fmt: skip


def create_sms_campaign(
    *,
    customer_id: str,
    display_name: str,
    description: str,
    usecase_id: str,
    sub_usecase_ids: Sequence[str] = (),
    vertical: str = "",
    message_flow: str = "",
    sample_msg1: str = "",
    sample_msg2: str = "",
    flags: Mapping[str, bool] | None = None,
) -> CampaignRecord:
    flags = flags or {}
    result = call(
        "CreateSMSCampaign",
        customerId=customer_id,
        description=description,
        displayName=display_name,
        vertical=vertical or None,
        messageFlow=message_flow or None,
        sampleMsg1=sample_msg1 or None,
        sampleMsg2=sample_msg2 or None,
        **{theirs: bool(flags.get(ours)) for ours, theirs in CREATE_FLAGS.items()},
        usecaseId=usecase_id,
        subUsecaseIds=",".join(sub_usecase_ids) or None,
    )
    return _one_campaign(result)


def update_sms_campaign(*, campaign_id: str, texts: Mapping[str, str]) -> CampaignRecord:
    """Only VI's updatable texts; an empty one is left as it is at VI."""
    names = {
        "help_message": "helpMessage",
        "opt_out_message": "optOutMessage",
        "message_flow": "messageFlow",
        "description": "description",
        "sample_msg1": "sampleMsg1",
        "sample_msg2": "sampleMsg2",
    }
    params = {theirs: (texts.get(ours) or None) for ours, theirs in names.items()}
    return _one_campaign(call("UpdateSMSCampaign", campaignId=campaign_id, **params))


def delete_sms_campaign(*, campaign_id: str) -> None:
    _check(call("DeleteSMSCampaign", campaignId=campaign_id))


def register_external_sms_campaign(*, campaign_id: str, display_name: str = "") -> CampaignRecord:
    return _one_campaign(
        call(
            "RegisterExternalSMSCampaign", campaignId=campaign_id, displayName=display_name or None
        )
    )


def resubmit_external_sms_campaign(*, campaign_id: str) -> CampaignRecord:
    return _one_campaign(call("ResubmitExternalSMSCampaign", campaignId=campaign_id))


def _tn_outcomes(result: Any, tns: Sequence[str], *, done: str) -> list[NumberOutcome]:
    """One outcome per number: `done` in our words when VI did it, the code's words when not."""
    _check(result)
    by_tn: dict[str, NumberOutcome] = {}
    for row in vi_list(result, "TNResults", "SMSTNResult"):
        tn, code, status = text(row, "tn"), text(row, "statusCode"), text(row, "status")
        ok = code == str(SUCCESS)
        by_tn.setdefault(
            tn,
            NumberOutcome(tn=tn, code=code, ok=ok, message=done if ok else describe(code, status)),
        )
    return [
        by_tn.get(tn)
        or NumberOutcome(tn=tn, code="", ok=False, message="VI said nothing about this number.")
        for tn in tns
    ]


def assign_to_sms_campaign(*, tns: Sequence[str], campaign_id: str) -> list[NumberOutcome]:
    return _tn_outcomes(
        call("AssignToSMSCampaign", tns=_strings(tns), campaignId=campaign_id),
        tns,
        done=f"Now on campaign {campaign_id}.",
    )


def remove_from_sms_campaign(*, tns: Sequence[str]) -> list[NumberOutcome]:
    return _tn_outcomes(
        call("RemoveFromSMSCampaign", tns=_strings(tns)), tns, done="Taken off its campaign."
    )
