"""End to end in headless Chromium: check three numbers' portability (a background job on a
real Celery worker), open an active port, and see its FOC date change after a sandbox step
and a sync. Every page is reached by clicking, from the navigation, as a person would.

Drives Debian's /usr/bin/chromium through Playwright against pytest-django's live server,
which talks to the sandbox over HTTP like production talks to VI.
"""

import re

import pytest

from porting.models import Port
from tests.fixtures.browser import sign_in
from tests.porting.conftest import run_sync, sandbox_port

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _porting(page) -> None:
    """Porting, from the main navigation: the list of active ports."""
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Porting", exact=True
    ).click()
    playwright_sync.expect(page.get_by_test_id("port-list")).to_be_visible()


def test_check_portability_and_watch_a_foc_date_change(
    live_server, sandbox, operator, celery_worker, browser_page
):
    run_sync()
    page, expect = browser_page, playwright_sync.expect

    sign_in(page, live_server.url, operator)

    # Three numbers, pasted the way people paste them: the worker checks them with a progress bar.
    _porting(page)
    page.get_by_role("link", name="Check portability").click()
    page.fill("#id_numbers", "(303) 234-0100\n303.239.0100, +1 212 234 0199")
    page.get_by_role("button", name="Check portability").click()
    expect(page.get_by_test_id("check-progress")).to_be_visible()
    expect(page.get_by_test_id("check-summary")).to_have_attribute("data-status", "finished")
    rows = page.get_by_test_id("check-rows")
    expect(rows.locator("tr[data-tn='3032340100']")).to_have_attribute("data-verdict", "portable")
    expect(rows.locator("tr[data-tn='3032390100']")).to_have_attribute(
        "data-verdict", "not_portable"
    )
    expect(rows.locator("tr[data-tn='2122340199']")).to_have_attribute("data-verdict", "portable")
    expect(page.get_by_test_id("check-summary")).to_contain_text("2 portable · 1 not portable")

    # An active port whose FOC date is about to move.
    slipping = sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")
    old_foc = Port.objects.get(vi_id=slipping["id"]).foc_at.strftime("%Y-%m-%d")
    _porting(page)
    page.locator(f"tr[data-port='{slipping['id']}']").get_by_role(
        "link", name=str(slipping["id"])
    ).click()
    expect(page.get_by_test_id("port-title")).to_contain_text(str(slipping["id"]))
    expect(page.get_by_test_id("port-foc")).to_contain_text(old_foc)
    page.get_by_test_id("follow").click()
    expect(page.get_by_test_id("unfollow")).to_be_visible()

    # VI moves the FOC date; the next sync sees it and the page shows the new date and why.
    sandbox.control.other("port_step", portId=slipping["id"])
    run_sync()
    new_foc = Port.objects.get(vi_id=slipping["id"]).foc_at.strftime("%Y-%m-%d")
    assert new_foc != old_foc
    page.reload()
    expect(page.get_by_test_id("port-foc")).to_contain_text(new_foc)
    expect(page.get_by_test_id("port-timeline")).to_contain_text(f"FOC date {old_foc} → {new_foc}")

    # And the list flags it for anyone who has not looked since: Porting, then the filter.
    _porting(page)
    page.get_by_label("FOC changed since I last looked").check()
    expect(page).to_have_url(re.compile(r"/porting/\?changed=on$"))  # the filter is applied
    expect(
        page.locator(f"tr[data-port='{slipping['id']}']").get_by_test_id("foc-changed")
    ).to_be_visible()
