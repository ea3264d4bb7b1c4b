"""What the messaging gateway returns: frozen, typed copies of VI's answers.

Field names are the mirror models' (so a record feeds the sync engine as it is); VI's
element names stop in the `from_vi` constructors. Each takes a zeep object or a streamed
dict alike (`dids.records.vi_value` reads both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dids.records import flag, integer, text, utc_moment, vi_list, vi_record, vi_value


@dataclass(frozen=True)
class SMSSetting:
    """One number's SMS state (SMSDID)."""

    tn: str
    enabled: bool = False
    destination_type: str = "NONE"
    destination: str = ""
    forward: str = ""
    dlr: bool = False
    campaign_id: str = ""

    @vi_record("messaging.SMSNumber")
    @classmethod
    def from_vi(cls, row: Any) -> SMSSetting:
        return cls(
            tn=text(row, "tn"),
            enabled=flag(row, "enabled"),
            destination_type=text(row, "DestinationType").upper() or "NONE",
            destination=text(row, "Destination"),
            forward=text(row, "Forward"),
            dlr=flag(row, "DLR"),
            campaign_id=text(row, "campaignId"),
        )


# SMSCustomer element -> Brand field.
BRAND_FIELDS = {
    "tag": "tag", "companyName": "company_name", "displayName": "display_name", "entityType": "entity_type",
    "vertical": "vertical", "ein": "ein", "einCountry": "ein_country", "website": "website", "email": "email",
    "phone": "phone", "street": "street", "city": "city", "state": "state", "postalCode": "postal_code",
    "country": "country", "stockSymbol": "stock_symbol", "stockExchange": "stock_exchange",
    "firstName": "first_name", "lastName": "last_name", "status": "status",
    "verificationStatus": "verification_status",
}  # fmt: skip


@dataclass(frozen=True)
class BrandRecord:
    customer_id: str
    tag: str = ""
    company_name: str = ""
    display_name: str = ""
    entity_type: str = ""
    vertical: str = ""
    ein: str = ""
    ein_country: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    stock_symbol: str = ""
    stock_exchange: str = ""
    first_name: str = ""
    last_name: str = ""
    status: str = ""
    verification_status: str = ""
    created_date: datetime | None = None

    @vi_record("messaging.Brand")
    @classmethod
    def from_vi(cls, row: Any) -> BrandRecord:
        values = {ours: text(row, theirs) for theirs, ours in BRAND_FIELDS.items()}
        return cls(
            customer_id=text(row, "customerId"),
            created_date=utc_moment(row, "createdDate"),
            **values,
        )


# SMSCampaign element -> Campaign field.
CAMPAIGN_TEXTS = {
    "customerId": "customer_id", "displayName": "display_name", "description": "description",
    "usecaseId": "usecase_id", "subUsecaseIds": "sub_usecase_ids", "vertical": "vertical",
    "messageFlow": "message_flow", "helpMessage": "help_message", "optOutMessage": "opt_out_message",
    "sampleMsg1": "sample_msg1", "sampleMsg2": "sample_msg2", "status": "status",
}  # fmt: skip
CAMPAIGN_FLAGS = {
    "subOptIn": "sub_opt_in", "subOptOut": "sub_opt_out", "subHelp": "sub_help", "numPooling": "num_pooling",
    "directLending": "direct_lending", "embeddedLink": "embedded_link", "embeddedPhone": "embedded_phone",
    "affMarketing": "aff_marketing", "ageGated": "age_gated",
}  # fmt: skip


@dataclass(frozen=True)
class CampaignRecord:
    campaign_id: str
    customer_id: str = ""
    display_name: str = ""
    description: str = ""
    usecase_id: str = ""
    sub_usecase_ids: str = ""
    vertical: str = ""
    message_flow: str = ""
    help_message: str = ""
    opt_out_message: str = ""
    sample_msg1: str = ""
    sample_msg2: str = ""
    sub_opt_in: bool = False
    sub_opt_out: bool = False
    sub_help: bool = False
    num_pooling: bool = False
    direct_lending: bool = False
    embedded_link: bool = False
    embedded_phone: bool = False
    aff_marketing: bool = False
    age_gated: bool = False
    status: str = ""
    created_date: datetime | None = None
    tns: tuple[str, ...] = ()
    external: bool = False
    rejection_reasons: tuple[str, ...] = ()

    @vi_record("messaging.Campaign")
    @classmethod
    def from_vi(cls, row: Any) -> CampaignRecord:
        values: dict[str, Any] = {
            ours: text(row, theirs) for theirs, ours in CAMPAIGN_TEXTS.items()
        }
        values.update({ours: flag(row, theirs) for theirs, ours in CAMPAIGN_FLAGS.items()})
        values["status"] = values["status"].upper()
        tns = tuple(
            str(tn).strip() for tn in vi_list(row, "tns", "string") if tn and str(tn).strip()
        )
        return cls(
            campaign_id=text(row, "CampaignId"),
            created_date=utc_moment(row, "createdDate"),
            tns=tuple(sorted(tns)),
            external=flag(row, "external"),
            **values,
        )


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class UsecaseOption:
    usecase_id: str
    name: str
    description: str = ""
    min_sub_usecases: int = 0
    max_sub_usecases: int = 0
    sub_usecases: tuple[str, ...] = ()

    @vi_record(set_aside=False)
    @classmethod
    def from_vi(cls, row: Any) -> UsecaseOption:
        subs = tuple(str(item).strip() for item in vi_list(row, "subUsecases", "string") if item)
        return cls(
            usecase_id=text(row, "usecaseId"),
            name=text(row, "name"),
            description=text(row, "description"),
            min_sub_usecases=integer(row, "minSubUsecases") or 0,
            max_sub_usecases=integer(row, "maxSubUsecases") or 0,
            sub_usecases=subs,
        )


@dataclass(frozen=True)
class NumberOutcome:
    """What VI said about one number of a bulk call (or a per-number write)."""

    tn: str
    code: str
    ok: bool
    message: str


@dataclass(frozen=True)
class SendResult:
    """VI's answer to SendSMS / SendMMS."""

    ok: bool
    code: str
    message: str
    uuid: str = ""
    status: str = ""
    files: tuple[dict, ...] = field(default_factory=tuple)

    @classmethod
    def from_vi(cls, result: Any) -> SendResult:
        code = str(vi_value(result, "responseCode", ""))
        details = vi_value(result, "MsgDetails")
        return cls(
            ok=code == "100",
            code=code,
            message=text(result, "responseMessage"),
            uuid=text(result, "Uuid") or text(details, "uuid"),
            status=text(details, "status"),
        )
