"""VI's codes as a gateway and a person see them. No database, no network."""

from __future__ import annotations

import re

import pytest

from portal.voipinnovations import codes
from tests.fixtures import shared


def wire_format_codes() -> list[str]:
    """Every code in the tables of WIRE-FORMAT.md §5 (5a top level, 5b per DID)."""
    text = (shared.VI_API_DIR / "WIRE-FORMAT.md").read_text(encoding="utf-8")
    section = text[text.index("## 5. Response codes") : text.index("## 6. Behaviour notes")]
    return sorted(set(re.findall(r"^\| (\d{3,6}) \|", section, flags=re.MULTILINE)))


def test_every_documented_code_is_known():
    documented = wire_format_codes()
    assert len(documented) > 55  # 22 top-level + 38 per-DID: the tables were read
    unknown = [code for code in documented if codes.describe(code).meaning == "Unknown code"]
    assert unknown == []


def test_911_inner_codes_and_statuses_are_known():
    for code in ("205100", "205200", "206200", "GEOCODED", "PROVISIONED", "INVALID"):
        assert codes.describe(code).meaning != "Unknown code", code


@pytest.mark.parametrize("code", [100, "100", " 100 "])
def test_success_whatever_the_type(code):
    assert codes.is_success(code)
    assert not codes.is_refusal(code)


def test_the_two_levels_share_one_success_code():
    assert codes.is_success("100") and codes.is_success(100)


@pytest.mark.parametrize(
    "code, words",
    [
        ("104235", "already assigned to another company — pick another"),
        ("106231", "nothing to release"),
        ("902", "API login"),
        ("948", "endpoint group does not belong"),
        ("302490", "at least one search criterion"),
    ],
)
def test_refusals_say_what_to_do_in_plain_words(code, words):
    described = codes.describe(code)
    assert described.is_refusal
    assert words in described.message
    assert code in codes.user_message(code)


@pytest.mark.parametrize("code", ["101200", "102420", "206200"])
def test_dummy_records_are_recognised(code):
    assert codes.is_dummy_record(code)
    assert codes.is_empty(code)
    assert not codes.is_refusal(code)


def test_a_real_number_code_is_not_a_dummy():
    assert not codes.is_dummy_record("100")
    assert not codes.is_dummy_record("104235")
    assert not codes.is_dummy_record(None)


def test_no_records_found_is_empty_except_for_validate911():
    assert codes.is_empty(101)
    assert not codes.is_refusal(101)
    # VI: "a 101, No Records Found indicates a failure" of address validation.
    assert codes.is_refusal(101, operation="validate911")
    assert "could not verify this address" in codes.describe(101, operation="validate911").message


def test_transient_conditions_are_retryable_and_permanent_ones_are_not():
    assert codes.describe(900).retryable
    assert codes.describe(907).retryable
    assert not codes.describe(902).retryable
    assert not codes.describe("104235").retryable


def test_already_yours_is_flagged_so_a_gateway_can_treat_it_as_settled():
    assert codes.describe("103220").already_yours
    assert codes.describe("104225").already_yours
    assert not codes.describe("104235").already_yours


def test_an_unknown_code_is_a_refusal_that_shows_the_code():
    described = codes.describe("999999")
    assert described.is_refusal
    assert "999999" in described.message
