"""A pasted block of numbers -> the numbers to check, the entries that are not numbers, and
how many repeats were collapsed. Unlike `dids.numbers.normalize_tns` (all or nothing, for
writes), a portability check goes ahead with the good entries and reports the bad ones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from dids.numbers import digits_only, normalize_tn

# The separators dids.numbers accepts; spaces separate only when a chunk holds more digits
# than one number can ("(435) 215-4006" is one number, "4352154006 4352154007" two).
_SEPARATORS = re.compile(r"[,;\r\n\t]+")
_ONE_NUMBER_MAX_DIGITS = 11


@dataclass(frozen=True)
class PastedNumbers:
    tns: list[str] = field(default_factory=list)  # unique, in the order pasted
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (entry as pasted, why)
    duplicates: int = 0
    # Every entry in order: (entry, tn or "", message): what a results file lists.
    entries: list[tuple[str, str, str]] = field(default_factory=list)


def _entries(text: str) -> list[str]:
    found: list[str] = []
    for chunk in _SEPARATORS.split(text or ""):
        chunk = chunk.strip()
        if not chunk:
            continue
        if len(digits_only(chunk)) > _ONE_NUMBER_MAX_DIGITS:
            try:
                normalize_tn(chunk)
            except ValidationError:
                found.extend(chunk.split())
                continue
        found.append(chunk)
    return found


def parse_pasted(text: str) -> PastedNumbers:
    tns: list[str] = []
    invalid: list[tuple[str, str]] = []
    entries: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    duplicates = 0
    for entry in _entries(text):
        try:
            tn = normalize_tn(entry)
        except ValidationError as error:
            message = " ".join(error.messages)
            invalid.append((entry, message))
            entries.append((entry, "", message))
            continue
        if tn in seen:
            duplicates += 1
            continue
        seen.add(tn)
        tns.append(tn)
        entries.append((entry, tn, ""))
    return PastedNumbers(tns=tns, invalid=invalid, duplicates=duplicates, entries=entries)
