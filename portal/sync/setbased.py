"""The reconcile primitive on PostgreSQL, set-based: the audit in a staging table, the diff in SQL.

The same three phases and guarantees as the portable path (`portal.sync.reconcile`), with
the per-record work moved from Python into a handful of statements:

1. Read: the audit is streamed into a TEMP staging table by COPY, in batches (a heartbeat
   between them), values typed as the mirror's columns. Python only picks each record's
   values out of its dict; no model instances, no hashing. The staging table is the
   "fully staged first": the mirror is not touched while the audit is read, so a failed
   or truncated audit writes nothing. A record with a value the mirror cannot store is
   staged with its key only, flagged `set_aside` (`portal.sync.setaside`).
2. Judge: one join of the staging table with the mirror counts the new, changed,
   unchanged, returned and locally changed rows, another the active rows the audit did
   not list; an empty or sharply shrunken audit is held exactly as on the portable path.
3. Apply: three statements, each in its own short transaction, each writing its history
   rows in the same statement (a data-modifying CTE feeding INSERT INTO the history):
   INSERT … SELECT for new rows; UPDATE … FROM for changed and returned rows, locked
   first (SELECT … FOR UPDATE) and compared column by column (IS DISTINCT FROM), the
   content hash and the `{field: [before, after]}` JSON computed by SQL
   (`portal.sync.columns`); UPDATE … SET gone_at for the rows the audit no longer lists.

Race with staff writes: each statement re-checks `locally_changed_at` against the moment
the audit was requested, on the row's latest version (PostgreSQL re-evaluates the
condition of a row it waited for), so a staff write is never overwritten nor marked gone.
"""

from __future__ import annotations

import datetime
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from portal.events.publish import first_sync, from_sync_history
from portal.history import FIRST_LOAD_KEY, copy_rows, model_label
from portal.mirror import MirrorModel
from portal.models import ChangeRecord, Source
from portal.sync import firstload
from portal.sync.columns import (
    Column,
    columns_of,
    concrete_column,
    concrete_field,
    content_hash_sql,
    iso_datetime_sql,
    literal,
    supported,
)
from portal.sync.context import SyncContext
from portal.sync.firstload import SecondaryIndexes
from portal.sync.outcome import ReconcileCounts, hold_if_shrunk
from portal.sync.setaside import SetAside

Action = ChangeRecord.Action

# jsonb_build_object takes at most 100 arguments: 50 fields a call.
_FIELDS_PER_OBJECT = 40
# MirrorModel's own bookkeeping columns: set by the statements themselves.
_BOOKKEEPING = ("content_hash", "first_seen_at", "gone_at", "locally_changed_at", "last_changed_by")

_stage_names = itertools.count(1)

# The mirrors whose first load writes one "created" entry for all its rows (and the word
# for them in it): the big ones, whose history pages show that entry for each row
# (dids.selectors.did_history; portal.history.with_first_load_entry). The other mirrors'
# first loads are small, and their pages read each row's own entry.
FIRST_LOAD_WORDS = {"dids.did": "numbers", "e911.location": "911 locations"}

logger = logging.getLogger(__name__)


def set_based_supported(model: type[MirrorModel]) -> bool:
    """Whether the set-based path can reconcile `model` (PostgreSQL, field types SQL can hash)."""
    return connection.vendor == "postgresql" and supported(
        model, (model.natural_key_field, *model.vi_fields)
    )


