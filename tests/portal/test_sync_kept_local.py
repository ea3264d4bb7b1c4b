"""A staff write made after a sync's audit began outlives that sync — on both sync paths.

The audit VI sends reflects the moment it was requested; a number a person bought or changed
after that moment holds newer data than the audit. Whatever the audit says about it (old
values, or nothing at all), the number stays as the person left it, active on the list, and
the next sync settles it. Each test runs on the set-based path (what PostgreSQL takes) and on
the portable one (what SQLite takes; forced here the way a database without the set-based
path gets it), against the sandbox over HTTP.

Also here: the portable path writes each batch in one transaction, so a batch that fails
half-way leaves none of its rows behind (run with real commits, as a worker runs it).

Mutants these tests kill (docs/mutants.md): the kept-local check dropped from the set-based
gone-marking, or from its shrink judgement; the portable path forgetting kept-local rows;
the portable path applying a batch without its transaction; "at or after" the request
turned into "after" on either path (found by `make mutants`).
"""

import datetime
import importlib

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.portal.sync_testapp import install

install()

from dids import services as dids_services  # noqa: E402
from dids.models import DID  # noqa: E402
from portal.models import ChangeRecord, Source, SyncRun  # noqa: E402
from portal.sync import BulkWriter, SyncContext, reconcile, sync_execute  # noqa: E402
from portal.sync.runs import run_create, run_finish, run_start  # noqa: E402
from tests.portal.sync_testapp.fixtures import KIND, audit_of, gadget_record  # noqa: E402
from tests.portal.sync_testapp.models import Gadget  # noqa: E402
from tests.portal.sync_testapp.services import _fields  # noqa: E402

pytestmark = pytest.mark.django_db

# The module, not the function the package exports under the same name.
reconcile_module = importlib.import_module("portal.sync.reconcile")


@pytest.fixture(params=["set-based", "portable"])
def sync_path(request, monkeypatch):
    """Which reconcile path the syncs take: PostgreSQL's set-based one, or the portable one
    a database without it (SQLite, `make run`) takes."""
    if request.param == "portable":
        monkeypatch.setattr(reconcile_module, "set_based_supported", lambda model: False)
    return request.param


@pytest.fixture
def synced(sandbox, db, sync_path):
    """The sandbox's "test" account (50 numbers) mirrored once, on the path under test."""
    run = run_dids_sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


def run_dids_sync() -> SyncRun:
    run = sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND)
    run.refresh_from_db()
    return run


def owned(sandbox) -> list[str]:
    return [number["tn"] for number in sandbox.control.state("numbers/owned")]


def active_on_the_list(client, tn: str) -> bool:
    page = client.get(reverse("dids:list"), {"q": tn}).content.decode()
    return f'data-tn="{tn}"' in page


def buy_while_the_audit_runs(sandbox, operator, *, count: int, audit_requested) -> list[str]:
    """Staff buy `count` numbers 30 s after the audit was requested.

    The audit VI answers was taken before the purchase, so it does not list them; the
    sandbox answers with its state now, so here they leave the account again at VI
    ("someone else" releases them), which is what the older audit shows.
    """
    tns = sandbox.control.state("numbers/available")[:count]
    with time_machine.travel(audit_requested + datetime.timedelta(seconds=30), tick=False):
        outcomes = dids_services.dids_assign(
            tns=tns, endpoint_id=8675, actor=operator, source=Source.STAFF
        )
    assert all(outcome.ok for outcome in outcomes), outcomes
    for tn in tns:
        sandbox.control.other("release", tn=tn)
    return tns


# --- the set-based and the portable path, against the sandbox ---------------------------------


def test_a_number_bought_after_the_audit_began_is_not_marked_gone(
    synced, operator, operator_client
):
    """Another number really left the account, so the sync does mark numbers gone: just not this one."""
    audit_requested = timezone.now()
    [bought] = buy_while_the_audit_runs(synced, operator, count=1, audit_requested=audit_requested)
    released_at_vi = owned(synced)[0]
    synced.control.other("release", tn=released_at_vi)

    with time_machine.travel(audit_requested, tick=True):
        run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert DID.objects.get(tn=released_at_vi).gone_at is not None
    assert DID.objects.get(tn=bought).gone_at is None
    assert active_on_the_list(operator_client, bought)
    assert not active_on_the_list(operator_client, released_at_vi)
    assert (run.counts["dids"]["gone"], run.counts["dids"]["kept_local"]) == (1, 1)
    assert not ChangeRecord.objects.filter(
        object_key=bought, action=ChangeRecord.Action.GONE
    ).exists()

    # The next sync, requested after the purchase, believes VI: the number has left.
    with time_machine.travel(audit_requested + datetime.timedelta(minutes=1), tick=True):
        later = run_dids_sync()
    assert later.status == SyncRun.Status.SUCCEEDED, later.error
    assert DID.objects.get(tn=bought).gone_at is not None


