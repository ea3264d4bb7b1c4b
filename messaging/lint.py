"""The 10DLC pre-submission check: a brand's campaign read the way TCR's reviewers read it.

Every campaign VI sends to The Campaign Registry is charged whether it is approved or not, so
each rule here is a reason reviewers refuse, with the fix in plain words. The campaign form
blocks on a failure (an Administrator may override it, recorded in history); the compliance
page lints existing campaigns; a rejected campaign's reasons are mapped to the same rules.

Field lengths, markup and control characters are checked by messaging/forms.py already.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# TCR's limits (see messaging/forms.py for where they come from).
DESCRIPTION = (40, 4096)
MESSAGE_FLOW = (40, 2048)
SAMPLE = (20, 1024)

# Opt-out keywords carriers honour; each must stand as a word of its own ("STOPS" is not one).
OPT_OUT = re.compile(
    r"(?<![A-Za-z0-9])(STOP|END|CANCEL|UNSUBSCRIBE|QUIT|STOPALL)(?![A-Za-z0-9])", re.IGNORECASE
)
LINK = re.compile(
    r"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|io|co|us|ly|info|biz|app|me)\b)", re.IGNORECASE
)
PHONE = re.compile(r"(?<!\d)(\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")

# Content carriers refuse on 10DLC (the "SHAFT-C" categories), by words that reveal them.
REFUSED_CONTENT = {
    "sex": ("sex", "sexual", "adult content", "escort", "xxx", "porn"),
    "hate": ("hate speech", "racist", "supremacist"),
    "alcohol": ("alcohol", "beer", "wine", "liquor", "vodka", "whiskey", "tequila"),
    "firearms": ("firearm", "firearms", "gun", "guns", "ammo", "ammunition", "rifle", "pistol"),
    "tobacco": (
        "tobacco",
        "cigarette",
        "cigarettes",
        "cigar",
        "vape",
        "vaping",
        "nicotine",
        "e-cig",
    ),
    "cannabis": ("cannabis", "marijuana", "cbd", "thc", "weed", "dispensary"),
}
_REFUSED = {
    category: re.compile(
        r"(?<![A-Za-z])(" + "|".join(re.escape(word) for word in words) + r")(?![A-Za-z])",
        re.IGNORECASE,
    )
    for category, words in REFUSED_CONTENT.items()
}


@dataclass(frozen=True)
class Failure:
    code: str
    field: str  # the form field it belongs to ("" for the whole campaign)
    message: str  # what is wrong
    fix: str  # how to fix it

    def __str__(self) -> str:
        return f"{self.message} {self.fix}"


def _text(fields: Mapping, name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def _length(
    fields: Mapping, name: str, label: str, limits: tuple[int, int], code: str
) -> list[Failure]:
    text = _text(fields, name)
    shortest, longest = limits
    if shortest <= len(text) <= longest:
        return []
    return [
        Failure(
            code,
            name,
            f"{label} has {len(text):,} characters; reviewers need {shortest:,} to {longest:,}.",
            f"Write {label.lower()} in full sentences: who sends, what, and why.",
        )
    ]


def lint_campaign(
    fields: Mapping, *, brand_name: str = "", flags: Mapping | None = None, answers: bool = True
) -> list[Failure]:
    """Every reason reviewers would refuse this campaign ([] when none).

    `fields`: description, message_flow, sample_msg1, sample_msg2 (and help_message,
    opt_out_message when `answers`: the create call does not take them). `flags`: the
    embedded_link / embedded_phone booleans as declared.
    """
    flags = flags if flags is not None else fields
    failures = [
        *_length(fields, "description", "The description", DESCRIPTION, "description_length"),
        *_length(fields, "message_flow", "How people opt in", MESSAGE_FLOW, "message_flow_length"),
    ]
    samples = [_text(fields, "sample_msg1"), _text(fields, "sample_msg2")]
    for index, sample in enumerate(samples, start=1):
        if not sample:
            failures.append(
                Failure(
                    "sample_missing",
                    f"sample_msg{index}",
                    f"Sample message {index} is empty; reviewers need two.",
                    "Paste two real messages this campaign will send.",
                )
            )
        elif not SAMPLE[0] <= len(sample) <= SAMPLE[1]:
            failures.append(
                Failure(
                    "sample_length",
                    f"sample_msg{index}",
                    f"Sample message {index} has {len(sample):,} characters; reviewers need 20 to 1,024.",
                    "Use a real, complete message.",
                )
            )
    joined = "\n".join(samples)
    if any(samples) and not OPT_OUT.search(joined):
        failures.append(
            Failure(
                "opt_out_missing",
                "sample_msg1",
                "No sample message says how to stop the messages.",
                "End a sample with opt-out words, e.g. “Reply STOP to unsubscribe” (STOP, END, CANCEL or "
                "UNSUBSCRIBE as a word of its own).",
            )
        )
    name = " ".join((brand_name or "").split())
    if name and any(samples) and name.lower() not in " ".join(joined.split()).lower():
        failures.append(
            Failure(
                "brand_missing",
                "sample_msg1",
                f"No sample message names the brand “{name}”.",
                f"Start a sample with the brand's name, e.g. “{name}: your order has shipped.”",
            )
        )
    has_link, has_phone = bool(LINK.search(joined)), bool(PHONE.search(joined))
    if has_link != bool(flags.get("embedded_link")):
        failures.append(
            Failure(
                "embedded_link_mismatch",
                "embedded_link",
                "The samples carry a link but “Messages carry links” is not ticked."
                if has_link
                else "“Messages carry links” is ticked but no sample carries a link.",
                "Make the box match the samples: tick it when messages carry links, otherwise untick it.",
            )
        )
    if has_phone != bool(flags.get("embedded_phone")):
        failures.append(
            Failure(
                "embedded_phone_mismatch",
                "embedded_phone",
                "The samples carry a phone number but “Messages carry phone numbers” is not ticked."
                if has_phone
                else "“Messages carry phone numbers” is ticked but no sample carries a phone number.",
                "Make the box match the samples.",
            )
        )
    if answers:
        for name_, label in (("help_message", "HELP answer"), ("opt_out_message", "STOP answer")):
            if not _text(fields, name_):
                failures.append(
                    Failure(
                        f"{name_}_missing",
                        name_,
                        f"There is no {label}.",
                        f"Write the {label}: what a person receives after texting "
                        f"{'HELP' if name_ == 'help_message' else 'STOP'} (20 to 255 characters).",
                    )
                )
    content = " ".join(
        _text(fields, name)
        for name in ("description", "message_flow", "sample_msg1", "sample_msg2")
    )
    for category, pattern in _REFUSED.items():
        match = pattern.search(content)
        if match:
            failures.append(
                Failure(
                    "refused_content",
                    "description",
                    f"The texts mention “{match.group(0)}”: carriers refuse {category} content on 10DLC.",
                    "Take this content out; carriers do not carry it on ordinary 10-digit numbers.",
                )
            )
    return failures


def lint_campaign_row(campaign, *, brand_name: str = "") -> list[Failure]:
    """Lint a mirrored campaign (the compliance page, a rejected campaign's page)."""
    fields = {name: getattr(campaign, name, "") for name in (
        "description", "message_flow", "sample_msg1", "sample_msg2", "help_message", "opt_out_message",
        "embedded_link", "embedded_phone")}  # fmt: skip
    return lint_campaign(fields, brand_name=brand_name)


# A rejection reason's words -> the rule it is about.
_REASON_CODES = [
    (re.compile(r"opt[- ]?out|STOP|unsubscribe", re.IGNORECASE), "opt_out_missing"),
    (re.compile(r"description", re.IGNORECASE), "description_length"),
    (
        re.compile(r"message flow|call[- ]to[- ]action|opt[- ]?in", re.IGNORECASE),
        "message_flow_length",
    ),
    (re.compile(r"brand name|company name", re.IGNORECASE), "brand_missing"),
    (re.compile(r"sample", re.IGNORECASE), "sample_length"),
    (re.compile(r"link|url", re.IGNORECASE), "embedded_link_mismatch"),
    (re.compile(r"phone", re.IGNORECASE), "embedded_phone_mismatch"),
    (re.compile(r"content|prohibited|SHAFT", re.IGNORECASE), "refused_content"),
]
EXPLANATIONS = {
    "opt_out_missing": "Add opt-out words to a sample: “Reply STOP to unsubscribe”.",
    "description_length": "Describe who sends the messages and why, in at least 40 characters.",
    "message_flow_length": "Say where and how a person agrees to get these texts, in at least 40 characters.",
    "brand_missing": "Name the brand in the sample messages.",
    "sample_length": "Give two real sample messages of 20 to 1,024 characters.",
    "embedded_link_mismatch": "Make “Messages carry links” match what the samples contain.",
    "embedded_phone_mismatch": "Make “Messages carry phone numbers” match what the samples contain.",
    "refused_content": "Take out content carriers refuse (sex, hate, alcohol, firearms, tobacco, cannabis).",
}


def explain_rejection(reason: str) -> str:
    """The fix for one of VI's rejection reasons, in the lint's words ("" when not recognised)."""
    for pattern, code in _REASON_CODES:
        if pattern.search(reason or ""):
            return EXPLANATIONS[code]
    return ""
