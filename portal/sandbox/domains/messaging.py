"""SMS/MMS per number and 10DLC registration (customers = brands, campaigns), over sandbox time.

VI documents the parameters of these calls but neither their answers nor their codes; the
answer types are our WSDL's (SMSResponse, MMSResponse, SMS10DLCResponse). Choices made here,
all deterministic:

Per-number SMS (ConfigSMS, ConfigSMSDestination, AuditSMS)
* A number's SMS state: enabled, DestinationType (NONE, SIP, EMAIL, FORWARD, POST, GET,
  PROGTELCO), Destination, Forward, DLR, campaignId. The authToken is kept only for POST/GET
  and is never sent back (it is a secret of the customer's webhook).
* ConfigSMSDestination: NONE disables SMS and clears the destination; every other type enables
  it. EMAIL needs one or more addresses (";"-separated) with "@"; FORWARD a 10-digit TN (or 11
  with a leading 1); POST/GET an http(s) URL; SIP and PROGTELCO take any destination or none
  (none = the number's endpoint group). A bad type or destination is 951.
* ConfigSMS (deprecated): enable false disables (type NONE). enable true enables; forwardEmail
  holding a 10-digit TN sets FORWARD, holding addresses sets EMAIL; empty removes the forward
  (an EMAIL/FORWARD destination falls back to SIP).
* AuditSMS: every owned number (never-configured ones disabled, type NONE), or just `tn`.
  Releasing a number drops its SMS state and campaign.

Sending (SendSMS, SendMMS)
* sender and recipient are digits only with the country code: sender "1" + 10 digits,
  recipient 11-15 digits (11 when it starts with 1). A "+" or any other form is 944 with VI's
  own text "Invalid TN. Sender and recipient must be valid phone numbers and include country
  code.". The sender must be an owned number with SMS enabled, else 950 "Invalid sender".
* SMS text: 1-1600 characters (952). MMS: 1-10 files, content types image/jpeg|png|gif,
  video/mp4, audio/mpeg, text/plain, application/pdf; valid base64; at most 1 MB decoded in
  total (953). Every accepted message is recorded (GET /_sandbox/state/messaging/messages)
  and answered with a Uuid and MsgDetails{success true, code "100", status "queued"}.

10DLC customers (brands)
* CreateSMSCustomer needs displayName, entityType (GetSMSEnumerations), email, phone, country;
  non-sole-proprietors also companyName, ein and a known vertical; PUBLIC_PROFIT also
  stockSymbol and stockExchange; SOLE_PROPRIETOR firstName and lastName. Missing or unknown: 963.
* verificationStatus: a sole proprietor starts OTP_REQUIRED; TriggerSMSOTP makes it OTP_SENT
  and the owner "answers" 10 sandbox minutes later (VERIFIED). Others start PENDING and are
  vetted 2 sandbox hours later: UNVERIFIED when the EIN is nine identical digits
  (000000000, 111111111, ...), else VERIFIED. UpdateSMSCustomer changing companyName, ein or
  entityType vets again. DeleteSMSCustomer is refused (962) while it has campaigns.

10DLC campaigns
* CreateSMSCampaign needs a VERIFIED customer (965), a use case offered to it
  (GetSMSUsecaseOptions) with a number of sub use cases in its range, displayName,
  description and sampleMsg1 (965). It starts PENDING; 24 sandbox hours later it is reviewed:
  REJECTED when the description is shorter than 40 characters and/or neither sample message
  carries opt-out language (STOP, UNSUBSCRIBE, "opt out", "opt-out"), with one reason per
  failed rule (GetCampaignRejectionReason), else ACTIVE.
* UpdateSMSCampaign changes the given texts and sends the campaign back to review (PENDING,
  reasons cleared); not for DELETED ones (966). DeleteSMSCampaign marks it DELETED and frees
  its numbers; deleted campaigns are no longer listed.
* RegisterExternalSMSCampaign takes a TCR campaign ID ("C" + 6 letters/digits): reviewed like
  the others after 24 hours, REJECTED "not shared with VoIP Innovations" when the ID contains
  an X; ResubmitExternalSMSCampaign (external and REJECTED only, 966) reviews it again, and the
  second review approves it.
* AssignToSMSCampaign needs an ACTIVE campaign (964) and answers per number: 100 "Assigned to
  campaign C…" (a number on another campaign moves), 944 invalid, 909 not owned, 954 SMS not
  enabled, 955 already on this campaign. RemoveFromSMSCampaign: 100 "Removed from campaign
  C…", 944, 909, 956 not on a campaign.

Codes (top level unless noted; designed here where VI has none): 100 Success; 101 No Records
Found (empty lists, no rejection reasons); 909 You do not own the specified number; 944 Invalid
Number; 950 Invalid sender; 951 Invalid destination type or destination; 952 Invalid message;
953 Invalid MMS file; 954 SMS is not enabled / not available for this number; 955 (per number)
already on this campaign; 956 (per number) not on a campaign; 960 Customer not found;
961 Campaign not found; 962 Customer has campaigns; 963 Invalid customer information;
964 Campaign is not active; 965 Invalid campaign information; 966 Campaign cannot be changed in
its current status; 967 Campaign is already registered; 968 OTP verification not applicable.
"""

from __future__ import annotations

import base64
import binascii
import random
import re
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from ..registry import Request, operation
from .dids import normalize_tn

DESTINATION_TYPES = ("NONE", "SIP", "EMAIL", "FORWARD", "POST", "GET", "PROGTELCO")
TOKEN_TYPES = frozenset({"POST", "GET"})

MAX_SMS_LENGTH = 1600
MAX_MMS_FILES = 10
MAX_MMS_BYTES = 1024 * 1024
MMS_CONTENT_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "video/mp4",
        "audio/mpeg",
        "text/plain",
        "application/pdf",
    }
)

BRAND_VETTING = timedelta(hours=2)
OTP_ANSWER = timedelta(minutes=10)
CAMPAIGN_REVIEW = timedelta(hours=24)
MIN_DESCRIPTION = 40
OPT_OUT_WORDS = re.compile(r"\b(stop|unsubscribe|opt[ -]?out)\b", re.IGNORECASE)
CAMPAIGN_ID = re.compile(r"^C[A-Z0-9]{6}$")

