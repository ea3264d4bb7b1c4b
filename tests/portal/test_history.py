"""History writers: what services and the sync engine leave behind for people to read."""

import datetime
from decimal import Decimal

import pytest

from portal.history import Change, diff, record, record_many
from portal.models import ChangeRecord, Source

pytestmark = pytest.mark.django_db


def test_record_writes_one_readable_row(django_user_model):
    user = django_user_model.objects.create_user(username="otto")

    row = record(
        model="dids.did",
        object_key="4352154006",
        action=ChangeRecord.Action.UPDATED,
        changes={"cnam": [False, True], "rate": [Decimal("0.0100"), Decimal("0.0200")]},
        actor=user,
        source=Source.STAFF,
        note="CNAM on",
    )

    row.refresh_from_db()
    assert (row.model, row.object_key, row.actor, row.source) == (
        "dids.did",
        "4352154006",
        user,
        "staff",
    )
    assert row.changes == {"cnam": [False, True], "rate": ["0.0100", "0.0200"]}


def test_record_many_writes_in_batches_with_shared_actor_and_moment():
    moment = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
    entries = (
        Change("dids.did", f"435215{n:04d}", ChangeRecord.Action.GONE, {"gone_at": [None, moment]})
        for n in range(25)
    )

    written = record_many(entries, actor=None, source=Source.SYNC, at=moment, batch_size=10)

    assert written == 25
    rows = ChangeRecord.objects.filter(model="dids.did")
    assert rows.count() == 25
    assert {row.at for row in rows} == {moment}
    assert rows.first().changes == {"gone_at": [None, "2026-11-26T09:00:00+00:00"]}


def test_diff_lists_only_what_changed():
    before = {"name": "a", "price": Decimal("1.50"), "tags": ["x"]}
    after = {"name": "a", "price": Decimal("2"), "tags": ["x", "y"]}

    assert diff(before, after) == {"price": ["1.50", "2"], "tags": [["x"], ["x", "y"]]}
