"""Messaging flows a person clicks through, end to end in headless Chromium.

Each test logs in through the login page and reaches every step from the navigation by
clicking what a person sees: no `page.goto` past the login, no form the page does not offer.
The live server talks to the sandbox over HTTP like production talks to VI.
"""

import pytest

from messaging.models import Brand, Campaign, SMSNumber
from portal.models import ProviderCall
from tests.fixtures.browser import sign_in
from tests.messaging.conftest import campaign_with, owned, sandbox_customers, sms_state

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRAND_VETTING = 3 * 3600  # the sandbox vets a brand in two sandbox hours


def _open_messaging(page, expect):
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Messaging", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Messaging")).to_be_visible()


def _fill_brand(page, *, name: str, phone: str, ein: str):
    page.fill("#id_display_name", name)
    page.select_option("#id_entity_type", "PRIVATE_PROFIT")
    page.fill("#id_company_name", f"{name} LLC")
    page.fill("#id_ein", ein)
    page.select_option("#id_vertical", "RETAIL")
    page.fill("#id_email", "sms@bakery.example")
    page.fill("#id_phone", phone)


def test_brand_then_campaign_through_the_brand_picker(live_server, synced, operator, browser_page):
    page, expect = browser_page, playwright_sync.expect
    sign_in(page, live_server.url, operator)

    # Messaging → Brands → New brand: created at VI, then vetted over sandbox time.
    _open_messaging(page, expect)
    page.get_by_role("link", name="Brands", exact=True).click()
    page.get_by_role("link", name="New brand").click()
    expect(page.get_by_role("option", name="Private for-profit company")).to_be_attached()
    _fill_brand(page, name="Picker Bakery", phone="801-555-0111", ein="12-3456789")
    page.get_by_role("button", name="Create at VI").click()
    expect(page.get_by_test_id("brand-title")).to_have_text("Picker Bakery")
    expect(page.get_by_test_id("entity-type")).to_have_text("Private for-profit company")
    synced.control.advance(BRAND_VETTING)
    page.get_by_role("button", name="Check verification at VI").click()
    expect(page.get_by_test_id("status").first).to_have_text("Verified")
    brand_id = Brand.objects.get(display_name="Picker Bakery").customer_id

    # Campaigns → New campaign → pick the brand → Choose brand: the form for it appears.
    page.get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="New campaign").click()
    expect(page.get_by_test_id("picker-hint")).to_be_visible()
    page.select_option("#id_brand-pick", brand_id)
    page.get_by_role("button", name="Choose brand").click()
    expect(page.locator("#id_brand-pick")).to_have_value(brand_id)
    form = page.get_by_test_id("campaign-form")
    expect(form).to_be_visible()
    expect(form.get_by_role("option", name="Customer care")).to_be_attached()

    form.locator("#id_display_name").fill("Bakery orders")
    form.locator("#id_usecase_id").select_option("CUSTOMER_CARE")
    form.locator("#id_description").fill(
        "Order-ready notices and replies for customers who ordered at our counter"
    )
    form.locator("#id_message_flow").fill(
        "Customers tick 'text me' on the order slip they sign at the counter"
    )
    form.locator("#id_sample_msg1").fill("Your cake is ready for pickup. Reply STOP to opt out.")
    form.locator("#id_sample_msg2").fill("Picker Bakery: thanks for your order, see you soon.")
    form.get_by_role("button", name="Send to VI for review").click()

    expect(page.get_by_test_id("campaign-title")).to_have_text("Bakery orders")
    expect(page.get_by_text("sent to VI for review")).to_be_visible()
    expect(page.get_by_test_id("status").first).to_have_text("In review")
    campaign = Campaign.objects.get(display_name="Bakery orders")
    assert campaign.customer_id == brand_id
    assert any(
        c["CampaignId"] == campaign.campaign_id for c in synced.control.state("messaging/campaigns")
    )


