"""Values from VI that do not parse or do not fit: refused, never guessed (no network here).

The parsers keep the raw text of a typed element that does not parse (`Unparsed`); the
record builders refuse it, and anything absurd (10^30, NaN, a NUL, a name longer than its
column): raising UnfitRecord for a single read, or marking the field inside a sync so the
engine sets the record aside.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from lxml import etree
from zeep.xsd.types import builtins

from dids.models import DID
from dids.records import DIDRecord, decimal, flag, integer, moment
from portal.sync.fit import record_problems
from portal.voipinnovations import strict_types  # noqa: F401 - installs the strict parsing
from portal.voipinnovations.streaming import _converter
from portal.voipinnovations.values import Unfit, UnfitRecord, Unparsed, set_aside_scope, shown

HOSTILE_TEXTS = ["abc", "maybe", "1e30", "NaN", "<b>x</b>", "١٢٣", "9" * 5000, " 12 x"]


def element(text: str | None) -> etree._Element:
    node = etree.Element("value")
    node.text = text
    return node


# --- parsing: zeep (calls) and the streaming parser (audits) agree ------------------------------


def _does_not_parse(xsd_type, text: str) -> bool:
    try:
        xsd_type.pythonvalue(text)
    except Exception:  # noqa: BLE001 - the point: it does not parse
        return True
    return False  # e.g. "NaN" is a valid xsd:decimal, "١٢٣" a valid int to Python


UNPARSABLE = [
    pytest.param(xsd_type, text, id=f"{type(xsd_type).__name__}-{text[:12]}")
    for xsd_type in (builtins.Int(), builtins.Long(), builtins.Decimal(), builtins.DateTime())
    for text in HOSTILE_TEXTS
    if _does_not_parse(xsd_type, text)
]


@pytest.mark.parametrize("xsd_type, text", UNPARSABLE)
def test_a_typed_value_that_does_not_parse_keeps_its_raw_text(xsd_type, text):
    for parsed in (xsd_type.parse_xmlelement(element(text)), _converter(xsd_type)(element(text))):
        assert isinstance(parsed, Unparsed) and str(parsed) == text


@pytest.mark.parametrize(
    "text, expected",
    [("true", True), ("1", True), ("false", False), ("0", False), (" true ", True)],
)
def test_xsd_booleans_are_what_xml_schema_allows(text, expected):
    assert builtins.Boolean().parse_xmlelement(element(text)) is expected
    assert _converter(builtins.Boolean())(element(text)) is expected


@pytest.mark.parametrize("text", ["maybe", "yes", "TRUE ish", "2", "<b>true</b>"])
def test_any_other_boolean_is_unparsed_not_false(text):
    assert builtins.Boolean().parse_xmlelement(element(text)) == Unparsed(text)
    assert _converter(builtins.Boolean())(element(text)) == Unparsed(text)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_an_empty_element_is_still_none(text):
    assert builtins.Int().parse_xmlelement(element(text)) is None
    assert _converter(builtins.Int())(element(text)) is None
    assert integer({"endpointId": text}, "endpointId") is None


# --- the record builders -------------------------------------------------------------------


@pytest.mark.parametrize(
    "helper, raw",
    [
        (integer, Unparsed("abc")),
        (integer, 10**30),
        (integer, "12abc"),
        (integer, True),
        (integer, 1.5),
        (flag, Unparsed("maybe")),
        (flag, "maybe"),
        (flag, 7),
        (decimal, "NaN"),
        (decimal, "Infinity"),
        (decimal, "-Infinity"),
        (decimal, "1E+400"),
        (decimal, Decimal("sNaN")),
        (decimal, "10000000000"),
        (decimal, "<b>5</b>"),
        (moment, "yesterday"),
        (moment, Unparsed("2026-13-45T00:00:00")),
    ],
)
def test_a_single_value_that_cannot_be_used_raises_in_plain_words(helper, raw):
    with pytest.raises(UnfitRecord) as caught:
        helper({"field": raw}, "field")
    assert "cannot store" in caught.value.message
    assert len(caught.value.message) < 200
    assert "VI code" in str(caught.value)  # a refusal: the pages show it as VI's answer


def test_usable_values_still_read_as_before():
    assert integer({"x": "42"}, "x") == 42
    assert flag({"x": ""}, "x") is False
    assert decimal({"x": "500.00"}, "x") == Decimal("500.00")
    assert moment({"x": "1900-01-01T00:00:00"}, "x") is None  # VI's "no date"


def test_outside_a_sync_an_unfit_record_raises():
    with pytest.raises(UnfitRecord):
        DIDRecord.from_vi({"tn": "4352150001", "endpointId": Unparsed("abc")})
    with pytest.raises(UnfitRecord):  # fits its type, not its column (15 characters)
        DIDRecord.from_vi({"tn": "4352150001", "cnamName": "N" * 16})


def test_inside_a_sync_the_record_comes_back_marked_for_setting_aside():
    with set_aside_scope():
        record = DIDRecord.from_vi(
            {"tn": "4352150001", "endpointId": Unparsed("abc"), "has911": "maybe", "state": "UT"}
        )
    assert record.tn == "4352150001" and record.state == "UT"
    assert isinstance(record.endpoint_id, Unfit) and record.endpoint_id.raw == "abc"
    assert isinstance(record.has911, Unfit)
    assert "abc" in str(record.endpoint_id)  # never passes for a real value in a page


# --- fitting the mirror's columns ------------------------------------------------------------


@pytest.mark.parametrize(
    "values, field",
    [
        ({"cnam_name": "A\x00B"}, "cnam_name"),
        ({"cnam_name": "N" * 16}, "cnam_name"),
        ({"endpoint_id": 2**31}, "endpoint_id"),
        ({"endpoint_id": True}, "endpoint_id"),
        ({"endpoint_id": "12x"}, "endpoint_id"),
        ({"has911": "maybe"}, "has911"),
        ({"expire_date": "not a date"}, "expire_date"),
        ({"email_to_fax": ["a@example.com", "b\x00@example.com"]}, "email_to_fax"),
        ({"email_to_fax": [float("nan")]}, "email_to_fax"),
    ],
)
def test_a_value_the_mirror_cannot_store_is_a_problem(values, field):
    [problem] = record_problems(DID, values)
    assert problem.field == field


def test_values_that_fit_are_no_problem():
    fits = {
        "tn": "4352150001",
        "cnam_name": "<b>&</b> 😀",
        "endpoint_id": 2**31 - 1,
        "has911": False,
        "expire_date": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        "email_to_fax": ["a@example.com"],
        "did_group_id": None,
        "status": "",
    }
    assert record_problems(DID, fits) == []


def test_raw_values_are_shown_escaped_and_short():
    assert shown("A\x00B\x1b[31m") == "A\\x00B\\x1b[31m"
    assert len(shown("x" * 10_000)) == 201
    assert shown(10**5000) == "(a number too long to show)"
