"""An audit the same as the last one applied, over an untouched mirror, is not read again
(portal.sync.unchanged) — and every other case still takes the ordinary path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from e911.models import Location
from portal.models import ChangeRecord, SyncRun
from portal.sync import sync_execute
from portal.voipinnovations.errors import ProviderUnavailable

pytestmark = pytest.mark.django_db


def _sync(kind: str = "e911") -> tuple[SyncRun, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
    return run, [query["sql"] for query in queries.captured_queries]


def _staged(statements: list[str]) -> bool:
    """Whether the audit was parsed and staged (the ordinary set-based path)."""
    return any("CREATE TEMP TABLE" in sql for sql in statements)


@pytest.fixture
def synced_911(sandbox):
    run, statements = _sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert _staged(statements)
    assert run.counts["locations"]["audit"]["digest"]
    return sandbox


def test_the_same_audit_over_an_untouched_mirror_is_not_parsed_again(synced_911):
    history = ChangeRecord.objects.count()
    first = SyncRun.objects.filter(kind="e911").latest("id").counts["locations"]

    run, statements = _sync()

    assert run.status == SyncRun.Status.SUCCEEDED
    assert not _staged(statements)
    counts = run.counts["locations"]
    assert counts["seen"] == counts["unchanged"] == first["seen"] > 0
    assert counts["created"] == counts["updated"] == counts["gone"] == 0
    assert counts["audit"] == first["audit"]  # carried forward: the next may skip too
    assert ChangeRecord.objects.count() == history
    call = run_calls("audit911")[-1]
    assert call.response_code == 100 and call.outcome == "ok"

    again, statements = _sync()
    assert not _staged(statements) and again.counts["locations"]["unchanged"] == first["seen"]


def run_calls(operation: str):
    from portal.models import ProviderCall

    return list(ProviderCall.objects.filter(operation=operation).order_by("id"))


def test_a_mirror_row_changed_even_without_history_is_put_right(synced_911):
    row = Location.objects.filter(gone_at__isnull=True).order_by("tn").first()
    assert row is not None
    # Not through a service: no history row, the content hash left as it was.
    Location.objects.filter(pk=row.pk).update(city="Nowhere")

    run, statements = _sync()

    assert _staged(statements)
    assert run.counts["locations"]["updated"] == 1
    assert Location.objects.get(pk=row.pk).city == row.city


def test_a_row_gone_from_the_mirror_is_brought_back(synced_911):
    row = Location.objects.filter(gone_at__isnull=True).order_by("tn").first()
    assert row is not None
    Location.objects.filter(pk=row.pk).delete()

    run, statements = _sync()

    assert _staged(statements) and run.counts["locations"]["created"] == 1
    assert Location.objects.filter(tn=row.tn, gone_at__isnull=True).exists()


def test_a_change_at_vi_is_read_then_the_next_same_audit_skipped(synced_911):
    from e911 import gateway
    from e911.records import Address

    tn = (
        Location.objects.filter(gone_at__isnull=True, status_code="PROVISIONED")
        .order_by("tn")
        .values_list("tn", flat=True)[0]
    )
    gateway.update_911(
        tn=tn,
        address=Address(
            address1="350 S 200 E", city="Salt Lake City", state="UT", zip_code="84111"
        ),
    )

    run, statements = _sync()
    assert _staged(statements) and run.counts["locations"]["updated"] == 1
    assert Location.objects.get(tn=tn).address1 == "350 S 200 E"

    run, statements = _sync()
    assert not _staged(statements) and run.counts["locations"]["updated"] == 0


def test_a_truncated_answer_after_a_good_one_still_fails_and_changes_nothing(synced_911):
    before = list(Location.objects.order_by("tn").values_list("tn", "content_hash", "gone_at"))
    synced_911.control.fault("truncated", operation="audit911")

    with pytest.raises(ProviderUnavailable):
        _sync()

    assert SyncRun.objects.filter(kind="e911").latest("id").status == SyncRun.Status.FAILED
    after = list(Location.objects.order_by("tn").values_list("tn", "content_hash", "gone_at"))
    assert after == before


def test_the_numbers_sync_skips_an_unchanged_auditdids_too(sandbox):
    first, first_statements = _sync("dids")
    assert first.status == SyncRun.Status.SUCCEEDED, first.error

    run, statements = _sync("dids")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["unchanged"] == run.counts["dids"]["seen"]
    assert run.counts["dids"]["seen"] == first.counts["dids"]["seen"] > 0
    # Only auditDIDs is skipped: each small audit is still staged and judged.
    staged = [
        sql.count("CREATE TEMP TABLE") for sql in ("".join(first_statements), "".join(statements))
    ]
    assert staged[1] == staged[0] - 1


def test_a_feature_audit_merged_in_is_part_of_what_is_compared(sandbox, monkeypatch):
    """auditDIDs byte for byte the same, but the forwards audit merged into it is not."""
    from dids import gateway
    from dids.models import DID
    from dids.records import FeatureSetting

    _sync("dids")
    tn = DID.objects.filter(gone_at__isnull=True).order_by("tn").values_list("tn", flat=True)[0]
    read = gateway.audit_did_forwards
    monkeypatch.setattr(
        gateway,
        "audit_did_forwards",
        lambda: [
            *(row for row in read() if row.tn != tn),
            FeatureSetting(tn=tn, value="2065550100"),
        ],
    )

    run, _ = _sync("dids")

    assert run.counts["dids"]["updated"] == 1
    assert DID.objects.get(tn=tn).forward == "2065550100"
