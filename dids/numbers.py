"""Telephone numbers as people type them -> the 10-digit NANP string VI expects.

VI takes and returns 10 digits with no `+1` (WIRE-FORMAT.md §6.5). Everything a person
or a file gives us goes through here first, so a bad number is refused with a clear
message before any call to VI.
"""

import re
from collections.abc import Iterable

import phonenumbers
from django.core.exceptions import ValidationError

# NANP: NPA and NXX both start with 2-9 (a leading 0/1 is a routing prefix, not a number).
_NANP_TEN_DIGITS = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")
# Separators people paste between numbers. Spaces also separate, but only when a chunk
# holds more digits than one number can ("(435) 215-4006" is one number).
_LIST_SEPARATORS = re.compile(r"[,;\r\n\t]+")
_ONE_NUMBER_MAX_DIGITS = 11


def normalize_tn(value: str) -> str:
    """Return `value` as 10 NANP digits ("4352154006") or raise ValidationError.

    Accepts the common forms: 4352154006, 435-215-4006, (435) 215-4006, 435.215.4006,
    1 435 215 4006, +1 435 215 4006, +14352154006.
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError("Enter a telephone number.", code="required")
    try:
        parsed = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        raise ValidationError(f"“{text}” is not a telephone number.", code="invalid") from None
    if parsed.country_code != 1:
        raise ValidationError(
            f"“{text}” is not a North American number (VI numbers are +1).", code="not_nanp"
        )
    digits = str(parsed.national_number)
    if parsed.extension or not _NANP_TEN_DIGITS.match(digits):
        raise ValidationError(
            f"“{text}” is not a valid 10-digit North American number.", code="invalid"
        )
    return digits


def normalize_tns(values: str | Iterable[str]) -> list[str]:
    """Many numbers (a pasted block or a list) -> unique 10-digit strings, in input order.

    Every bad entry is reported at once so a person can fix a pasted list in one go.
    """
    entries: list[str]
    if isinstance(values, str):
        entries = []
        for chunk in _LIST_SEPARATORS.split(values):
            if len(digits_only(chunk)) > _ONE_NUMBER_MAX_DIGITS and not _is_one_number(chunk):
                entries.extend(chunk.split())
            elif chunk.strip():
                entries.append(chunk)
    else:
        entries = [str(part) for part in values if str(part).strip()]
    tns: list[str] = []
    errors: list[ValidationError] = []
    seen: set[str] = set()
    for entry in entries:
        try:
            tn = normalize_tn(entry)
        except ValidationError as error:
            errors.append(error)
            continue
        if tn not in seen:
            seen.add(tn)
            tns.append(tn)
    if errors:
        raise ValidationError(errors)
    if not tns:
        raise ValidationError("Enter at least one telephone number.", code="required")
    return tns


def _is_one_number(text: str) -> bool:
    """Whether a long chunk is one (foreign) number, "+44 20 7946 0958", not several."""
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(text, "US"))
    except phonenumbers.NumberParseException:
        return False


def digits_only(value: str) -> str:
    """The digits of a search text, for "digits anywhere in the number" filters."""
    return re.sub(r"\D", "", value or "")