ENTITY_TYPES = {
    "PRIVATE_PROFIT": "Private company",
    "PUBLIC_PROFIT": "Publicly traded company",
    "NON_PROFIT": "Non-profit organization",
    "GOVERNMENT": "Government",
    "SOLE_PROPRIETOR": "Sole proprietor",
}
VERTICALS = {
    "HEALTHCARE": "Healthcare",
    "REAL_ESTATE": "Real estate",
    "PROFESSIONAL": "Professional services",
    "RETAIL": "Retail and consumer products",
    "TRANSPORTATION": "Transportation and logistics",
    "EDUCATION": "Education",
    "FINANCIAL": "Financial services",
    "TECHNOLOGY": "Information technology",
    "HOSPITALITY": "Hospitality and travel",
    "NGO": "Non-governmental organization",
}
STOCK_EXCHANGES = {
    "NASDAQ": "NASDAQ",
    "NYSE": "New York Stock Exchange",
    "AMEX": "NYSE American",
    "TSX": "Toronto Stock Exchange",
    "NONE": "Not listed",
}
CAMPAIGN_STATUSES = {
    "PENDING": "In review",
    "ACTIVE": "Approved",
    "REJECTED": "Rejected",
    "EXPIRED": "Expired",
    "DELETED": "Deleted",
}
VERIFICATION_STATUSES = {
    "PENDING": "Vetting in progress",
    "VERIFIED": "Verified",
    "UNVERIFIED": "Could not be verified",
    "OTP_REQUIRED": "Waiting for an OTP",
    "OTP_SENT": "OTP sent to the owner's mobile",
}

# (usecaseId, name, description, min sub use cases, max sub use cases)
USECASES = [
    ("2FA", "Two-factor authentication", "One-time passwords and login codes", 0, 0),
    ("ACCOUNT_NOTIFICATION", "Account notification", "Status updates about an account", 0, 0),
    ("CUSTOMER_CARE", "Customer care", "Support conversations with existing customers", 0, 0),
    ("DELIVERY_NOTIFICATION", "Delivery notification", "Shipping and delivery updates", 0, 0),
    ("FRAUD_ALERT", "Fraud alert", "Warnings about suspicious activity", 0, 0),
    ("MARKETING", "Marketing", "Promotions and offers", 0, 0),
    ("POLLING_VOTING", "Polling and voting", "Surveys and polls", 0, 0),
    (
        "PUBLIC_SERVICE_ANNOUNCEMENT",
        "Public service announcement",
        "Information for the public",
        0,
        0,
    ),
    ("SECURITY_ALERT", "Security alert", "Alerts about a breach or system security", 0, 0),
    ("MIXED", "Mixed", "Several use cases on one campaign", 2, 5),
    ("LOW_VOLUME", "Low volume mixed", "Several use cases, small volume", 2, 5),
]
SOLE_PROPRIETOR_USECASE = (
    "SOLE_PROPRIETOR",
    "Sole proprietor",
    "Messages from a sole proprietor",
    0,
    0,
)
SUB_USECASES = [
    "2FA",
    "ACCOUNT_NOTIFICATION",
    "CUSTOMER_CARE",
    "DELIVERY_NOTIFICATION",
    "FRAUD_ALERT",
    "MARKETING",
    "POLLING_VOTING",
    "SECURITY_ALERT",
]


class MessagingError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


NOT_OWNED = (909, "You do not own the specified number")
INVALID_NUMBER = (944, "Invalid Number")
INVALID_TN_FOR_SMS = (
    944,
    "Invalid TN. Sender and recipient must be valid phone numbers and include country code.",
)
INVALID_SENDER = (950, "Invalid sender")
SMS_UNAVAILABLE = (954, "SMS is not available for this number")
CUSTOMER_NOT_FOUND = (960, "Customer not found")
CAMPAIGN_NOT_FOUND = (961, "Campaign not found")
NO_RECORDS = (101, "No Records Found")


# --- state ---------------------------------------------------------------------------------


@dataclass(slots=True)
class SmsSetting:
    enabled: bool = False
    destination_type: str = "NONE"
    destination: str | None = None
    forward: str | None = None
    dlr: bool = False
    campaign_id: str | None = None
    auth_token: str | None = None  # POST/GET only; never answered

    def as_sms_did(self, tn: str) -> dict:
        return {
            "tn": tn,
            "enabled": self.enabled,
            "DestinationType": self.destination_type,
            "Destination": self.destination,
            "Forward": self.forward,
            "DLR": self.dlr,
            "campaignId": self.campaign_id,
        }


DISABLED = SmsSetting()


@dataclass(slots=True)
class Customer:
    customerId: str
    entityType: str
    displayName: str
    tag: str | None = None
    companyName: str | None = None
    vertical: str | None = None
    ein: str | None = None
    einCountry: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postalCode: str | None = None
    country: str | None = None
    stockSymbol: str | None = None
    stockExchange: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    status: str = "ACTIVE"
    verificationStatus: str = "PENDING"
    createdDate: datetime | None = None
    verify_at: datetime | None = None  # when vetting (or the OTP answer) settles

    def as_record(self) -> dict:
        return {name: getattr(self, name) for name in CUSTOMER_FIELDS}


CUSTOMER_FIELDS = (
    "customerId",
    "tag",
    "companyName",
    "displayName",
    "entityType",
    "vertical",
    "ein",
    "einCountry",
    "website",
    "email",
    "phone",
    "street",
    "city",
    "state",
    "postalCode",
    "country",
    "stockSymbol",
    "stockExchange",
    "firstName",
    "lastName",
    "status",
    "verificationStatus",
    "createdDate",
)
EDITABLE_CUSTOMER_FIELDS = tuple(
    name
    for name in CUSTOMER_FIELDS
    if name not in ("customerId", "status", "verificationStatus", "createdDate")
)
VETTED_FIELDS = ("companyName", "ein", "entityType")

CAMPAIGN_FLAGS = (
    "subOptIn",
    "subOptOut",
    "subHelp",
    "numPooling",
    "directLending",
    "embeddedLink",
    "embeddedPhone",
    "affMarketing",
    "ageGated",
)
CAMPAIGN_TEXTS = (
    "customerId",
    "displayName",
    "description",
    "usecaseId",
    "subUsecaseIds",
    "vertical",
    "messageFlow",
    "helpMessage",
    "optOutMessage",
    "sampleMsg1",
    "sampleMsg2",
)
UPDATABLE_CAMPAIGN_TEXTS = (
    "helpMessage",
    "optOutMessage",
    "messageFlow",
    "description",
    "sampleMsg1",
    "sampleMsg2",
)


