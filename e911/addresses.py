"""Addresses as people type them -> the form VI's 911 provider expects.

Checked and tidied here, before any call to VI, so a typo gets a clear message instead of
a round trip: two-letter state (full names accepted), 5-digit ZIP with an optional +4,
a house number on the first line. usaddress-scourgify normalises to USPS style
("123 north main street apt 4" -> "123 N MAIN ST", "APT 4"); when that differs from what was
typed, the tidy version is offered as a suggestion, never silently swapped in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError

from .records import Address

# USPS two-letter codes VI's provider serves: states, DC and the territories.
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip
_STATE_BY_NAME = {name.upper(): code for code, name in STATES.items()}

_ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
_HOUSE_NUMBER = re.compile(r"^\s*\d+[A-Za-z]?(-\d+)?\s+\S")
MAX_CALLER_NAME = 50
MAX_LINE = 200


@dataclass(frozen=True)
class TidyAddress:
    """An address that passed the format checks, and the USPS-style form if it differs."""

    address: Address
    suggestion: Address | None = None


def clean_state(value: str) -> str:
    text = " ".join((value or "").split()).upper().replace(".", "")
    if text in STATES:
        return text
    if text in _STATE_BY_NAME:
        return _STATE_BY_NAME[text]
    raise ValidationError("Give the state as its two-letter code (UT, NY …).", code="state")


def split_zip(value: str, plus_four: str = "") -> tuple[str, str]:
    """ "84101", "84101-1234", "841011234" (and a separate +4) -> ("84101", "1234")."""
    match = _ZIP.match((value or "").strip())
    if not match:
        raise ValidationError("A ZIP code is 5 digits, optionally followed by -1234.", code="zip")
    zip_code, extra = match.group(1), match.group(2) or ""
    plus_four = (plus_four or "").strip()
    if plus_four and not re.fullmatch(r"\d{4}", plus_four):
        raise ValidationError("ZIP+4 is 4 digits.", code="plus_four")
    return zip_code, extra or plus_four


def clean_address(
    *,
    address1: str,
    city: str,
    state: str,
    zip_code: str,
    address2: str = "",
    plus_four: str = "",
    caller_name: str = "",
) -> TidyAddress:
    """Check the format of a typed address and propose its USPS form; raises ValidationError
    with every problem at once (keyed by field)."""
    errors: dict[str, list[str]] = {}
    address1 = " ".join((address1 or "").split())
    address2 = " ".join((address2 or "").split())
    city = " ".join((city or "").split())
    caller_name = " ".join((caller_name or "").split())
    if not address1:
        errors.setdefault("address1", []).append("Enter the street address.")
    elif not _HOUSE_NUMBER.match(address1):
        errors.setdefault("address1", []).append(
            "Start with the house number, then the street (123 Main St)."
        )
    if len(address1) > MAX_LINE or len(address2) > MAX_LINE:
        errors.setdefault("address1", []).append(
            f"Address lines are at most {MAX_LINE} characters."
        )
    if not city:
        errors.setdefault("city", []).append("Enter the city.")
    try:
        state = clean_state(state)
    except ValidationError as error:
        errors.setdefault("state", []).extend(error.messages)
    try:
        zip_code, plus_four = split_zip(zip_code, plus_four)
    except ValidationError as error:
        errors.setdefault("zip_code", []).extend(error.messages)
    if len(caller_name) > MAX_CALLER_NAME:
        errors.setdefault("caller_name", []).append(
            f"The caller name is at most {MAX_CALLER_NAME} characters."
        )
    if errors:
        raise ValidationError(errors)
    address = Address(
        address1=address1, address2=address2, city=city, state=state, zip_code=zip_code,
        plus_four=plus_four, caller_name=caller_name,
    )  # fmt: skip
    return TidyAddress(address=address, suggestion=_usps_form(address))


def _usps_form(address: Address) -> Address | None:
    """The USPS-normalised address, or None when it is what was typed (or cannot be made)."""
    try:
        normalised = normalize_address_record(
            {
                "address_line_1": address.address1,
                "address_line_2": address.address2 or None,
                "city": address.city,
                "state": address.state,
                "postal_code": address.zip_code,
            }
        )
    except (AddressNormalizationError, Exception):  # scourgify raises several kinds on odd input
        return None
    suggestion = replace(
        address,
        address1=normalised.get("address_line_1") or address.address1,
        address2=normalised.get("address_line_2") or "",
        city=normalised.get("city") or address.city,
        state=normalised.get("state") or address.state,
    )
    if suggestion.same_place(address):
        return None
    return suggestion
