"""End to end in a real headless Chromium: buy two numbers, change one, release one.

Drives Debian's /usr/bin/chromium through Playwright against pytest-django's live server,
which talks to the sandbox over HTTP like production talks to VI. The person logs in on the
login page and reaches every step by clicking what the pages show, from the navigation.
"""

import re

import pytest

from tests.dids.conftest import run_dids_sync
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_numbers(page) -> None:
    """Numbers, from the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Numbers", exact=True
    ).click()
    playwright_sync.expect(page.get_by_role("heading", name="Numbers")).to_be_visible()


def test_buy_change_and_release_numbers_in_a_browser(
    live_server, sandbox, administrator, browser_page
):
    assert run_dids_sync().status == "succeeded"
    page = browser_page
    expect = playwright_sync.expect

    # Log in.
    sign_in(page, live_server.url, administrator)

    # Search VI's inventory in New York, for numbers that can carry a caller-ID name.
    _open_numbers(page)
    page.get_by_role("link", name="Buy numbers").click()
    expect(page.get_by_role("heading", name="Buy numbers")).to_be_visible()
    page.select_option("#buy-state", "NY")
    page.select_option("#id_cnam-buy", "1")
    page.click("#buy-search button[type=submit]")
    results = page.get_by_test_id("inventory-results")
    expect(results).to_be_visible()
    boxes = results.locator("input[name=tns]")
    first, second = boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")
    boxes.nth(0).check()
    boxes.nth(1).check()

    # Reserve both: each shows a running 30-minute countdown.
    page.get_by_role("button", name="Reserve selected").click()
    reserved = page.get_by_test_id("reserved-list")
    expect(reserved.locator("tbody tr")).to_have_count(2)
    expect(reserved.get_by_test_id("countdown").first).to_contain_text(
        re.compile(r"(29|30):\d\d left")
    )

    # Assign both to Trunk 2 with a reference.
    page.select_option("#id_endpoint_group-assign", "8675")
    page.fill("#id_ref_id-assign", "e2e-order")
    page.get_by_role("button", name="Assign").click()
    assigned = page.get_by_test_id("buy-notice").locator("[data-ok=yes]")
    expect(assigned).to_have_count(2)

    # Both are in the list now; live search narrows it without a page load.
    _open_numbers(page)
    page.fill("#id_q", "e2e-order")
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(2)
    expect(page.locator(f"#did-results tr[data-tn='{first}']")).to_be_visible()
    expect(page.locator(f"#did-results tr[data-tn='{second}']")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=e2e-order"))  # the URL reflects the filter

    # Change the first one's endpoint group and caller-ID name.
    page.click(f"tr[data-tn='{first}'] a")
    expect(page.get_by_test_id("did-title")).to_be_visible()
    page.locator("#panel-configure").get_by_text("Change").click()  # the form opens on demand
    page.select_option("#id_endpoint_group-configure", "8674")
    page.locator("#panel-configure").get_by_role("button", name="Save").click()
    expect(page.locator("#panel-configure").get_by_test_id("saved")).to_be_visible()
    page.locator("#panel-cnam_name").get_by_text("Change").click()
    page.fill("#id_name-cnam", "E2E Sales")
    page.locator("#panel-cnam_name").get_by_role("button", name="Save name").click()
    expect(page.locator("#panel-cnam_name").get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("summary-cnam-name")).to_have_text("E2E Sales")
    expect(page.get_by_test_id("summary-endpoint")).to_have_text("8674")

    # Release it: the confirmation lists it and wants the count typed.
    page.get_by_role("link", name="Release…").click()
    expect(page.get_by_test_id("release-list").locator(f"tr[data-tn='{first}']")).to_be_visible()
    page.fill("#confirm-count", "1")
    page.get_by_role("button", name="Release", exact=True).click()
    expect(page.locator(f"[data-tn='{first}'][data-ok=yes]")).to_be_visible()

    # The list reflects it: the released number is gone, the other one stays.
    _open_numbers(page)
    page.fill("#id_q", "e2e-order")
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    expect(page.locator(f"tr[data-tn='{second}']")).to_be_visible()
    # "Show: Gone (released)" and the released number's digits: it is listed, marked gone.
    page.get_by_label("Show").select_option(label="Gone (released)")
    page.fill("#id_q", first)
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    expect(page.locator(f"tr[data-tn='{first}']").get_by_test_id("gone")).to_be_visible()
    expect(page).to_have_url(re.compile(r"show=gone"))

    assert sandbox.control.state(f"number/{first}")["holder"] != "ours"
    assert sandbox.control.state(f"number/{second}")["endpoint_group"] == 8675