@dataclass(slots=True)
class Campaign:
    CampaignId: str
    customerId: str | None
    displayName: str
    description: str = ""
    usecaseId: str | None = None
    subUsecaseIds: str | None = None
    vertical: str | None = None
    messageFlow: str | None = None
    helpMessage: str | None = None
    optOutMessage: str | None = None
    sampleMsg1: str | None = None
    sampleMsg2: str | None = None
    flags: dict = field(default_factory=dict)
    status: str = "PENDING"
    createdDate: datetime | None = None
    external: bool = False
    review_at: datetime | None = None
    reviews: int = 0
    rejection_reasons: list[str] = field(default_factory=list)

    def as_record(self, tns: list[str]) -> dict:
        record = {name: getattr(self, name) for name in ("CampaignId", *CAMPAIGN_TEXTS)}
        record.update({flag: bool(self.flags.get(flag)) for flag in CAMPAIGN_FLAGS})
        record.update(
            status=self.status, createdDate=self.createdDate, tns=tns, external=self.external
        )
        return record


@dataclass(slots=True)
class SentMessage:
    uuid: str
    kind: str
    sender: str
    recipient: str
    message: str
    files: list[dict]
    sent_at: datetime


class Store:
    def __init__(self):
        self.settings: dict[str, SmsSetting] = {}
        self.customers: dict[str, Customer] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.messages: list[SentMessage] = []
        self.next_customer = 0xA1B200
        self.next_campaign = 0x3C4D00
        self.uuid_rng = random.Random("messaging-uuids")

    # -- reads --------------------------------------------------------------------------------
    def setting(self, tn: str) -> SmsSetting:
        return self.settings.get(tn, DISABLED)

    def campaign_tns(self, campaign_id: str) -> list[str]:
        return sorted(tn for tn, s in self.settings.items() if s.campaign_id == campaign_id)

    def campaign_record(self, campaign: Campaign) -> dict:
        return campaign.as_record(self.campaign_tns(campaign.CampaignId))

    def live_campaigns(self) -> list[Campaign]:
        return sorted(
            (c for c in self.campaigns.values() if c.status != "DELETED"),
            key=lambda c: c.CampaignId,
        )

    def customer(self, customer_id: str | None) -> Customer:
        customer = self.customers.get((customer_id or "").strip())
        if customer is None:
            raise MessagingError(*CUSTOMER_NOT_FOUND)
        return customer

    def campaign(self, campaign_id: str | None) -> Campaign:
        campaign = self.campaigns.get((campaign_id or "").strip().upper())
        if campaign is None or campaign.status == "DELETED":
            raise MessagingError(*CAMPAIGN_NOT_FOUND)
        return campaign

    # -- the clock ---------------------------------------------------------------------------
    def catch_up(self, now: datetime) -> None:
        for customer in self.customers.values():
            if customer.verify_at is not None and customer.verify_at <= now:
                customer.verify_at = None
                if customer.verificationStatus == "OTP_SENT":
                    customer.verificationStatus = "VERIFIED"
                elif customer.verificationStatus == "PENDING":
                    ein = (customer.ein or "").replace("-", "")
                    failed = len(ein) == 9 and len(set(ein)) == 1
                    customer.verificationStatus = "UNVERIFIED" if failed else "VERIFIED"
        for campaign in self.campaigns.values():
            if (
                campaign.status == "PENDING"
                and campaign.review_at is not None
                and campaign.review_at <= now
            ):
                self.review(campaign)

    def review(self, campaign: Campaign) -> None:
        campaign.review_at = None
        campaign.reviews += 1
        reasons = []
        if campaign.external:
            if "X" in campaign.CampaignId[1:] and campaign.reviews == 1:
                reasons.append(
                    "Campaign has not been shared with VoIP Innovations by its connectivity partner"
                )
        else:
            if len((campaign.description or "").strip()) < MIN_DESCRIPTION:
                reasons.append(
                    f"Campaign description must be at least {MIN_DESCRIPTION} characters and "
                    "describe who sends the messages and why"
                )
            samples = " ".join(filter(None, (campaign.sampleMsg1, campaign.sampleMsg2)))
            if not OPT_OUT_WORDS.search(samples):
                reasons.append(
                    "Sample messages must include opt-out language (for example 'Reply STOP to "
                    "unsubscribe')"
                )
        campaign.rejection_reasons = reasons
        campaign.status = "REJECTED" if reasons else "ACTIVE"

    # -- ids ----------------------------------------------------------------------------------
    def new_customer_id(self) -> str:
        self.next_customer += 1
        return f"B{self.next_customer:06X}"

    def new_campaign_id(self) -> str:
        self.next_campaign += 1
        return f"C{self.next_campaign:06X}"

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4))

    # -- hooks the core calls -----------------------------------------------------------------
    def on_clock(self, sandbox) -> None:
        self.catch_up(sandbox.now())

    def on_release(self, sandbox, tn: str) -> None:
        self.settings.pop(tn, None)

    def summary(self, sandbox) -> dict:
        self.catch_up(sandbox.now())
        campaigns: dict[str, int] = {}
        for campaign in self.campaigns.values():
            campaigns[campaign.status] = campaigns.get(campaign.status, 0) + 1
        return {
            "sms_enabled": sum(1 for s in self.settings.values() if s.enabled),
            "on_campaign": sum(1 for s in self.settings.values() if s.campaign_id),
            "customers": len(self.customers),
            "campaigns": campaigns,
            "messages": len(self.messages),
        }

    def state_view(self, sandbox, parts: list[str]):
        """GET /_sandbox/state/messaging[/messages|/customers|/campaigns|/<tn>]."""
        self.catch_up(sandbox.now())
        if not parts:
            return self.summary(sandbox)
        kind = parts[0]
        if kind == "messages":
            return [
                {
                    "uuid": m.uuid,
                    "kind": m.kind,
                    "sender": m.sender,
                    "recipient": m.recipient,
                    "message": m.message,
                    "files": m.files,
                    "sent_at": m.sent_at.isoformat(),
                }
                for m in self.messages
            ]
        if kind == "customers":
            return [_jsonable(c.as_record()) for c in self.customers.values()]
        if kind == "campaigns":
            return [
                _jsonable({**self.campaign_record(c), "rejectionReasons": c.rejection_reasons})
                for c in sorted(self.campaigns.values(), key=lambda c: c.CampaignId)
            ]
        tn = normalize_tn(kind)
        setting = self.setting(tn)
        return {**setting.as_sms_did(tn), "hasAuthToken": setting.auth_token is not None}

    def seed(self, sandbox, *, profile: str, owned_tns: list[str]) -> None:
        seed_store(self, sandbox, profile=profile, owned_tns=owned_tns)


