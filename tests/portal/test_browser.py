"""The layout in a real headless Chromium: sign in, live filters, expandable rows, the
confirmation component posting through htmx with the CSRF header, errors shown, sign out.

Every page is reached the way a person reaches it: the login page, then clicks from the
main navigation. The shared components (confirm, VI's refusal, a refused htmx request) are
driven on a real page that uses them: the 911 panel of a number's page.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from dids.models import DID
from e911.models import Location
from portal.models import ProviderCall, Source, SyncRun
from portal.sync import sync_execute
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REMOVE_QUESTION = (
    "Remove this number's 911 location? It will have NO 911 service: "
    "an emergency call will reach no address."
)


@pytest.fixture
def page(browser_page):
    return browser_page


@pytest.fixture
def number_with_911(sandbox) -> str:
    """The mirrors as the scheduled syncs leave them; an owned number with a provisioned 911
    location (so its 911 panel offers "Remove 911…", the shared confirm component)."""
    for kind in ("dids", "e911"):
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return (
        Location.objects.filter(
            gone_at__isnull=True,
            status_code="PROVISIONED",
            tn__in=DID.objects.filter(gone_at__isnull=True).values("tn"),
        )
        .order_by("tn")
        .values_list("tn", flat=True)[0]
    )


def _nav(page, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()


def _provider_log(page) -> None:
    _nav(page, "Provider log")
    playwright_sync.expect(page.locator("#results")).to_be_visible()


def _number_page(page, tn: str) -> None:
    """Numbers (navigation) → search the digits → click the number."""
    expect = playwright_sync.expect
    _nav(page, "Numbers")
    page.get_by_label("Search").fill(tn)
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    page.locator(f"#did-results tr[data-tn='{tn}']").get_by_role("link").first.click()
    expect(page.get_by_test_id("e911-panel")).to_be_visible()


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
    _provider_log(page)
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


def test_confirm_component_posts_with_csrf_through_htmx(
    live_server, sandbox, number_with_911, operator, page
):
    """The confirm component on a real page (the 911 panel's "Remove 911…", an htmx form
    swapping the panel): it asks first, in words; VI's refusal reads "VI said: … (code …)";
    the confirmed htmx POST passes Django's CSRF check and its answer is swapped in place."""
    expect = playwright_sync.expect
    tn = number_with_911
    sign_in(page, live_server.url, operator)
    _number_page(page, tn)
    number_url = page.url
    remove = page.get_by_test_id("e911-remove")

    # VI refuses the first remove911 (the sandbox answers it with VI's code 902).
    sandbox.control.fault("auth", operation="remove911", times=1)
    remove.locator("summary").filter(has_text="Remove 911…").click()
    expect(remove.get_by_text(REMOVE_QUESTION)).to_be_visible()
    remove.get_by_role("button", name="Remove 911", exact=True).click()
    refusal = page.get_by_test_id("e911-panel").locator("[data-vi-code='902']")
    expect(refusal).to_be_in_viewport()
    expect(refusal).to_contain_text(
        "VI said: VI refused the portal's API login — an administrator must check the VI API "
        "user and secret. (code 902)"
    )
    expect(page.get_by_test_id("e911-location")).to_be_visible()  # nothing was removed

    # Asked again and confirmed: VI removes it, and the panel is swapped in place by htmx.
    remove = page.get_by_test_id("e911-remove")
    remove.locator("summary").filter(has_text="Remove 911…").click()
    expect(remove.get_by_text(REMOVE_QUESTION)).to_be_visible()
    remove.get_by_role("button", name="Remove 911", exact=True).click()
    panel = page.get_by_test_id("e911-panel")
    expect(panel.get_by_test_id("e911-message")).to_have_text(
        "911 location removed: this number now has no 911 service."
    )
    expect(panel.get_by_test_id("e911-none")).to_be_in_viewport()
    expect(panel.locator("[data-vi-code]")).to_have_count(0)
    expect(page).to_have_url(number_url)
    assert not Location.objects.filter(tn=tn, gone_at__isnull=True).exists()


def test_a_refused_htmx_request_is_reported_not_silent(
    live_server, sandbox, number_with_911, operator, page
):
    """The page offered "Remove 911…" to an Operator; their role was then taken away (made a
    Viewer) while the page stayed open. The portal answers 403 to the htmx POST."""
    expect = playwright_sync.expect
    sign_in(page, live_server.url, operator)
    _number_page(page, number_with_911)
    remove = page.get_by_test_id("e911-remove")
    remove.locator("summary").filter(has_text="Remove 911…").click()
    expect(remove.get_by_text(REMOVE_QUESTION)).to_be_visible()

    operator.groups.set([Group.objects.get(name="Viewer")])  # Viewers may not change 911
    remove.get_by_role("button", name="Remove 911", exact=True).click()
    # Said next to the form that was refused (static/portal/portal.js).
    failure = remove.get_by_test_id("request-failure")
    expect(failure).to_contain_text("You do not have permission to do that.")
    expect(failure).to_be_in_viewport()
    expect(remove.locator("summary")).to_have_text("Remove 911…")  # nothing swapped
    expect(page.get_by_test_id("e911-location")).to_be_visible()
    assert Location.objects.filter(tn=number_with_911, gone_at__isnull=True).exists()


def test_an_expired_session_sends_htmx_requests_to_the_login_page(live_server, viewer, page):
    expect = playwright_sync.expect
    sign_in(page, live_server.url, viewer)
    _provider_log(page)
    page.context.clear_cookies()  # as if the session expired
    page.select_option("#id_outcome", "refused")
    # The whole page moves to the login, never a login form inside the results table.
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/provider-log/")
    expect(page.locator("#results")).to_have_count(0)
