"""Compliance in a browser, the way staff reach it: from the navigation open Compliance, follow
the failing Kari's Law check, add an alert recipient to two numbers at once, see the score rise;
the trend chart is drawn by the static script (no inline script under the CSP)."""

import datetime

import pytest

from compliance import selectors, services
from portal.models import Source
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _percent(text: str) -> float:
    return float(text.strip().rstrip("%"))


def test_bulk_alert_recipient_from_the_navigation_raises_the_score(
    live_server, synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    services.snapshot_take(
        on=datetime.date.today() - datetime.timedelta(days=1), actor=None, source=Source.SYSTEM
    )
    services.snapshot_take(actor=None, source=Source.SYSTEM)
    failing_before = len(selectors.failing_for_check(key="kari_alert"))
    assert failing_before >= 2

    sign_in(page, live_server.url, operator)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Compliance", exact=True
    ).click()
    score = page.get_by_test_id("compliance-score")
    expect(score).to_be_visible()
    before = _percent(score.inner_text())
    expect(page.get_by_test_id("failing-kari_alert")).to_have_text(str(failing_before))
    expect(page.locator("#compliance-trend")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#compliance-trend")).to_be_visible()

    page.get_by_test_id("check-link-kari_alert").click()
    expect(page.get_by_test_id("check-title")).to_have_text("No one is alerted when 911 is dialled")
    rows = page.get_by_test_id("check-list").locator("tbody tr")
    chosen = [rows.nth(0).get_attribute("data-tn"), rows.nth(1).get_attribute("data-tn")]
    for tn in chosen:
        page.get_by_role("checkbox", name=f"Choose ({tn[:3]}) {tn[3:6]}-{tn[6:]}").check()
    page.get_by_label("Add this 911 alert recipient to the ticked numbers").fill(
        "front.desk@example.com"
    )
    page.get_by_role("button", name="Add recipient").click()

    outcomes = page.get_by_test_id("bulk-outcomes")
    expect(outcomes).to_be_visible()
    expect(outcomes.locator("li.text-success")).to_have_count(2)
    expect(outcomes).to_contain_text("front.desk@example.com now gets this number's 911 alerts")
    expect(page.get_by_test_id("failing-kari_alert")).to_have_text(str(failing_before - 2))
    after = _percent(page.get_by_test_id("compliance-score").inner_text())
    assert after > before
    for tn in chosen:
        expect(page.locator(f'[data-testid="check-list"] tr[data-tn="{tn}"]')).to_have_count(0)
