"""End to end in headless Chromium: a number without 911 gets an address, validated first,
then provisioned, and the compliance count drops. The person logs in on the login page and
reaches every step by clicking what the pages show, from the navigation."""

import pytest

from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_911(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="911", exact=True).click()
    playwright_sync.expect(page.get_by_role("heading", name="911", exact=True)).to_be_visible()


def test_give_a_number_911_in_a_browser(live_server, number_without_911, operator, browser_page):
    page, expect, tn = browser_page, playwright_sync.expect, number_without_911

    sign_in(page, live_server.url, operator)

    _open_911(page)
    missing = page.get_by_test_id("count-missing")
    expect(missing).to_be_visible()
    missing_before = int(missing.inner_text())
    assert missing_before >= 1

    # The "missing" card lists the numbers without 911; narrowed to this one, then opened.
    page.locator("[data-problem=missing]").click()
    page.get_by_label("Filter by number").fill(tn)
    rows = page.get_by_test_id("e911-compliance-list").locator("tr[data-tn]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-tn", tn)
    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("did-title")).to_be_visible()
    panel = page.get_by_test_id("e911-panel")
    expect(panel.get_by_test_id("e911-none")).to_be_visible()

    # A typo first: VI's provider cannot place it, and nothing can be provisioned.
    page.fill(f"#id_e911-{tn}-address1", "1 Nowhere Rd")
    page.fill(f"#id_e911-{tn}-city", "Salt Lake City")
    page.fill(f"#id_e911-{tn}-state", "UT")
    page.fill(f"#id_e911-{tn}-zip_code", "84111")
    page.fill(f"#id_e911-{tn}-caller_name", "Front Desk")
    page.get_by_role("button", name="Check address").click()
    verdict = page.get_by_test_id("e911-verdict")
    expect(verdict).to_have_attribute("data-valid", "false")
    expect(page.get_by_role("button", name="Provision this address")).to_have_count(0)

    # The real address: validated, then provisioned.
    page.fill(f"#id_e911-{tn}-address1", "350 S 200 E")
    page.get_by_role("button", name="Check address").click()
    expect(page.get_by_test_id("e911-verdict")).to_have_attribute("data-valid", "true")
    page.get_by_role("button", name="Provision this address").click()
    expect(page.get_by_test_id("e911-status")).to_have_text("PROVISIONED")
    expect(page.get_by_test_id("e911-location")).to_contain_text("350 S 200 E")

    _open_911(page)
    expect(page.get_by_test_id("count-missing")).to_have_text(str(missing_before - 1))