def _jsonable(record: dict) -> dict:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in record.items()
    }


# --- rules ---------------------------------------------------------------------------------


def _emails(text: str) -> list[str] | None:
    emails = [part.strip() for part in text.split(";") if part.strip()]
    if not emails or any(not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) for email in emails):
        return None
    return emails


def _forward_tn(text: str) -> str | None:
    digits = text.strip()
    if not digits.isdigit():
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 and digits[0] not in "01" else None


def configure_destination(
    setting: SmsSetting, *, destination_type: str, destination: str | None, auth_token: str | None
) -> None:
    kind = (destination_type or "").strip().upper()
    if kind not in DESTINATION_TYPES:
        raise MessagingError(
            951, f"Invalid destination type. Valid types are {', '.join(DESTINATION_TYPES)}"
        )
    destination = (destination or "").strip() or None
    forward = None
    if kind == "EMAIL":
        emails = _emails(destination or "")
        if emails is None:
            raise MessagingError(
                951, "Invalid destination: EMAIL needs one or more email addresses"
            )
        destination = forward = ";".join(emails)
    elif kind == "FORWARD":
        forward = _forward_tn(destination or "")
        if forward is None:
            raise MessagingError(951, "Invalid destination: FORWARD needs a 10-digit number")
        destination = forward
    elif kind in TOKEN_TYPES:
        if not destination or not re.match(r"^https?://\S+$", destination):
            raise MessagingError(951, f"Invalid destination: {kind} needs an http(s) URL")
    elif kind == "NONE":
        destination = None
    setting.enabled = kind != "NONE"
    setting.destination_type = kind
    setting.destination = destination
    setting.forward = forward
    setting.auth_token = (auth_token or None) if kind in TOKEN_TYPES else None


def configure_legacy(setting: SmsSetting, *, enable: bool, forward_email: str | None) -> None:
    """ConfigSMS: on/off plus the forward to email addresses or a TN."""
    forward_email = (forward_email or "").strip()
    if not enable:
        configure_destination(setting, destination_type="NONE", destination=None, auth_token=None)
        return
    if forward_email:
        kind = "FORWARD" if _forward_tn(forward_email) else "EMAIL"
        configure_destination(
            setting, destination_type=kind, destination=forward_email, auth_token=None
        )
        return
    if setting.destination_type in ("NONE", "EMAIL", "FORWARD"):
        configure_destination(setting, destination_type="SIP", destination=None, auth_token=None)
    else:
        setting.enabled = True
        setting.forward = None


def _sms_number(text: str | None, *, sender: bool) -> str | None:
    """Digits with country code (no "+"), or None."""
    value = (text or "").strip()
    if not value.isdigit():
        return None
    if sender:
        return (
            value if len(value) == 11 and value.startswith("1") and value[1] not in "01" else None
        )
    if value.startswith("1"):
        return value if len(value) == 11 and value[1] not in "01" else None
    return value if 11 <= len(value) <= 15 else None


def missing_customer_fields(customer: Customer) -> list[str]:
    required = ["displayName", "entityType", "email", "phone", "country"]
    if customer.entityType != "SOLE_PROPRIETOR":
        required += ["companyName", "ein", "vertical"]
    else:
        required += ["firstName", "lastName"]
    if customer.entityType == "PUBLIC_PROFIT":
        required += ["stockSymbol", "stockExchange"]
    return [name for name in required if not getattr(customer, name)]


def check_customer(customer: Customer) -> None:
    if customer.entityType not in ENTITY_TYPES:
        raise MessagingError(
            963,
            f"Invalid customer information: entityType must be one of {', '.join(ENTITY_TYPES)}",
        )
    missing = missing_customer_fields(customer)
    if missing:
        raise MessagingError(963, f"Invalid customer information: {', '.join(missing)} required")
    if customer.vertical and customer.vertical not in VERTICALS:
        raise MessagingError(963, "Invalid customer information: unknown vertical")
    if customer.stockExchange and customer.stockExchange not in STOCK_EXCHANGES:
        raise MessagingError(963, "Invalid customer information: unknown stockExchange")


def usecases_for(customer: Customer) -> list[tuple]:
    return [SOLE_PROPRIETOR_USECASE] if customer.entityType == "SOLE_PROPRIETOR" else USECASES


def check_campaign(store: Store, campaign: Campaign) -> None:
    customer = store.customer(campaign.customerId)
    if customer.verificationStatus != "VERIFIED":
        raise MessagingError(965, "Invalid campaign information: the customer is not verified")
    usecase = next((u for u in usecases_for(customer) if u[0] == campaign.usecaseId), None)
    if usecase is None:
        raise MessagingError(
            965, "Invalid campaign information: usecaseId is not offered to this customer"
        )
    subs = [s.strip() for s in (campaign.subUsecaseIds or "").split(",") if s.strip()]
    if not usecase[3] <= len(subs) <= usecase[4] or any(s not in SUB_USECASES for s in subs):
        raise MessagingError(
            965,
            f"Invalid campaign information: {usecase[0]} takes {usecase[3]} to "
            f"{usecase[4]} sub use cases from GetSMSUsecaseOptions",
        )
    missing = [
        name for name in ("displayName", "description", "sampleMsg1") if not getattr(campaign, name)
    ]
    if missing:
        raise MessagingError(965, f"Invalid campaign information: {', '.join(missing)} required")


# --- seeding -------------------------------------------------------------------------------

