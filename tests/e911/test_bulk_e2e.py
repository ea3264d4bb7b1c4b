"""End to end in headless Chromium, on a real worker: a 911 bulk file is checked in the
background (the upload answers at once, a progress bar, then the verdicts), provisioned, and
a second file's apply is cancelled from its page while VI is slow, keeping what was done."""

import pytest

from dids.models import DID
from e911.models import Location
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(tns, street):
    text = "tn,address1,city,state,zip,caller_name\n" + "".join(
        f"{tn},{street},Salt Lake City,UT,84111,Desk\n" for tn in tns
    )
    return {"name": "addresses.csv", "mimeType": "text/csv", "buffer": text.encode()}


def _upload(page, expect, tns, street):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="911", exact=True).click()
    page.get_by_role("link", name="Bulk upload").click()
    form = page.get_by_test_id("e911-bulk-form")
    form.locator("input[type=file]").set_input_files(files=[_file(tns, street)])
    form.get_by_role("button", name="Check the file").click()


def test_a_file_is_checked_in_the_background_then_applied_and_a_slow_apply_cancelled(
    live_server, synced, operator, celery_worker, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    without = Location.objects.filter(gone_at__isnull=True).values("tn")
    tns = list(
        DID.objects.filter(gone_at__isnull=True)
        .exclude(tn__in=without)
        .order_by("tn")
        .values_list("tn", flat=True)[:6]
    )
    sign_in(page, live_server.url, operator)

    _upload(page, expect, tns[:2], "350 S 200 E")
    # The page answers at once; the worker's verdicts arrive by themselves.
    apply_button = page.get_by_test_id("e911-bulk-apply")
    expect(apply_button).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("e911-bulk-summary")).to_contain_text("2 ready")
    apply_button.click()
    expect(page.get_by_test_id("e911-bulk-summary")).to_contain_text(
        "2 provisioned", timeout=30_000
    )
    expect(page.get_by_test_id("e911-bulk-progress")).to_have_attribute("data-status", "finished")

    # VI slow to provision: cancel while it applies; rows done stay done, the rest untouched.
    synced.control.fault("latency", operation="insert911", times=4, seconds=3)
    _upload(page, expect, tns[2:6], "99 W 100 S")
    page.get_by_test_id("e911-bulk-apply").click(timeout=30_000)
    cancel = page.get_by_test_id("e911-bulk-cancel")
    expect(cancel).to_be_visible()
    cancel.click()
    expect(page.get_by_test_id("e911-bulk-progress")).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_text("Cancelled by otto.operator")).to_be_visible()
    expect(page.get_by_test_id("e911-bulk-cancel")).to_have_count(0)
