"""End to end in a real headless Chromium: a brand, a campaign approved over sandbox time,
two numbers put on it, and a test message sent from one of them.

Drives Debian's /usr/bin/chromium through Playwright against pytest-django's live server,
which talks to the sandbox over HTTP like production talks to VI. The person logs in on the
login page and reaches every step by clicking what the pages show, from the navigation.
"""

import pytest

from messaging.models import Campaign
from tests.fixtures.browser import sign_in
from tests.messaging.conftest import SANDBOX_DAY, run_sync, sms_enabled, sms_state

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _nav(page, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
    playwright_sync.expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()


def test_brand_campaign_approval_assignment_and_test_message(
    live_server, synced, administrator, browser_page
):
    page, expect, base = browser_page, playwright_sync.expect, live_server.url
    first, second = sms_enabled(synced, on_campaign=False)[:2]

    sign_in(page, base, administrator)

    # A brand, with VI's entity types and verticals in the form.
    _nav(page, "Messaging")
    page.get_by_role("link", name="Brands", exact=True).click()
    page.get_by_role("link", name="New brand").click()
    page.fill("#id_display_name", "E2E Bakery")
    page.select_option("#id_entity_type", "PRIVATE_PROFIT")
    page.fill("#id_company_name", "E2E Bakery LLC")
    page.fill("#id_ein", "12-3456789")
    page.select_option("#id_vertical", "RETAIL")
    page.fill("#id_email", "sms@bakery.example")
    page.fill("#id_phone", "18015550111")
    page.get_by_role("button", name="Create at VI").click()
    expect(page.get_by_test_id("brand-title")).to_have_text("E2E Bakery")
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "PENDING")

    # Vetting takes two sandbox hours; then "Check verification" shows it verified.
    synced.control.advance(3 * 3600)
    page.get_by_role("button", name="Check verification at VI").click()
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "VERIFIED")

    # A campaign with the use cases VI offers this brand.
    page.get_by_role("link", name="New campaign").click()
    page.fill("#id_display_name", "Bakery orders")
    page.select_option("#id_usecase_id", "CUSTOMER_CARE")
    page.fill(
        "#id_description",
        "Order-ready notices and replies for customers who ordered at our counter",
    )
    page.fill(
        "#id_message_flow", "Customers tick 'text me' on the order slip they sign at the counter"
    )
    page.fill("#id_sample_msg1", "Your cake is ready for pickup. Reply STOP to opt out.")
    page.fill("#id_sample_msg2", "E2E Bakery: thanks for your order, see you soon.")
    page.get_by_role("button", name="Send to VI for review").click()
    expect(page.get_by_test_id("campaign-title")).to_have_text("Bakery orders")
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "PENDING")
    campaign_id = page.get_by_test_id("campaign-id").inner_text()

    # A sandbox day of review, then the scheduled sync: approved.
    synced.control.advance(SANDBOX_DAY)
    assert run_sync("messaging").status == "succeeded"
    page.reload()
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "ACTIVE")
    assert Campaign.objects.get(campaign_id=campaign_id).status == "ACTIVE"

    # Put two numbers with SMS on (and no campaign) on it, from the list: Messaging warns
    # that numbers with SMS on are on no campaign, and "Show them" lists them.
    _nav(page, "Messaging")
    warning = page.get_by_test_id("blocked-warning")
    expect(warning).to_be_visible()
    warning.get_by_role("link", name="Show them").click()
    expect(page.locator(f"tr[data-tn='{first}']")).to_be_visible()
    expect(page.locator(f"tr[data-tn='{second}']")).to_be_visible()
    page.check(f"input[name=tns][value='{first}']")
    page.check(f"input[name=tns][value='{second}']")
    page.select_option("#id_campaign-bulk", campaign_id)
    page.get_by_role("button", name="Assign to campaign").click()
    expect(page.locator("[data-testid=outcomes] [data-ok=yes]")).to_have_count(2)
    assert (
        sms_state(synced, first)["campaignId"]
        == sms_state(synced, second)["campaignId"]
        == campaign_id
    )

    # The number page's SMS panel shows the campaign and sends a test message:
    # Numbers → search the digits → click the number.
    _nav(page, "Numbers")
    page.fill("#id_q", first)
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    page.locator(f"#did-results tr[data-tn='{first}']").get_by_role("link").first.click()
    expect(page.get_by_test_id("did-title")).to_be_visible()
    panel = page.get_by_test_id("messaging-panel")
    expect(panel.get_by_test_id("sms-campaign")).to_contain_text(campaign_id)
    panel.locator("#id_recipient-sms").fill("801-555-0142")
    panel.locator("#id_message-sms").fill("Portal test")
    panel.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("send-result")).to_have_attribute("data-ok", "yes")
    sent = synced.control.state("messaging/messages")[-1]
    assert (sent["sender"], sent["recipient"], sent["message"]) == (
        f"1{first}",
        "18015550142",
        "Portal test",
    )
