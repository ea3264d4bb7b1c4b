"""End to end in headless Chromium, on a real Celery worker: a pasted list of several chunks'
worth of numbers is checked in the background with a progress bar, and the person cancels it
from its page; what was checked stays, the rest reads "not checked (cancelled)", and VI is
asked nothing more. Reached by clicking from the navigation, as a person would."""

import re
import time

import pytest

from portal.models import ProviderCall
from porting import services
from porting.models import PortabilityJob, PortabilityRow
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBERS = 350  # four chunks of at most CHUNK_NUMBERS


def _settled(job: PortabilityJob) -> None:
    """Wait for the chunk that was asking VI when the cancel came to write its answers."""
    for _ in range(100):
        if not job.rows.filter(claim__isnull=False).exists():
            return
        time.sleep(0.1)
    raise AssertionError("a chunk kept its claim on rows after the cancel")


def test_a_long_check_runs_in_chunks_and_is_cancelled_from_its_page(
    live_server, sandbox, operator, celery_worker, browser_page
):
    assert NUMBERS > 3 * services.CHUNK_NUMBERS
    # VI answers each isPortable in a tenth of a second: the check lasts long enough to watch.
    sandbox.control.fault("latency", operation="isPortable", times=NUMBERS, seconds=0.1)
    page, expect = browser_page, playwright_sync.expect
    sign_in(page, live_server.url, operator)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Porting").click()
    page.get_by_role("link", name="Check portability").click()
    page.fill("#id_numbers", "\n".join(f"303234{index:04d}" for index in range(NUMBERS)))
    page.get_by_role("button", name="Check portability").click()

    # The bar moves number by number, and past the first chunk: the worker took the next one.
    progress = page.get_by_test_id("check-progress")
    expect(progress).to_have_attribute("data-status", "running", timeout=30_000)
    bar = progress.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuemax", str(NUMBERS))
    expect(bar).to_have_attribute(
        "aria-valuenow", re.compile(r"^(1[1-9]\d|[2-9]\d\d)$"), timeout=60_000
    )

    expect(progress).to_have_count(1)  # each poll replaced the block, none nested inside it

    # Cancel, then confirm in plain words.
    cancel = page.get_by_test_id("check-cancel")
    cancel.get_by_text("Cancel this check").click()
    expect(cancel).to_contain_text("Stop checking? The numbers already checked keep their answer")
    cancel.get_by_role("button", name="Stop checking").click()

    summary = page.get_by_test_id("check-summary")
    expect(summary).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("check-cancelled")).to_contain_text("Cancelled by otto.operator")
    expect(page.get_by_test_id("check-progress")).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("check-cancel")).to_have_count(0)
    rows = page.get_by_test_id("check-rows")
    expect(rows.locator("tr[data-verdict='cancelled']").first).to_contain_text(
        "Not checked (cancelled)"
    )
    expect(rows.locator("tr[data-verdict='portable']").first).to_be_visible()

    job = PortabilityJob.objects.get()
    _settled(job)
    job.refresh_from_db()
    checked = job.rows.filter(verdict=PortabilityRow.Verdict.PORTABLE).count()
    cancelled = job.rows.filter(verdict=PortabilityRow.Verdict.CANCELLED).count()
    assert job.status == PortabilityJob.Status.CANCELLED and job.progress_done == checked
    assert services.CHUNK_NUMBERS < checked < NUMBERS and checked + cancelled == NUMBERS
    # Every number asked once at most, and nothing asked after the cancel.
    asked = ProviderCall.objects.filter(operation="isPortable")
    assert asked.count() == checked
    time.sleep(1.5)
    assert asked.count() == checked
    page.reload()
    expect(summary).to_contain_text(f"{checked} portable")
    expect(summary).to_contain_text(f"{cancelled} not checked (cancelled)")
