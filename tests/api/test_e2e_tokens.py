"""In a real browser: a person opens API tokens from the top bar, creates a token (shown once),
reads the API reference (Swagger UI from our static files, nothing the CSP refuses), the token
opens the API over HTTP, and once revoked it opens nothing."""

import json
import urllib.error
import urllib.request

import pytest

from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _api_status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_read_the_docs_and_revoke_a_token(live_server, operator, browser_page, roles):
    page = browser_page
    expect = playwright_sync.expect
    console = []
    page.on("console", lambda message: console.append(message.text))

    sign_in(page, live_server.url, operator)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    page.get_by_label("Name").fill("Billing sync")
    page.get_by_role("button", name="Create token").click()
    shown = page.get_by_test_id("token-value")
    expect(shown).to_be_visible()
    expect(page.get_by_test_id("new-token")).to_contain_text("shown only this once")
    token = shown.inner_text().strip()
    assert token.startswith("vip_")
    assert _api_status(f"{live_server.url}/api/v1/numbers/", token) == 200

    # Back to the list from the top bar: the token itself is not shown again.
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_test_id("token-table")).to_contain_text("Billing sync")
    expect(page.get_by_test_id("token-value")).to_have_count(0)
    page.get_by_role("button", name="Revoke Billing sync").click()
    expect(page.get_by_text("revoked: it no longer opens the API")).to_be_visible()
    assert _api_status(f"{live_server.url}/api/v1/numbers/", token) == 401

    # The reference: Swagger UI renders the schema, its files from our static, no CSP refusal.
    page.get_by_role("link", name="JSON API").click()
    expect(page.locator(".swagger-ui .title")).to_contain_text(
        "VI Back Office Portal API", timeout=15000
    )
    expect(page.get_by_text("/api/v1/orders/", exact=True).first).to_be_visible()
    refused = [
        text for text in console if "Content Security Policy" in text or "Refused to" in text
    ]
    assert refused == []
