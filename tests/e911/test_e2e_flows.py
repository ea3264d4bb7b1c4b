"""911 in a browser, the way staff reach it: sign in, click through the navigation to a
number without 911, have a wrong address refused in plain words, provision the right one,
and see the compliance page count one fewer number without 911."""

import pytest

from tests.e911.conftest import BAD, GOOD
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words staff must never read on a 911 page: VI's own sentences and internal names.
PROVIDER_WORDS = ["provisioned for URI", "Unable to geocode", "has911", "statusCode"]


def _tn_label(tn: str) -> str:
    return f"({tn[:3]}) {tn[3:6]}-{tn[6:]}"


def _fill_address(panel, tn: str, address: dict) -> None:
    for name in ("address1", "city", "state", "zip_code", "caller_name"):
        panel.locator(f"#id_e911-{tn}-{name}").fill(address[name])


def test_a_number_gets_911_from_the_navigation_and_the_compliance_count_drops(
    live_server, number_without_911, operator, browser_page
):
    page, expect, tn = browser_page, playwright_sync.expect, number_without_911
    navigation = page.get_by_role("navigation", name="Main")

    sign_in(page, live_server.url, operator)
    navigation.get_by_role("link", name="911", exact=True).click()
    missing = page.get_by_test_id("count-missing")
    expect(missing).to_be_visible()
    missing_before = int(missing.inner_text())

    # Numbers -> search the number -> its page.
    navigation.get_by_role("link", name="Numbers", exact=True).click()
    page.get_by_label("Search").fill(tn)
    expect(page.get_by_test_id("result-count")).to_have_text("1 number")
    page.get_by_role("link", name=_tn_label(tn)).click()

    panel = page.get_by_test_id("e911-panel")
    expect(panel.get_by_test_id("e911-none")).to_be_visible()

    # A wrong address: refused in plain words, nothing to provision.
    _fill_address(panel, tn, BAD)
    panel.get_by_role("button", name="Check address").click()
    verdict = panel.get_by_test_id("e911-verdict")
    expect(verdict).to_have_attribute("data-valid", "false")
    expect(verdict).to_contain_text("cannot place 1 Nowhere Rd")
    expect(verdict).to_contain_text("Nothing was sent or provisioned")
    expect(panel.get_by_role("button", name="Provision this address")).to_have_count(0)

    # The right one: validated, then provisioned, said in staff's words.
    _fill_address(panel, tn, GOOD)
    panel.get_by_role("button", name="Check address").click()
    expect(panel.get_by_test_id("e911-verdict")).to_have_attribute("data-valid", "true")
    panel.get_by_role("button", name="Provision this address").click()
    expect(panel.get_by_test_id("e911-status")).to_have_text("PROVISIONED")
    message = panel.get_by_test_id("e911-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text(
        "911 address provisioned. 911 calls from this number reach this address."
    )
    expect(panel.get_by_test_id("e911-status-words")).to_contain_text(
        "911 calls from this number reach this address"
    )
    expect(panel.get_by_test_id("e911-location")).to_contain_text("350 S 200 E")
    for words in PROVIDER_WORDS:
        expect(panel).not_to_contain_text(words)

    navigation.get_by_role("link", name="911", exact=True).click()
    expect(page.get_by_test_id("count-missing")).to_have_text(str(missing_before - 1))


def test_a_hostile_address_is_refused_in_words_and_changes_nothing(
    live_server, number_without_911, operator, browser_page
):
    page, expect, tn = browser_page, playwright_sync.expect, number_without_911
    navigation = page.get_by_role("navigation", name="Main")

    sign_in(page, live_server.url, operator)
    navigation.get_by_role("link", name="Numbers", exact=True).click()
    page.get_by_label("Search").fill(tn)
    page.get_by_role("link", name=_tn_label(tn)).click()
    panel = page.get_by_test_id("e911-panel")

    # HTML and a huge street: the browser stops at the field's length, the server refuses
    # the rest in words next to the fields, and nothing can be provisioned.
    hostile = dict(
        GOOD, address1="<script>document.title='owned'</script>" + "9" * 5000, state="ZZ"
    )
    _fill_address(panel, tn, hostile)
    panel.get_by_role("button", name="Check address").click()
    refused = panel.locator(
        "[data-testid=e911-field-error], [role=alert], [data-testid=e911-verdict][data-valid=false]"
    )
    expect(refused.first).to_be_visible()
    expect(panel.get_by_role("button", name="Provision this address")).to_have_count(0)
    expect(panel.get_by_test_id("e911-none")).to_be_visible()
    assert page.title() != "owned"

    # A NUL: refused before any view runs; the person is told so where they clicked.
    _fill_address(panel, tn, dict(GOOD, city="Salt\x00Lake City"))
    panel.get_by_role("button", name="Check address").click()
    failure = panel.get_by_test_id("request-failure")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("NUL character")
    expect(panel.get_by_test_id("e911-none")).to_be_visible()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["e911:index", "e911:records", "e911:export"])
@pytest.mark.parametrize(
    "q", ["9" * 10_000, "<script>alert(1)</script>", ["435", "215"], "%", "\\"]
)
def test_the_911_searches_take_hostile_values_without_failing(viewer_client, url_name, q):
    from django.urls import reverse

    response = viewer_client.get(reverse(url_name), {"q": q, "city": q})
    assert response.status_code == 200
    if not response.streaming:
        page = response.content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "9" * 101 not in page  # cut to the box's maxlength, as the server agrees