def test_number_without_sms_is_turned_on_given_a_destination_and_a_campaign(
    live_server, synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    tn = next(tn for tn in owned(synced, sms=True) if not sms_state(synced, tn)["enabled"])
    campaign = campaign_with(synced, status="ACTIVE")["CampaignId"]
    sign_in(page, live_server.url, operator)

    # Messaging → the numbers with SMS off, narrowed to this one → its page.
    _open_messaging(page, expect)
    page.select_option("#id_enabled-filter", "off")
    page.fill("#id_q-filter", tn)
    page.get_by_role("button", name="Filter").click()
    page.locator(f"tr[data-tn='{tn}']").get_by_role("link").click()
    panel = page.get_by_test_id("messaging-panel")
    expect(panel.get_by_test_id("sms-state")).to_contain_text("SMS is off")

    panel.get_by_role("button", name="Turn SMS on").click()
    expect(page.get_by_test_id("enable-result")).to_have_attribute("data-ok", "yes")
    expect(page.get_by_test_id("sms-state")).to_contain_text("SMS is on")
    expect(page.get_by_test_id("sms-state")).to_contain_text("SIP (the number's endpoint group)")
    assert sms_state(synced, tn)["enabled"] is True

    panel = page.get_by_test_id("messaging-panel")
    panel.locator("#id_destination_type-sms").select_option("EMAIL")
    panel.locator("#id_destination-sms").fill("texts@bakery.example")
    panel.get_by_role("button", name="Save destination").click()
    expect(page.get_by_test_id("destination-result")).to_have_attribute("data-ok", "yes")
    expect(page.get_by_test_id("sms-state")).to_contain_text("Email — texts@bakery.example")

    panel = page.get_by_test_id("messaging-panel")
    panel.locator("#id_campaign-sms").select_option(campaign)
    panel.get_by_role("button", name="Assign").click()
    expect(page.get_by_test_id("campaign-result")).to_have_attribute("data-ok", "yes")
    expect(page.get_by_test_id("sms-campaign")).to_contain_text(campaign)
    assert sms_state(synced, tn)["campaignId"] == campaign
    assert SMSNumber.objects.get(tn=tn).campaign_id == campaign


def test_number_that_cannot_have_sms_is_told_so_plainly(
    live_server, synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    tn = owned(synced, sms=False)[0]
    sign_in(page, live_server.url, operator)

    _open_messaging(page, expect)
    page.fill("#id_q-filter", tn)
    page.get_by_role("button", name="Filter").click()
    page.locator(f"tr[data-tn='{tn}']").get_by_role("link").click()
    page.get_by_test_id("messaging-panel").get_by_role("button", name="Turn SMS on").click()

    result = page.get_by_test_id("enable-result")
    expect(result).to_have_attribute("data-ok", "no")
    expect(result).to_contain_text("This number cannot have SMS")
    expect(result.get_by_test_id("vi-code")).to_have_text("VI code 954")
    expect(page.get_by_role("button", name="Turn SMS on")).to_have_count(0)
    assert sms_state(synced, tn)["enabled"] is False


def test_brand_with_a_bad_phone_and_ein_is_refused_before_vi_is_called(
    live_server, synced, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    brands_at_vi = len(sandbox_customers(synced))
    sign_in(page, live_server.url, operator)

    _open_messaging(page, expect)
    page.get_by_role("link", name="Brands", exact=True).click()
    page.get_by_role("link", name="New brand").click()
    _fill_brand(page, name="Typo Bakery", phone="abc-not-phone", ein="-12")
    page.get_by_role("button", name="Create at VI").click()

    expect(page.locator("[data-field=phone] .invalid-feedback")).to_contain_text(
        "This is not a phone number"
    )
    expect(page.locator("[data-field=ein] .invalid-feedback")).to_contain_text(
        "A US EIN is 9 digits"
    )
    expect(page.locator("#id_phone")).to_have_value(
        "abc-not-phone"
    )  # what was typed stays, to correct
    assert not ProviderCall.objects.filter(operation="CreateSMSCustomer").exists()
    assert len(sandbox_customers(synced)) == brands_at_vi
    assert not Brand.objects.filter(display_name="Typo Bakery").exists()
