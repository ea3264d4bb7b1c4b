"""Syncs and page refreshes against a hostile VI (tests/fixtures/hostile_vi.py): the sandbox's
real answers with a few values bent out of range or out of type.

One unfit value must not stop everything: that record is set aside with VI's raw values,
every other record is applied, the run says how many were set aside, and the mirror keeps
the set-aside number's last good values. A value that does not parse is a rejected record,
never a null or a false recorded as a change. Both reconcile paths (set-based on
PostgreSQL, the portable one) are held to it.
"""

from __future__ import annotations

import os
import sys
import time

import pytest
from django.urls import reverse

from dids.models import DID, PrepaidBalanceReading
from e911.models import Location
from portal.models import ChangeRecord, SetAsideRecord, SyncRun
from portal.sync.services import sync_execute

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 30


def run_sync(kind: str) -> SyncRun:
    run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
    run.refresh_from_db()
    return run


@pytest.fixture(params=["set-based", "portable"])
def reconcile_path(request, monkeypatch):
    if request.param == "portable":
        monkeypatch.setattr(
            sys.modules["portal.sync.reconcile"], "set_based_supported", lambda model: False
        )
    return request.param


@pytest.fixture
def mirrored(sandbox, hostile_vi):
    """The test account mirrored once through the (so far friendly) hostile VI."""
    run = run_sync("dids")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return [number["tn"] for number in sandbox.control.state("numbers/owned")]


def vi_values(tn: str) -> dict:
    row = DID.objects.get(tn=tn)
    return {**row.vi_values(), "gone_at": row.gone_at}


def test_unfit_records_are_set_aside_and_every_other_record_applies(
    mirrored, hostile_vi, reconcile_path
):
    long_name, huge_id, word_id, odd_flag, fine = mirrored[:5]
    before = {tn: vi_values(tn) for tn in mirrored[:4]}
    hostile_vi.values(
        "auditDIDs",
        {
            long_name: {"cnamName": "N" * 40},  # the column keeps 15
            huge_id: {"endpointId": HUGE},
            word_id: {"endpointId": "abc"},
            odd_flag: {"has911": "maybe"},
            fine: {"rateCenter": "NEWTOWN"},
        },
    )

    run = run_sync("dids")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["set_aside"] == 4
    assert run.counts["dids"]["updated"] == 1
    aside = {record.object_key: record for record in SetAsideRecord.objects.filter(sync_run=run)}
    assert set(aside) == {long_name, huge_id, word_id, odd_flag}
    assert aside[huge_id].problems == [
        {"field": "endpoint_id", "raw": HUGE, "reason": "out of range"}
    ]
    assert aside[word_id].problems[0]["raw"] == "abc"
    assert aside[odd_flag].problems[0] == {
        "field": "has911",
        "raw": "maybe",
        "reason": "not yes or no",
    }
    assert aside[long_name].values["cnam_name"] == "N" * 40
    # The mirror keeps the last good values of the set-aside numbers, and does not call them gone.
    assert {tn: vi_values(tn) for tn in before} == before
    assert DID.objects.get(tn=fine).rate_center == "NEWTOWN"
    changed = set(ChangeRecord.objects.filter(sync_run=run.pk).values_list("object_key", flat=True))
    assert changed == {fine}


def test_a_set_aside_number_is_applied_once_vi_sends_a_usable_value(
    mirrored, hostile_vi, reconcile_path
):
    tn = mirrored[0]
    hostile_vi.values("auditDIDs", {tn: {"endpointId": HUGE, "rateCenter": "LATER"}}, times=1)
    assert run_sync("dids").counts["dids"]["set_aside"] == 1

    run = run_sync("dids")  # VI answers normally again

    assert run.counts["dids"]["set_aside"] == 0
    assert DID.objects.get(tn=tn).gone_at is None


def test_a_911_record_that_does_not_fit_is_set_aside_and_the_rest_applies(sandbox, hostile_vi):
    assert run_sync("e911").status == SyncRun.Status.SUCCEEDED
    tns = list(Location.objects.order_by("tn").values_list("tn", flat=True)[:2])
    bad, fine = tns
    before = Location.objects.get(tn=bad).vi_values()
    hostile_vi.values("audit911", {bad: {"callerName": "C" * 5000}, fine: {"city": "Hostileville"}})

    run = run_sync("e911")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["locations"]["set_aside"] == 1
    assert Location.objects.get(tn=bad).vi_values() == before
    assert Location.objects.get(tn=fine).city == "Hostileville"


def test_an_sms_record_of_the_wrong_type_is_set_aside_and_the_rest_applies(sandbox, hostile_vi):
    from messaging.models import SMSNumber

    assert run_sync("messaging").status == SyncRun.Status.SUCCEEDED
    bad, fine = SMSNumber.objects.order_by("tn").values_list("tn", flat=True)[:2]
    before = SMSNumber.objects.get(tn=bad).vi_values()
    hostile_vi.values("AuditSMS", {bad: {"enabled": "maybe"}, fine: {"Forward": "8015550199"}})

    run = run_sync("messaging")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert (
        sum(step.get("set_aside", 0) for step in run.counts.values() if isinstance(step, dict)) == 1
    )
    assert SMSNumber.objects.get(tn=bad).vi_values() == before
    assert SMSNumber.objects.get(tn=fine).forward == "8015550199"


