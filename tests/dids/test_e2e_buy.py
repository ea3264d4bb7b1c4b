"""Buying and releasing numbers in headless Chromium, by clicking only (issues 11 and 12).

Each flow starts at the login page and reaches every step from the navigation, the way a
person does; the live server talks to the sandbox over HTTP like production talks to VI.
"""

import re

import pytest

from dids.models import DID
from e911.models import Location
from portal.models import SyncRun
from portal.sync import sync_execute
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sync(*kinds: str) -> None:
    for kind in kinds:
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
        assert run.status == SyncRun.Status.SUCCEEDED, run.error


def test_reserve_leave_come_back_assign_and_open_the_new_number(
    live_server, sandbox, operator, browser_page
):
    _sync("dids")
    page, expect = browser_page, playwright_sync.expect
    page.set_viewport_size({"width": 1280, "height": 720})

    sign_in(page, live_server.url, operator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Numbers").click()
    page.get_by_role("link", name="Buy numbers").click()
    expect(page.get_by_role("heading", name="Buy numbers")).to_be_visible()
    tray = page.get_by_test_id("reservation-tray")
    expect(tray.get_by_test_id("tray-empty")).to_be_visible()

    # Search New York and tick the last number of a long list: the page is scrolled down.
    page.select_option("#buy-state", "NY")
    page.get_by_role("button", name="Search VI").click()
    rows = page.get_by_test_id("inventory-results").locator("tbody tr[data-tn]")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 10, "the search should give a list long enough to scroll"
    last = rows.last
    tn = last.get_attribute("data-tn")
    last.locator("input[name=tns]").check()
    assert page.evaluate("window.scrollY") > 0

    # Reserve: the answer is on screen without scrolling, and the number waits in the tray.
    page.get_by_role("button", name="Reserve selected").click()
    notice = tray.get_by_test_id("buy-notice")
    expect(notice.locator(f"[data-tn='{tn}'][data-ok=yes]")).to_be_visible()
    expect(notice).to_be_in_viewport()
    reserved = tray.get_by_test_id("reserved-list").locator(f"tr[data-tn='{tn}']")
    expect(reserved.get_by_test_id("countdown")).to_contain_text(re.compile(r"(29|30):\d\d left"))

    # "Select at least one number" is on screen too, not under the table.
    page.get_by_role("button", name="Reserve selected").click()
    expect(tray.get_by_role("alert")).to_contain_text("Select at least one number")
    expect(tray.get_by_role("alert")).to_be_in_viewport()

    # Leave the page and come back by clicking: the reservation is still listed.
    page.get_by_role("link", name="‹ Numbers").click()
    expect(page.get_by_role("link", name="Buy numbers")).to_be_visible()
    page.get_by_role("link", name="Buy numbers").click()
    reserved = page.get_by_test_id("reserved-list").locator(f"tr[data-tn='{tn}']")
    expect(reserved).to_be_visible()
    expect(reserved).to_contain_text("you")
    expect(reserved.get_by_test_id("countdown")).to_contain_text(re.compile(r"(2\d|30):\d\d left"))

    # Assign it: the outcome is on screen with a link; the countdown is gone with the reservation.
    page.select_option("#id_endpoint_group-assign", "8675")
    page.fill("#id_ref_id-assign", "e2e-buy")
    page.get_by_role("button", name="Assign", exact=True).click()
    bought = (
        page.get_by_test_id("reservation-tray")
        .get_by_test_id("buy-notice")
        .locator(f"[data-tn='{tn}'][data-ok=yes]")
    )
    expect(bought).to_be_visible()
    expect(bought).to_be_in_viewport()
    expect(page.get_by_test_id("reserved-list")).to_have_count(0)
    expect(page.get_by_test_id("countdown")).to_have_count(0)

    # The link opens the new number's page.
    bought.get_by_role("link").click()
    expect(page.get_by_test_id("did-title")).to_be_visible()
    assert page.url.rstrip("/").endswith(f"/numbers/{tn}")
    assert sandbox.control.state(f"number/{tn}")["holder"] == "ours"
    assert DID.objects.get(tn=tn).ref_id == "e2e-buy"


def test_release_a_number_with_911_by_removing_the_911_first(
    live_server, sandbox, administrator, browser_page
):
    _sync("dids", "e911")
    tn = (
        Location.objects.filter(
            gone_at__isnull=True,
            status_code="PROVISIONED",
            tn__in=DID.objects.filter(gone_at__isnull=True).values("tn"),
        )
        .order_by("tn")
        .values_list("tn", flat=True)[0]
    )
    page, expect = browser_page, playwright_sync.expect
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))

    sign_in(page, live_server.url, administrator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Numbers").click()
    page.fill("#id_q", tn)
    # Leaving the search box is a "change" the live filter also answers: let it finish before
    # ticking, or the refreshed list would drop the tick (as it would for a person).
    page.keyboard.press("Tab")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#did-results tr[data-tn='{tn}']")
    expect(row).to_be_visible()
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    row.locator("input[name=tns]").check()
    expect(row.locator("input[name=tns]")).to_be_checked()

    # Bulk "Release…": a POST, so neither the CSRF token nor the numbers go into an address.
    page.get_by_role("button", name="Release…").click()
    warning = page.get_by_test_id("release-911-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("911")
    assert not any("csrfmiddlewaretoken" in address for address in addresses)

    # Follow the warning's link, remove the 911 location, go on to the release.
    warning.get_by_role("link", name=re.compile("Remove the 911 location")).click()
    expect(page.get_by_test_id("e911-release-list")).to_contain_text(tn[-4:])
    page.get_by_role("button", name=re.compile("Remove 911 from 1 number")).click()
    expect(page.get_by_test_id("e911-removed")).to_contain_text("911 location removed")
    assert not sandbox.control.state(f"number/{tn}")["has911"]
    page.get_by_role("link", name="Continue to the release").click()

    # The confirmation no longer warns; type the count and release.
    expect(page.get_by_test_id("release-list").locator(f"tr[data-tn='{tn}']")).to_be_visible()
    expect(page.get_by_test_id("release-911-warning")).to_have_count(0)
    page.fill("#confirm-count", "1")
    page.get_by_role("button", name="Release", exact=True).click()
    expect(page.locator(f"[data-tn='{tn}'][data-ok=yes]")).to_be_visible()
    assert sandbox.control.state(f"number/{tn}")["holder"] != "ours"
    assert DID.objects.get(tn=tn).gone_at is not None
    assert not any("csrfmiddlewaretoken" in address for address in addresses)
