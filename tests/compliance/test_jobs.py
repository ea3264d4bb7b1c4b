"""The scheduled jobs: the nightly 911 re-validation against the sandbox (a verdict changed at
VI by someone else is flagged and fails the check), and the daily snapshot behind the trend."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from compliance import selectors, services, tasks
from compliance.models import Revalidation, Snapshot
from dids.models import DID
from e911.models import Location
from portal.models import ChangeRecord, ProviderCall, Source

pytestmark = pytest.mark.django_db


def _owned_provisioned():
    owned = DID.objects.filter(gone_at__isnull=True).values("tn")
    return Location.objects.filter(gone_at__isnull=True, status_code="PROVISIONED", tn__in=owned)


def test_revalidation_flags_an_address_vi_no_longer_places(synced, settings):
    settings.COMPLIANCE_REVALIDATE_PAUSE_SECONDS = 0
    first = tasks.revalidate_911_addresses()
    provisioned = _owned_provisioned().count()
    assert first["checked"] == provisioned > 0 and first["invalid"] == 0 and first["changed"] == []
    assert ProviderCall.objects.filter(operation="validate911").count() >= provisioned

    # Someone else at VI: the provider's street database no longer places one street.
    victim = _owned_provisioned().order_by("tn").first()
    synced.control.other("retire_street", address1=victim.address1)
    sharing = set(
        _owned_provisioned().filter(address1=victim.address1).values_list("tn", flat=True)
    )

    second = tasks.revalidate_911_addresses()
    assert set(second["changed"]) == sharing and victim.tn in sharing
    row = Revalidation.objects.get(tn=victim.tn)
    assert (
        row.valid is False and row.previous_valid is True and row.verdict_changed and row.changed_at
    )
    assert ChangeRecord.objects.filter(
        object_key=victim.tn, note__contains="verdict changed"
    ).exists()
    failing = {v.facts.tn for v in selectors.failing_for_check(key="revalidation")}
    assert failing == sharing


def test_revalidation_is_paced_and_batched(synced):
    pauses = []
    run = services.addresses_911_revalidate(
        batch=3, pause_seconds=0.25, sleep=pauses.append, actor=None, source=Source.SYNC
    )
    assert run.checked == 3 and pauses == [0.25, 0.25]
    # The next batch starts with the ones never checked.
    again = services.addresses_911_revalidate(
        batch=3, sleep=pauses.append, actor=None, source=Source.SYNC
    )
    assert Revalidation.objects.count() == 6 and again.checked == 3


def test_revalidation_skips_what_vi_could_not_answer(synced):
    synced.control.fault("http500", operation="validate911", times=1)
    run = services.addresses_911_revalidate(
        batch=2, sleep=lambda _: None, actor=None, source=Source.SYNC
    )
    assert run.failed == 1 and run.checked == 1


def test_daily_snapshot_and_trend(synced, viewer_client):
    services.snapshot_take(on=datetime.date(2026, 11, 1), actor=None, source=Source.SYSTEM)
    tasks.take_daily_snapshot()
    tasks.take_daily_snapshot()  # a doubled tick replaces the day's row
    assert Snapshot.objects.count() == 2
    today = Snapshot.objects.latest()
    assert today.score == selectors.overview().score and today.failing["kari_alert"] >= 1
    html = viewer_client.get(reverse("compliance:index")).content.decode()
    assert (
        'id="compliance-trend-data"' in html and "2026-11-01" in html and "chart.umd.min.js" in html
    )
    assert (
        "<script>" not in html.split('id="compliance-trend-data"')[0][-2000:]
    )  # data, never inline code


def test_schedules_exist_for_both_jobs(db):
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "compliance.tasks.take_daily_snapshot",
        "compliance.tasks.revalidate_911_addresses",
    } <= names
