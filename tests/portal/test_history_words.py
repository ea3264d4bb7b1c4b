"""History as people read it: field labels from the models, plain values, unchanged fields
left out — on the shared history component and in the writer that records changes."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from portal.history import diff, field_label, record, shown_changes, shown_value
from portal.models import ChangeRecord, Source


def test_fields_are_shown_by_their_model_labels_not_their_names():
    shown = shown_changes(
        "dids.did", {"has911": [False, True], "cnam_storage_active": [True, False]}
    )
    assert [(item.label, item.before, item.after) for item in shown] == [
        ("911", "no", "yes"),
        ("Outbound CNAM active", "yes", "no"),
    ]


def test_unchanged_fields_are_left_out():
    shown = shown_changes(
        "dids.did",
        {
            "forward": ["4352154006", "4352154006"],  # recorded, but the same
            "cnam_name": ["", None],  # nothing either way
            "rate": [Decimal("0.0100"), "0.0100"],  # same once stored
            "tier": ["1", "2"],
        },
    )
    assert [item.name for item in shown] == ["tier"]
    assert (shown[0].label, shown[0].before, shown[0].after) == ("Tier", "1", "2")


def test_bookkeeping_fields_are_not_history_for_people():
    assert (
        shown_changes(
            "dids.did", {"content_hash": ["a", "b"], "locally_changed_at": [None, "2026-11-29"]}
        )
        == []
    )


def test_a_field_the_model_no_longer_has_gets_its_name_in_words():
    assert field_label("dids.did", "old_vi_flag") == "Old vi flag"
    assert field_label("nosuchapp.model", "some_field") == "Some field"
    assert field_label("not-a-label", "x") == "X"


@pytest.mark.parametrize(
    "changes",
    [None, "text", 42, ["a", "b"], {"tier": "2"}, {"tier": ["1"]}, {"tier": ["1", "2", "3"]}],
    ids=["none", "text", "number", "list", "bare-value", "one-item", "three-items"],
)
def test_odd_shapes_never_break_and_never_drop_a_new_value(changes):
    shown = shown_changes("dids.did", changes)
    assert isinstance(shown, list)
    if isinstance(changes, dict):
        assert len(shown) == 1 and shown[0].label == "Tier"


def test_values_read_as_words():
    assert shown_value(None) == shown_value("") == shown_value([]) == "—"
    assert (shown_value(True), shown_value(False)) == ("yes", "no")
    assert shown_value(["a@example.com", "b@example.com"]) == "a@example.com, b@example.com"
    long = shown_value("x" * 10_000)
    assert len(long) == 120 and long.endswith("…")
    assert (
        shown_value("bad\x00value") == "bad\x00value"
    )  # shown as stored; the writer replaced NULs


def test_diff_records_only_what_really_changed():
    before = {"rate": Decimal("0.0100"), "tier": "1", "forward": ""}
    after = {"rate": "0.0100", "tier": "2", "forward": ""}
    assert diff(before, after) == {"tier": ["1", "2"]}


@pytest.mark.django_db
def test_the_history_component_shows_labels_and_escapes_hostile_values():
    row = record(
        model="dids.did",
        object_key="4352154006",
        action=ChangeRecord.Action.UPDATED,
        changes={
            "has911": [False, True],
            "cnam_name": ["<script>alert(1)</script>", "<b>Front\x00Desk</b>"],
            "tier": ["1", "1"],
        },
        actor=None,
        source=Source.STAFF,
        at=datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC),
    )
    html = render_to_string("components/history.html", {"history": [row]})
    assert "911:" in html and "Outbound CNAM name:" in html
    assert "has911" not in html.replace('data-field="has911"', "")
    assert 'data-field="tier"' not in html  # unchanged: left out
    assert "<script>" not in html and "&lt;script&gt;" in html
    row.refresh_from_db()
    assert (
        row.changes["cnam_name"][1] == "<b>Front\ufffdDesk</b>"
    )  # PostgreSQL's jsonb holds no NUL


@pytest.mark.django_db
def test_the_messaging_history_uses_the_same_words():
    row = record(
        model="messaging.campaign", object_key="C1", action=ChangeRecord.Action.UPDATED,
        changes={"status": ["PENDING", "ACTIVE"], "description": ["same", "same"]}, actor=None, source=Source.SYNC,
    )  # fmt: skip
    html = render_to_string("messaging/_history.html", {"history": [row]})
    assert 'data-field="status"' in html and 'data-field="description"' not in html


def test_a_page_may_name_values_and_fields_its_own_way():
    groups = {8674: "Main PBX"}
    shown = shown_changes(
        "dids.did",
        {"endpoint_id": [8674, 8675], "gone_at": [None, "2026-11-29T09:00:00"]},
        show=lambda name, value: groups.get(value, value) if name == "endpoint_id" else value,
        labels={"gone_at": "Left the account"},
    )
    assert [(item.label, item.before, item.after) for item in shown] == [
        ("Endpoint group", "Main PBX", "8675"),
        ("Left the account", "—", "2026-11-29T09:00:00"),
    ]
