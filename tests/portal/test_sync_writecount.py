"""The mirror tables' write counters (portal/sync/writecount.py): every write moves them,
writers never wait on them, and a sync that finds one moved takes the ordinary path."""

from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from dids.models import DID
from e911.models import Location
from portal.models import SyncRun
from portal.sync import sync_execute, writecount
from portal.sync.unchanged import content_fingerprint, mirror_fingerprint

pytestmark = pytest.mark.django_db

WATCHED = [DID, Location]


def _fingerprint(model) -> str:
    counted = writecount.fingerprint(model._meta.db_table)
    assert counted is not None, "the migration installs the counter"
    return counted


def _second_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )


@pytest.fixture
def other() -> Iterator[psycopg.Connection]:
    other = _second_connection()
    yield other
    other.close()


def _sync(kind: str) -> tuple[SyncRun, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return run, [query["sql"] for query in queries.captured_queries]


def _staged(statements: list[str]) -> int:
    """How many audits were parsed and staged (the ordinary set-based path)."""
    return sum("CREATE TEMP TABLE" in sql for sql in statements)


@pytest.mark.parametrize("model", WATCHED, ids=lambda model: model._meta.db_table)
def test_every_kind_of_write_moves_the_counter(model):
    table = model._meta.db_table
    seen = [_fingerprint(model)]

    def moved() -> None:
        now = _fingerprint(model)
        assert now not in seen
        seen.append(now)

    row = model.objects.create(tn="2065550100")
    moved()
    model.objects.create(tn="2065550101")
    moved()
    with connection.cursor() as cursor:
        # Raw SQL that changes nothing a row hash covers and files no history.
        cursor.execute(f"UPDATE {table} SET tn = tn WHERE id = %s", [row.pk])
        moved()
        cursor.execute(f"UPDATE {table} SET tn = tn WHERE false")  # no row: still a write
        moved()
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
        moved()
        # TRUNCATE (like ALTER TABLE) refuses a table with foreign-key checks still queued.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")
        moved()
    # Reading it is no write.
    assert _fingerprint(model) == seen[-1]


def test_a_rolled_back_write_still_moves_it_the_safe_direction(other):
    before = _fingerprint(Location)
    other.execute("UPDATE e911_location SET city = 'Nowhere' WHERE false")
    other.rollback()
    assert _fingerprint(Location) != before


@pytest.mark.parametrize("model", WATCHED, ids=lambda model: model._meta.db_table)
def test_the_fingerprint_reads_the_counter_not_the_rows(model):
    model.objects.create(tn="2065550100")
    with CaptureQueriesContext(connection) as queries:
        fingerprint = mirror_fingerprint(model, None)
    assert fingerprint.startswith(writecount.PREFIX)
    assert fingerprint == _fingerprint(model)
    assert not any("hashtextextended" in query["sql"] for query in queries.captured_queries)
    assert len(queries.captured_queries) == 1


def test_a_scoped_model_or_a_missing_counter_hashes_the_rows():
    Location.objects.create(tn="2065550100")
    scope = Q(tn="2065550100")
    assert mirror_fingerprint(Location, scope) == content_fingerprint(Location, scope)
    assert mirror_fingerprint(Location, scope).startswith("1:")
    counted = _fingerprint(Location)
    with connection.cursor() as cursor:
        # ALTER TABLE refuses a table with foreign-key checks still queued.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # A disabled trigger counts nothing, nor one enabled only outside replica sessions.
        cursor.execute("ALTER TABLE e911_location DISABLE TRIGGER portal_count_writes")
        assert writecount.fingerprint("e911_location") is None
        assert mirror_fingerprint(Location, None) == content_fingerprint(Location, None)
        cursor.execute("ALTER TABLE e911_location ENABLE TRIGGER portal_count_writes")
        assert writecount.fingerprint("e911_location") is None
        cursor.execute("ALTER TABLE e911_location ENABLE ALWAYS TRIGGER portal_count_writes")
        assert writecount.fingerprint("e911_location") == counted
    # Dropped (DDL is transactional: the test's rollback puts it back).
    writecount.uninstall("e911_location")
    assert writecount.fingerprint("e911_location") is None
    assert mirror_fingerprint(Location, None) == content_fingerprint(Location, None)
    assert not content_fingerprint(Location, None).startswith(writecount.PREFIX)
    # Recreated: counts from nothing again, yet never equals an old value.
    writecount.install("e911_location")
    assert writecount.fingerprint("e911_location") not in (None, counted)


def test_the_migrations_are_reversible():
    tables = ("dids_did", "e911_location")
    call_command("migrate", "dids", "0006_client_structure", verbosity=0)
    call_command("migrate", "e911", "0004_bulk_job_source", verbosity=0)
    assert [writecount.fingerprint(table) for table in tables] == [None, None]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'portal\\_writes\\_%%'"
            " UNION ALL SELECT count(*) FROM pg_proc WHERE proname = %s",
            [writecount.FUNCTION],
        )
        assert [count for (count,) in cursor.fetchall()] == [0, 0]  # nothing left behind

    call_command("migrate", "dids", verbosity=0)
    call_command("migrate", "e911", verbosity=0)

    before = [_fingerprint(model) for model in WATCHED]
    for model in WATCHED:
        model.objects.create(tn="2065550100")
    assert [_fingerprint(model) for model in WATCHED] != before
    assert all(a != b for a, b in zip(before, [_fingerprint(model) for model in WATCHED]))