@pytest.mark.parametrize("how", ["drip", "endless"])
def test_a_sync_whose_audit_never_finishes_ends_at_its_deadline_having_written_nothing(
    mirrored, hostile_vi, settings, how
):
    from portal.voipinnovations.errors import ProviderUnavailable

    settings.VI_AUDIT_DEADLINE = 2.0
    getattr(hostile_vi, how)("auditDIDs")
    before = {tn: vi_values(tn) for tn in mirrored}

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable):  # raised for the task to retry later
        sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND)
    elapsed = time.monotonic() - started

    assert elapsed < 30  # every other step of the numbers sync answers normally
    run = SyncRun.objects.filter(kind="dids").first()
    assert run.status == SyncRun.Status.FAILED and "within 2 s" in run.error
    assert {tn: vi_values(tn) for tn in mirrored} == before
    assert not ChangeRecord.objects.filter(sync_run=run.pk, model="dids.did").exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1E+400", "abc"])
def test_an_absurd_balance_is_not_stored_and_breaks_no_page(
    mirrored, hostile_vi, amount, operator_client
):
    readings = list(PrepaidBalanceReading.objects.values_list("amount", flat=True))
    hostile_vi.top("GetPrepaidBalance", Amount=amount)

    run = run_sync("dids")

    assert list(PrepaidBalanceReading.objects.values_list("amount", flat=True)) == readings
    assert "cannot store" in run.error
    assert SetAsideRecord.objects.filter(sync_run=run).exists()
    assert run.counts["dids"]["seen"] == len(mirrored)  # the numbers were applied all the same
    for page in (reverse("dashboard"), reverse("dids:account")):
        assert operator_client.get(page).status_code == 200


@pytest.mark.parametrize(
    "bent",
    [{"endpointId": HUGE}, {"endpointId": "abc"}, {"has911": "maybe"}, {"cnamName": "N" * 40}],
    ids=["huge", "word", "flag", "long"],
)
def test_refresh_from_vi_says_so_in_plain_words_and_stores_nothing(
    mirrored, hostile_vi, operator_client, bent
):
    tn = mirrored[0]
    before = vi_values(tn)
    hostile_vi.values("queryDID", {tn: bent})
    if "cnamName" in bent:
        hostile_vi.top("GetCNAMDisplay", name="N" * 40)
    history = ChangeRecord.objects.count()

    response = operator_client.post(reverse("dids:refresh", args=[tn]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "cannot store" in response.content.decode()
    assert vi_values(tn) == before
    assert ChangeRecord.objects.count() == history


def test_refresh_with_a_caller_id_name_too_long_on_its_own_call_stores_nothing(
    mirrored, hostile_vi, operator_client
):
    # The name comes from GetCNAMDisplay, not from queryDID: the refresh assembles the row
    # from several calls, and every one of them must fit before anything is stored.
    tn = DID.objects.filter(cnam_storage_active=True).values_list("tn", flat=True).first()
    assert tn, "the test seed has numbers with CNAM storage"
    before = vi_values(tn)
    hostile_vi.top("GetCNAMDisplay", DisplayName="N" * 40)
    history = ChangeRecord.objects.count()

    response = operator_client.post(reverse("dids:refresh", args=[tn]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "cannot store" in response.content.decode()
    assert vi_values(tn) == before
    assert ChangeRecord.objects.count() == history


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_sees_what_was_set_aside_on_the_sync_page(
    live_server, sandbox, hostile_vi, operator, browser_page
):
    from playwright.sync_api import expect

    from tests.fixtures.browser import sign_in

    assert run_sync("dids").status == SyncRun.Status.SUCCEEDED
    tn = sandbox.control.state("numbers/owned")[0]["tn"]
    hostile_vi.values("auditDIDs", {tn: {"endpointId": HUGE, "cnamName": '<b>Bold & "quoted"</b>'}})
    run_sync("dids")  # as the schedule would

    page = browser_page
    sign_in(page, live_server.url, operator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sync", exact=True).click()
    panel = page.get_by_test_id("sync-panel-dids")
    expect(panel.get_by_test_id("sync-set-aside")).to_contain_text(
        "Succeeded with 1 record set aside"
    )
    panel.get_by_text("What VI sent").click()
    record = panel.get_by_test_id("set-aside-record")
    expect(record).to_be_visible()
    expect(record).to_contain_text(f"DID {tn}")
    expect(record).to_contain_text(f"endpoint group: {HUGE} — out of range")
    expect(record).to_contain_text('<b>Bold & "quoted"</b>')  # shown as text, never as markup
    if os.environ.get("SYNC_PAGE_SCREENSHOT"):
        page.screenshot(path=os.environ["SYNC_PAGE_SCREENSHOT"], full_page=True)
