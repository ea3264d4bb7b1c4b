"""The reconcile primitive every domain sync uses: a complete VI audit against a mirror.

Three phases, so that nothing is written unless the whole audit arrived and looks sane:

1. Read: stream the audit in batches; per batch, load the stored hashes in one query and
   spool (in a temporary file, not memory) only the records that are new, changed or
   back. Unchanged rows cost one hash comparison. A record with a value the mirror cannot
   store is set aside (`portal.sync.setaside`): not applied, and not marked gone either.
2. Judge: the active rows in scope the audit did not list would be marked gone. An empty
   audit, or one that would mark more than SYNC_MAX_GONE_FRACTION of the active rows gone,
   is held (`ShrinkHeld`) until a person confirms it; a failed audit raises before
   anything was written.
3. Apply: write the set-aside rows in short transactions, batch by batch, with history;
   then mark the missing rows gone.

Race with staff writes: a row whose `locally_changed_at` is at or after the moment the
audit was requested holds newer data than the audit; it is neither overwritten nor marked
gone (checked when read, and again under a row lock when written). The next sync settles it.

On PostgreSQL `reconcile` hands the work to the set-based path (`portal.sync.setbased`:
the same phases and guarantees, the audit staged by COPY and diffed in SQL); the Python
path below is the portable one (SQLite, `make run`), or wherever a caller passes a writer.
"""

from __future__ import annotations

import datetime
import itertools
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from portal.history import Change, diff, model_label, record_many
from portal.mirror import MirrorModel, content_hash_of, stored_value
from portal.models import ChangeRecord, Source
from portal.sync.columns import concrete_field
from portal.sync.context import SyncContext
from portal.sync.outcome import ReconcileCounts, ShrinkHeld, hold_if_shrunk  # noqa: F401 - ShrinkHeld: importers use this path
from portal.sync.setaside import SetAside
from portal.sync.setbased import SetBasedReconciler, set_based_supported
from portal.sync.unchanged import UnchangedAudit
from portal.sync.writers import MirrorWriter, default_writer

Action = ChangeRecord.Action

BATCH_SIZE = 2000

CREATE, UPDATE, RETURN = "create", "update", "return"


@dataclass(frozen=True)
class _Staged:
    action: str
    key: Any
    values: dict[str, Any]
    content_hash: str


def reconcile(
    *,
    run: SyncContext,
    model: type[MirrorModel],
    records: Iterable[Mapping[str, Any]],
    step: str | None = None,
    scope: Q | None = None,
    to_fields: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    audit_requested_at: datetime.datetime | None = None,
    writer: MirrorWriter | None = None,
    batch_size: int = BATCH_SIZE,
    audit: UnchangedAudit | None = None,
) -> ReconcileCounts:
    """Bring `model`'s rows in `scope` in line with `records`, a complete audit from VI.

    `records` is consumed once, lazily (the streaming client's iterator: the request is
    only sent on the first `next()`, so by default the audit counts as requested when this
    function is called). `to_fields` maps a VI record to model field names when they
    differ. `scope` limits which rows the audit is complete for (rows outside it are never
    marked gone). Raises ShrinkHeld (nothing applied) unless `run.confirmed`; lets the
    audit's own errors (ProviderUnavailable, ProviderRejected) through, nothing applied.
    `audit` (from `portal.sync.unchanged.unchanged_audit`, around the audit's stream): an
    answer the same as the last one applied, over an untouched mirror, is not read again.
    """
    audit_requested_at = audit_requested_at or timezone.now()
    if audit is not None:
        records = iter(records)
        first = next(records, None)  # sends the request; an unchanged answer yields nothing
        if first is None and audit.unchanged:
            counts = audit.skipped()
            run.heartbeat(label=f"{step or model._meta.verbose_name_plural}: nothing changed at VI")
            return counts
        records = itertools.chain([first], records) if first is not None else iter(())
        counts = reconcile(
            run=run, model=model, records=records, step=step, scope=scope, to_fields=to_fields,
            audit_requested_at=audit_requested_at, writer=writer, batch_size=batch_size,
        )  # fmt: skip
        audit.remember(counts)
        return counts
    if writer is None and set_based_supported(model):
        return SetBasedReconciler(
            run=run,
            model=model,
            step=step,
            scope=scope,
            to_fields=to_fields,
            audit_requested_at=audit_requested_at,
            batch_size=batch_size,
        ).reconcile(records)
    engine = _Reconciler(
        run=run,
        model=model,
        step=step,
        scope=scope,
        to_fields=to_fields,
        audit_requested_at=audit_requested_at,
        writer=writer or default_writer(),
        batch_size=batch_size,
    )
    return engine.reconcile(records)