@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other_on_the_counter(other):
    first = Location.objects.create(tn="2065550100")
    second = Location.objects.create(tn="2065550101")
    before = _fingerprint(Location)
    assert not writecount.writers_in_flight("e911_location")
    # Left open: holds its row and the table's ROW EXCLUSIVE lock, its bump already made.
    other.execute("UPDATE e911_location SET city = 'Elsewhere' WHERE id = %s", [first.pk])
    assert writecount.writers_in_flight("e911_location")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '500ms'")
        try:
            # Would fail with LockNotAvailable if writers queued on a shared counter.
            cursor.execute("UPDATE e911_location SET city = 'Here' WHERE id = %s", [second.pk])
            assert cursor.rowcount == 1
        finally:
            cursor.execute("RESET lock_timeout")
    moved = _fingerprint(Location)
    assert moved != before
    other.rollback()
    assert not writecount.writers_in_flight("e911_location")
    assert Location.objects.get(pk=second.pk).city == "Here"
    assert _fingerprint(Location) == moved  # the rollback does not take its bump back


@pytest.mark.parametrize(
    ("kind", "model", "step"), [("e911", Location, "locations"), ("dids", DID, "dids")]
)
def test_a_raw_update_between_two_syncs_is_put_right(sandbox, kind, model, step):
    first, ordinary = _sync(kind)
    assert first.counts[step]["audit"]["mirror"] == _fingerprint(model)
    again, statements = _sync(kind)
    # Untouched: that audit skipped (one audit fewer staged: the dids sync stages its small
    # feature audits every time), and without a scan of the rows.
    assert _staged(statements) == _staged(ordinary) - 1
    assert not any("hashtextextended" in sql for sql in statements)
    row = model.objects.filter(gone_at__isnull=True).order_by("tn").first()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET status_code = 'TAMPERED' WHERE id = %s", [row.pk])

    run, statements = _sync(kind)

    assert _staged(statements) == _staged(ordinary)
    assert run.counts[step]["updated"] == 1
    assert model.objects.get(pk=row.pk).status_code == row.status_code
    assert run.counts[step]["audit"]["mirror"] == _fingerprint(model)
    last, statements = _sync(kind)
    assert _staged(statements) == _staged(ordinary) - 1
    assert last.counts[step]["unchanged"] == last.counts[step]["seen"] > 0


@pytest.mark.django_db(transaction=True)
def test_a_write_still_open_when_a_sync_ends_is_not_hidden_by_its_memo(sandbox, other):
    """The other transaction's bump is in the counter before its rows are committed: the sync
    must not remember that value, or the committed change would look untouched."""
    _, ordinary = _sync("e911")
    assert _staged(ordinary) == 1
    row = Location.objects.filter(gone_at__isnull=True).order_by("tn").first()
    other.execute("UPDATE e911_location SET city = 'Nowhere' WHERE id = %s", [row.pk])
    run, statements = _sync("e911")  # sees the counter moved: ordinary, nothing to fix yet
    assert _staged(statements) and run.counts["locations"]["updated"] == 0
    assert "audit" not in run.counts["locations"]  # nothing remembered while it is open
    other.commit()
    assert Location.objects.get(pk=row.pk).city == "Nowhere"  # committed now

    run, statements = _sync("e911")

    assert _staged(statements)
    assert run.counts["locations"]["updated"] == 1
    assert Location.objects.get(pk=row.pk).city == row.city
