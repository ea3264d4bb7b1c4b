"""Typed numbers -> VI's 10 digits, or a clear error before anything reaches VI."""

import pytest
from django.core.exceptions import ValidationError

from dids.numbers import normalize_tn, normalize_tns


@pytest.mark.parametrize(
    "typed",
    [
        "4352154006",
        "435-215-4006",
        "(435) 215-4006",
        "435.215.4006",
        "1 435 215 4006",
        "+1 435 215 4006",
        "+14352154006",
    ],
)
def test_common_formats_become_ten_digits(typed):
    assert normalize_tn(typed) == "4352154006"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter a telephone number"),
        ("12345", "not a valid 10-digit"),
        ("0352154006", "not a valid 10-digit"),
        ("+44 20 7946 0958", "not a North American number"),
        ("call me", "not a telephone number"),
        ("4352154006 x12", "not a valid 10-digit"),
    ],
)
def test_bad_input_is_refused_in_plain_words(typed, says):
    with pytest.raises(ValidationError) as error:
        normalize_tn(typed)
    assert says in error.value.messages[0]


def test_a_pasted_block_gives_unique_numbers_in_order():
    pasted = "(435) 215-4006, 435.215.4007\n4352154008 4352154009; +1 435 215 4006"
    assert normalize_tns(pasted) == ["4352154006", "4352154007", "4352154008", "4352154009"]


def test_every_bad_entry_of_a_block_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        normalize_tns("4352154006, 12345, +44 20 7946 0958, nonsense")
    assert len(error.value.messages) == 3
