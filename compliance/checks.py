"""The compliance rules: each a small function over what the portal mirrors about one number.

A rule answers None when it does not apply to the number (no 911 location, SMS off...), True
when the number passes and False when it fails. Each carries the reason staff see (why the
rule exists) and the fix (what to do), so a failing number always says why and how.

Rules read `NumberFacts`, plain values gathered by `compliance.selectors` from the mirrors, so
they are tested without a database and cost nothing per number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

PROVISIONED = "PROVISIONED"
INVALID = "INVALID"

# A unit (suite, floor, room...) written on the street line itself, e.g. "350 S 200 E STE 4".
_UNIT_ON_STREET = re.compile(
    r"(?:\b(?:STE|SUITE|FL|FLR|FLOOR|RM|ROOM|UNIT|APT|BLDG|BUILDING|DEPT|LOT|SPC|SPACE|TRLR|HNGR|OFC|OFFICE)\b|#)",
    re.IGNORECASE,
)
CNAM_MAX = 15
_CNAM_ALLOWED = re.compile(r"^[A-Za-z0-9 ]*$")


@dataclass(frozen=True)
class NumberFacts:
    """What the mirrors say about one owned number, as plain values."""

    tn: str
    client: str = ""  # the client's VI id, "" when the number belongs to no client
    cnam_name: str = ""
    has_location: bool = False
    location_status: str = ""
    caller_name: str = ""
    address1: str = ""
    address2: str = ""
    alert_count: int = 0
    # False when the recipients were never read from VI (Query911Alert): none known, not none.
    alerts_read: bool = False
    # How many owned numbers, and of how many clients, share this street address.
    address_numbers: int = 0
    address_clients: int = 0
    # The last scheduled re-validation: None when never re-validated.
    revalidated_valid: bool | None = None
    sms_enabled: bool = False
    campaign_id: str = ""
    campaign_status: str = ""  # "" when the campaign is not in the mirror
    campaign_gone: bool = False
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Settings:
    """Thresholds staff may tune (COMPLIANCE_SHARED_ADDRESS_NUMBERS in settings)."""

    shared_address_numbers: int = 10


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    law: str  # the rule or the party it answers to, shown in small print
    reason: str
    fix: str
    rule: Callable[[NumberFacts, Settings], bool | None]
    area: str  # "911", "CNAM", "SMS"


# --- 911 -------------------------------------------------------------------------------------


def kari_alert(facts: NumberFacts, settings: Settings) -> bool | None:
    if facts.location_status != PROVISIONED:
        return None
    return facts.alert_count > 0


def has_unit(address1: str, address2: str) -> bool:
    return bool((address2 or "").strip()) or bool(_UNIT_ON_STREET.search(address1 or ""))


def dispatchable_unit(facts: NumberFacts, settings: Settings) -> bool | None:
    if not facts.has_location:
        return None
    if has_unit(facts.address1, facts.address2):
        return True
    crowded = facts.address_numbers > settings.shared_address_numbers
    shared_by_clients = facts.address_clients > 1
    return not (crowded or shared_by_clients)


def location_valid(facts: NumberFacts, settings: Settings) -> bool | None:
    return facts.has_location and facts.location_status == PROVISIONED


def revalidation(facts: NumberFacts, settings: Settings) -> bool | None:
    if facts.location_status != PROVISIONED or facts.revalidated_valid is None:
        return None
    return facts.revalidated_valid


def cnam_caller_name(facts: NumberFacts, settings: Settings) -> bool | None:
    if not facts.has_location or not facts.cnam_name.strip():
        return None
    return " ".join(facts.caller_name.upper().split()) == " ".join(facts.cnam_name.upper().split())


# --- CNAM ------------------------------------------------------------------------------------


def cnam_problem(name: str) -> str:
    """Why carriers would refuse this outbound caller name, in plain words ("" if they would not)."""
    text = name or ""
    if len(text) > CNAM_MAX:
        return f"longer than {CNAM_MAX} characters"
    if not _CNAM_ALLOWED.match(text):
        return "has characters other than letters, digits and spaces"
    if text.strip().isdigit():
        return "is all digits"
    if sum(character.isalpha() for character in text) < 2:
        return "has fewer than 2 letters"
    return ""


def cnam_acceptable(facts: NumberFacts, settings: Settings) -> bool | None:
    if not facts.cnam_name:
        return None
    return cnam_problem(facts.cnam_name) == ""


# --- SMS -------------------------------------------------------------------------------------

_DEAD_CAMPAIGN = {"REJECTED", "DELETED", "EXPIRED"}


def sms_campaign(facts: NumberFacts, settings: Settings) -> bool | None:
    if not facts.sms_enabled:
        return None
    if not facts.campaign_id:
        return False
    return not (facts.campaign_gone or facts.campaign_status in _DEAD_CAMPAIGN)


CHECKS: list[Check] = [
    Check(
        key="kari_alert",
        area="911",
        title="No one is alerted when 911 is dialled",
        law="Kari's Law (47 CFR 9.16)",
        reason="A number with 911 must notify someone on site (front desk, security) when 911 is "
        "called from it, so they can meet responders. This number has no 911 alert recipient.",
        fix="Add an alert recipient (an e-mail address VI notifies).",
        rule=kari_alert,
    ),
    Check(
        key="dispatchable_unit",
        area="911",
        title="911 address probably needs a suite, floor or room",
        law="RAY BAUM's Act (dispatchable location)",
        reason="The street address is shared by several clients' numbers or by many numbers, but "
        "names no suite, floor or room: responders would not know where in the building to go.",
        fix="Provision the address again with its suite, floor or room on line 2.",
        rule=dispatchable_unit,
    ),
    Check(
        key="location_valid",
        area="911",
        title="No provisioned 911 location",
        law="RAY BAUM's Act (dispatchable location)",
        reason="911 calls from this number reach no valid address: it has no 911 location, or its "
        "location is invalid or was never validated and provisioned.",
        fix="Validate and provision a 911 address (one number on its page, many from a CSV).",
        rule=location_valid,
    ),
    Check(
        key="revalidation",
        area="911",
        title="911 address no longer validates",
        law="RAY BAUM's Act (dispatchable location)",
        reason="The scheduled re-check of the provisioned address at VI says it can no longer be "
        "placed (the street database changed, or someone changed it at VI).",
        fix="Check the address and provision it again.",
        rule=revalidation,
    ),
    Check(
        key="cnam_caller_name",
        area="911",
        title="911 caller name differs from the CNAM",
        law="Consistency",
        reason="Responders see the 911 caller name; the called party sees the CNAM. When they "
        "differ, one of them is out of date.",
        fix="Provision the 911 address again with the CNAM as the caller name, or change the CNAM.",
        rule=cnam_caller_name,
    ),
    Check(
        key="cnam_acceptable",
        area="CNAM",
        title="Carriers refuse this caller name",
        law="CNAM database rules",
        reason="Carriers' CNAM databases take at most 15 letters, digits and spaces, with at least "
        "2 letters; this name will not be shown.",
        fix="Change the outbound caller-ID name.",
        rule=cnam_acceptable,
    ),
    Check(
        key="sms_campaign",
        area="SMS",
        title="SMS on without an approved campaign",
        law="10DLC (The Campaign Registry)",
        reason="Carriers block SMS from a number that is not on an active 10DLC campaign; a "
        "rejected, expired or deleted campaign counts as none.",
        fix="Put the number on an approved campaign (or turn SMS off).",
        rule=sms_campaign,
    ),
]
CHECKS_BY_KEY = {check.key: check for check in CHECKS}


@dataclass(frozen=True)
class Verdict:
    """One number against every rule."""

    facts: NumberFacts
    passed: tuple[str, ...]
    failed: tuple[str, ...]

    @property
    def applicable(self) -> int:
        return len(self.passed) + len(self.failed)

    @property
    def score(self) -> float | None:
        return readiness(len(self.passed), self.applicable)

    @property
    def failing_checks(self) -> list[Check]:
        return [CHECKS_BY_KEY[key] for key in self.failed]


def readiness(passed: int, applicable: int) -> float | None:
    """The share of applicable checks passed, in percent to one decimal, rounded down so that
    "100" means nothing fails (None when nothing applies). One decimal, so that fixing a few
    numbers of thousands still moves the score staff watch."""
    if applicable <= 0:
        return None
    return (passed * 1000 // applicable) / 10


def evaluate(facts: NumberFacts, settings: Settings | None = None) -> Verdict:
    settings = settings or Settings()
    passed, failed = [], []
    for check in CHECKS:
        outcome = check.rule(facts, settings)
        if outcome is True:
            passed.append(check.key)
        elif outcome is False:
            failed.append(check.key)
    return Verdict(facts=facts, passed=tuple(passed), failed=tuple(failed))
