"""Every page in the navigation, reached by clicking it, at a desktop (1440 px) and a phone
(390 px) width: nothing scrolls sideways (document.documentElement.scrollWidth <=
window.innerWidth), no JavaScript error (the browser_page fixture fails on one), and the
filters of a list sit behind a button on a phone instead of filling its first screen."""

import pytest

from tests.fixtures.browser import sign_in
from tests.portal.test_console_dashboard import mirrored  # noqa: F401  (fixture)

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = 390, 1440
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def open_from_navigation(page, label: str, width: int) -> None:
    nav = page.get_by_role("navigation", name="Main")
    if width < 992:  # Bootstrap's lg breakpoint: the menu is behind its toggle
        nav.get_by_role("button", name="Toggle navigation").click()
    nav.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state("load")


def navigation_labels(page) -> list[str]:
    return [
        text.strip()
        for text in page.get_by_role("navigation", name="Main")
        .locator(".nav-link")
        .all_inner_texts()
    ]


def sideways_scroll(page, where: str) -> str:
    """ "" when the page fits the window, else what sticks out (to fix it)."""
    excess = page.evaluate(OVERFLOW)
    if excess > 0:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !e.closest('.table-responsive, .table-scroll, pre')).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))"""
        )
        return f"{where}: scrolls sideways by {excess}px; widest: {culprits}"
    return ""


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_page_in_the_navigation_scrolls_sideways(
    width, live_server, mirrored, administrator, browser_page
):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, administrator)
    labels = [label for label in navigation_labels(page) if label != "Admin"]
    assert {"Dashboard", "Numbers", "911", "Messaging", "Porting", "Sync", "Provider log"} <= set(
        labels
    )
    problems = []
    for label in labels:
        open_from_navigation(page, label, width)
        problems.append(sideways_scroll(page, f"{label} at {width}px"))
    # The number page, reached from the list.
    open_from_navigation(page, "Numbers", width)
    page.locator("#did-results a[href*='/numbers/']").first.click()
    page.wait_for_load_state("load")
    problems.append(sideways_scroll(page, f"a number's page at {width}px"))
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)


def test_numbers_filters_sit_behind_a_button_on_a_phone(
    live_server, mirrored, viewer, browser_page
):  # noqa: F811
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in(page, live_server.url, viewer)
    open_from_navigation(page, "Numbers", PHONE)
    filters = page.get_by_test_id("list-filters")
    expect(filters).to_be_hidden()
    page.get_by_role("button", name="Filters").click()
    expect(filters).to_be_visible()
