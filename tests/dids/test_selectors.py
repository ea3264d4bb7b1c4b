"""The list page's reads: filters, keyset pages, CSV — and a bounded number of queries."""

import pytest

from dids.models import DID
from dids.selectors import (
    DIDFilters,
    did_count,
    did_csv_rows,
    did_filter_choices,
    did_history,
    did_list,
)

from .conftest import owned_number, owned_numbers

pytestmark = pytest.mark.django_db


def test_pages_walk_the_whole_list_once_in_order(synced, django_assert_max_num_queries):
    seen = []
    cursor = ""
    while True:
        with django_assert_max_num_queries(1):
            page = did_list(filters=DIDFilters(), cursor=cursor, page_size=7)
        seen += [row.tn for row in page.rows]
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert seen == sorted(DID.objects.filter(gone_at__isnull=True).values_list("tn", flat=True))


def test_descending_sort_on_a_nullable_field_pages_without_gaps(synced):
    seen, cursor = [], ""
    while True:
        page = did_list(filters=DIDFilters(), sort="-did_group", cursor=cursor, page_size=9)
        seen += [row.tn for row in page.rows]
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(DID.objects.values_list("tn", flat=True))
    groups = [DID.objects.get(tn=tn).did_group_id or 0 for tn in seen]
    assert groups == sorted(groups, reverse=True)


def test_digits_anywhere_in_the_number_in_any_format(synced):
    tn = owned_number(synced, state="NY")["tn"]
    page = did_list(filters=DIDFilters(q=f"({tn[:3]}) {tn[3:6]}"))
    assert tn in [row.tn for row in page.rows]
    assert all(tn[:6] in row.tn for row in page.rows)
    assert [row.tn for row in did_list(filters=DIDFilters(q=tn[4:9])).rows] == sorted(
        DID.objects.filter(tn__contains=tn[4:9]).values_list("tn", flat=True)
    )


def test_text_search_finds_the_caller_id_name(synced):
    tn = owned_number(synced, cnam_name="FRONT DESK")["tn"]
    assert tn in [row.tn for row in did_list(filters=DIDFilters(q="front de")).rows]


def test_filters_combine(synced):
    filters = DIDFilters(state="NY", endpoint_id=8674, features=frozenset({"cnam"}))
    rows = did_list(filters=filters, page_size=500).rows
    expected = DID.objects.filter(state="NY", endpoint_id=8674, gone_at__isnull=True).exclude(
        cnam_name=""
    )
    assert sorted(row.tn for row in rows) == sorted(expected.values_list("tn", flat=True))
    assert did_count(filters=filters) == (expected.count(), False)


def test_gone_numbers_are_hidden_unless_asked_for(synced):
    row = DID.objects.first()
    synced.control.other("release", tn=row.tn)
    from .conftest import run_dids_sync

    run_dids_sync()

    assert row.tn not in [r.tn for r in did_list(filters=DIDFilters(), page_size=500).rows]
    assert [r.tn for r in did_list(filters=DIDFilters(only_gone=True)).rows] == [row.tn]
    assert did_history(tn=row.tn)[0].action == "gone"


def test_csv_has_a_header_and_one_line_per_number(synced):
    lines = list(did_csv_rows(filters=DIDFilters(state="NY")))
    assert lines[0][0] == "number"
    assert len(lines) - 1 == DID.objects.filter(state="NY").count()


def test_filter_choices(synced, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        choices = did_filter_choices(state="NY")
    assert "NY" in choices.states
    assert {group.vi_id for group in choices.endpoint_groups} >= {8674, 8675}


def test_a_reference_is_found_by_its_text(synced):
    reference = next(number for number in owned_numbers(synced) if number.get("ref_id"))
    found = did_list(filters=DIDFilters(q=reference["ref_id"].lower())).rows
    assert reference["tn"] in [row.tn for row in found]


def test_digits_search_only_the_number_not_references_that_contain_them(synced):
    reference = next(number for number in owned_numbers(synced) if number.get("ref_id"))
    digits = "".join(character for character in reference["ref_id"] if character.isdigit())
    expected = sorted(
        DID.objects.filter(tn__contains=digits, gone_at__isnull=True).values_list("tn", flat=True)
    )
    assert [
        row.tn for row in did_list(filters=DIDFilters(q=digits), page_size=500).rows
    ] == expected
    assert did_count(filters=DIDFilters(q=digits)) == (len(expected), False)


def test_a_number_with_country_code_finds_it(synced):
    tn = owned_number(synced, state="NY")["tn"]
    assert [
        row.tn for row in did_list(filters=DIDFilters(q=f"+1 ({tn[:3]}) {tn[3:6]}-{tn[6:]}")).rows
    ] == [tn]


def test_count_stops_at_the_cap_without_sorting(synced, django_assert_max_num_queries):
    total = DID.objects.filter(gone_at__isnull=True).count()
    with django_assert_max_num_queries(1) as captured:
        assert did_count(filters=DIDFilters(), limit=total - 1) == (total - 1, True)
    # Ordered, PostgreSQL must find and sort every match before the cap can stop it.
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]
    assert did_count(filters=DIDFilters(), limit=total) == (total, False)


def test_search_indexes_keep_a_short_pending_list():
    """Every search reads a GIN index's whole pending list: after a bulk sync the default
    4 MB held all 102,000 references unmerged and a text search took 30 ms (migration 0004)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'did\\_%\\_trgm' ORDER BY relname"
        )
        options = dict(cursor.fetchall())
    indexes = ("did_cnam_name_trgm", "did_ref_id_trgm", "did_tn_trgm")
    assert options == {name: ["gin_pending_list_limit=256"] for name in indexes}


def test_a_numbers_history_leaves_out_fields_that_did_not_change():
    from dids.selectors import did_history_rows
    from portal.models import ChangeRecord, Source

    # Older rows, and some writers, recorded every field whether it changed or not.
    ChangeRecord.objects.create(
        model="dids.did",
        object_key="2125550100",
        action=ChangeRecord.Action.UPDATED,
        source=Source.SYNC,
        changes={
            "cnam": [True, True],
            "cnam_name": ["OLD NAME", "NEW NAME"],
            "has911": [False, False],
            "forward": ["", None],
            "content_hash": ["a", "b"],
        },
    )

    [row] = did_history_rows(tn="2125550100")

    assert [label for label, _, _ in row.changes] == ["Outbound CNAM name"]
    assert row.changes[0][1:] == ("OLD NAME", "NEW NAME")
