"""Writers of `ChangeRecord` history, used by the sync engine and by every service.

History is written explicitly and in bulk rather than from signals: bulk_create and
bulk_update send no signals, and a sync writes thousands of rows at once.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from portal.actor import Actor
from portal.models import ChangeRecord, SyncRun

Action = ChangeRecord.Action

BATCH_SIZE = 2000

_PLAIN = frozenset({str, int, bool, float})

# The object_key of the one "created" entry a first load writes for a whole model instead
# of one per row (portal.sync.setbased); its `at` is every row's first_seen_at.
FIRST_LOAD_KEY = "*"


@dataclass(frozen=True)
class Change:
    """One history entry before it is written; `record_many` fills in the shared parts."""

    model: str
    object_key: str
    action: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


def model_label(model: type[models.Model] | models.Model) -> str:
    """ "dids.did" for dids.models.Did — the label history rows are filed under."""
    return model._meta.label_lower


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for the fields whose value differs, JSON-ready.

    A field differs when both its value and its stored (JSON) form differ: Decimal("1.50")
    against "1.50" from a form is the same to a person and is not history.
    """
    changes = {}
    for name in after:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        old_json, new_json = jsonable(old), jsonable(new)
        if old_json != new_json:
            changes[name] = [old_json, new_json]
    return changes


