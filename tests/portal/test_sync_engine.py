"""The reconcile engine end to end through `sync_execute`, on PostgreSQL, with a test mirror."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.portal.sync_testapp import install

install()

from portal.models import ChangeRecord, Source, SyncRun  # noqa: E402
from portal.sync import sync_execute  # noqa: E402
from portal.voipinnovations.errors import ProviderUnavailable  # noqa: E402
from tests.portal.sync_testapp.fixtures import KIND, audit_of, gadget_record, gadgets_kind  # noqa: E402,F401
from tests.portal.sync_testapp.models import Gadget  # noqa: E402

pytestmark = pytest.mark.django_db

Status = SyncRun.Status
START = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def sync(**kwargs) -> SyncRun:
    return sync_execute(kind=KIND, trigger=SyncRun.Trigger.COMMAND, **kwargs)


def staff_write(code: str, **fields) -> None:
    """What a domain service does after VI accepted a staff change."""
    gadget = Gadget.objects.get(code=code)
    for name, value in fields.items():
        setattr(gadget, name, value)
    gadget.mark_locally_changed(actor=None)  # no person in these engine tests
    gadget.save()


def history(action: str) -> list[ChangeRecord]:
    return list(
        ChangeRecord.objects.filter(model="sync_testapp.gadget", action=action).order_by(
            "object_key"
        )
    )


def test_first_sync_creates_every_row_with_history(gadgets_kind):
    gadgets_kind(audit_of(3))

    run = sync()

    assert run.status == Status.SUCCEEDED
    assert run.counts == {
        "seen": 3,
        "created": 3,
        "updated": 0,
        "returned": 0,
        "gone": 0,
        "unchanged": 0,
        "kept_local": 0,
        "duplicates": 0,
        "set_aside": 0,
    }
    assert run.started_at and run.finished_at and run.finished_at >= run.started_at
    gadget = Gadget.objects.get(code="G000001")
    assert (gadget.name, gadget.price, gadget.tags) == (
        "Gadget G000001",
        Decimal("1.5"),
        ["a", "b"],
    )
    assert gadget.content_hash and gadget.gone_at is None
    created = history(ChangeRecord.Action.CREATED)
    assert [record.object_key for record in created] == ["G000000", "G000001", "G000002"]
    assert created[0].source == Source.SYNC and created[0].sync_run_id == run.pk
    assert created[0].changes["name"] == [None, "Gadget G000000"]
    assert created[0].changes["price"] == [None, "1.5000"]


def test_an_unchanged_audit_writes_nothing(gadgets_kind, django_assert_max_num_queries):
    gadgets_kind(audit_of(50))
    sync()
    before = Gadget.objects.order_by("code").values_list("code", "content_hash")
    before = list(before)
    # Same data, differently typed, as another parser might give it: still "unchanged".
    gadgets_kind([gadget_record(f"G{n:06d}", Price="1.50") for n in range(50)])
    history_before = ChangeRecord.objects.count()

    run = sync()

    assert run.counts["unchanged"] == 50
    assert run.counts["updated"] == run.counts["created"] == 0
    assert ChangeRecord.objects.count() == history_before
    assert list(Gadget.objects.order_by("code").values_list("code", "content_hash")) == before


def test_a_changed_row_is_updated_with_before_and_after_and_local_fields_kept(gadgets_kind):
    gadgets_kind(audit_of(20))
    sync()
    Gadget.objects.filter(code="G000004").update(note="customer asked twice")
    audit = audit_of(20)
    audit[4]["Status"] = "suspended"
    audit[4]["Price"] = Decimal("2.25")
    gadgets_kind(audit)

    run = sync()

    assert (run.counts["updated"], run.counts["unchanged"]) == (1, 19)
    gadget = Gadget.objects.get(code="G000004")
    assert (gadget.status, gadget.price, gadget.note) == (
        "suspended",
        Decimal("2.25"),
        "customer asked twice",
    )
    [updated] = history(ChangeRecord.Action.UPDATED)
    assert updated.object_key == "G000004"
    assert updated.changes == {"status": ["active", "suspended"], "price": ["1.5000", "2.25"]}


def test_rows_missing_from_a_complete_audit_go_and_come_back(gadgets_kind):
    gadgets_kind(audit_of(20))
    sync()
    gadgets_kind([record for record in audit_of(20) if record["Code"] != "G000007"])

    gone_run = sync()

    assert gone_run.status == Status.SUCCEEDED
    assert gone_run.counts["gone"] == 1
    assert Gadget.objects.get(code="G000007").gone_at is not None
    assert Gadget.objects.filter(gone_at__isnull=True).count() == 19
    [gone] = history(ChangeRecord.Action.GONE)
    assert gone.object_key == "G000007" and gone.sync_run_id == gone_run.pk

    audit = audit_of(20)
    audit[7]["Name"] = "Renamed while away"
    gadgets_kind(audit)
    back_run = sync()

    assert back_run.counts["returned"] == 1
    gadget = Gadget.objects.get(code="G000007")
    assert gadget.gone_at is None and gadget.name == "Renamed while away"
    [returned] = history(ChangeRecord.Action.RETURNED)
    assert returned.changes["name"] == ["Gadget G000007", "Renamed while away"]
    assert returned.changes["gone_at"][1] is None


def test_a_sharply_shrunken_audit_is_held_and_applies_nothing(gadgets_kind, settings):
    settings.SYNC_MAX_GONE_FRACTION = 0.10
    gadgets_kind(audit_of(20))
    sync()
    shrunk = audit_of(17)  # 3 of 20 gone: 15 % > 10 %
    shrunk[0]["Name"] = "changed too"
    gadgets_kind(shrunk)
    history_before = ChangeRecord.objects.count()

    run = sync()

    assert run.status == Status.NEEDS_CONFIRMATION
    assert "3 of 20" in run.error and "confirm" in run.error
    assert (
        run.counts["gone"],
        run.counts["active"],
        run.counts["seen"],
        run.counts["updated"],
    ) == (3, 20, 17, 1)
    assert Gadget.objects.filter(gone_at__isnull=True).count() == 20
    assert Gadget.objects.get(code="G000000").name == "Gadget G000000"
    assert ChangeRecord.objects.count() == history_before


def test_a_shrink_within_the_limit_is_applied(gadgets_kind, settings):
    settings.SYNC_MAX_GONE_FRACTION = 0.10
    gadgets_kind(audit_of(20))
    sync()
    gadgets_kind(audit_of(18))  # 2 of 20: exactly 10 %, not more

    assert sync().status == Status.SUCCEEDED
    assert Gadget.objects.filter(gone_at__isnull=False).count() == 2


def test_an_empty_audit_is_held_unless_the_mirror_is_empty_too(gadgets_kind):
    gadgets_kind([])
    assert sync().status == Status.SUCCEEDED  # nothing here, nothing there

    gadgets_kind(audit_of(5))
    sync()
    gadgets_kind([])
    run = sync()

    assert run.status == Status.NEEDS_CONFIRMATION
    assert "listed no" in run.error
    assert Gadget.objects.filter(gone_at__isnull=True).count() == 5


def test_a_confirmed_run_applies_the_shrink(gadgets_kind):
    gadgets_kind(audit_of(10))
    sync()
    gadgets_kind(audit_of(2))
    assert sync().status == Status.NEEDS_CONFIRMATION

    run = sync(confirmed=True)

    assert run.status == Status.SUCCEEDED
    assert run.counts["gone"] == 8
    assert Gadget.objects.filter(gone_at__isnull=True).count() == 2


def test_an_audit_that_fails_half_way_applies_nothing(gadgets_kind):
    gadgets_kind(audit_of(10))
    sync()

    def broken_audit():
        yield from [gadget_record(f"G{n:06d}", Name="new name") for n in range(5)]
        yield from [gadget_record(f"N{n:06d}") for n in range(3000)]  # past the first batch
        raise ProviderUnavailable("VI closed the connection mid-answer")

    gadgets_kind(broken_audit)

    with pytest.raises(ProviderUnavailable):
        sync()

    run = SyncRun.objects.filter(kind=KIND).first()
    assert run.status == Status.FAILED
    assert run.error == "VI unreachable: VI closed the connection mid-answer"
    assert Gadget.objects.count() == 10
    assert not Gadget.objects.filter(name="new name").exists()
    assert not Gadget.objects.filter(gone_at__isnull=False).exists()


def test_a_sync_never_overwrites_a_staff_write_made_after_its_audit_was_requested(gadgets_kind):
    with time_machine.travel(START, tick=False) as clock:
        gadgets_kind(audit_of(10))
        sync()
        # A staff write well before the next audit: the audit is newer and wins.
        clock.shift(datetime.timedelta(minutes=5))
        staff_write("G000001", status="staff-old")
        clock.shift(datetime.timedelta(minutes=5))

        def audit_racing_a_staff_write():
            # VI's answer reflects the moment the audit was requested ...
            old_view = audit_of(10)
            yield old_view[0]
            # ... while staff change a row and VI moves on; then the rest of the old answer
            # arrives (G000003 listed with old data, G000009 not listed because VI had not
            # got it yet when the audit began — here: staff just created it).
            clock.shift(datetime.timedelta(seconds=30))
            staff_write("G000003", status="staff-new")
            staff_write("G000009", status="staff-new")
            clock.shift(datetime.timedelta(seconds=30))
            yield from old_view[1:9]

        gadgets_kind(audit_racing_a_staff_write)
        run = sync()

    assert run.status == Status.SUCCEEDED
    assert Gadget.objects.get(code="G000003").status == "staff-new"
    assert Gadget.objects.get(code="G000009").status == "staff-new"
    assert Gadget.objects.get(code="G000009").gone_at is None
    assert Gadget.objects.get(code="G000001").status == "active"  # older staff write overwritten
    assert run.counts["kept_local"] == 2
    assert not ChangeRecord.objects.filter(
        object_key__in=["G000003", "G000009"], sync_run=run
    ).exists()


def test_a_staff_write_between_reading_and_applying_is_kept(gadgets_kind):
    """The row is checked again, under a lock, when the change is written."""
    with time_machine.travel(START, tick=False) as clock:
        gadgets_kind(audit_of(3))
        sync()
        clock.shift(datetime.timedelta(minutes=1))
        changed = audit_of(3)
        changed[1]["Status"] = "from-vi"

        def audit_then_staff_write():
            yield from changed
            # The last record is read; before phase 3 writes, staff change the row.
            clock.shift(datetime.timedelta(seconds=1))
            staff_write("G000001", status="staff")

        gadgets_kind(audit_then_staff_write)
        run = sync()

    assert Gadget.objects.get(code="G000001").status == "staff"
    assert (run.counts["updated"], run.counts["kept_local"]) == (0, 1)


def test_duplicate_records_in_one_audit_count_once(gadgets_kind):
    gadgets_kind([gadget_record("G1"), gadget_record("G1", Name="second"), gadget_record("G2")])

    run = sync()

    assert (run.counts["seen"], run.counts["created"], run.counts["duplicates"]) == (3, 2, 1)
    assert Gadget.objects.get(code="G1").name == "Gadget G1"


def test_duplicate_records_in_a_first_load_into_a_locked_empty_table_count_once(
    gadgets_kind, monkeypatch
):
    # The first-load insert (table locked while empty) has no per-row conflict check: it
    # relies on the judge having dropped the later duplicates from the staging table.
    from portal.sync import firstload

    monkeypatch.setattr(firstload, "MIN_ROWS", 0)
    gadgets_kind([gadget_record("G1"), gadget_record("G1", Name="second"), gadget_record("G2")])

    run = sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert (run.counts["seen"], run.counts["created"], run.counts["duplicates"]) == (3, 2, 1)
    assert Gadget.objects.get(code="G1").name == "Gadget G1"


def test_progress_is_reported_while_running(gadgets_kind):
    seen_progress = []

    def watched_audit():
        for index, record in enumerate(audit_of(4500)):
            if index in (2100, 4200):
                seen_progress.append(
                    SyncRun.objects.values_list("progress_done", "progress_label").get(
                        status="running"
                    )
                )
            yield record

    gadgets_kind(watched_audit)
    run = sync()

    assert seen_progress == [
        (2000, "gadgets: read 2,000 records"),
        (4000, "gadgets: read 4,000 records"),
    ]
    assert run.progress_label == "Done"
    assert run.progress_done == run.progress_total == 4500
