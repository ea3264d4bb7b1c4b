"""Failures a person must see, in a browser, where they acted: an htmx request that answers
an error, never answers, or answers too late; a search too long to send; the address a
refused form leaves in the address bar. Each one used to end in silence, a stale count or a
blank page."""

import re

import pytest
from django.urls import reverse

from dids.models import DID
from portal.models import SyncRun
from portal.sync import sync_execute
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def numbers_synced(sandbox, db) -> list[str]:
    """The numbers mirror as the scheduled sync leaves it; the owned numbers, sorted."""
    for kind in ("dids", "e911"):
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return list(
        DID.objects.filter(gone_at__isnull=True).order_by("tn").values_list("tn", flat=True)
    )


def _tn_label(tn: str) -> str:
    return f"({tn[:3]}) {tn[3:6]}-{tn[6:]}"


def _numbers_page(page, live_server, user):
    sign_in(page, live_server.url, user)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Numbers", exact=True
    ).click()
    playwright_sync.expect(page.get_by_test_id("result-count")).to_be_visible()


def _number_page(page, live_server, user, tn):
    _numbers_page(page, live_server, user)
    page.get_by_label("Search").fill(tn)
    playwright_sync.expect(page.get_by_test_id("result-count")).to_have_text("1 number")
    page.get_by_role("link", name=_tn_label(tn)).click()
    playwright_sync.expect(page.get_by_test_id("e911-panel")).to_be_visible()


# ---- a search too long to send -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_ten_thousand_character_search_says_so_and_shows_a_true_count(
    live_server, numbers_synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    _numbers_page(page, live_server, operator)
    count = page.get_by_test_id("result-count")
    expect(count).not_to_have_text("0 numbers")

    page.get_by_label("Search").fill("9" * 10_000)
    limit = page.get_by_test_id("search-limit")
    expect(limit).to_be_visible()
    expect(limit).to_contain_text("Searches stop at 100 characters")
    # The list answers for what was searched (100 nines: nothing), not the old count.
    expect(count).to_have_text("0 numbers")
    assert len(page.get_by_label("Search").input_value()) == 100


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_search_the_server_refuses_as_too_long_is_said_and_the_old_list_marked_stale(
    live_server, numbers_synced, operator, browser_page
):
    """A proxy in front of the portal (or the portal) answering 414 to the live search."""
    page, expect = browser_page, playwright_sync.expect
    _numbers_page(page, live_server, operator)
    page.route("**/numbers/?*", lambda route: route.fulfill(status=414, body="URI Too Long"))

    page.get_by_label("Search").fill("435")
    failure = page.get_by_test_id("request-failure")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("The search is too long")
    expect(page.locator("#did-results")).to_have_attribute("data-stale", "true")

    page.unroute("**/numbers/?*")
    page.get_by_label("Search").fill("43")
    expect(failure).to_have_count(0)
    expect(page.locator("#did-results")).not_to_have_attribute("data-stale", "true")


# ---- htmx actions that fail ----------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_server_error_on_an_htmx_action_is_shown_next_to_it(
    live_server, numbers_synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    tn = numbers_synced[0]
    _number_page(page, live_server, operator, tn)
    panel = page.get_by_test_id("e911-panel")

    page.route(
        "**/e911/numbers/*/?fetch=location",
        lambda route: route.fulfill(status=500, body="<h1>Server Error</h1>"),
    )
    panel.get_by_role("link", name="refresh from VI").click()
    failure = panel.get_by_test_id("request-failure")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("The portal hit an error and did not finish (HTTP 500)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_vi_failing_with_http_500_is_said_in_the_panel(
    live_server, sandbox, numbers_synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    tn = numbers_synced[0]
    _number_page(page, live_server, operator, tn)
    panel = page.get_by_test_id("e911-panel")

    sandbox.control.fault("http500", times=5)

    panel.get_by_role("link", name="refresh from VI").click()
    alert = page.get_by_test_id("e911-panel").get_by_role("alert")
    expect(alert.first).to_be_visible()
    expect(alert.first).to_contain_text("VI could not be reached")
    expect(alert.first).to_contain_text("Nothing was changed")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_answer_at_all_is_shown_where_the_person_clicked(
    live_server, numbers_synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    tn = numbers_synced[0]
    _number_page(page, live_server, operator, tn)
    panel = page.get_by_test_id("e911-panel")

    page.route("**/e911/numbers/*/check/", lambda route: route.abort("connectionrefused"))
    street = panel.locator(f"#id_e911-{tn}-address1")
    if not street.is_visible():  # a number with 911 keeps its address form folded
        panel.get_by_test_id("e911-edit").locator("summary").click()
    street.fill("350 S 200 E")
    panel.get_by_role("button", name="Check address").click()
    failure = panel.get_by_test_id("request-failure")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("The portal is not answering")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_answer_that_comes_too_late_is_said_to_have_timed_out(
    live_server, sandbox, numbers_synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    tn = numbers_synced[0]
    _number_page(page, live_server, operator, tn)
    panel = page.get_by_test_id("e911-panel")
    # The layout gives htmx 90 s; a test cannot wait that long, so it shortens the wait and
    # makes VI slower than it.
    page.evaluate("htmx.config.timeout = 1000")
    sandbox.control.fault(
        "latency", seconds=4, times=20
    )  # whatever else the page asks VI meanwhile

    panel.get_by_role("link", name="refresh from VI").click()
    failure = panel.get_by_test_id("request-failure")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("took too long")


# ---- addresses only a form can open --------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reloading_the_address_a_refused_upload_left_lands_on_the_upload_form(
    live_server, sandbox, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    sign_in(page, live_server.url, operator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="911", exact=True).click()
    page.get_by_role("link", name="Bulk upload").click()
    form = page.get_by_test_id("e911-bulk-form")
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "addresses.csv",
                "mimeType": "text/csv",
                "buffer": b"<b>not,a</b>\n=cmd|' /C calc'!A0\n",
            }
        ]
    )
    form.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(r"/e911/bulk/upload/$"))  # the POST-only address
    expect(page.get_by_test_id("e911-bulk-form")).to_contain_text("column")  # refused, in words

    # Enter in the address bar: a GET of the POST-only address.
    response = page.goto(page.url)
    assert response is not None and response.status == 200
    assert page.url.endswith("/e911/bulk/")
    expect(page.get_by_test_id("e911-bulk-form")).to_be_visible()


