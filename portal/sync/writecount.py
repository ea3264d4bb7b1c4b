"""A mirror table's write counter, kept by PostgreSQL itself: "untouched since" without a scan.

Why: `portal.sync.unchanged` skips an audit the same as the last one applied only if the
mirror is untouched since. Proving that by hashing every row costs ~0.12 s per 100,000
rows, twice per sync. Instead, every statement that writes a watched table bumps a
sequence, and the proof is reading that sequence: one catalog query, no scan.

How:

* one sequence per watched table (`portal_writes_<table>`), and ONE shared trigger
  function, `portal_count_write()`, that calls `nextval` on the sequence named by its
  argument;
* one trigger per table, `portal_count_writes`: AFTER INSERT OR UPDATE OR DELETE OR
  TRUNCATE, FOR EACH STATEMENT (one bump per statement, not per row: a 100,000-row insert
  costs one `nextval`). It is ENABLE ALWAYS, so a session in `session_replication_role =
  replica` still counts.

Why a sequence, not a counter row: `nextval` is non-transactional, so writers never wait
for each other on it. A counter row every writer updated would hold a row lock until the
writer commits, serialising every writer of the table behind the slowest. The price of
non-transactional: a rolled-back write bumps the counter too. That only costs one
unnecessary full parse on the next sync — the safe direction. Likewise a statement that
matches no row bumps it.

The other side of non-transactional: a writer bumps the counter when its statement ends,
before it commits. A counter read while that writer is still open would already include
its bump and then look "untouched" after the writer commits its change. So the value a
sync *remembers* is taken only when no other transaction holds a writer's lock on the
table (`writers_in_flight`, read after the counter); otherwise the sync remembers nothing
and the next one takes the ordinary path. Comparing at the start of a sync needs no such
check: any write after the remembered value bumps past it.

`fingerprint` names the sequence's and the trigger's oids with the value, so dropping and
recreating either (reversing and reapplying the migration, a restore) never matches an old
value. It is None when the counter is not (fully) there: no sequence, no trigger, the
trigger disabled or not ours; callers then fall back to hashing the rows.

The migrations that install it run as the role the portal writes with (one DATABASE_URL),
which owns the sequence and may call `nextval` on it. PostgreSQL only.
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

FUNCTION = "portal_count_write"
TRIGGER = "portal_count_writes"
# pg_trigger.tgtype of AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE FOR EACH STATEMENT:
# INSERT 4 + DELETE 8 + UPDATE 16 + TRUNCATE 32 (ROW 1 and BEFORE 2 unset).
TRIGGER_TYPE = 4 + 8 + 16 + 32
# Every fingerprint starts so: never equal to a row-hash one ("count:sum").
PREFIX = "writes:"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: the table's counter, schema-qualified (see portal/sync/writecount.py).
    PERFORM nextval(TG_ARGV[0]::regclass);
    RETURN NULL;
END
$$
"""

# Lock modes only a writer of rows takes: INSERT/UPDATE/DELETE/MERGE take ROW EXCLUSIVE,
# TRUNCATE (and a first load's DROP INDEX) ACCESS EXCLUSIVE. Readers, VACUUM, ANALYZE and
# CREATE INDEX take weaker ones and change nothing a fingerprint covers.
_WRITER_MODES = (
    "RowExclusiveLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
)


def sequence_name(table: str) -> str:
    return f"portal_writes_{table}"


def install(table: str, *, connection: BaseDatabaseWrapper = default_connection) -> None:
    """The function (created or replaced), the table's sequence and its trigger."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Quoted as format's %I does: the trigger's argument is compared so in `fingerprint`.
        cursor.execute("SELECT format('%%I.%%I', current_schema(), %s)", [sequence_name(table)])
        counter = cursor.fetchone()[0]
        cursor.execute(FUNCTION_SQL)
        cursor.execute(f"CREATE SEQUENCE {counter}")
        argument = counter.replace("'", "''")
        cursor.execute(
            f"CREATE TRIGGER {quote(TRIGGER)} "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{argument}')"
        )
        cursor.execute(f"ALTER TABLE {quote(table)} ENABLE ALWAYS TRIGGER {quote(TRIGGER)}")


def uninstall(table: str, *, connection: BaseDatabaseWrapper = default_connection) -> None:
    """The table's trigger and sequence; the function too once no trigger uses it."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {quote(TRIGGER)} ON {quote(table)}")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(sequence_name(table))}")
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE p.proname = %s)",
            [FUNCTION],
        )
        if not cursor.fetchone()[0]:
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def fingerprint(table: str, *, connection: BaseDatabaseWrapper = default_connection) -> str | None:
    """`writes:<sequence oid>:<trigger oid>:<value>`, or None when the counter is not there
    (or not intact): the caller then hashes the rows instead."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT seq.oid, trg.oid, pg_sequence_last_value(seq.oid)
            FROM pg_class tbl
            JOIN pg_namespace nsp ON nsp.oid = tbl.relnamespace
            JOIN pg_class seq
              ON seq.relnamespace = tbl.relnamespace AND seq.relname = %s AND seq.relkind = 'S'
            JOIN pg_trigger trg ON trg.tgrelid = tbl.oid AND trg.tgname = %s
            JOIN pg_proc fn ON fn.oid = trg.tgfoid AND fn.proname = %s
            WHERE tbl.oid = to_regclass(%s)
              AND trg.tgenabled = 'A' AND trg.tgtype = %s
              AND trg.tgargs = convert_to(format('%%I.%%I', nsp.nspname, seq.relname), 'UTF8')
                               || decode('00', 'hex')
            """,
            [
                sequence_name(table),
                TRIGGER,
                FUNCTION,
                connection.ops.quote_name(table),
                TRIGGER_TYPE,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    sequence, trigger, value = row
    # pg_sequence_last_value is NULL until the first nextval: no write counted yet.
    return f"{PREFIX}{sequence}:{trigger}:{0 if value is None else value}"


def writers_in_flight(table: str, *, connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Whether another transaction holds a writer's lock on `table` (its counter bump may be
    in a value read just before, its rows not yet committed). Read after the counter."""
    with connection.cursor() as cursor:
        cursor.execute(
            # pid is NULL for a prepared transaction: still open, so it counts.
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = to_regclass(%s) "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND granted AND mode = ANY(%s) AND pid IS DISTINCT FROM pg_backend_pid())",
            [connection.ops.quote_name(table), list(_WRITER_MODES)],
        )
        return bool(cursor.fetchone()[0])


def migration_operation(table: str) -> Any:
    """The migration step that installs `table`'s counter (and removes it when reversed);
    nothing on a database other than PostgreSQL, where no sync skips an audit."""
    from django.db import migrations

    def forward(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            install(table, connection=schema_editor.connection)

    def backward(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            uninstall(table, connection=schema_editor.connection)

    return migrations.RunPython(forward, backward, elidable=False)
