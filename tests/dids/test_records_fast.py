"""A sync's fast reading of auditDIDs (`DIDRecord.sync_values`) gives exactly what the careful
path (`DIDRecord.from_vi`) gives, or nothing at all — it never guesses at a value.

Every field is tried with values of every shape VI (or a parser) could hand over, one at a
time and mixed at random: wherever the fast path answers, its values equal `from_vi`'s, of
the same types, and fit the DID columns (the engine trusts that and checks no further);
for anything unusual it answers None and the careful path decides, as before.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import pytest

from dids import gateway
from dids.models import DID
from dids.records import DIDRecord
from e911.models import Location
from portal.sync.fit import Fitted, fitted, record_problems
from portal.sync.setaside import SetAside
from portal.voipinnovations.values import Unfit, UnfitRecord, Unparsed, set_aside_scope


class OddDateTime(datetime):
    """A datetime of another class (as a library might give): not taken on the fast path."""


GOOD = {
    "tn": "2062000044", "availability": "assigned", "rewrite": "2062000044",
    "status": "Number currently assigned to you", "statusCode": "100", "tier": "2",
    "refId": None, "failover": None, "forward": None, "cnamName": None, "state": "WA",
    "rateCenter": "SEATTLE", "didGroupId": None, "Network": "Onvoy", "endpointId": 8675,
    "expireDate": datetime(1900, 1, 1), "has411": False, "has911": True, "cnam": False,
    "cnamStorageActive": False, "cnamStorageAvailability": True, "t38": True,
}  # fmt: skip

COMMON = [None, Unparsed("abc"), Unparsed(""), 1.5, Decimal("7"), ["a"], {"a": 1}, b"7"]
TEXTS = COMMON + [
    "", "   ", "  padded  ", "x" * 10, "x" * 11, "x" * 15, "x" * 16, "x" * 300, "x" * 301,
    "a\x00b", "٣", "\u200bzero width", "tab\t", "\n", 5, 0, True, datetime(2025, 1, 1),
]  # fmt: skip
INTEGERS = COMMON + [
    "", " ", 0, 7, -5, "7", "007", " 7 ", "+7", "-5", "1_000", "٣", "abc", "0",
    2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63, "2147483647", "2147483648", "9" * 18,
    "9" * 19, "9" * 5000, True, False, 7.0, 7.5, Decimal("1E+30"), float("nan"),
]  # fmt: skip
FLAGS = COMMON + [True, False, "true", "false", "1", "0", "yes", "no", "", "maybe", 1, 0, 2]
MOMENTS = COMMON + [
    datetime(2025, 11, 18, 18, 12, 38), datetime(2025, 11, 18, 18, 12, 38, tzinfo=UTC),
    datetime(2025, 11, 18, 18, 12, 38, tzinfo=timezone(timedelta(hours=2))),
    datetime(1900, 1, 1), datetime(1, 1, 1), datetime(1900, 1, 1, tzinfo=UTC),
    OddDateTime(2025, 1, 1), date(2025, 1, 1), "2025-11-18T18:12:38", "2025-11-18T18:12:38Z",
    "", "  ", "garbage", Unparsed("2025-02-30T00:00:00"),
]  # fmt: skip

KINDS = {
    **{name: TEXTS for name in ("tn", "availability", "rewrite", "status", "statusCode", "tier",
                                 "refId", "failover", "forward", "cnamName", "state",
                                 "rateCenter", "Network")},
    "didGroupId": INTEGERS, "endpointId": INTEGERS, "expireDate": MOMENTS,
    **{name: FLAGS for name in ("has411", "has911", "cnam", "cnamStorageActive",
                                 "cnamStorageAvailability", "t38")},
}  # fmt: skip


def careful(row: Any) -> dict[str, Any]:
    """What a sync made of `row` before the fast path: `from_vi`'s fields, in a sync's scope."""
    with set_aside_scope():
        record = DIDRecord.from_vi(row)
    return {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}


def typed(values: dict[str, Any]) -> dict[str, Any]:
    """Values with their exact types (and zones): equal values of another type differ here."""
    return {
        name: (type(value), value, getattr(value, "tzinfo", None)) for name, value in values.items()
    }


def agrees(row: Any) -> bool:
    """Assert the fast path equals the careful one wherever it answers; True if it answered."""
    fast = DIDRecord.sync_values(row)
    if fast is None:
        return False
    expected = careful(row)
    assert typed(fast) == typed(expected), row
    assert isinstance(fast, Fitted) and fast.model is DID
    assert record_problems(DID, expected) == [], row  # the engine's own check agrees
    DIDRecord.from_vi(row)  # and outside a sync the record is taken too (nothing raised)
    return True


def test_plain_records_take_the_fast_path_with_the_careful_values():
    assert agrees(GOOD)
    assert agrees({**GOOD, "refId": "ref-1", "didGroupId": "12", "endpointId": 0})
    assert agrees({"tn": "2062000044"})  # every other element absent: VI's "none"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_field_with_every_kind_of_value_is_read_as_before_or_left_to_the_careful_path(name):
    answered = 0
    for value in KINDS[name]:
        answered += agrees({**GOOD, name: value})
    assert answered >= 2  # the plain values of the field were taken fast


def test_records_mixing_hostile_values_are_read_as_before_or_left_to_the_careful_path():
    chance = random.Random(13)
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
        ("cnamName", "x" * 16),  # longer than the column
        ("tn", "a\x00b"),
        ("endpointId", 2**31),  # past the IntegerField
        ("endpointId", Unparsed("abc")),
        ("has911", Unparsed("maybe")),
        ("expireDate", Unparsed("2025-02-30T00:00:00")),
        ("didGroupId", "abc"),
    ],
)
def test_a_value_the_mirror_cannot_store_is_never_taken_fast(name, value):
    row = {**GOOD, name: value}

    assert DIDRecord.sync_values(row) is None
    expected = careful(row)
    assert any(isinstance(v, Unfit) for v in expected.values()) or record_problems(DID, expected)
    with pytest.raises(UnfitRecord):
        DIDRecord.from_vi(row)


def test_a_record_that_is_not_a_streamed_dict_goes_the_careful_way():
    assert DIDRecord.sync_values(SimpleNamespace(**GOOD)) is None


def test_set_aside_trusts_a_fitted_record_of_its_own_model_only():
    names = ("tn", *DID.vi_fields)
    bad = {"tn": "2062000044", "cnam_name": "x" * 40}
    own = SetAside(run=cast(Any, SimpleNamespace(run=None)), model=DID, step="dids")
    other = SetAside(run=cast(Any, SimpleNamespace(run=None)), model=Location, step="locations")

    assert own.check("2062000044", fitted(DID)(bad), names, "tn") == (True, True)
    assert own.check("2062000044", dict(bad), names, "tn") == (False, True)
    assert other.check("2062000044", fitted(DID)(bad), ("tn", "caller_name"), "tn") == (
        True,
        True,
    )  # Location has no cnam_name: nothing to refuse there
    assert other.check("2062000044", fitted(DID)({"tn": "x" * 11}), ("tn",), "tn") == (
        False,
        False,
    )
    assert own.count == 1 and other.count == 1


@pytest.mark.django_db
def test_the_whole_sandbox_audit_reads_the_same_both_ways(sandbox, settings):
    sandbox.control.reset(2000)
    from portal.voipinnovations.client import stream

    careful_rows = [
        values
        for values in map(careful, stream("auditDIDs", record_tag="DID"))
        if values["tn"] and not gateway._is_dummy(values["status_code"])
    ]
    fast_rows = list(gateway.audit_did_values())

    assert len(fast_rows) == len(careful_rows) == 2000
    assert [typed(row) for row in fast_rows] == [typed(row) for row in careful_rows]
    assert all(isinstance(row, Fitted) for row in fast_rows)


@pytest.mark.django_db
def test_a_merged_value_that_does_not_fit_sets_the_fast_read_record_aside(sandbox, monkeypatch):
    """The fast path vouches for auditDIDs' own values only: what `_sync_numbers` merges in from
    the other audits (here a forward longer than its column) is checked on its way."""
    from dids.records import FeatureSetting
    from portal.models import SetAsideRecord, SyncRun
    from portal.sync.services import sync_execute

    tn = sandbox.control.state("numbers/owned")[0]["tn"]
    forwards = gateway.audit_did_forwards
    monkeypatch.setattr(
        gateway,
        "audit_did_forwards",
        lambda: [*forwards(), FeatureSetting(tn=tn, value="9" * 11)],
    )

    run = sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND)
    run.refresh_from_db()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["set_aside"] == 1
    [aside] = SetAsideRecord.objects.filter(sync_run=run)
    assert aside.object_key == tn
    assert aside.problems == [
        {
            "field": "forward",
            "raw": "9" * 11,
            "reason": "longer than the 10 characters the portal keeps",
        }
    ]
    assert DID.objects.filter(tn=tn).count() == 0  # first sync: the set-aside number is not created
