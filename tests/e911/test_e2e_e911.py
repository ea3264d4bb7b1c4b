"""End to end in headless Chromium: a number without 911 gets an address, validated first,
then provisioned, and the compliance count drops."""

import pytest

from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_give_a_number_911_in_a_browser(live_server, number_without_911, operator, browser_page):
    page, expect, tn = browser_page, playwright_sync.expect, number_without_911

    sign_in(page, live_server.url, operator)

    page.goto(f"{live_server.url}/e911/")
    missing_before = int(page.get_by_test_id("count-missing").inner_text())
    assert missing_before >= 1

    page.goto(f"{live_server.url}/numbers/{tn}/")
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

    page.goto(f"{live_server.url}/e911/")
    expect(page.get_by_test_id("count-missing")).to_have_text(str(missing_before - 1))
