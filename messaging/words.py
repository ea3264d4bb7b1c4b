"""Plain words for the values VI and The Campaign Registry use (PRIVATE_PROFIT, OTP_SENT, ...).

Staff read these on every messaging page instead of the provider's enumeration names. Our
own words come first (VI's labels are terse, sometimes ambiguous: "Private company" says
nothing about profit); a value we have no words for is shown humanised ("NEW_THING" ->
"New thing"), never raw, so a value VI adds later still reads as words.
"""

from __future__ import annotations

from .models import CampaignStatus, DestinationType

ENTITY_TYPES = {
    "PRIVATE_PROFIT": "Private for-profit company",
    "PUBLIC_PROFIT": "Publicly traded company",
    "NON_PROFIT": "Non-profit organization",
    "GOVERNMENT": "Government agency",
    "SOLE_PROPRIETOR": "Sole proprietor",
}

VERIFICATION = {
    "PENDING": "Being vetted",
    "VERIFIED": "Verified",
    "UNVERIFIED": "Could not be verified",
    "OTP_REQUIRED": "Waiting for the owner's one-time password",
    "OTP_SENT": "One-time password texted to the owner",
    "VETTED_VERIFIED": "Verified",
    "SELF_DECLARED": "Self-declared (not vetted)",
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

USECASES = {
    "2FA": "Two-factor authentication",
    "ACCOUNT_NOTIFICATION": "Account notification",
    "CUSTOMER_CARE": "Customer care",
    "DELIVERY_NOTIFICATION": "Delivery notification",
    "FRAUD_ALERT": "Fraud alert",
    "MARKETING": "Marketing",
    "POLLING_VOTING": "Polling and voting",
    "PUBLIC_SERVICE_ANNOUNCEMENT": "Public service announcement",
    "SECURITY_ALERT": "Security alert",
    "MIXED": "Mixed",
    "LOW_VOLUME": "Low volume mixed",
    "SOLE_PROPRIETOR": "Sole proprietor",
}

BRAND_STATUS = {"ACTIVE": "Active", "INACTIVE": "Inactive", "DELETED": "Deleted"}

KINDS: dict[str, dict[str, str]] = {
    "entity_type": ENTITY_TYPES,
    "verification": VERIFICATION,
    "vertical": VERTICALS,
    "stock_exchange": STOCK_EXCHANGES,
    "usecase": USECASES,
    "brand_status": BRAND_STATUS,
    "campaign_status": dict(CampaignStatus.choices),
    "destination": dict(DestinationType.choices),
}

# GetSMSEnumerations kinds -> ours.
VI_KINDS = {
    "ENTITY_TYPE": "entity_type",
    "VERTICAL": "vertical",
    "STOCK_EXCHANGE": "stock_exchange",
}


def humanise(value: str) -> str:
    text = str(value or "").strip().replace("_", " ")
    return text[:1].upper() + text[1:].lower() if text.isupper() or "_" in str(value) else text


def plain(kind: str, value: str | None, *, fallback: str = "") -> str:
    """Words for `value` of `kind` (a KINDS key); '' for an empty value."""
    key = str(value or "").strip()
    if not key:
        return ""
    words = KINDS.get(kind, {}).get(key.upper())
    return words or fallback or humanise(key)


def plain_list(kind: str, values: str | None) -> str:
    """A comma-separated list of values (VI's subUsecaseIds) in words."""
    return ", ".join(plain(kind, item) for item in str(values or "").split(",") if item.strip())


# Which words a mirror field's values take, for the history list.
FIELD_KINDS = {
    "entity_type": "entity_type", "verification_status": "verification", "vertical": "vertical",
    "stock_exchange": "stock_exchange", "usecase_id": "usecase", "destination_type": "destination",
}  # fmt: skip


def field_value(name: str, shown: str) -> str:
    """A history value (already shown as text: "—" for nothing) in words when its field holds VI's values."""
    if name == "sub_usecase_ids" and shown != "—":
        return plain_list("usecase", shown)
    if name in FIELD_KINDS and shown != "—":
        return plain(FIELD_KINDS[name], shown)
    return shown