SEED_CUSTOMERS = [
    # (tag, entityType, companyName/displayName, vertical, ein, status)
    ("reseller-a", "PRIVATE_PROFIT", "Acme Dental Group", "HEALTHCARE", "87-1234567", "VERIFIED"),
    (
        "reseller-a",
        "NON_PROFIT",
        "Hilltop Community Clinic",
        "HEALTHCARE",
        "41-7654321",
        "VERIFIED",
    ),
    (
        "reseller-b",
        "PUBLIC_PROFIT",
        "Northwind Logistics",
        "TRANSPORTATION",
        "52-1112223",
        "PENDING",
    ),
    ("reseller-b", "PRIVATE_PROFIT", "Shady Leads LLC", "PROFESSIONAL", "00-0000000", "UNVERIFIED"),
    ("reseller-b", "SOLE_PROPRIETOR", "Jane Smith Photography", None, None, "OTP_REQUIRED"),
]
GOOD_DESCRIPTION = (
    "Appointment reminders and replies from patients of {name}, sent to patients who "
    "gave their number at the front desk"
)
GOOD_SAMPLES = (
    "{name}: your appointment is tomorrow at 10am. Reply C to confirm. Reply STOP to opt out.",
    "{name}: we received your message and will call you back today. Text HELP for help.",
)


def seed_store(store: Store, sandbox, *, profile: str, owned_tns: list[str]) -> None:
    """Brands and campaigns in each state; SMS on a share of numbers, some on no campaign."""
    if profile == "empty":
        return
    rng = random.Random(f"messaging:{profile}")
    now = sandbox.now().replace(microsecond=0)
    customers = []
    for index, (tag, entity, name, vertical, ein, status) in enumerate(SEED_CUSTOMERS):
        sole = entity == "SOLE_PROPRIETOR"
        customer = Customer(
            customerId=store.new_customer_id(),
            entityType=entity,
            displayName=name,
            tag=tag,
            companyName=None if sole else name,
            vertical=vertical,
            ein=ein,
            einCountry=None if sole else "US",
            website=None if sole else f"https://www.{name.split()[0].lower()}.example",
            email=f"sms@{name.split()[0].lower()}.example",
            phone=f"1801555{index:04d}",
            street=f"{100 + index} Main St",
            city="Salt Lake City",
            state="UT",
            postalCode="84101",
            country="US",
            stockSymbol="NWL" if entity == "PUBLIC_PROFIT" else None,
            stockExchange="NASDAQ" if entity == "PUBLIC_PROFIT" else None,
            firstName="Jane" if sole else None,
            lastName="Smith" if sole else None,
            verificationStatus=status,
            createdDate=now - timedelta(days=90 - index),
            verify_at=now + BRAND_VETTING if status == "PENDING" else None,
        )
        store.customers[customer.customerId] = customer
        customers.append(customer)
    acme, clinic = customers[0], customers[1]

    def campaign(
        customer,
        status,
        *,
        usecase="CUSTOMER_CARE",
        description=None,
        samples=GOOD_SAMPLES,
        age_days=60,
        external=False,
        reasons=(),
        name=None,
    ):
        item = Campaign(
            CampaignId=store.new_campaign_id(),
            customerId=customer.customerId if customer else None,
            displayName=name or f"{customer.displayName} {usecase.replace('_', ' ').lower()}",
            description=description
            if description is not None
            else GOOD_DESCRIPTION.format(name=customer.displayName if customer else "the sender"),
            usecaseId=usecase,
            vertical=customer.vertical if customer else None,
            messageFlow="Patients opt in at the front desk and on the website form",
            helpMessage="Reply HELP for help, call 801-555-0100",
            optOutMessage="You are unsubscribed. No more messages.",
            sampleMsg1=samples[0].format(name=customer.displayName if customer else "Partner"),
            sampleMsg2=samples[1].format(name=customer.displayName if customer else "Partner"),
            flags={
                "subOptIn": True,
                "subOptOut": True,
                "subHelp": True,
                "embeddedLink": usecase == "MARKETING",
            },
            status=status,
            createdDate=now - timedelta(days=age_days),
            external=external,
            reviews=0 if status == "PENDING" else 1,
            rejection_reasons=list(reasons),
        )
        if status == "PENDING":
            item.createdDate = now - timedelta(hours=2)
            item.review_at = item.createdDate + CAMPAIGN_REVIEW
        store.campaigns[item.CampaignId] = item
        return item

    active = campaign(acme, "ACTIVE")
    campaign(acme, "PENDING", usecase="ACCOUNT_NOTIFICATION")  # will be approved
    campaign(clinic, "PENDING", description="Clinic texts")  # will be rejected: short description
    campaign(
        clinic,
        "REJECTED",
        usecase="MARKETING",
        samples=("{name}: flu shots this week!", "{name}: come see us."),
        reasons=[
            "Sample messages must include opt-out language (for example 'Reply STOP to unsubscribe')"
        ],
    )
    external = campaign(
        None,
        "ACTIVE",
        external=True,
        name="Partner CSP notifications",
        usecase="DELIVERY_NOTIFICATION",
    )
    campaign(acme, "EXPIRED", usecase="MARKETING", age_days=400)

    # SMS on a share of SMS-capable owned numbers; most on a campaign, some on none.
    dids = sandbox.dids
    for index, tn in enumerate(owned_tns):
        number = dids.get(tn)
        if number is None or not number.sms or rng.random() >= 0.6:
            continue
        setting = SmsSetting(dlr=index % 4 == 0)
        kind = ("SIP", "SIP", "SIP", "EMAIL", "FORWARD", "POST", "GET")[index % 7]
        configure_destination(
            setting,
            destination_type=kind,
            destination={
                "EMAIL": f"texts{index}@example.com",
                "FORWARD": f"801555{index % 10000:04d}",
                "POST": f"https://hooks.example.com/sms/{index}",
                "GET": f"https://hooks.example.com/sms?n={index}",
            }.get(kind),
            auth_token=f"token-{index:05d}" if kind in TOKEN_TYPES else None,
        )
        share = index % 10
        setting.campaign_id = (
            active.CampaignId if share < 6 else external.CampaignId if share < 8 else None
        )
        store.settings[tn] = setting


# --- SOAP handlers -------------------------------------------------------------------------

SUCCESS = {"responseCode": 100, "responseMessage": "Success"}


def _refusal(code: int, message: str, **extra) -> dict:
    return {"responseCode": code, "responseMessage": message, **extra}


def _answer(sandbox, work) -> dict:
    """Bring the store up to the sandbox clock, run the body, turn a refusal into VI's codes."""
    sandbox.messaging.catch_up(sandbox.now())
    try:
        return work()
    except MessagingError as error:
        return _refusal(error.code, error.message)


def _check_tn(text: str | None) -> str:
    tn = normalize_tn(text)
    if len(tn) != 10 or tn[0] in "01" or tn[3] in "01":
        raise MessagingError(*INVALID_NUMBER)
    return tn