class _Reconciler:
    def __init__(
        self,
        *,
        run: SyncContext,
        model: type[MirrorModel],
        step: str | None,
        scope: Q | None,
        to_fields: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None,
        audit_requested_at: datetime.datetime,
        writer: MirrorWriter,
        batch_size: int,
    ):
        if not model.natural_key_field:
            raise TypeError(f"{model.__name__} must set natural_key_field")
        self.run = run
        self.model = model
        self.step = step
        self.scope = scope
        self.to_fields = to_fields
        self.audit_requested_at = audit_requested_at
        self.writer = writer
        self.batch_size = batch_size
        self.key_field = model.natural_key_field
        self.key_model_field = concrete_field(model, self.key_field)
        self.fields = [(name, concrete_field(model, name)) for name in model.vi_fields]
        self.label = model_label(model)
        self.title = step or str(model._meta.verbose_name_plural)
        self.counts = ReconcileCounts()
        self.set_aside = SetAside(run=run, model=model, step=step)
        self.check_names = (self.key_field, *model.vi_fields)
        # What phase 1 staged, by action: the figures a held run reports.
        self.pending = {CREATE: 0, UPDATE: 0, RETURN: 0}
        self.seen: set[Any] = set()

    # --- phase 1: read ---------------------------------------------------------------

    def reconcile(self, records: Iterable[Mapping[str, Any]]) -> ReconcileCounts:
        with tempfile.TemporaryFile(prefix="portal-sync-") as spool:
            for batch in _batched(iter(records), self.batch_size):
                staged = self._stage(batch)
                if staged:
                    pickle.dump(staged, spool, protocol=pickle.HIGHEST_PROTOCOL)
                self.run.heartbeat(
                    done=self.counts.seen,
                    total=None,
                    label=f"{self.title}: read {self.counts.seen:,} records",
                )
            self.set_aside.save()
            gone_keys, active = self._missing_rows()
            self._judge(gone=len(gone_keys), active=active)
            self._apply_staged(spool)
        self._mark_gone(gone_keys)
        self.run.set_counts(self.counts.as_dict(), step=self.step)
        return self.counts

    def _stage(self, records: Sequence[Mapping[str, Any]]) -> list[_Staged]:
        rows: list[tuple[Any, dict[str, Any], str]] = []
        for record in records:
            data = self.to_fields(record) if self.to_fields else record
            key = data.get(self.key_field)
            if key is None or (isinstance(key, str) and key == ""):
                continue
            self.counts.seen += 1
            fits, key_usable = self.set_aside.check(key, data, self.check_names, self.key_field)
            if not fits:
                self.counts.set_aside += 1
                if key_usable:
                    # Listed by VI: the row keeps its last good values, it is not gone.
                    self.seen.add(self.key_model_field.to_python(key))
                continue
            key = self.key_model_field.to_python(key)
            if key in self.seen:
                self.counts.duplicates += 1
                continue
            self.seen.add(key)
            values = {name: stored_value(field, data.get(name)) for name, field in self.fields}
            rows.append((key, values, content_hash_of(self.model, values)))

        with transaction.atomic(), _unique_index_lookups():
            stored = {
                key: (content_hash, gone_at, locally_changed_at)
                for key, content_hash, gone_at, locally_changed_at in self.model._default_manager.filter(
                    **self._with_keys([key for key, _, _ in rows])
                ).values_list(self.key_field, "content_hash", "gone_at", "locally_changed_at")
            }
        staged = []
        for key, values, content_hash in rows:
            current = stored.get(key)
            if current is None:
                action = CREATE
            else:
                stored_hash, gone_at, locally_changed_at = current
                if self._changed_locally(locally_changed_at):
                    self.counts.kept_local += 1
                    continue
                if gone_at is not None:
                    action = RETURN
                elif stored_hash != content_hash:
                    action = UPDATE
                else:
                    self.counts.unchanged += 1
                    continue
            self.pending[action] += 1
            staged.append(_Staged(action, key, values, content_hash))
        return staged

    def _with_keys(self, keys: Sequence[Any]) -> dict[str, Any]:
        return {f"{self.key_field}__in": list(keys)}

    def _changed_locally(self, locally_changed_at: datetime.datetime | None) -> bool:
        return locally_changed_at is not None and locally_changed_at >= self.audit_requested_at

    # --- phase 2: judge --------------------------------------------------------------

    def _active_rows(self):
        rows = self.model._default_manager.filter(gone_at__isnull=True)
        return rows.filter(self.scope) if self.scope is not None else rows

    def _missing_rows(self) -> tuple[list[Any], int]:
        """Keys of active rows the audit did not list (locally changed ones excepted)."""
        missing: list[Any] = []
        active = 0
        rows = self._active_rows().values_list(self.key_field, "locally_changed_at")
        for key, locally_changed_at in rows.iterator(chunk_size=self.batch_size):
            active += 1
            if key in self.seen:
                continue
            if self._changed_locally(locally_changed_at):
                self.counts.kept_local += 1
                continue
            missing.append(key)
        return missing, active

    def _judge(self, *, gone: int, active: int) -> None:
        hold_if_shrunk(
            run=self.run,
            counts=self.counts,
            pending=self.pending,
            gone=gone,
            active=active,
            title=self.title,
            step=self.step,
        )

    # --- phase 3: apply --------------------------------------------------------------

    def _apply_staged(self, spool) -> None:
        total = sum(self.pending.values())
        done = 0
        spool.seek(0)
        while True:
            try:
                staged: list[_Staged] = pickle.load(spool)
            except EOFError:
                break
            self._apply_batch(staged)
            done += len(staged)
            self.run.heartbeat(
                done=done, total=total, label=f"{self.title}: applied {done:,} of {total:,} changes"
            )

    @transaction.atomic
    def _apply_batch(self, staged: Sequence[_Staged]) -> None:
        now = timezone.now()
        # Locked so a staff write to one of these rows waits for us, then lands on top.
        with _unique_index_lookups():
            rows = self.model._default_manager.select_for_update().filter(
                **self._with_keys([item.key for item in staged])
            )
            current = {getattr(row, self.key_field): row for row in rows}
        creates: list[MirrorModel] = []
        updates: list[MirrorModel] = []
        history: list[Change] = []
        rehashed: list[MirrorModel] = []
        for item in staged:
            row = current.get(item.key)
            if row is None:
                creates.append(
                    self.model(
                        **{self.key_field: item.key},
                        **item.values,
                        content_hash=item.content_hash,
                        first_seen_at=now,
                    )
                )
                self.counts.created += 1
                history.append(
                    Change(self.label, str(item.key), Action.CREATED, diff({}, item.values))
                )
                continue
            if self._changed_locally(row.locally_changed_at):
                self.counts.kept_local += 1
                continue
            changes = diff(row.vi_values(), item.values)
            if not changes and row.gone_at is None:
                # Equal values, another hash: a hash from before its definition changed
                # (portal.mirror.content_hash_of). Not a change at VI: no history.
                row.content_hash = item.content_hash
                rehashed.append(row)
                self.counts.unchanged += 1
                continue
            for name, value in item.values.items():
                setattr(row, name, value)
            row.content_hash = item.content_hash
            if row.gone_at is not None:
                changes["gone_at"] = [row.gone_at.isoformat(), None]
                row.gone_at = None
                self.counts.returned += 1
                action = Action.RETURNED
            else:
                self.counts.updated += 1
                action = Action.UPDATED
            updates.append(row)
            history.append(Change(self.label, str(item.key), action, changes))
        self.writer.create(model=self.model, rows=creates)
        self.writer.update(
            model=self.model,
            rows=updates,
            fields=[*self.model.vi_fields, "content_hash", "gone_at"],
        )
        self.writer.update(model=self.model, rows=rehashed, fields=["content_hash"])
        record_many(history, actor=None, source=Source.SYNC, sync_run=self.run.run, at=now)

    def _mark_gone(self, keys: list[Any]) -> None:
        for batch in _batched(iter(keys), self.batch_size):
            self._mark_gone_batch(batch)
            self.run.heartbeat(label=f"{self.title}: marked {self.counts.gone:,} gone")

    @transaction.atomic
    def _mark_gone_batch(self, keys: Sequence[Any]) -> None:
        now = timezone.now()
        with _unique_index_lookups():
            still_missing = list(
                self._active_rows()
                .filter(**self._with_keys(keys))
                .filter(
                    Q(locally_changed_at__isnull=True)
                    | Q(locally_changed_at__lt=self.audit_requested_at)
                )
                .select_for_update()
                .values_list("pk", self.key_field)
            )
        if not still_missing:
            return
        self.model._default_manager.filter(pk__in=[pk for pk, _ in still_missing]).update(
            gone_at=now
        )
        self.counts.gone += len(still_missing)
        record_many(
            (
                Change(self.label, str(key), Action.GONE, {"gone_at": [None, now.isoformat()]})
                for _, key in still_missing
            ),
            actor=None,
            source=Source.SYNC,
            sync_run=self.run.run,
            at=now,
        )


@contextmanager
def _unique_index_lookups():
    """Within the current transaction, look rows up by key through the unique b-tree index.

    pg_trgm's GIN indexes (the list pages' "digits anywhere" search) also answer `=`. While
    a first sync fills a table, GIN's statistics still say "empty" (VACUUM updates them) so
    the planner prices a GIN lookup at almost nothing, and each one then scans GIN's whole
    pending list: 10-15 ms per key, seconds per batch, growing with the table (measured by
    `make bench`: docs/benchmarks.md). GIN is only reachable through bitmap scans, so
    turning those off for these lookups leaves the b-tree. SET LOCAL ends with the
    transaction. Other databases need no hint.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    yield


def _batched(iterator: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(iterator, size)):
        yield batch
