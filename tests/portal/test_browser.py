"""The layout in a real headless Chromium: sign in, live filters, expandable rows, the
confirmation component posting through htmx with the CSRF header, errors shown, sign out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import ProviderCall, Source
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser_page):
    return browser_page


def test_provider_log_live_filter_and_row_details_then_sign_out(live_server, viewer, page):
    expect = playwright_sync.expect
    now = timezone.now()
    ProviderCall.objects.bulk_create(
        [
            ProviderCall(
                operation="assignDID",
                outcome="ok",
                response_code=100,
                source=Source.STAFF,
                created_at=now - timedelta(minutes=1),
                parameters={"tn": "4352154006"},
            ),
            ProviderCall(
                operation="releaseDID",
                outcome="refused",
                response_code=104235,
                source=Source.STAFF,
                created_at=now - timedelta(minutes=2),
                response_message="Number is not yours",
                parameters={"tn": "4352154007"},
            ),
        ]
    )
    sign_in(page, live_server.url, viewer)
    page.goto(f"{live_server.url}/provider-log/")
    expect(page.locator("#results tbody > tr:first-child")).to_have_count(2)

    page.select_option("#id_outcome", "refused")
    expect(page).to_have_url(f"{live_server.url}/provider-log/?outcome=refused")
    expect(page.locator("#results tbody > tr:first-child")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Number is not yours")

    page.click("#results a:has-text('releaseDID')")
    expect(page.locator("[data-call-detail]")).to_contain_text("4352154007")
    page.click("[data-call-detail] >> text=Hide")
    expect(page.locator("[data-call-detail]")).to_have_count(0)

    page.click("text=Sign out")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


@pytest.mark.urls("tests.portal.urls_write_probe")
def test_confirm_component_posts_with_csrf_through_htmx(live_server, administrator, page):
    expect = playwright_sync.expect
    sign_in(page, live_server.url, administrator)
    page.goto(f"{live_server.url}/probe/components/")
    expect(page.locator("[data-vi-code='104235']")).to_contain_text(
        "VI said: Number is not reserved by you (code 104235)"
    )

    page.click("summary:has-text('Release')")
    expect(page.locator("text=Release 4352154006 back to VI?")).to_be_visible()
    page.click("#release-result button[type=submit]")
    # Swapped in place by htmx: the POST passed CSRF via the body's hx-headers.
    expect(page.locator("#release-result")).to_have_text("released 4352154006")
    expect(page).to_have_url(f"{live_server.url}/probe/components/")


@pytest.mark.urls("tests.portal.urls_write_probe")
def test_a_refused_htmx_request_is_reported_not_silent(live_server, operator, page):
    expect = playwright_sync.expect
    sign_in(page, live_server.url, operator)  # an Operator may not release numbers
    page.goto(f"{live_server.url}/probe/components/")
    page.click("summary:has-text('Release')")
    page.click("#release-result button[type=submit]")
    # Said next to the form that was refused (static/portal/portal.js).
    expect(page.locator("#release-result").get_by_test_id("request-failure")).to_contain_text(
        "You do not have permission to do that."
    )
    expect(page.locator("#release-result summary")).to_have_text("Release")  # nothing swapped


def test_an_expired_session_sends_htmx_requests_to_the_login_page(live_server, viewer, page):
    expect = playwright_sync.expect
    sign_in(page, live_server.url, viewer)
    page.goto(f"{live_server.url}/provider-log/")
    page.context.clear_cookies()  # as if the session expired
    page.select_option("#id_outcome", "refused")
    # The whole page moves to the login, never a login form inside the results table.
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/provider-log/")
    expect(page.locator("#results")).to_have_count(0)
