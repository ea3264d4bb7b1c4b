"""A sync's fast reading of audit911 (`LocationRecord.sync_values`) gives exactly what the
careful path gave (`{"tn": …, **LocationRecord.from_vi(row).mirror_values()}`), or nothing:
for anything unusual the careful path decides, as before (see tests/dids/test_records_fast.py).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from e911 import gateway
from e911.models import Location
from e911.records import LocationRecord
from portal.sync.fit import Fitted, record_problems
from portal.voipinnovations.client import stream
from portal.voipinnovations.values import Unfit, UnfitRecord, Unparsed, set_aside_scope

GOOD = {
    "locationId": "40037739", "tn": "2062000044", "callerName": "Main Office",
    "address1": "1042 Center St", "address2": None, "city": "Seattle", "state": "WA",
    "zipCode": "98101", "latitude": "42.415843", "longitude": "-110.988392",
    "statusCode": "PROVISIONED", "statusDescription": "Location is currently provisioned",
    "activatedTime": datetime(2025, 11, 18, 20, 51, 38), "dateAdded": datetime(2025, 11, 18, 20, 51, 38),
}  # fmt: skip

COMMON = [None, Unparsed("abc"), Unparsed(""), 1.5, Decimal("7"), ["a"], {"a": 1}, 5, True]
TEXTS = COMMON + [
    "", "   ", "  padded  ", "x" * 8, "x" * 9, "x" * 10, "x" * 11, "x" * 32, "x" * 33,
    "x" * 100, "x" * 101, "x" * 300, "x" * 301, "a\x00b", "٣", "tab\t", datetime(2025, 1, 1),
]  # fmt: skip
MOMENTS = COMMON + [
    datetime(2025, 11, 18, 18, 12, 38), datetime(2025, 11, 18, 18, 12, 38, tzinfo=UTC),
    datetime(2025, 11, 18, 18, 12, 38, tzinfo=timezone(timedelta(hours=-5))),
    datetime(1900, 1, 1), datetime(1, 1, 1), datetime(1, 1, 1, tzinfo=UTC), date(2025, 1, 1),
    "2025-11-18T18:12:38", "2025-11-18T18:12:38Z", "", "garbage",
    Unparsed("2025-02-30T00:00:00"),
]  # fmt: skip
KINDS = {name: (MOMENTS if name in ("activatedTime", "dateAdded") else TEXTS) for name in GOOD}


def careful(row: Any) -> dict[str, Any]:
    with set_aside_scope():
        record = LocationRecord.from_vi(row)
    return {"tn": record.tn, **record.mirror_values()}


def typed(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (type(value), value, getattr(value, "tzinfo", None)) for name, value in values.items()
    }


def agrees(row: Any) -> bool:
    fast = LocationRecord.sync_values(row)
    if fast is None:
        return False
    expected = careful(row)
    assert typed(fast) == typed(expected), row
    assert isinstance(fast, Fitted) and fast.model is Location
    assert record_problems(Location, expected) == [], row
    LocationRecord.from_vi(row)  # outside a sync: taken too
    return True


def test_plain_records_take_the_fast_path_with_the_careful_values():
    assert agrees(GOOD)
    assert agrees({"tn": "2062000044"})


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_field_with_every_kind_of_value_is_read_as_before_or_left_to_the_careful_path(name):
    answered = sum(agrees({**GOOD, name: value}) for value in KINDS[name])
    assert answered >= 2


def test_records_mixing_hostile_values_are_read_as_before_or_left_to_the_careful_path():
    chance = random.Random(911)
    answered = 0
    for _ in range(3000):
        row = dict(GOOD)
        for name in chance.sample(sorted(KINDS), chance.randint(1, 4)):
            row[name] = chance.choice(KINDS[name])
        answered += agrees(row)
    assert 0 < answered < 3000


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("callerName", "x" * 101),
        ("zipCode", "a\x00b"),
        ("activatedTime", Unparsed("2025-02-30T00:00:00")),
        ("dateAdded", "garbage"),
    ],
)
def test_a_value_the_mirror_cannot_store_is_never_taken_fast(name, value):
    row = {**GOOD, name: value}

    assert LocationRecord.sync_values(row) is None
    expected = careful(row)
    assert any(isinstance(v, Unfit) for v in expected.values()) or record_problems(
        Location, expected
    )
    with pytest.raises(UnfitRecord):
        LocationRecord.from_vi(row)


def test_a_record_that_is_not_a_streamed_dict_goes_the_careful_way():
    assert LocationRecord.sync_values(SimpleNamespace(**GOOD)) is None


@pytest.mark.django_db
def test_the_whole_sandbox_audit_reads_the_same_both_ways(sandbox, settings):
    sandbox.control.reset(2000)

    careful_rows = [
        values for values in map(careful, stream("audit911", record_tag="DID911")) if values["tn"]
    ]
    fast_rows = list(gateway.audit_911_values())

    assert len(fast_rows) == len(careful_rows) > 1000
    assert [typed(row) for row in fast_rows] == [typed(row) for row in careful_rows]
    assert all(isinstance(row, Fitted) for row in fast_rows)
