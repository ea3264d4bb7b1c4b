"""The dashboard as a console: headline figures and charts drawn from the mirror, in staff's
words and formats; in a browser at desktop and phone widths, with every chart drawn."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dids.models import DID
from portal import dashboard_figures
from portal.models import ChangeRecord, SyncRun
from portal.sync.services import sync_execute
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SYNC_KINDS = ("dids", "e911", "messaging", "porting")


@pytest.fixture
def mirrored(sandbox, db):
    """The sandbox's test account mirrored: numbers, 911, messaging and ports."""
    for kind in SYNC_KINDS:
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND, confirmed=False)
        run.refresh_from_db()
        assert run.status == SyncRun.Status.SUCCEEDED, f"{kind}: {run.error}"
    return sandbox


def _by_key(charts):
    return {chart.key: chart for chart in charts}


def test_headline_figures_match_the_mirror_in_staffs_formats(mirrored):
    figures = {figure.testid: figure for figure in dashboard_figures.headline_figures()}
    owned = DID.objects.filter(gone_at__isnull=True)
    assert figures["numbers"].value == f"{owned.count():,}"
    assert "this month" in figures["numbers"].detail
    covered = owned.filter(has911=True).count()
    assert figures["e911"].value == f"{round(100 * covered / owned.count(), 1):g} %"
    assert figures["sms"].value.endswith("%") and figures["ports"].value.isdigit()
    assert set(figures) == {"numbers", "e911", "sms", "ports", "balance"}


def test_every_chart_has_data_after_a_sync_and_its_table_agrees(mirrored):
    charts = _by_key(dashboard_figures.dashboard_charts())
    assert set(charts) == {"coverage", "states", "endpoint-groups", "ports", "campaigns", "sync"}
    for chart in charts.values():
        assert chart.labels, chart.key
        assert all(len(serie.values) == len(chart.labels) for serie in chart.series), chart.key
        assert len(chart.rows) == len(chart.labels)
    owned = DID.objects.filter(gone_at__isnull=True).count()
    assert sum(charts["states"].series[0].values) == owned
    assert sum(charts["endpoint-groups"].series[0].values) == owned
    # Endpoint groups by name, not by VI's id.
    assert not any(label.isdigit() for label in charts["endpoint-groups"].labels)
    assert sum(charts["sync"].series[0].values) == len(SYNC_KINDS)


def test_coverage_over_time_is_worked_back_from_history(mirrored):
    """Today's coverage is the mirror's; a number that gained 911 today was uncovered
    yesterday, so yesterday's point (if the numbers existed) is lower."""
    now = timezone.now()
    owned = DID.objects.filter(gone_at__isnull=True)
    # Pretend the first sync happened three days ago, so there are earlier days to draw.
    ChangeRecord.objects.filter(model="dids.did").update(at=now - datetime.timedelta(days=3))
    uncovered = owned.filter(has911=False).first()
    DID.objects.filter(pk=uncovered.pk).update(has911=True)
    ChangeRecord.objects.create(
        model="dids.did",
        object_key=uncovered.tn,
        action=ChangeRecord.Action.UPDATED,
        changes={"has911": [False, True]},
        source="staff",
        at=now,
    )
    chart = _by_key(dashboard_figures.dashboard_charts(now=now))["coverage"]
    values = chart.series[0].values
    assert len(values) == 4  # three days ago .. today
    total = owned.count()
    covered_today = owned.filter(has911=True).count()
    assert values[-1] == round(100 * covered_today / total, 1)
    assert values[-2] == round(100 * (covered_today - 1) / total, 1)


def test_an_empty_mirror_shows_empty_states_that_say_what_to_do(admin_client):
    html = admin_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="headline-figures"' in html
    assert "Numbers appear after the first numbers sync." in html
    assert "No sync has run yet" in html


def test_a_broken_figure_is_left_out_not_a_500(mirrored, admin_client, monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard_figures, "CHARTS", [broken, *dashboard_figures.CHARTS])
    response = admin_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert 'data-testid="chart-coverage"' in response.content.decode()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
def test_dashboard_draws_every_chart_without_overflow(
    width, live_server, mirrored, viewer, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, viewer)
    expect(page.get_by_test_id("stat-numbers-value")).to_have_text(
        f"{DID.objects.filter(gone_at__isnull=True).count():,}"
    )
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(6)
    for index in range(6):
        canvas = canvases.nth(index)
        expect(canvas).to_have_attribute("data-drawn", "true")
        assert int(canvas.get_attribute("data-points")) > 0
    expect(page.get_by_test_id("chart-campaigns").locator("canvas")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_money_counts_and_sync_kinds_read_as_staff_write_them(mirrored, admin_client):
    from dids.models import PrepaidBalanceReading

    PrepaidBalanceReading.objects.create(
        amount=Decimal("2500"), read_at=timezone.now() - datetime.timedelta(days=2)
    )
    PrepaidBalanceReading.objects.create(amount=Decimal("2310.5"))
    html = admin_client.get(reverse("dashboard")).content.decode()
    assert "$2,310.50" in html and "$2310.50" not in html
    assert "down $189.50 in 30 days" in html
    owned = DID.objects.filter(gone_at__isnull=True).count()
    assert f"of {owned:,} owned" in html
    assert "<td>dids</td>" not in html and "<td>Numbers</td>" in html
