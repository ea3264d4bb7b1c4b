"""The numbers list in a real headless Chromium, reached from the navigation.

Ticking a row right after typing a search must keep the tick: the live filter answers the
typing, not the search box losing focus (which used to reload the rows and drop the tick).
"""

import re

import pytest

from tests.dids.conftest import run_dids_sync
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_row_ticked_after_searching_stays_ticked(live_server, sandbox, operator, browser_page):
    assert run_dids_sync().status == "succeeded"
    page = browser_page
    expect = playwright_sync.expect
    sign_in(page, live_server.url, operator)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Numbers").click()
    rows = page.locator("#did-results tr[data-tn]")
    expect(rows.first).to_be_visible()
    first_tn = rows.first.get_attribute("data-tn")

    typed = first_tn[-7:]
    with page.expect_response(lambda response: f"q={typed}" in response.url):
        page.locator("#id_q").press_sequentially(typed)  # key by key, as a person types
    expect(page.locator(f"#did-results tr[data-tn='{first_tn}']")).to_be_visible()

    box = page.locator(f"#did-results tr[data-tn='{first_tn}'] input[name=tns]")
    box.check()  # the search box loses focus here
    page.wait_for_timeout(1_000)  # longer than the live filter's delay
    expect(box).to_be_checked()
    expect(box).to_be_visible()


def test_the_filter_menus_still_filter_at_once(live_server, sandbox, operator, browser_page):
    assert run_dids_sync().status == "succeeded"
    page = browser_page
    expect = playwright_sync.expect
    sign_in(page, live_server.url, operator)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Numbers").click()
    expect(page.locator("#did-results tr[data-tn]").first).to_be_visible()
    state = page.locator("#id_state option").nth(1).inner_text()
    page.select_option("#id_state", state)
    expect(page).to_have_url(re.compile(f"state={state}"))
    states = page.locator("#did-results tr[data-tn] td:nth-child(3)").all_inner_texts()
    assert states and set(states) == {state}
