"""Writing to the outbox, always inside the caller's transaction.

Nothing here commits or sends: a rolled-back write rolls its events back with it. After the
commit, `dispatch` (a task, also run by beat) fans new events out to notifications, webhook
deliveries and port e-mails.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction

from portal.events.classify import SOURCE_OF, events_for
from portal.events.models import Event

BATCH = 2000


def publish(event: Event) -> Event:
    """Save one event built by a writer; dispatch is asked for once the transaction commits."""
    event.save()
    _dispatch_on_commit()
    return event


def publish_many(events: Iterable[Event]) -> int:
    written, batch = 0, []
    for event in events:
        batch.append(event)
        if len(batch) >= BATCH:
            written += len(Event.objects.bulk_create(batch))
            batch = []
    if batch:
        written += len(Event.objects.bulk_create(batch))
    if written:
        _dispatch_on_commit()
    return written


class HistoryTap:
    """Passes history `Change`s through to their writer and keeps the events they stand for.

    `portal.history.record_many` wraps its input in one, writes the history, then calls
    `publish()`: the events land in the same transaction as their history rows.
    """

    def __init__(
        self, changes: Iterable[Any], *, actor, source: str, sync_run, at: datetime.datetime
    ):
        self.changes = changes
        self.common = {
            "actor": actor,
            "source": SOURCE_OF.get(source, source),
            "sync_run": sync_run,
            "at": at,
        }
        self.events: list[Event] = []

    def __iter__(self) -> Iterator[Any]:
        for change in self.changes:
            self.events.extend(
                events_for(
                    model=change.model,
                    key=str(change.object_key),
                    action=change.action,
                    changes=change.changes,
                    **self.common,
                )
            )
            yield change

    def publish(self) -> int:
        if (
            self.events
            and self.common["sync_run"] is not None
            and first_sync(self.common["sync_run"])
        ):
            return 0  # an import of what VI already has: nothing happened
        return publish_many(self.events)


def from_sync_history(*, run_id: int, model: str) -> int:
    """Events for history rows a set-based sync statement just wrote in SQL (same transaction).

    Reads only the rows of this run newer than the last one already turned into events, so
    each apply statement costs one indexed range read of the rows it wrote.
    """
    from portal.models import ChangeRecord, SyncRun

    # Only this model's rows: others of the same run went through record_many, already published.
    last = (
        Event.objects.filter(sync_run_id=run_id, change_record_id__isnull=False)
        .order_by("-change_record_id")
        .values_list("change_record_id", flat=True)
        .first()
    ) or 0
    rows = (
        ChangeRecord.objects.filter(sync_run_id=run_id, model=model, id__gt=last)
        .order_by("id")
        .values_list("id", "model", "object_key", "action", "changes", "at", "source")
    )
    run = SyncRun(pk=run_id)

    def events():
        for record_id, model, key, action, changes, at, source in rows.iterator(chunk_size=BATCH):
            yield from events_for(
                model=model,
                key=key,
                action=action,
                changes=changes,
                actor=None,
                source=SOURCE_OF.get(source, source),
                sync_run=run,
                at=at,
                change_record_id=record_id,
            )

    if first_sync(run):
        return 0  # an import of what VI already has: nothing happened (and 3,000 events cost 0.8 s)
    return publish_many(events())


def first_sync(run) -> bool:
    """Before a kind's first successful sync the mirror is being imported: no events, no drift."""
    from portal.models import SyncRun

    if not getattr(run, "kind", None):
        run = SyncRun.objects.filter(pk=run.pk).only("kind").first()
        if run is None:
            return False
    return (
        not SyncRun.objects.filter(kind=run.kind, status=SyncRun.Status.SUCCEEDED)
        .exclude(pk=run.pk)
        .exists()
    )


def _dispatch_on_commit() -> None:
    if connection.in_atomic_block:
        transaction.on_commit(_enqueue_dispatch)
    else:
        _enqueue_dispatch()


# A bulk job commits thousands of changes: one dispatch per COALESCE_SECONDS per process, run
# when the window has closed, covers every event committed within it (and beat, every minute,
# whatever a dead broker or worker missed).
COALESCE_SECONDS = 2


def _enqueue_dispatch() -> None:
    from django.core.cache import cache

    from portal.events import tasks

    if not cache.add("portal.events:dispatch-queued", True, timeout=COALESCE_SECONDS):
        return  # one is already queued to run after this window
    try:
        tasks.dispatch_events.apply_async(countdown=COALESCE_SECONDS)
    except Exception:  # noqa: BLE001 — the broker down must not fail a committed change; beat dispatches later
        import logging

        logging.getLogger(__name__).warning(
            "Could not queue event dispatch; the periodic dispatch will pick it up"
        )


def publish_sync_outcome(*, run, status: str, error: str = "") -> Event:
    """A sync held for confirmation or failed: the run's kind and what it said."""
    from portal.events import writers
    from portal.models import SyncRun

    writer = (
        writers.sync_held if status == SyncRun.Status.NEEDS_CONFIRMATION else writers.sync_failed
    )
    return publish(
        writer(
            key=str(run.pk),
            source="sync",
            actor=None,
            sync_run=run,
            after={"kind": run.kind, "status": status, "error": error[:300]},
        )
    )


def publish_set_aside(records) -> int:
    """One event per record a sync set aside (a value VI sent that the mirror cannot hold)."""
    from portal.events import writers

    return publish_many(
        writers.sync_set_aside(
            key=str(record.object_key)[:64] or "?",
            source="sync",
            actor=None,
            sync_run=record.sync_run,
            after={
                "model": record.model,
                "step": record.step,
                "problems": list(record.problems)[:5],
            },
        )
        for record in records
    )