def _owned_sms_number(sandbox, text: str | None) -> str:
    tn = _check_tn(text)
    number = sandbox.dids.owned(tn)
    if number is None:
        raise MessagingError(*NOT_OWNED)
    if not number.sms:
        raise MessagingError(*SMS_UNAVAILABLE)
    return tn


def _sms_did_answer(sandbox, tn: str) -> dict:
    return {**SUCCESS, "SMSDIDs": [sandbox.messaging.setting(tn).as_sms_did(tn)]}


@operation("ConfigSMSDestination")
def config_sms_destination(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_sms_number(sandbox, request.text("tn"))
        store = sandbox.messaging
        setting = store.settings.get(tn) or SmsSetting()
        configure_destination(
            setting,
            destination_type=request.text("destinationType") or "",
            destination=request.text("destination"),
            auth_token=request.text("authToken"),
        )
        store.settings[tn] = setting
        return _sms_did_answer(sandbox, tn)

    return _answer(sandbox, work)


@operation("ConfigSMS")
def config_sms(sandbox, request: Request) -> dict:
    def work():
        tn = _owned_sms_number(sandbox, request.text("tn"))
        store = sandbox.messaging
        setting = store.settings.get(tn) or SmsSetting()
        configure_legacy(
            setting,
            enable=bool(request.bool("enable", default=False)),
            forward_email=request.text("forwardEmail"),
        )
        store.settings[tn] = setting
        return _sms_did_answer(sandbox, tn)

    return _answer(sandbox, work)


@operation("AuditSMS", empty=lambda: _refusal(*NO_RECORDS, SMSDIDs=[]))
def audit_sms(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        if request.text("tn"):
            tn = _check_tn(request.text("tn"))
            if sandbox.dids.owned(tn) is None:
                raise MessagingError(*NOT_OWNED)
            return _sms_did_answer(sandbox, tn)
        tns = [number.tn for number in sandbox.dids.owned_numbers()]
        if not tns:
            return _refusal(*NO_RECORDS, SMSDIDs=[])
        settings = store.settings
        return {**SUCCESS, "SMSDIDs": (settings.get(tn, DISABLED).as_sms_did(tn) for tn in tns)}

    return _answer(sandbox, work)


def _check_sender(sandbox, request: Request) -> tuple[str, str]:
    sender = _sms_number(request.text("sender"), sender=True)
    recipient = _sms_number(request.text("recipient"), sender=False)
    if sender is None or recipient is None:
        raise MessagingError(*INVALID_TN_FOR_SMS)
    tn = sender[1:]
    number = sandbox.dids.owned(tn)
    if number is None or not number.sms or not sandbox.messaging.setting(tn).enabled:
        raise MessagingError(*INVALID_SENDER)
    return sender, recipient


def _sent(
    store: Store,
    *,
    kind: str,
    sender: str,
    recipient: str,
    message: str,
    files: list[dict],
    now: datetime,
) -> dict:
    message_id = store.new_uuid()
    store.messages.append(SentMessage(message_id, kind, sender, recipient, message, files, now))
    segments = max(1, -(-len(message) // 153)) if len(message) > 160 else 1
    return {
        **SUCCESS,
        "Uuid": message_id,
        "MsgDetails": {
            "success": True,
            "code": "100",
            "data": f"{segments} segment(s)",
            "status": "queued",
            "uuid": message_id,
        },
    }


@operation("SendSMS")
def send_sms(sandbox, request: Request) -> dict:
    def work():
        sender, recipient = _check_sender(sandbox, request)
        message = request.text("message") or ""
        if not message:
            raise MessagingError(952, "Invalid message: the message is empty")
        if len(message) > MAX_SMS_LENGTH:
            raise MessagingError(952, f"Invalid message: at most {MAX_SMS_LENGTH} characters")
        return _sent(
            sandbox.messaging,
            kind="SMS",
            sender=sender,
            recipient=recipient,
            message=message,
            files=[],
            now=sandbox.now(),
        )

    return _answer(sandbox, work)


def _mms_files(request: Request) -> list[dict]:
    items = request.items("files", "MMSFile")
    if not items or len(items) > MAX_MMS_FILES:
        raise MessagingError(953, f"Invalid MMS file: send 1 to {MAX_MMS_FILES} files")
    files, total = [], 0
    for item in items:
        content_type = (item.text("contentType") or "").lower()
        if content_type not in MMS_CONTENT_TYPES:
            raise MessagingError(
                953, f"Invalid MMS file: content type {content_type or 'missing'} is not allowed"
            )
        try:
            size = len(base64.b64decode(item.text("content") or "", validate=True))
        except (binascii.Error, ValueError):
            raise MessagingError(953, "Invalid MMS file: content is not base64") from None
        if size == 0:
            raise MessagingError(953, "Invalid MMS file: a file is empty")
        total += size
        files.append(
            {"fileName": item.text("fileName") or "", "contentType": content_type, "size": size}
        )
    if total > MAX_MMS_BYTES:
        raise MessagingError(953, f"Invalid MMS file: at most {MAX_MMS_BYTES} bytes in total")
    return files


@operation("SendMMS")
def send_mms(sandbox, request: Request) -> dict:
    def work():
        sender, recipient = _check_sender(sandbox, request)
        message = request.text("message") or ""
        if len(message) > MAX_SMS_LENGTH:
            raise MessagingError(952, f"Invalid message: at most {MAX_SMS_LENGTH} characters")
        files = _mms_files(request)
        answer = _sent(
            sandbox.messaging,
            kind="MMS",
            sender=sender,
            recipient=recipient,
            message=message,
            files=files,
            now=sandbox.now(),
        )
        # Echo what was accepted without the content (the caller has it).
        answer["files"] = [
            {"fileName": f["fileName"], "contentType": f["contentType"]} for f in files
        ]
        return answer

    return _answer(sandbox, work)


# --- 10DLC customers -----------------------------------------------------------------------


def _customers_answer(customers: list[Customer], *, empty_is_101: bool = False) -> dict:
    if not customers and empty_is_101:
        return _refusal(*NO_RECORDS, Customers=[])
    return {**SUCCESS, "Customers": [customer.as_record() for customer in customers]}


def _customer_from(request: Request) -> dict:
    """The non-empty fields of the request's SMSCustomer, normalised."""
    values = {}
    container = _child_request(request, "customer")
    if container is not None:
        for name in EDITABLE_CUSTOMER_FIELDS + ("customerId",):
            value = container.text(name)
            if value:
                values[name] = (
                    value.upper() if name in ("entityType", "vertical", "stockExchange") else value
                )
    return values


def _child_request(request: Request, name: str) -> Request | None:
    """A complex child (e.g. `customer`) as a Request of its own."""
    # The registry offers items()/strings() for arrays but nothing for one complex child; its
    # own lookup keeps VI's any-prefix, any-case matching.
    element = request._first(name)  # noqa: SLF001
    return Request(element) if element is not None else None


@operation("GetSMSCustomers", empty=lambda: _refusal(*NO_RECORDS, Customers=[]))
def get_sms_customers(sandbox, request: Request) -> dict:
    def work():
        return _customers_answer(list(sandbox.messaging.customers.values()), empty_is_101=True)

    return _answer(sandbox, work)


@operation("GetSMSCustomersByTag", empty=lambda: _refusal(*NO_RECORDS, Customers=[]))
def get_sms_customers_by_tag(sandbox, request: Request) -> dict:
    def work():
        tag = (request.text("tag") or "").lower()
        found = [
            c for c in sandbox.messaging.customers.values() if tag and (c.tag or "").lower() == tag
        ]
        return _customers_answer(found, empty_is_101=True)

    return _answer(sandbox, work)


@operation("CreateSMSCustomer")
def create_sms_customer(sandbox, request: Request) -> dict:
    def work():
        store, now = sandbox.messaging, sandbox.now()
        values = _customer_from(request)
        values.pop("customerId", None)
        customer = Customer(
            customerId="",
            entityType=values.pop("entityType", ""),
            displayName=values.pop("displayName", ""),
            **values,
        )
        check_customer(customer)
        customer.customerId = store.new_customer_id()
        customer.createdDate = now
        if customer.entityType == "SOLE_PROPRIETOR":
            customer.verificationStatus = "OTP_REQUIRED"
        else:
            customer.verificationStatus = "PENDING"
            customer.verify_at = now + BRAND_VETTING
        store.customers[customer.customerId] = customer
        return _customers_answer([customer])

    return _answer(sandbox, work)


@operation("UpdateSMSCustomer")
def update_sms_customer(sandbox, request: Request) -> dict:
    def work():
        store, now = sandbox.messaging, sandbox.now()
        values = _customer_from(request)
        customer = store.customer(values.pop("customerId", None))
        before = {name: getattr(customer, name) for name in VETTED_FIELDS}
        changed = Customer(**{f.name: getattr(customer, f.name) for f in fields(Customer)})
        for name, value in values.items():
            setattr(changed, name, value)
        check_customer(changed)
        for name, value in values.items():
            setattr(customer, name, value)
        if any(getattr(customer, name) != before[name] for name in VETTED_FIELDS):
            if customer.entityType == "SOLE_PROPRIETOR":
                customer.verificationStatus, customer.verify_at = "OTP_REQUIRED", None
            else:
                customer.verificationStatus, customer.verify_at = "PENDING", now + BRAND_VETTING
        return _customers_answer([customer])

    return _answer(sandbox, work)


@operation("DeleteSMSCustomer")
def delete_sms_customer(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        customer = store.customer(request.text("customerId"))
        if any(c.customerId == customer.customerId for c in store.live_campaigns()):
            raise MessagingError(962, "Customer has campaigns. Delete its campaigns first")
        del store.customers[customer.customerId]
        return dict(SUCCESS)

    return _answer(sandbox, work)


@operation("TriggerSMSOTP")
def trigger_sms_otp(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        customer = store.customer(request.text("customerId"))
        if customer.entityType != "SOLE_PROPRIETOR":
            raise MessagingError(968, "OTP verification applies to sole proprietor customers only")
        if customer.verificationStatus == "VERIFIED":
            raise MessagingError(968, "Customer is already verified")
        customer.verificationStatus = "OTP_SENT"
        customer.verify_at = sandbox.now() + OTP_ANSWER
        return _customers_answer([customer])

    return _answer(sandbox, work)


@operation("CheckSMSCustomerStatus")
def check_sms_customer_status(sandbox, request: Request) -> dict:
    def work():
        return _customers_answer([sandbox.messaging.customer(request.text("customerId"))])

    return _answer(sandbox, work)


@operation("GetSMSEnumerations")
def get_sms_enumerations(sandbox, request: Request) -> dict:
    def kind(name: str, values: dict) -> dict:
        return {
            "kind": name,
            "values": [{"name": label, "value": value} for value, label in values.items()],
        }

    return {
        **SUCCESS,
        "Enumerations": [
            kind("ENTITY_TYPE", ENTITY_TYPES),
            kind("VERTICAL", VERTICALS),
            kind("STOCK_EXCHANGE", STOCK_EXCHANGES),
            kind("DESTINATION_TYPE", {t: t for t in DESTINATION_TYPES}),
            kind("CAMPAIGN_STATUS", CAMPAIGN_STATUSES),
            kind("VERIFICATION_STATUS", VERIFICATION_STATUSES),
        ],
    }


@operation("GetSMSUsecaseOptions")
def get_sms_usecase_options(sandbox, request: Request) -> dict:
    def work():
        customer = sandbox.messaging.customer(request.text("customerId"))
        options = [
            {
                "usecaseId": usecase,
                "name": name,
                "description": description,
                "minSubUsecases": low,
                "maxSubUsecases": high,
                "subUsecases": SUB_USECASES if high else [],
            }
            for usecase, name, description, low, high in usecases_for(customer)
        ]
        return {**SUCCESS, "Customers": [customer.as_record()], "UsecaseOptions": options}

    return _answer(sandbox, work)


# --- 10DLC campaigns -----------------------------------------------------------------------


def _campaigns_answer(store: Store, campaigns: list[Campaign]) -> dict:
    return {**SUCCESS, "Campaigns": [store.campaign_record(campaign) for campaign in campaigns]}


@operation("GetSMSCampaigns", empty=lambda: _refusal(*NO_RECORDS, Campaigns=[]))
def get_sms_campaigns(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        campaigns = store.live_campaigns()
        if not campaigns:
            return _refusal(*NO_RECORDS, Campaigns=[])
        return _campaigns_answer(store, campaigns)

    return _answer(sandbox, work)


@operation("CreateSMSCampaign")
def create_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store, now = sandbox.messaging, sandbox.now()
        texts = {name: request.text(name) for name in CAMPAIGN_TEXTS}
        campaign = Campaign(
            CampaignId="",
            customerId=texts.pop("customerId"),
            displayName=texts.pop("displayName") or "",
            description=texts.pop("description") or "",
            flags={flag: bool(request.bool(flag, default=False)) for flag in CAMPAIGN_FLAGS},
        )
        # The rest of CAMPAIGN_TEXTS are all `str | None` fields; an empty text is no value.
        for name, value in texts.items():
            setattr(campaign, name, value or None)
        campaign.usecaseId = (campaign.usecaseId or "").upper() or None
        campaign.subUsecaseIds = (
            ",".join(
                s.strip().upper() for s in (campaign.subUsecaseIds or "").split(",") if s.strip()
            )
            or None
        )
        check_campaign(store, campaign)
        campaign.CampaignId = store.new_campaign_id()
        campaign.createdDate = now
        campaign.review_at = now + CAMPAIGN_REVIEW
        store.campaigns[campaign.CampaignId] = campaign
        return _campaigns_answer(store, [campaign])

    return _answer(sandbox, work)


@operation("UpdateSMSCampaign")
def update_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store, now = sandbox.messaging, sandbox.now()
        campaign = store.campaign(request.text("campaignId"))
        if campaign.status == "EXPIRED":
            raise MessagingError(966, "Campaign cannot be changed in its current status (EXPIRED)")
        for name in UPDATABLE_CAMPAIGN_TEXTS:
            value = request.text(name)
            if value:
                setattr(campaign, name, value)
        # Any change goes back to review, as TCR re-vets an edited campaign.
        campaign.status = "PENDING"
        campaign.rejection_reasons = []
        campaign.review_at = now + CAMPAIGN_REVIEW
        return _campaigns_answer(store, [campaign])

    return _answer(sandbox, work)


@operation("DeleteSMSCampaign")
def delete_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        campaign = store.campaign(request.text("campaignId"))
        campaign.status = "DELETED"
        campaign.review_at = None
        for setting in store.settings.values():
            if setting.campaign_id == campaign.CampaignId:
                setting.campaign_id = None
        return dict(SUCCESS)

    return _answer(sandbox, work)


@operation("GetCampaignRejectionReason")
def get_campaign_rejection_reason(sandbox, request: Request) -> dict:
    def work():
        campaign = sandbox.messaging.campaign(request.text("campaignId"))
        if campaign.status != "REJECTED" or not campaign.rejection_reasons:
            return _refusal(*NO_RECORDS, RejectionReasons=[])
        return {**SUCCESS, "RejectionReasons": list(campaign.rejection_reasons)}

    return _answer(sandbox, work)


@operation("RegisterExternalSMSCampaign")
def register_external_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store, now = sandbox.messaging, sandbox.now()
        campaign_id = (request.text("campaignId") or "").upper()
        if not CAMPAIGN_ID.match(campaign_id):
            raise MessagingError(
                965, "Invalid campaign information: campaignId must be a TCR campaign ID"
            )
        existing = store.campaigns.get(campaign_id)
        if existing is not None and existing.status != "DELETED":
            raise MessagingError(967, "Campaign is already registered")
        campaign = Campaign(
            CampaignId=campaign_id,
            customerId=None,
            displayName=request.text("displayName") or campaign_id,
            external=True,
            createdDate=now,
            review_at=now + CAMPAIGN_REVIEW,
        )
        store.campaigns[campaign_id] = campaign
        return _campaigns_answer(store, [campaign])

    return _answer(sandbox, work)


@operation("ResubmitExternalSMSCampaign")
def resubmit_external_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store, now = sandbox.messaging, sandbox.now()
        campaign = store.campaign(request.text("campaignId"))
        if not campaign.external:
            raise MessagingError(966, "Only external campaigns can be resubmitted")
        if campaign.status != "REJECTED":
            raise MessagingError(
                966, f"Only a rejected campaign can be resubmitted (it is {campaign.status})"
            )
        campaign.status = "PENDING"
        campaign.rejection_reasons = []
        campaign.review_at = now + CAMPAIGN_REVIEW
        return _campaigns_answer(store, [campaign])

    return _answer(sandbox, work)


def _tn_outcome(tn: str, code: str, status: str) -> dict:
    return {"tn": tn, "statusCode": code, "status": status}


@operation("AssignToSMSCampaign")
def assign_to_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        campaign = store.campaign(request.text("campaignId"))
        if campaign.status != "ACTIVE":
            raise MessagingError(964, f"Campaign is not active (it is {campaign.status})")
        results = []
        for text in request.strings("tns"):
            tn = normalize_tn(text)
            outcome = _assign_one(sandbox, store, tn, campaign)
            results.append(_tn_outcome(tn or text, *outcome))
        return {**SUCCESS, "TNResults": results}

    return _answer(sandbox, work)


def _assign_one(sandbox, store: Store, tn: str, campaign: Campaign) -> tuple[str, str]:
    if len(tn) != 10:
        return "944", "Invalid Number"
    number = sandbox.dids.owned(tn)
    if number is None:
        return "909", "You do not own the specified number"
    setting = store.settings.get(tn)
    if not number.sms or setting is None or not setting.enabled:
        return "954", "SMS is not enabled for this number"
    if setting.campaign_id == campaign.CampaignId:
        return "955", "Number is already assigned to this campaign"
    setting.campaign_id = campaign.CampaignId
    return "100", f"Assigned to campaign {campaign.CampaignId}"


@operation("RemoveFromSMSCampaign")
def remove_from_sms_campaign(sandbox, request: Request) -> dict:
    def work():
        store = sandbox.messaging
        results = []
        for text in request.strings("tns"):
            tn = normalize_tn(text)
            if len(tn) != 10:
                results.append(_tn_outcome(text, "944", "Invalid Number"))
                continue
            if sandbox.dids.owned(tn) is None:
                results.append(_tn_outcome(tn, "909", "You do not own the specified number"))
                continue
            setting = store.settings.get(tn)
            if setting is None or not setting.campaign_id:
                results.append(_tn_outcome(tn, "956", "Number is not assigned to a campaign"))
                continue
            previous, setting.campaign_id = setting.campaign_id, None
            results.append(_tn_outcome(tn, "100", f"Removed from campaign {previous}"))
        return {**SUCCESS, "TNResults": results}

    return _answer(sandbox, work)
