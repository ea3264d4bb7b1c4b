"""Webhooks end to end in headless Chromium: an Administrator goes bell → Notifications →
Webhooks, is refused a private address in words, adds a receiver, copies the secret shown once,
and reads the delivery log (code and time) of an event the receiver verified."""

import pytest

from portal.events import dispatch, webhooks, writers
from portal.events.models import WebhookDelivery
from portal.events.publish import publish
from tests.events.test_webhooks import Receiver
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_a_webhook_and_reads_its_delivery_log(
    live_server, administrator, browser_page, settings
):
    receiver = Receiver()
    try:
        page = browser_page
        sign_in(page, live_server.url, administrator)
        page.get_by_test_id("bell").click()
        page.get_by_role("link", name="Webhooks").click()

        settings.WEBHOOKS_ALLOW_PRIVATE = False
        page.get_by_label("Name").fill("Billing")
        page.get_by_label("Address (http or https)").fill(receiver.url)
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_test_id("webhook-error")).to_contain_text("private or loopback")

        settings.WEBHOOKS_ALLOW_PRIVATE = True
        page.get_by_label("Name").fill("Billing")
        page.get_by_label("Port completed").check()
        page.get_by_role("button", name="Add webhook").click()
        secret = page.get_by_test_id("webhook-secret").inner_text()
        assert secret.startswith("whsec_")
        receiver.secret = secret

        event = publish(
            writers.port_completed(key="78", source="vi", after={"status": "COMPLETED"}, actor=None)
        )
        dispatch.dispatch_pending()
        webhooks.delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)
        assert [(body["id"], verified) for body, verified in receiver.requests] == [
            (event.pk, True)
        ]

        page.get_by_role("link", name="Its deliveries").click()
        log = page.get_by_test_id("deliveries")
        expect(log).to_contain_text(f"{event.pk} · Port completed 78")
        expect(log).to_contain_text("Delivered")
        expect(log).to_contain_text("200")
        expect(page.get_by_text(secret)).to_have_count(0)  # shown once, never again
        log.get_by_role("button", name="Send again").click()
        expect(page.get_by_text(f"Event {event.pk} will be sent again.")).to_be_visible()
    finally:
        receiver.close()