def jsonable(value: Any) -> Any:
    """History values as JSON: decimals and times as text, the way a person reads them.

    A NUL in text (from VI or anywhere) becomes U+FFFD: PostgreSQL's jsonb cannot hold
    a NUL, and one such character would otherwise fail the whole write.
    """
    if type(value) is str:  # the common case, checked cheaply first
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, str):
        return jsonable(str(value))
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def record(
    *,
    model: type[models.Model] | models.Model | str,
    object_key: str,
    action: str,
    changes: Mapping[str, Any] | None = None,
    actor: Actor,
    source: str,
    sync_run: SyncRun | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ChangeRecord:
    """Write one history row (a staff action on one thing)."""
    label = model if isinstance(model, str) else model_label(model)
    from portal.events.publish import HistoryTap

    tap = HistoryTap(
        [Change(label, str(object_key), action, jsonable(dict(changes or {})))],
        actor=actor,
        source=source,
        sync_run=sync_run,
        at=at or timezone.now(),
    )
    list(tap)
    tap.publish()
    return ChangeRecord.objects.create(
        at=at or timezone.now(),
        model=label,
        object_key=str(object_key),
        action=action,
        changes=jsonable(dict(changes or {})),
        actor=actor,
        source=source,
        sync_run=sync_run,
        note=note[:300],
    )


def record_many(
    changes: Iterable[Change],
    *,
    actor: Actor,
    source: str,
    sync_run: SyncRun | None = None,
    at: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Write many history rows sharing one actor, source, run and moment; returns how many.

    Consumes `changes` lazily, a batch at a time, so a generator of 100,000 entries never
    sits in memory whole.
    """
    moment = at or timezone.now()
    # Each change's events (portal/events) are kept as the rows stream past, and written
    # right after them, in the caller's transaction: one outbox for every path.
    from portal.events.publish import HistoryTap

    changes = tap = HistoryTap(changes, actor=actor, source=source, sync_run=sync_run, at=moment)
    if connection.vendor == "postgresql":
        written = _copy_many(changes, actor=actor, source=source, sync_run=sync_run, at=moment)
        tap.publish()
        return written
    written = 0
    batch: list[ChangeRecord] = []
    for change in changes:
        batch.append(
            ChangeRecord(
                at=moment,
                model=change.model,
                object_key=str(change.object_key),
                action=change.action,
                changes=jsonable(dict(change.changes)),
                actor=actor,
                source=source,
                sync_run=sync_run,
                note=change.note[:300],
            )
        )
        if len(batch) >= batch_size:
            ChangeRecord.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        ChangeRecord.objects.bulk_create(batch)
        written += len(batch)
    tap.publish()
    return written


def with_first_load_entry(
    records: list[ChangeRecord],
    *,
    model: str,
    key: str,
    first_seen_at: Any,  # a datetime, or an expression (a subquery) giving one
    limit: int,
) -> list[ChangeRecord]:
    """One row's history (`records`, newest first, at most `limit`) with how the row arrived.

    A row a first load brought has no "created" entry of its own: the load wrote one for
    the whole model (key FIRST_LOAD_KEY) at the row's first_seen_at. When `records` reach
    back to the row's beginning and hold no "created" entry, that entry is added, worded
    for the row ("First seen in Numbers sync #3"). Unsaved: it is only shown.
    `first_seen_at` may be a subquery, so the row need not be read first.
    """
    if first_seen_at is None or len(records) >= limit:
        return records
    if any(record.action == Action.CREATED for record in records):
        return records
    entry = (
        ChangeRecord.objects.filter(
            model=model, object_key=FIRST_LOAD_KEY, action=Action.CREATED, at=first_seen_at
        )
        .select_related("sync_run")
        .first()
    )
    if entry is None:
        return records
    from portal.sync.kinds import kind_label

    run = entry.sync_run
    where = f"{kind_label(run.kind)} sync #{run.pk}" if run else "the first sync"
    shown = ChangeRecord(
        at=entry.at,
        model=model,
        object_key=key,
        action=Action.CREATED,
        changes={},
        source=entry.source,
        sync_run=run,
        note=f"First seen in {where}",
    )
    # Stable: a record at the same moment keeps its place before it.
    return sorted([*records, shown], key=lambda record: record.at, reverse=True)


_HISTORY_COLUMNS = (
    "at",
    "model",
    "object_key",
    "action",
    "changes",
    "actor_id",
    "source",
    "sync_run_id",
    "note",
)


def _copy_many(
    changes: Iterable[Change], *, actor, source: str, sync_run: SyncRun | None, at
) -> int:
    """record_many on PostgreSQL: one COPY instead of model instances and INSERT batches.

    A first sync writes a history row per number (100,000 of them): building ChangeRecord
    instances and bulk_create's parameter arrays cost more than everything else the sync
    does with those rows (docs/benchmarks.md). The rows stream into COPY as they come.
    """
    actor_id = getattr(actor, "pk", None)
    run_id = sync_run.pk if sync_run is not None else None
    rows = (
        (
            at,
            change.model,
            str(change.object_key),
            change.action,
            json.dumps(jsonable(dict(change.changes))),
            actor_id,
            source,
            run_id,
            change.note[:300],
        )
        for change in changes
    )
    return copy_rows(table=ChangeRecord._meta.db_table, columns=_HISTORY_COLUMNS, rows=rows)


def copy_rows(*, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY `rows` into `table` (PostgreSQL), inside the caller's transaction; returns how many.

    Run through Django's execute wrappers (as one statement), so query logging and
    `connection.execute_wrapper` counters see it like any other statement.
    """
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    written = 0

    def copy(sql, params, many, context):
        nonlocal written
        with context["cursor"].cursor.copy(sql) as stream:
            for row in rows:
                stream.write_row(row)
                written += 1

    with connection.cursor() as cursor:
        # The private hook is the only way to put a non-execute() statement through the
        # wrappers; it has been stable since Django 2.0.
        cursor._execute_with_wrappers(statement, None, False, executor=copy)
    return written


# ---- Reading history back: field labels, plain values, unchanged fields left out ----------

# Fields that mean nothing to a person reading a history (bookkeeping of the mirror itself).
_BOOKKEEPING_FIELDS = frozenset(
    {"content_hash", "locally_changed_at", "synced_at", "updated_at", "created_at", "id"}
)
MAX_SHOWN_VALUE = 120


@dataclass(frozen=True)
class ShownChange:
    """One field of one history row, the way a person reads it."""

    name: str  # the field's own name, kept for tests and data attributes
    label: str  # the model's verbose_name: "outbound CNAM active", not `cnam_storage_active`
    before: str
    after: str


def field_label(model: str, name: str) -> str:
    """The label a field carries on its model ("dids.did", "has911" -> "911").

    History outlives schema changes: a field that no longer exists (or a model label that
    does not resolve) falls back to its name with the underscores turned into spaces.
    """
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst

    try:
        label = apps.get_model(model)._meta.get_field(name).verbose_name
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        label = name.replace("_", " ")
    return capfirst(str(label))


def shown_value(value: Any) -> str:
    """A stored history value as words: yes/no, a dash for nothing, lists joined, long text cut."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, (list, tuple)):
        text = ", ".join(shown_value(item) for item in value)
    elif isinstance(value, Mapping):
        text = ", ".join(f"{key}: {shown_value(item)}" for key, item in value.items())
    else:
        text = str(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 1] + "…"


def shown_changes(
    model: str,
    changes: Any,
    *,
    show: Callable[[str, Any], Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[ShownChange]:
    """`ChangeRecord.changes` as labelled before/after pairs, leaving out what did not change.

    Unchanged means equal as stored (JSON) or as shown ("" and None are both "—"): older
    rows and some writers recorded every field, changed or not. Anything not shaped like
    [before, after] is shown as the new value, never dropped. A page that knows better
    words for some values (an endpoint group's name for its id) passes `show(name, value)`;
    `labels` overrides a field's label.
    """
    if not isinstance(changes, Mapping):
        return []
    shown = []
    for name, values in changes.items():
        name = str(name)
        if name in _BOOKKEEPING_FIELDS:
            continue
        if isinstance(values, (list, tuple)) and len(values) == 2:
            before, after = values
        else:
            before, after = None, values
        if show is not None:
            before_text, after_text = (
                shown_value(show(name, before)),
                shown_value(show(name, after)),
            )
        else:
            before_text, after_text = shown_value(jsonable(before)), shown_value(jsonable(after))
        if jsonable(before) == jsonable(after) or before_text == after_text:
            continue
        label = (labels or {}).get(name) or field_label(model, name)
        shown.append(ShownChange(name=name, label=label, before=before_text, after=after_text))
    return shown
