"""Sync runs: one per kind at a time, skipped triggers, stale workers, the command, the task."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from tests.portal.sync_testapp import install

install()

from portal.models import SyncRun  # noqa: E402
from portal.sync import SyncKindUnavailable, sync_execute  # noqa: E402
from portal.tasks import run_sync  # noqa: E402
from tests.portal.sync_testapp.fixtures import KIND, audit_of, gadgets_kind, ghost_kind  # noqa: E402,F401
from tests.portal.sync_testapp.models import Gadget  # noqa: E402

pytestmark = pytest.mark.django_db

Status = SyncRun.Status
START = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def running_run(**fields) -> SyncRun:
    return SyncRun.objects.create(
        kind=KIND,
        trigger=SyncRun.Trigger.SCHEDULE,
        status=Status.RUNNING,
        started_at=fields.get("heartbeat_at", START),
        heartbeat_at=START,
        **fields,
    )


def test_the_database_refuses_two_running_runs_of_one_kind():
    running_run()
    with pytest.raises(IntegrityError), transaction.atomic():
        running_run()


def test_a_second_trigger_while_one_runs_is_skipped_and_says_why(gadgets_kind):
    gadgets_kind(audit_of(3))
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        holder = running_run()
        run = sync_execute(kind=KIND, trigger=SyncRun.Trigger.STAFF)

    assert run.status == Status.SKIPPED
    assert f"run #{holder.pk}" in run.error
    assert run.finished_at is not None
    assert not Gadget.objects.exists()
    holder.refresh_from_db()
    assert holder.status == Status.RUNNING


def test_a_trigger_during_a_run_is_skipped_while_the_run_completes(gadgets_kind):
    """The same thing from inside: a second sync starts while the first reads its audit."""
    inner = []

    def audit():
        yield from audit_of(2)
        inner.append(sync_execute(kind=KIND, trigger=SyncRun.Trigger.STAFF))

    gadgets_kind(audit)
    outer = sync_execute(kind=KIND, trigger=SyncRun.Trigger.SCHEDULE)

    assert inner[0].status == Status.SKIPPED
    assert outer.status == Status.SUCCEEDED
    assert Gadget.objects.count() == 2


def test_a_run_whose_worker_died_is_marked_stale_and_no_longer_blocks(gadgets_kind, settings):
    settings.SYNC_STALE_AFTER_SECONDS = 600
    gadgets_kind(audit_of(3))
    with time_machine.travel(START, tick=False) as clock:
        dead = running_run()
        clock.shift(datetime.timedelta(seconds=599))
        assert sync_execute(kind=KIND, trigger=SyncRun.Trigger.SCHEDULE).status == Status.SKIPPED
        clock.shift(datetime.timedelta(seconds=2))
        run = sync_execute(kind=KIND, trigger=SyncRun.Trigger.SCHEDULE)

    dead.refresh_from_db()
    assert dead.status == Status.STALE
    assert "worker stopped" in dead.error
    assert run.status == Status.SUCCEEDED
    assert Gadget.objects.count() == 3


def test_a_run_declared_stale_while_working_stops_at_its_next_heartbeat(gadgets_kind):
    def audit():
        yield from audit_of(2500)  # the heartbeat after the first batch notices

    def audit_with_takeover():
        records = audit()
        for index, record in enumerate(records):
            if index == 10:
                SyncRun.objects.filter(status=Status.RUNNING).update(status=Status.STALE)
            yield record

    gadgets_kind(audit_with_takeover)
    run = sync_execute(kind=KIND, trigger=SyncRun.Trigger.SCHEDULE)

    assert run.status == Status.STALE
    assert not Gadget.objects.exists()


def test_an_unavailable_kind_is_refused_without_a_run(ghost_kind):
    with pytest.raises(SyncKindUnavailable):
        sync_execute(kind=ghost_kind, trigger=SyncRun.Trigger.COMMAND)
    assert not SyncRun.objects.exists()


def test_vi_sync_runs_and_prints_counts(gadgets_kind, monkeypatch):
    gadgets_kind(audit_of(4))
    out = StringIO()

    call_command("vi_sync", KIND, stdout=out)

    text = out.getvalue()
    assert "gadgets: succeeded" in text
    assert "seen 4, created 4, updated 0" in text
    assert SyncRun.objects.get().trigger == SyncRun.Trigger.COMMAND


def test_vi_sync_all_skips_kinds_that_are_not_available(gadgets_kind, monkeypatch):
    from portal.sync import SYNC_KINDS

    for kind in list(SYNC_KINDS):
        if kind != KIND:
            monkeypatch.setitem(SYNC_KINDS, kind, "tests.portal.sync_testapp.nowhere.sync_nothing")
    gadgets_kind(audit_of(1))
    out = StringIO()

    call_command("vi_sync", "all", stdout=out)

    assert "dids: not available yet, skipped" in out.getvalue()
    assert "gadgets: succeeded" in out.getvalue()


def test_vi_sync_reports_a_held_shrink_and_confirm_applies_it(gadgets_kind):
    gadgets_kind(audit_of(10))
    call_command("vi_sync", KIND, stdout=StringIO())
    gadgets_kind(audit_of(1))

    out = StringIO()
    call_command("vi_sync", KIND, stdout=out)
    assert "needs confirmation" in out.getvalue()
    assert "9 of 10" in out.getvalue()

    call_command("vi_sync", KIND, "--confirm", stdout=StringIO())
    assert Gadget.objects.filter(gone_at__isnull=True).count() == 1


def test_vi_sync_fails_loudly_on_an_unknown_kind():
    with pytest.raises(CommandError, match="Unknown sync kind"):
        call_command("vi_sync", "everything", stdout=StringIO())


def test_the_task_works_for_a_queued_run_once(gadgets_kind):
    """Redelivery (acks_late) of the same message does not run the sync again."""
    gadgets_kind(audit_of(2))
    queued = SyncRun.objects.create(kind=KIND, trigger=SyncRun.Trigger.STAFF)

    first = run_sync.apply(kwargs={"kind": KIND, "trigger": "staff", "run_id": queued.pk}).get()
    again = run_sync.apply(kwargs={"kind": KIND, "trigger": "staff", "run_id": queued.pk}).get()

    assert first == again == queued.pk
    assert SyncRun.objects.count() == 1
    queued.refresh_from_db()
    assert queued.status == Status.SUCCEEDED