class SetBasedReconciler:
    def __init__(
        self,
        *,
        run: SyncContext,
        model: type[MirrorModel],
        step: str | None,
        scope: Q | None,
        to_fields: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None,
        audit_requested_at: datetime.datetime,
        batch_size: int,
    ):
        self.run = run
        self.model = model
        self.step = step
        self.scope = scope
        self.to_fields = to_fields
        self.audit_requested_at = audit_requested_at
        self.batch_size = batch_size
        self.title = step or str(model._meta.verbose_name_plural)
        self.label = model_label(model)
        self.counts = ReconcileCounts()
        self.set_aside = SetAside(run=run, model=model, step=step)
        self.pending = {"create": 0, "update": 0, "return": 0}
        self.missing = 0

        quote = connection.ops.quote_name
        self.key = Column(model.natural_key_field, concrete_field(model, model.natural_key_field))
        self.columns = columns_of(model, model.vi_fields)
        # The staging table holds the key once, even when it is also a VI field.
        self.stage_columns = [
            self.key,
            *(column for column in self.columns if column.name != self.key.name),
        ]
        self.stage = f"portal_sync_stage_{next(_stage_names)}"
        self.table = quote(model._meta.db_table)
        self.pk = quote(concrete_column(model._meta.pk))
        self.k = self.key.identifier
        self.history_table = quote(ChangeRecord._meta.db_table)

    # --- the whole run ---------------------------------------------------------------

    def reconcile(self, records: Iterable[Mapping[str, Any]]) -> ReconcileCounts:
        self._create_stage()
        try:
            self._stage_records(iter(records))
            self.set_aside.save()
            kept_before = self._drop_duplicates_and_judge()
            self._apply(kept_before)
        finally:
            self._drop_stage()
        self.run.set_counts(self.counts.as_dict(), step=self.step)
        return self.counts

    # --- phase 1: read into the staging table ------------------------------------------

    def _create_stage(self) -> None:
        definitions = ", ".join(
            f"{column.identifier} {column.stage_type}" for column in self.stage_columns
        )
        # `set_aside`: a record VI listed whose values cannot be stored (portal.sync.setaside).
        # It is staged with its key only: never applied, but never marked gone either.
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {self.stage} (position bigint GENERATED ALWAYS AS IDENTITY, "
                f"set_aside boolean NOT NULL DEFAULT false, {definitions})"
            )

    def _drop_stage(self) -> None:
        # In a transaction that already failed (tests wrap each in one) the rollback drops it.
        if connection.in_atomic_block and connection.needs_rollback:
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
        except Exception:  # the temp table dies with the session anyway; never mask the real error
            logger.warning("Could not drop the sync staging table %s", self.stage, exc_info=True)

    def _stage_records(self, records: Iterator[Mapping[str, Any]]) -> None:
        names = [column.name for column in self.stage_columns]
        key_name = self.key.name
        adapters = [
            (index, adapt)
            for index, column in enumerate(self.stage_columns)
            if (adapt := column.copy_adapter()) is not None
        ]
        to_fields = self.to_fields
        set_aside, check_names = self.set_aside, (key_name, *self.model.vi_fields)
        blank = [None] * (len(names) - 1)
        columns = ["set_aside", *(concrete_column(column.field) for column in self.stage_columns)]
        # A batch is gathered before its COPY: the audit's iterator may itself use the
        # connection (the provider call log), which a COPY in progress holds.
        while batch := list(islice(records, self.batch_size)):
            rows = []
            for record in batch:
                data = to_fields(record) if to_fields else record
                get = data.get
                key = get(key_name)
                if key is None or (isinstance(key, str) and key == ""):
                    continue
                self.counts.seen += 1
                fits, key_usable = set_aside.check(key, data, check_names, key_name)
                if not fits:
                    self.counts.set_aside += 1
                    if key_usable:
                        rows.append([True, key, *blank])
                    continue
                row = [get(name) for name in names]
                for index, adapt in adapters:
                    if row[index] is not None:
                        row[index] = adapt(row[index])
                rows.append([False, *row])
            with transaction.atomic():
                copy_rows(table=self.stage, columns=columns, rows=rows)
            self.run.heartbeat(
                done=self.counts.seen,
                total=None,
                label=f"{self.title}: read {self.counts.seen:,} records",
            )

    # --- phase 2: judge --------------------------------------------------------------

    def _drop_duplicates_and_judge(self) -> int:
        """Count what applying would do; raise ShrinkHeld (nothing applied) if it looks wrong.

        Returns the rows kept local so far (apply adds those a person changes meanwhile).
        """
        with transaction.atomic(), connection.cursor() as cursor:
            _unique_index_lookups(cursor)
            # Statistics steer the joins with the mirror; against an empty mirror (a first
            # load) every record is new whatever the plan, and ANALYZE would only cost time.
            if not self._mirror_empty(cursor):
                cursor.execute(f"ANALYZE {self.stage}")
            cursor.execute(f"SELECT count(*) - count(DISTINCT {self.k}) FROM {self.stage}")
            self.counts.duplicates = cursor.fetchone()[0]
            if self.counts.duplicates:
                # The first record of a key counts, as on the portable path.
                cursor.execute(
                    f"DELETE FROM {self.stage} later USING {self.stage} earlier "
                    f"WHERE later.{self.k} = earlier.{self.k} AND later.position > earlier.position"
                )
            local = self._locally_changed("m")
            changed = self._distinct("m", "s")
            cursor.execute(
                f"""
                SELECT count(*) FILTER (WHERE m.{self.pk} IS NULL),
                       count(*) FILTER (WHERE m.{self.pk} IS NOT NULL AND {local}),
                       count(*) FILTER (WHERE m.{self.pk} IS NOT NULL AND NOT {local} AND m.gone_at IS NOT NULL),
                       count(*) FILTER (WHERE m.{self.pk} IS NOT NULL AND NOT {local} AND m.gone_at IS NULL
                                        AND {changed}),
                       count(*) FILTER (WHERE m.{self.pk} IS NOT NULL AND NOT {local} AND m.gone_at IS NULL
                                        AND NOT {changed})
                FROM {self._staged()} LEFT JOIN {self.table} m ON m.{self.k} = s.{self.k}
                """,
                {"audit_requested_at": self.audit_requested_at},
            )
            created, kept_listed, returned, updated, unchanged = cursor.fetchone()
            scope_sql, scope_params = self._scope_sql("m")
            cursor.execute(
                f"""
                SELECT count(*),
                       count(*) FILTER (WHERE s.{self.k} IS NULL AND NOT {local}),
                       count(*) FILTER (WHERE s.{self.k} IS NULL AND {local})
                FROM {self.table} m LEFT JOIN {self.stage} s ON s.{self.k} = m.{self.k}
                WHERE m.gone_at IS NULL {scope_sql}
                """,
                {"audit_requested_at": self.audit_requested_at, **scope_params},
            )
            active, missing, kept_missing = cursor.fetchone()
        self.pending = {"create": created, "update": updated, "return": returned}
        self.missing = missing
        self.counts.unchanged = unchanged
        self.counts.kept_local = kept_listed + kept_missing
        hold_if_shrunk(
            run=self.run,
            counts=self.counts,
            pending=self.pending,
            gone=missing,
            active=active,
            title=self.title,
            step=self.step,
        )
        return self.counts.kept_local

    # --- phase 3: apply --------------------------------------------------------------

    def _apply(self, kept_before: int) -> None:
        total = sum(self.pending.values())
        done = 0
        if self.pending["create"]:
            self.counts.created = self._insert_new()
            done += self.pending["create"]
            self.run.heartbeat(
                done=done, total=total, label=f"{self.title}: applied {done:,} of {total:,} changes"
            )
        if self.pending["update"] or self.pending["return"]:
            self.counts.updated, self.counts.returned = self._update_changed()
            done += self.pending["update"] + self.pending["return"]
        self.run.heartbeat(
            done=done, total=total, label=f"{self.title}: applied {done:,} of {total:,} changes"
        )
        # Rows a person changed (or created) between judging and applying were left alone.
        applied = self.counts.created + self.counts.updated + self.counts.returned
        self.counts.kept_local = kept_before + total - applied
        # Nothing missing when judged means nothing to mark: a row that goes missing later
        # was created or brought back by a person meanwhile, and is theirs to keep.
        self.counts.gone = self._mark_missing_gone() if self.missing else 0
        if self.counts.gone:
            self.run.heartbeat(label=f"{self.title}: marked {self.counts.gone:,} gone")

    def _insert_new(self) -> int:
        """New rows, in the audit's order, with their "created" history; returns how many.

        Into an empty table (a first load) the secondary indexes are built after the rows
        (`portal.sync.firstload`), and on a kind's first sync the numbers and 911 locations
        get one "created" entry for all of them (`_summarise_first_load`).
        """
        targets, values = [self.k], [f"s.{self.k}"]
        for column in self.columns:
            if column.name != self.key.name:
                targets.append(column.identifier)
                values.append(f"s.{column.identifier}")
        targets += [
            "content_hash",
            "first_seen_at",
            "gone_at",
            "locally_changed_at",
            "last_changed_by_id",
        ]
        values += [self._content_hash("s"), "%(now)s", "NULL", "NULL", "NULL"]
        for field in self._local_fields():
            targets.append(connection.ops.quote_name(concrete_column(field)))
            values.append(literal(field.get_default(), field))
        returned = ", ".join(
            dict.fromkeys([self.k, *(column.identifier for column in self.columns)])
        )
        # Rows a person (or another sync) inserted meanwhile keep theirs: skipped, not clashed.
        guarded = f"""
            WHERE NOT EXISTS (SELECT 1 FROM {self.table} m WHERE m.{self.k} = s.{self.k})
            ORDER BY s.position
            ON CONFLICT ({self.k}) DO NOTHING
        """
        # History shows the values as VI sent them: a decimal column rounds to its scale,
        # so where there is one the staged row is read again ("2.25", not "2.2500").
        rounded = any(column.kind == "DecimalField" for column in self.columns)
        source = (
            f"inserted JOIN {self._staged()} ON s.{self.k} = inserted.{self.k}"
            if rounded
            else "inserted s"
        )
        created = self._history_json_created("s")

        def insert(*, locked_empty: bool) -> str:
            # Into a table locked while empty, with each key staged once (duplicates were
            # dropped when judging), nothing can clash: no per-row lookup, no speculative
            # insertion (a quarter of the statement's time at 100,000 rows).
            condition = "ORDER BY s.position" if locked_empty else guarded
            return f"""
                INSERT INTO {self.table} ({", ".join(targets)})
                SELECT {", ".join(values)}
                FROM {self._staged()}
                {condition}
            """

        def with_history(*, locked_empty: bool) -> str:
            return f"""
                WITH inserted AS ({insert(locked_empty=locked_empty)} RETURNING {returned})
                {self._history_insert()}
                SELECT %(now)s, %(label)s, s.{self.k}::text, %(action)s, {created}, NULL, %(source)s, %(run_id)s, ''
                FROM {source}
            """

        params = {
            **self._history_params(),
            "action": Action.CREATED,
            "audit_requested_at": self.audit_requested_at,
        }
        with self._apply_transaction() as cursor:
            indexes = None
            if self.pending["create"] >= firstload.MIN_ROWS and self._mirror_empty(cursor):
                indexes = SecondaryIndexes.drop_for_load(cursor, table=self.model._meta.db_table)
            locked_empty = indexes is not None
            if self._summarise_first_load(cursor):
                cursor.execute(insert(locked_empty=locked_empty), params)
                written = cursor.rowcount
                self._write_first_load_entry(cursor, written, params)
            else:
                cursor.execute(with_history(locked_empty=locked_empty), params)
                written = cursor.rowcount
            if indexes is not None:
                indexes.rebuild(cursor)
            from_sync_history(
                run_id=self.run.run.pk, model=self.label
            )  # their events, same transaction
        return written

    def _mirror_empty(self, cursor) -> bool:
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.table})")
        return cursor.fetchone()[0]

    def _summarise_first_load(self, cursor) -> bool:
        """One "created" entry for the whole load instead of one per row?

        Only for the big mirrors whose history pages know to show it for each row
        (FIRST_LOAD_WORDS), only into an empty table, and only on the kind's first
        successful sync: that publishes no events (an import of what VI already has),
        whereas rows new to a later sync are news, each with its own entry and event.
        """
        return (
            self.label in FIRST_LOAD_WORDS
            and self._mirror_empty(cursor)
            and first_sync(self.run.run)
        )

    def _write_first_load_entry(self, cursor, written: int, params: Mapping[str, Any]) -> None:
        """The load's one "created" entry: at every new row's first_seen_at, with the count.

        `changes` is {"count": rows}, for readers that add up what was created (the
        dashboard's coverage chart), not {field: [before, after]}: no page shows this
        entry as it is; a row's history shows it worded for the row, without changes.
        """
        if not written:
            return
        note = f"First sync: {written:,} {FIRST_LOAD_WORDS[self.label]} first seen"
        cursor.execute(
            f"""
            {self._history_insert()}
            VALUES (%(now)s, %(label)s, %(key)s, %(action)s, %(changes)s::jsonb, NULL,
                    %(source)s, %(run_id)s, %(note)s)
            """,
            {
                **params,
                "key": FIRST_LOAD_KEY,
                "changes": json.dumps({"count": written}),
                "note": note,
            },
        )

    def _update_changed(self) -> tuple[int, int]:
        """Changed and returned rows, with their history; returns (updated, returned)."""
        local = self._locally_changed("m")
        changed = self._distinct("m", "s")
        selected = [f"m.{self.pk} AS row_id", f"m.{self.k} AS row_key", "m.gone_at AS was_gone"]
        for index, column in enumerate(self.columns):
            selected.append(f"m.{column.identifier} AS before_{index}")
            selected.append(f"s.{column.identifier} AS after_{index}")
        assignments = [
            f"{column.identifier} = t.after_{index}"
            for index, column in enumerate(self.columns)
            if column.name != self.key.name
        ]
        after = {column.name: f"t.after_{index}" for index, column in enumerate(self.columns)}
        assignments += [f"content_hash = {content_hash_sql(self.columns, after)}", "gone_at = NULL"]
        changes = self._history_json_changed("u")
        came_back = f"jsonb_build_object('gone_at', jsonb_build_array(to_jsonb({iso_datetime_sql('u.was_gone')}), NULL))"
        statement = f"""
            WITH target AS (
                SELECT {", ".join(selected)}
                FROM {self.table} m JOIN {self._staged()} ON m.{self.k} = s.{self.k}
                WHERE NOT {local} AND (m.gone_at IS NOT NULL OR {changed})
                FOR UPDATE OF m
            ), updated AS (
                UPDATE {self.table} m SET {", ".join(assignments)}
                FROM target t WHERE m.{self.pk} = t.row_id
                RETURNING t.*
            ), history AS (
                {self._history_insert()}
                SELECT %(now)s, %(label)s, u.row_key::text,
                       CASE WHEN u.was_gone IS NULL THEN %(updated)s ELSE %(returned)s END,
                       {changes} || CASE WHEN u.was_gone IS NULL THEN '{{}}'::jsonb ELSE {came_back} END,
                       NULL, %(source)s, %(run_id)s, ''
                FROM updated u
            )
            SELECT count(*) FILTER (WHERE was_gone IS NULL), count(*) FILTER (WHERE was_gone IS NOT NULL)
            FROM updated
        """
        params = {"updated": Action.UPDATED, "returned": Action.RETURNED}
        with self._apply_transaction() as cursor:
            cursor.execute(
                statement,
                {**self._history_params(), **params, "audit_requested_at": self.audit_requested_at},
            )
            updated, returned = cursor.fetchone()
            from_sync_history(
                run_id=self.run.run.pk, model=self.label
            )  # their events, same transaction
        return updated, returned

    def _mark_missing_gone(self) -> int:
        """Active rows in scope the audit did not list, locally changed ones excepted."""
        local = self._locally_changed("m")
        scope_sql, scope_params = self._scope_sql("m")
        statement = f"""
            WITH gone AS (
                UPDATE {self.table} m SET gone_at = %(now)s
                WHERE m.gone_at IS NULL {scope_sql} AND NOT {local}
                  AND NOT EXISTS (SELECT 1 FROM {self.stage} s WHERE s.{self.k} = m.{self.k})
                RETURNING m.{self.k}
            )
            {self._history_insert()}
            SELECT %(now)s, %(label)s, g.{self.k}::text, %(action)s, %(gone_changes)s::jsonb,
                   NULL, %(source)s, %(run_id)s, ''
            FROM gone g
        """
        return self._execute_apply(statement, action=Action.GONE, extra=scope_params, gone=True)

    def _execute_apply(
        self,
        statement: str,
        *,
        action: str,
        extra: Mapping[str, Any] | None = None,
        gone: bool = False,
    ) -> int:
        params = {
            **self._history_params(),
            "action": action,
            "audit_requested_at": self.audit_requested_at,
        }
        params.update(extra or {})
        if gone:
            params["gone_changes"] = json.dumps({"gone_at": [None, params["now"].isoformat()]})
        with self._apply_transaction() as cursor:
            cursor.execute(statement, params)
            written = cursor.rowcount
            from_sync_history(
                run_id=self.run.run.pk, model=self.label
            )  # their events, same transaction
            return written

    def _apply_transaction(self):
        return _ApplyTransaction()

    # --- SQL pieces ------------------------------------------------------------------

    def _staged(self) -> str:
        """The staging table with VI's nil already turned into each column's empty value."""
        values = ["s.position", f"s.{self.k}"]
        values += [
            f"{column.staged('s')} AS {column.identifier}"
            for column in self.columns
            if column.name != self.key.name
        ]
        return f"(SELECT {', '.join(values)} FROM {self.stage} s WHERE NOT s.set_aside) s"

    def _locally_changed(self, alias: str) -> str:
        return f"({alias}.locally_changed_at IS NOT NULL AND {alias}.locally_changed_at >= %(audit_requested_at)s)"

    def _distinct(self, before: str, after: str) -> str:
        if not self.columns:
            return "false"
        left = ", ".join(f"{before}.{column.identifier}" for column in self.columns)
        right = ", ".join(f"{after}.{column.identifier}" for column in self.columns)
        return f"ROW({left}) IS DISTINCT FROM ROW({right})"

    def _content_hash(self, alias: str) -> str:
        return content_hash_sql(
            self.columns, {column.name: f"{alias}.{column.identifier}" for column in self.columns}
        )

    def _scope_sql(self, alias: str) -> tuple[str, dict[str, Any]]:
        if self.scope is None:
            return "", {}
        query = self.model._default_manager.filter(self.scope).values("pk").query
        compiled, params = query.sql_with_params()
        names = {f"scope_{index}": value for index, value in enumerate(params)}
        pieces = compiled.split("%s")
        compiled = pieces[0] + "".join(
            f"%({name})s{piece}" for name, piece in zip(names, pieces[1:], strict=True)
        )
        return f"AND {alias}.{self.pk} IN ({compiled})", names

    def _history_insert(self) -> str:
        return (
            f"INSERT INTO {self.history_table} "
            "(at, model, object_key, action, changes, actor_id, source, sync_run_id, note)"
        )

    def _history_params(self) -> dict[str, Any]:
        return {
            "now": timezone.now(),
            "label": self.label,
            "source": Source.SYNC,
            "run_id": self.run.run.pk,
        }

    def _history_json_created(self, alias: str) -> str:
        """`history.diff({}, values)`: every field with a value, as [null, value]."""
        pairs = [
            (
                column,
                f"jsonb_build_array(NULL, {column.history_value(f'{alias}.{column.identifier}')})",
            )
            for column in self.columns
        ]
        empty = [
            f"CASE WHEN {alias}.{column.identifier} IS NULL THEN '{column.name}' END"
            for column in self.columns
        ]
        return self._json_object(pairs, empty)

    def _history_json_changed(self, alias: str) -> str:
        """`history.diff(before, after)`: only the fields whose value differs."""
        pairs, same = [], []
        for index, column in enumerate(self.columns):
            before, after = f"{alias}.before_{index}", f"{alias}.after_{index}"
            pairs.append(
                (
                    column,
                    f"jsonb_build_array({column.history_value(before)}, {column.history_value(after)})",
                )
            )
            same.append(f"CASE WHEN {before} IS NOT DISTINCT FROM {after} THEN '{column.name}' END")
        return self._json_object(pairs, same)

    def _json_object(self, pairs: list[tuple[Column, str]], drop: list[str]) -> str:
        """A jsonb object of `pairs`, less the keys `drop` names (NULL names drop nothing)."""
        if not pairs:
            return "'{}'::jsonb"
        objects = []
        for start in range(0, len(pairs), _FIELDS_PER_OBJECT):
            chunk = pairs[start : start + _FIELDS_PER_OBJECT]
            objects.append(
                "jsonb_build_object("
                + ", ".join(f"'{column.name}', {value}" for column, value in chunk)
                + ")"
            )
        return f"(({' || '.join(objects)}) - ARRAY[{', '.join(drop)}]::text[])"

    def _local_fields(self) -> list[models.Field]:
        """Fields neither VI's nor the engine's: a new row gets their defaults."""
        owned = {self.key.name, *self.model.vi_fields, *_BOOKKEEPING}
        return [
            field
            for field in self.model._meta.concrete_fields
            if not field.primary_key and field.name not in owned
        ]


class _ApplyTransaction:
    """One short transaction per apply statement, looking rows up by the unique b-tree."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.cursor = connection.cursor()
        _unique_index_lookups(self.cursor)
        return self.cursor

    def __exit__(self, *exc):
        self.cursor.close()
        return self.atomic.__exit__(*exc)


def _unique_index_lookups(cursor) -> None:
    """Key lookups through the unique b-tree, never pg_trgm's GIN (see reconcile._unique_index_lookups)."""
    cursor.execute("SET LOCAL enable_bitmapscan = off")
