"""The number page as a console page: a summary header (the number, its client and endpoint
group, badges for 911 / SMS / campaign / caller ID / port), sections that show their value and
open their form on demand, history in words; at 1440 and 390 px, reached from the navigation."""

import pytest

from dids.models import DID
from messaging.models import SMSNumber
from tests.fixtures.browser import sign_in
from tests.portal.test_console_dashboard import mirrored  # noqa: F401  (fixture)
from tests.portal.test_console_pages import open_from_navigation

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.django_db(transaction=True)


def _number_with_sms(*, has911: bool) -> DID:
    enabled = (
        SMSNumber.objects.filter(enabled=True, gone_at__isnull=True)
        .exclude(campaign_id="")
        .values("tn")
    )
    return (
        DID.objects.filter(
            gone_at__isnull=True, has911=has911, tn__in=enabled, endpoint_id__isnull=False
        )
        .order_by("tn")
        .first()
    )


def test_the_header_names_the_client_and_group_and_shows_the_badges(mirrored, viewer_client):  # noqa: F811
    from django.urls import reverse

    did = _number_with_sms(has911=True) or DID.objects.filter(gone_at__isnull=True).first()
    html = viewer_client.get(reverse("dids:detail", args=[did.tn])).content.decode()
    assert 'data-testid="number-header"' in html
    for key in ("e911", "sms", "cnam"):
        assert f'data-testid="badge-{key}"' in html, key
    # Sections show values; no form is open until someone asks.
    assert html.count('class="panel-edit" open') == 0 and html.count('class="panel-edit"') >= 9
    assert "Routes to " in html


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
def test_change_a_section_and_read_the_history_in_words(
    width, live_server, mirrored, operator, browser_page
):  # noqa: F811
    from playwright.sync_api import expect

    did = DID.objects.filter(gone_at__isnull=True, forward="").order_by("tn").first()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, operator)
    open_from_navigation(page, "Numbers", width)
    if width < 768:
        page.get_by_role("button", name="Filters").click()
    page.fill("#id_q", did.tn)
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    page.locator(f"#did-results tr[data-tn='{did.tn}'] a").first.click()

    expect(page.get_by_test_id("did-title")).to_be_visible()
    expect(page.get_by_test_id("number-badges")).to_be_visible()
    forward = page.locator("#panel-forward")
    expect(forward.get_by_test_id("panel-value")).to_have_text("Not forwarded")
    expect(forward.get_by_label("Forward to")).to_be_hidden()
    forward.get_by_text("Change").click()
    forward.get_by_label("Forward to").fill("2125550199")
    forward.get_by_role("button", name="Set forward").click()
    expect(forward.get_by_test_id("saved")).to_be_visible()
    expect(forward.get_by_test_id("panel-value")).to_have_text("Forwarded to (212) 555-0199")
    expect(forward.get_by_label("Forward to")).to_be_hidden()
    expect(page.get_by_test_id("did-history")).to_contain_text("Forward to set to")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db
def test_each_section_says_its_value_in_words():
    from dids.number_summary import panel_value

    did = DID(
        tn="2065550100",
        endpoint_id=None,
        cnam=True,
        cnam_name="",
        forward="2125550199",
        failover="",
        did_group_id=None,
        conference_line=True,
        fax_to_email="<b>fax@example.com</b>",
        fax_failure_notifications=False,
        email_to_fax=["a@example.com", "b@example.com"],
        script_id="",
    )
    assert panel_value(name="configure", did=did) == "Routes to — · inbound CNAM dip on"
    assert panel_value(name="cnam_name", did=did) == "No name set"
    assert panel_value(name="forward", did=did) == "Forwarded to (212) 555-0199"
    assert panel_value(name="failover", did=did) == "No failover"
    assert panel_value(name="did_group", did=did) == "In no DID group"
    assert panel_value(name="conference", did=did) == "On (PIN set)"
    assert (
        panel_value(name="fax_to_email", did=did) == "Faxes go to <b>fax@example.com</b>"
    )  # escaped by the template
    assert panel_value(name="fax_notifications", did=did) == "Off"
    assert panel_value(name="email_to_fax", did=did) == "a@example.com, b@example.com"
    assert panel_value(name="program", did=did) == "Not programmed"
    assert panel_value(name="no such panel", did=did) == ""