def test_numbers_bought_after_the_audit_began_do_not_make_the_sync_ask_for_confirmation(
    synced, operator, settings
):
    """Six of 56 numbers absent from the audit would be a sharp shrink (over 10 %) — were they gone."""
    settings.SYNC_MAX_GONE_FRACTION = 0.10
    audit_requested = timezone.now()
    bought = buy_while_the_audit_runs(synced, operator, count=6, audit_requested=audit_requested)

    with time_machine.travel(audit_requested, tick=True):
        run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["kept_local"] == 6
    assert run.counts["dids"]["gone"] == 0
    assert DID.objects.filter(tn__in=bought, gone_at__isnull=True).count() == 6


def test_a_number_changed_after_the_audit_began_keeps_the_staff_change(synced, operator):
    """The audit lists the number with VI's older endpoint group; the staff's stays."""
    number = next(
        number
        for number in synced.control.state("numbers/owned")
        if number["endpoint_group"] == 8674
    )
    tn = number["tn"]
    audit_requested = timezone.now()
    with time_machine.travel(audit_requested + datetime.timedelta(seconds=30), tick=False):
        [outcome] = dids_services.dids_configure(
            tns=[tn], endpoint_id=8675, actor=operator, source=Source.STAFF
        )
    assert outcome.ok
    synced.control.other("update", tn=tn, endpointGroup=8674)  # what the older audit still says

    with time_machine.travel(audit_requested, tick=True):
        run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    row = DID.objects.get(tn=tn)
    assert (row.endpoint_id, row.last_changed_by, row.gone_at) == (8675, operator, None)
    assert run.counts["dids"]["kept_local"] == 1
    assert not ChangeRecord.objects.filter(object_key=tn, sync_run=run).exists()


def reconcile_gadgets(records, *, portable: bool = True, writer=None):
    """One reconcile of the test mirror; a writer forces the portable path (as SQLite takes it)."""
    run = run_create(kind=KIND, trigger=SyncRun.Trigger.COMMAND)
    run_start(run=run)
    try:
        return reconcile(
            run=SyncContext(run=run, confirmed=True),
            model=Gadget,
            records=iter(records),
            to_fields=_fields,
            writer=(writer or BulkWriter()) if portable else None,
        )
    finally:
        run_finish(run=run, status=SyncRun.Status.SUCCEEDED)


# --- the boundary: a write at the very moment the audit was requested ----------------------------


@pytest.mark.parametrize("portable", [False, True], ids=["set-based", "portable"])
def test_a_staff_write_at_the_very_moment_the_audit_was_requested_is_kept(portable):
    """Kept when made at or after the request: the audit cannot have seen a write of the same instant."""
    start = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        reconcile_gadgets(audit_of(3), portable=portable)
        clock.shift(datetime.timedelta(minutes=5))
        changed = audit_of(3)
        changed[1]["Status"] = "from-vi"

        def audit_with_a_simultaneous_staff_write():
            gadget = Gadget.objects.get(code="G000001")
            gadget.status = "staff"
            gadget.mark_locally_changed(actor=None)  # the clock stands still: the same instant
            gadget.save()
            yield from changed

        counts = reconcile_gadgets(audit_with_a_simultaneous_staff_write(), portable=portable)

    assert Gadget.objects.get(code="G000001").status == "staff"
    assert counts.kept_local == 1


# --- the portable path: one transaction per batch ----------------------------------------------


class WriteFailsMidBatch(Exception):
    pass


class WriterThatFailsAfterCreating(BulkWriter):
    """The batch's new rows are written, then its updates fail (a lost connection, a refused
    value): the batch must leave nothing behind — no new rows without their history."""

    def update(self, *, model, rows, fields):
        if rows:
            raise WriteFailsMidBatch("the database went away half-way through the batch")
        super().update(model=model, rows=rows, fields=fields)


@pytest.mark.django_db(transaction=True)
def test_a_portable_batch_that_fails_half_way_leaves_none_of_its_rows():
    assert not transaction.get_connection().in_atomic_block  # real commits, as in a worker
    reconcile_gadgets(audit_of(3))
    history_before = ChangeRecord.objects.count()
    changed = audit_of(3)
    changed[0]["Name"] = "renamed at VI"
    audit = [*changed, gadget_record("N1"), gadget_record("N2")]

    with pytest.raises(WriteFailsMidBatch):
        reconcile_gadgets(audit, writer=WriterThatFailsAfterCreating())

    assert sorted(Gadget.objects.values_list("code", flat=True)) == [
        "G000000",
        "G000001",
        "G000002",
    ]
    assert Gadget.objects.get(code="G000000").name == "Gadget G000000"
    assert ChangeRecord.objects.count() == history_before

    # The next sync applies the whole audit.
    counts = reconcile_gadgets(audit)
    assert (counts.created, counts.updated) == (2, 1)
