"""A first load (the mirror table empty when the apply starts), on the set-based path.

Two savings, each with its promise: the numbers and 911 locations get one "created" entry
for the whole load (each row's history still shows how it arrived), and the secondary
indexes are built after the rows (portal.sync.firstload), the table's indexes exactly as
before whatever happens. `MIN_ROWS` is lowered so the sandbox's 50 numbers count as a load.
"""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from dids.models import DID, EndpointGroup
from dids.selectors import did_history_rows
from e911.models import Location
from portal.history import FIRST_LOAD_KEY
from portal.models import ChangeRecord, Source, SyncRun
from portal.sync import firstload
from portal.sync.firstload import SecondaryIndexes
from portal.sync.services import sync_execute

pytestmark = pytest.mark.django_db

CREATED = ChangeRecord.Action.CREATED
TABLES = ("dids_did", "e911_location")


def _sync(kind: str) -> SyncRun:
    run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
    run.refresh_from_db()
    return run


def _index_definitions(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return {definition for (definition,) in cursor.fetchall()}


@pytest.fixture
def dropped(monkeypatch) -> dict[str, list]:
    """Every load counts as a first load's size; what drop_for_load returned, by table."""
    monkeypatch.setattr(firstload, "MIN_ROWS", 0)
    seen: dict[str, list] = {}
    original = SecondaryIndexes.drop_for_load.__func__

    def spy(cls, cursor, *, table):
        result = original(cls, cursor, table=table)
        seen.setdefault(table, []).append(result)
        return result

    monkeypatch.setattr(SecondaryIndexes, "drop_for_load", classmethod(spy))
    return seen


def test_a_first_sync_writes_one_created_entry_per_model_at_the_rows_first_seen_at(
    sandbox, dropped
):
    runs = {"dids.did": _sync("dids"), "e911.location": _sync("e911")}

    for label, model, words in (
        ("dids.did", DID, "numbers"),
        ("e911.location", Location, "911 locations"),
    ):
        run = runs[label]
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
        entry = ChangeRecord.objects.get(model=label, action=CREATED)
        rows = model.objects.count()
        assert rows > 0
        assert (entry.object_key, entry.source, entry.sync_run_id) == (
            FIRST_LOAD_KEY,
            Source.SYNC,
            run.pk,
        )
        assert entry.actor_id is None
        assert entry.note == f"First sync: {rows:,} {words} first seen"
        assert entry.changes == {"count": rows}
        assert set(model.objects.values_list("first_seen_at", flat=True)) == {entry.at}
    # The small mirrors keep an entry per row: their pages read each row's own.
    groups = ChangeRecord.objects.filter(model="dids.endpointgroup", action=CREATED)
    assert groups.count() == EndpointGroup.objects.count() > 0


def test_rows_loaded_with_the_indexes_built_after_are_the_rows_a_re_sync_finds_unchanged(
    sandbox, dropped
):
    """Same values and content hash as before: a re-sync finds nothing to write."""
    assert _sync("dids").status == SyncRun.Status.SUCCEEDED
    assert dropped["dids_did"][0] is not None  # the indexes were built after the rows
    history = ChangeRecord.objects.count()

    again = _sync("dids")

    assert again.status == SyncRun.Status.SUCCEEDED, again.error
    assert again.counts["dids"]["unchanged"] == again.counts["dids"]["seen"] == DID.objects.count()
    assert ChangeRecord.objects.count() == history


def test_the_number_page_shows_the_first_sync_that_brought_the_number(sandbox, operator_client):
    run = _sync("dids")
    tn = DID.objects.order_by("tn").values_list("tn", flat=True)[0]

    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()

    assert f"First seen in Numbers sync #{run.pk}" in page
    assert "Already on the account when the portal first synced" in page
    [row] = did_history_rows(tn=tn)
    assert row.first_load and row.record.at == DID.objects.get(tn=tn).first_seen_at
    assert (row.record.object_key, row.record.sync_run_id) == (tn, run.pk)


def test_a_later_sync_writes_a_created_entry_per_new_number(sandbox, operator_client):
    assert _sync("dids").status == SyncRun.Status.SUCCEEDED
    [tn] = sandbox.control.other("add", endpointGroup=8674)["tns"]

    run = _sync("dids")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    own = ChangeRecord.objects.get(model="dids.did", object_key=tn, action=CREATED)
    assert (own.source, own.sync_run_id) == (Source.SYNC, run.pk)
    assert own.changes["endpoint_id"] == [None, 8674]
    assert ChangeRecord.objects.filter(model="dids.did", object_key=FIRST_LOAD_KEY).count() == 1
    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert "Added to the account with" in page
    assert "First seen in" not in page


def test_an_empty_table_after_an_earlier_successful_sync_gets_an_entry_per_row(sandbox):
    """Rows new to a later sync are news (each its entry and event), even into an empty table."""
    assert _sync("dids").status == SyncRun.Status.SUCCEEDED
    DID.objects.all().delete()
    ChangeRecord.objects.filter(model="dids.did").delete()

    run = _sync("dids")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    created = ChangeRecord.objects.filter(model="dids.did", action=CREATED, sync_run=run)
    assert set(created.values_list("object_key", flat=True)) == set(
        DID.objects.values_list("tn", flat=True)
    )


def test_after_a_first_load_the_indexes_are_exactly_as_before(sandbox, dropped):
    before = {table: _index_definitions(table) for table in TABLES}
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]

    assert _sync("dids").status == SyncRun.Status.SUCCEEDED
    assert _sync("e911").status == SyncRun.Status.SUCCEEDED

    for table in TABLES:
        [indexes] = dropped[table]
        assert indexes is not None and len(indexes.definitions) >= 3  # dropped, then rebuilt
        assert _index_definitions(table) == before[table]
    with connection.cursor() as cursor:  # the short wait was for the lock alone
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == lock_timeout


def test_a_failure_after_the_indexes_were_dropped_leaves_them_and_the_empty_table(
    sandbox, dropped, monkeypatch
):
    before = _index_definitions("dids_did")
    rebuild = SecondaryIndexes.rebuild

    def failing(self, cursor):
        if self.table == "dids_did":
            raise RuntimeError("the disk filled up while building the indexes")
        rebuild(self, cursor)

    monkeypatch.setattr(SecondaryIndexes, "rebuild", failing)

    run = _sync("dids")

    assert run.status == SyncRun.Status.FAILED
    assert "disk filled up" in run.error
    assert dropped["dids_did"][0] is not None  # they had been dropped
    assert _index_definitions("dids_did") == before
    assert not DID.objects.exists()
    assert not ChangeRecord.objects.filter(model="dids.did").exists()


def test_a_long_reader_of_the_table_makes_the_load_keep_its_indexes(sandbox, dropped, monkeypatch):
    monkeypatch.setattr(firstload, "LOCK_TIMEOUT", "200ms")
    before = _index_definitions("dids_did")
    settings = connection.settings_dict
    reader = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        reader.execute("SELECT count(*) FROM dids_did")  # its transaction holds ACCESS SHARE

        run = _sync("dids")
    finally:
        reader.close()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert dropped["dids_did"] == [None]  # the lock was not had: inserted with the indexes
    assert _index_definitions("dids_did") == before
    assert DID.objects.count() == run.counts["dids"]["created"] > 0
    entry = ChangeRecord.objects.get(model="dids.did", action=CREATED)
    assert entry.object_key == FIRST_LOAD_KEY