# ---- without a browser: the rules under the pages ----------------------------------------------


@pytest.mark.django_db
def test_a_method_not_allowed_is_a_readable_page(viewer_client):
    response = viewer_client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert "This address is not a page" in page and 'href="/"' in page


@pytest.mark.django_db
def test_an_htmx_405_stays_bare_for_the_page_script(viewer_client):
    response = viewer_client.get("/accounts/logout/", headers={"HX-Request": "true"})
    assert response.status_code == 405 and response.content == b""


@pytest.mark.django_db
def test_a_write_address_opened_by_a_holder_leads_back_to_its_page(operator_client):
    tn = "4352154006"
    response = operator_client.get(reverse("e911:check", kwargs={"tn": tn}))
    assert response.status_code == 302 and response["Location"] == reverse(
        "dids:detail", kwargs={"tn": tn}
    )
    response = operator_client.get(reverse("porting:check_submit"))
    assert response.status_code == 302 and response["Location"] == reverse("porting:check")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referrer, expected",
    [
        ("http://testserver/numbers/?q=435", "/numbers/?q=435"),  # same site: back there
        ("https://evil.example/phish", "/messaging/"),  # another site: never followed
        ("javascript:alert(1)", "/messaging/"),
        ("http://testserver/messaging/bulk/destination/", "/messaging/"),  # itself: not a page
        ("\x00", "/messaging/"),
        (
            "http://testserver//evil.example/phish",
            "/messaging/",
        ),  # a path a browser reads as a site
        ("http://testserver/\\evil.example/phish", "/messaging/"),
    ],
)
def test_without_a_declared_page_the_referrer_is_used_only_when_it_is_this_site(
    operator_client, referrer, expected
):
    response = operator_client.get("/messaging/bulk/destination/", headers={"Referer": referrer})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"] == expected


@pytest.mark.django_db
def test_a_viewer_still_gets_403_on_a_write_address(viewer_client):
    assert viewer_client.get(reverse("porting:check_submit")).status_code == 403


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["abc", "<b>1</b>", "9" * 5000])
def test_a_refused_provider_log_filter_names_the_field_by_its_label(viewer_client, code):
    page = viewer_client.get(reverse("provider_log"), {"response_code": code})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Code: " in text and "response_code:" not in text and "<b>1</b>" not in text


def _write_endpoints():
    from tests.portal.url_walker import all_endpoints

    return [
        endpoint
        for endpoint in all_endpoints()
        if endpoint.write_permission and not endpoint.path.startswith("/admin/")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", _write_endpoints(), ids=str)
def test_every_write_address_opened_by_a_holder_leads_to_a_page_never_a_blank_405(
    administrator_client, endpoint
):
    """Every POST-only address of every app, as a person would reopen it from the address bar."""
    response = administrator_client.get(endpoint.path)
    assert response.status_code == 302, f"GET {endpoint}: {response.status_code}"
    landing = administrator_client.get(response["Location"])
    # The page the form lives on (or a 404 for the walker's made-up ids), never a 405 or a 500.
    assert landing.status_code in (200, 404), (
        f"{endpoint} -> {response['Location']}: {landing.status_code}"
    )
    assert landing.status_code != 200 or b"<html" in landing.content, (
        f"{endpoint} -> {response['Location']} is a fragment"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["4" * 101, "4" * 10_000, "<b>" * 40])
def test_a_search_longer_than_the_box_allows_is_said_not_counted(viewer_client, q):
    """Typed past the page (a bookmark, a script): the list says the search was not run
    instead of showing every number's count as if it were the answer."""
    page = viewer_client.get(
        reverse("dids:list"), {"q": q}, headers={"HX-Request": "true", "HX-Target": "did-results"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Not searched: the search can be at most 100 characters." in text
    assert "<b><b>" not in text
