"""A mirror table's secondary indexes, built once after its first load instead of row by row.

Why: a first sync inserts every row VI lists (100,000 numbers) into an empty table. Kept
up to date row by row, the table's dozen secondary indexes (three of them pg_trgm GIN)
cost six times the insert itself; built once over the loaded rows they cost a third of
it. That is PostgreSQL's own advice for populating a database ("Remove Indexes", "Increase
maintenance_work_mem"). Measured on 100,000 numbers: the insert with every index 1.9 s;
with only the primary key and the unique key 0.3 s, then the twelve others 0.7 s.

How, all inside the caller's transaction (the apply's), so a failure anywhere rolls the
DROPs back with everything else and the indexes stay exactly as they were (DDL is
transactional in PostgreSQL):

1. `SecondaryIndexes.drop_for_load` takes the table's ACCESS EXCLUSIVE lock, waiting at
   most `LOCK_TIMEOUT`: a long reader (a report, a CSV export) keeps the table, and the
   caller inserts the ordinary way instead of failing the sync. Under the lock it checks
   the table is still empty, reads each index's definition (`pg_get_indexdef`, which
   keeps opclasses, expressions, predicates and WITH options such as
   gin_pending_list_limit) and drops it.
2. The caller inserts.
3. `SecondaryIndexes.rebuild` creates each one again, same name, same definition, with
   `MAINTENANCE_WORK_MEM` for the sorts.

Indexes a constraint owns (the primary key, unique constraints) and unique indexes stay:
the insert's ON CONFLICT needs the unique key, and duplicates must still be refused as
they arrive. Invalid indexes (a failed CREATE INDEX CONCURRENTLY) are left as they are.

The lock also keeps readers of the (empty) table waiting until the rebuild commits, a
second or two at 100,000 rows; nobody has anything to read there before a first load.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import OperationalError, connection, transaction

# How long to wait for the table's lock before inserting the ordinary way instead.
LOCK_TIMEOUT = "3s"
# For the index builds' sorts (the server's default, 64MB, spills to disk at 100,000 rows).
MAINTENANCE_WORK_MEM = "128MB"
# Below this many new rows the per-row index upkeep costs milliseconds: not worth the DDL.
MIN_ROWS = 1_000

# psycopg's LockNotAvailable: lock_timeout ran out.
_LOCK_NOT_AVAILABLE = "55P03"


@dataclass(frozen=True)
class SecondaryIndexes:
    """The secondary indexes of `table`, dropped for a first load; `rebuild` puts them back."""

    table: str
    definitions: tuple[tuple[str, str], ...]  # (name, CREATE INDEX …), by name
    # The table's INITIALLY DEFERRED constraints (Django's foreign keys), quoted.
    deferred: tuple[str, ...] = ()

    @classmethod
    def drop_for_load(cls, cursor, *, table: str) -> SecondaryIndexes | None:
        """Lock the empty `table` and drop its secondary indexes, in the caller's transaction.

        None (nothing dropped) when the lock was not had within LOCK_TIMEOUT or the table
        is not empty any more: the caller then inserts with the indexes in place.
        `table` is the unquoted table name.
        """
        quoted = connection.ops.quote_name(table)
        if not _lock(cursor, quoted):
            return None
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")
        if cursor.fetchone()[0]:
            return None
        definitions = _secondary_index_definitions(cursor, quoted)
        for name, _ in definitions:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return cls(
            table=table, definitions=definitions, deferred=_deferred_constraints(cursor, quoted)
        )

    def rebuild(self, cursor) -> None:
        """Create every dropped index again, with the same name and definition."""
        # CREATE INDEX refuses a table with checks still queued for commit ("pending trigger
        # events"): the deferred foreign-key checks of the rows just inserted run now
        # instead, and the constraints are deferred again afterwards, as declared.
        names = ", ".join(self.deferred)
        if names:
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(
            "SELECT set_config('maintenance_work_mem', %s, true)", [MAINTENANCE_WORK_MEM]
        )
        for _, definition in self.definitions:
            cursor.execute(definition)
        if names:
            cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def _lock(cursor, quoted: str) -> bool:
    """ACCESS EXCLUSIVE on the table (DROP INDEX needs it), or False after LOCK_TIMEOUT."""
    cursor.execute("SELECT current_setting('lock_timeout')")
    previous = cursor.fetchone()[0]
    try:
        # A savepoint: a timed-out LOCK then undoes only itself, not the caller's transaction.
        with transaction.atomic():
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            cursor.execute(f"LOCK TABLE {quoted} IN ACCESS EXCLUSIVE MODE")
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            return False
        raise
    # The short timeout was for this lock only: the rest of the transaction waits as before.
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    return True


def _secondary_index_definitions(cursor, quoted: str) -> tuple[tuple[str, str], ...]:
    cursor.execute(
        """
        SELECT index_class.relname, pg_get_indexdef(ix.indexrelid)
        FROM pg_index ix JOIN pg_class index_class ON index_class.oid = ix.indexrelid
        WHERE ix.indrelid = %s::regclass
          AND NOT ix.indisunique AND NOT ix.indisprimary AND ix.indisvalid
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
        ORDER BY index_class.relname
        """,
        [quoted],
    )
    return tuple((name, definition) for name, definition in cursor.fetchall())


def _deferred_constraints(cursor, quoted: str) -> tuple[str, ...]:
    cursor.execute(
        """
        SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.conrelid = %s::regclass AND c.condeferrable AND c.condeferred
        ORDER BY c.conname
        """,
        [quoted],
    )
    return tuple(name for (name,) in cursor.fetchall())
