"""Changed outside the portal, end to end in headless Chromium: someone at VI moves a number,
the next sync finds it; from the dashboard a person follows the panel to the page, sees it
grouped, opens the number (which lists it), comes back and acknowledges it; the bell counts a
notification they subscribed to."""

import pytest

from dids.models import DID
from portal.events import dispatch, notifications
from portal.models import Source, SyncRun
from tests.dids.conftest import owned_numbers, run_dids_sync
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drift_from_the_dashboard_to_acknowledged(live_server, sandbox, operator, browser_page):
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    mirrored = set(DID.objects.filter(endpoint_id=8674).values_list("tn", flat=True))
    tn = next(n["tn"] for n in owned_numbers(sandbox) if n["tn"] in mirrored)
    notifications.subscriptions_set(
        actor=operator,
        source=Source.STAFF,
        types=["number.moved"],
        followed_only=False,
        by_email=False,
    )
    sandbox.control.other("update", tn=tn, endpointGroup=8675)
    assert run_dids_sync().status == SyncRun.Status.SUCCEEDED
    dispatch.dispatch_pending()

    page = browser_page
    sign_in(page, live_server.url, operator)
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Dashboard", exact=True
    ).click()
    panel = page.get_by_test_id("drift-panel")
    expect(panel).to_contain_text("Number moved to another endpoint group: 1")
    panel.get_by_role("link", name="Changed outside the portal").click()

    row = page.get_by_test_id("drift-row").filter(has_text=tn)
    expect(row).to_contain_text("Number moved to another endpoint group")
    row.get_by_role("link", name=tn).click()
    drift = page.get_by_test_id("number-drift")
    expect(drift).to_contain_text("8674 → 8675")
    drift.get_by_role("link", name="See and acknowledge").click()

    page.get_by_test_id("drift-row").filter(has_text=tn).get_by_role(
        "button", name="Acknowledge"
    ).click()
    expect(page.get_by_text("Acknowledged 1 change.")).to_be_visible()
    expect(page.get_by_test_id("drift-empty")).to_be_visible()

    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notifications")).to_contain_text(
        f"Number moved to another endpoint group — Number {tn}"
    )
