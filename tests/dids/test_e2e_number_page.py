"""The number page end to end in headless Chromium (issue 11), the way a person uses it:
log in on the login page, then only click what the pages show, starting from the navigation.

(a) a panel save shows the new endpoint group by name and the new caller-ID name at once;
(b) a number released by someone else at VI reads as gone after "Sync now" (a real Celery
    worker runs the sync), offers no edits, and is bought back once VI sells it again;
(c) a DID group created by name, then chosen by name from the list for another number;
(d) an admin edit VI refuses: shown in plain words, nothing saved.
"""

import re

import pytest

from dids.models import DID, DIDGroup
from portal.models import ChangeRecord
from tests.dids.conftest import owned_number, run_dids_sync
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_SANDBOX_DAY = 24 * 3600 + 60


def _nav(page, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()


def open_number(page, tn: str, *, gone: bool = False) -> None:
    """Numbers (navigation) → search the digits → click the number."""
    _nav(page, "Numbers")
    expect(page.get_by_role("heading", name="Numbers")).to_be_visible()
    if gone:
        page.select_option("#id_show", "gone")
    page.fill("#id_q", tn)
    row = page.locator(f"#did-results tr[data-tn='{tn}']")
    expect(page.locator("#did-results tr[data-tn]")).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(page.get_by_test_id("did-title")).to_be_visible()


def test_a_panel_save_shows_the_new_group_by_name_at_once(
    live_server, sandbox, operator, browser_page
):
    assert run_dids_sync().status == "succeeded"
    tn = owned_number(sandbox, endpoint_group=8674, cnam_storage=True)["tn"]
    page = browser_page
    sign_in(page, live_server.url, operator)

    open_number(page, tn)
    status, endpoint = (
        page.get_by_test_id("summary-status"),
        page.get_by_test_id("summary-endpoint-group"),
    )
    expect(endpoint).to_have_text("Trunk 1 (8674)")
    expect(status).to_contain_text("calls go to Trunk 1 (8674)")

    configure = page.locator("#panel-configure")
    expect(configure.get_by_test_id("panel-value")).to_have_text(
        "Routes to Trunk 1 (8674) · inbound CNAM dip off"
    )
    configure.get_by_text("Change").click()  # sections show their value; the form opens on demand
    configure.get_by_label("Endpoint group").select_option(label="Trunk 2 (8675)")
    configure.get_by_role("button", name="Save").click()
    expect(configure.get_by_test_id("saved")).to_be_visible()
    expect(endpoint).to_have_text("Trunk 2 (8675)")
    expect(status).to_contain_text("calls go to Trunk 2 (8675)")

    expect(configure.get_by_test_id("panel-value")).to_have_text(
        "Routes to Trunk 2 (8675) · inbound CNAM dip off"
    )
    names = page.locator("#panel-cnam_name")
    names.get_by_text("Change").click()
    expect(names.get_by_test_id("cnam-hint")).to_have_text("1 to 15 letters, digits or spaces.")
    names.get_by_label("Caller-ID name").fill("E2E Sales")
    names.get_by_role("button", name="Save name").click()
    expect(names.get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("summary-cnam-name")).to_have_text("E2E Sales")
    expect(endpoint).to_have_text("Trunk 2 (8675)")
    expect(page.get_by_test_id("did-history")).to_contain_text(
        "Endpoint group changed from Trunk 1 (8674) to Trunk 2 (8675)"
    )

    assert sandbox.control.state(f"number/{tn}")["endpoint_group"] == 8675
    assert sandbox.control.state(f"number/{tn}")["cnam_name"] == "E2E Sales"


def test_a_number_released_elsewhere_reads_as_gone_and_is_bought_back(
    live_server, sandbox, administrator, celery_worker, browser_page
):
    assert run_dids_sync().status == "succeeded"
    tn = owned_number(sandbox, endpoint_group=8675)["tn"]
    sandbox.control.other("release", tn=tn)  # a colleague released it in VI's Back Office
    page = browser_page
    sign_in(page, live_server.url, administrator)

    # Sync → Sync now: the worker runs the numbers sync; the panel shows it finish.
    _nav(page, "Sync")
    panel = page.get_by_test_id("sync-panel-dids")
    panel.get_by_role("button", name="Sync now").click()
    mine = panel.locator("tbody tr", has_text=f"by {administrator.username}")
    expect(mine).to_contain_text("Succeeded", timeout=60_000)

    # The number reads as gone: when, how, no edits anywhere.
    open_number(page, tn, gone=True)
    banner = page.get_by_test_id("gone-banner")
    expect(banner).to_be_visible()
    gone_at = DID.objects.get(tn=tn).gone_at
    expect(banner.get_by_test_id("gone-when")).to_contain_text(
        "VI no longer listed it on the account at a sync"
    )
    expect(banner.get_by_test_id("gone-when")).to_contain_text(
        re.compile(r"Gone since \d{4}-\d\d-\d\d \d\d:\d\d")
    )
    assert gone_at is not None
    expect(page.get_by_test_id("summary-status")).to_have_text("Not on the account any more")
    expect(page.locator(".did-panel")).to_have_count(0)
    expect(page.get_by_test_id("other-app-panels")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_text("currently assigned to you")).to_have_count(0)
    # VI keeps a released number back for a day: nothing to buy yet.
    expect(banner.get_by_test_id("buy-back-unavailable")).to_be_visible()
    expect(page.get_by_role("button", name="Buy it back")).to_have_count(0)

    # A day later VI sells it again: the page offers it, and buying works.
    sandbox.control.advance(ONE_SANDBOX_DAY)
    open_number(page, tn, gone=True)
    offer = page.get_by_test_id("buy-back-form")
    expect(offer).to_be_visible()
    offer.get_by_label("Route it to").select_option(label="Trunk 1 (8674)")
    offer.get_by_role("button", name="Buy it back").click()

    expect(page.get_by_test_id("gone-banner")).to_have_count(0)
    expect(page.get_by_test_id("summary-status")).to_contain_text("calls go to Trunk 1 (8674)")
    expect(page.locator("#panel-configure")).to_be_visible()
    expect(page.get_by_test_id("did-history")).to_contain_text("Returned")
    assert sandbox.control.state(f"number/{tn}")["holder"] == "ours"
    assert DID.objects.get(tn=tn).gone_at is None


def test_a_did_group_is_created_by_name_and_chosen_from_the_list(
    live_server, sandbox, operator, browser_page
):
    assert run_dids_sync().status == "succeeded"
    first, second = [
        n["tn"] for n in sandbox.control.state("numbers/owned") if n["did_group_id"] is None
    ][:2]
    page = browser_page
    sign_in(page, live_server.url, operator)

    # A name typed while a group is picked is not silently dropped.
    open_number(page, first)
    groups = page.locator("#panel-did_group")
    groups.get_by_text("Change").click()
    sales = DIDGroup.objects.get(name="Sales")
    groups.get_by_label("DID group").select_option(label=f"Sales ({sales.vi_id})")
    groups.get_by_label("New group's name").fill("Night shift")
    groups.get_by_role("button", name="Set DID group").click()
    expect(groups).to_contain_text("To create a group, pick “A new group” in the list")
    expect(groups.get_by_test_id("saved")).to_have_count(0)
    assert not DIDGroup.objects.filter(name="Night shift").exists()

    # "A new group, named below…" + the name: created at VI and set.
    groups.get_by_label("DID group").select_option(label="A new group, named below…")
    groups.get_by_label("New group's name").fill("Night shift")
    groups.get_by_role("button", name="Set DID group").click()
    expect(groups.get_by_test_id("saved")).to_be_visible()
    created = DIDGroup.objects.get(name="Night shift")
    expect(page.get_by_test_id("summary-did-group")).to_have_text(f"Night shift ({created.vi_id})")

    # Another number: the new group is in the list by name.
    open_number(page, second)
    groups = page.locator("#panel-did_group")
    groups.get_by_text("Change").click()
    groups.get_by_label("DID group").select_option(label=f"Night shift ({created.vi_id})")
    groups.get_by_role("button", name="Set DID group").click()
    expect(groups.get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("summary-did-group")).to_have_text(f"Night shift ({created.vi_id})")

    assert sandbox.control.state(f"number/{first}")["did_group_id"] == created.vi_id
    assert sandbox.control.state(f"number/{second}")["did_group_id"] == created.vi_id
    assert [g["name"] for g in sandbox.control.state("did_groups")].count("Night shift") == 1


def test_an_admin_edit_vi_refuses_is_shown_plainly_and_saves_nothing(
    live_server, sandbox, administrator, browser_page
):
    assert run_dids_sync().status == "succeeded"
    tn = owned_number(sandbox, endpoint_group=8674)["tn"]
    history_before = ChangeRecord.objects.filter(model="dids.did", object_key=tn).count()
    page = browser_page
    sign_in(page, live_server.url, administrator)

    _nav(page, "Admin")
    page.get_by_role("link", name="DIDs", exact=True).click()
    page.get_by_role("textbox").first.fill(tn)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=tn, exact=True).click()

    endpoint = page.get_by_label("Endpoint group")
    expect(endpoint.locator("option:checked")).to_have_text("Trunk 1 (8674)")
    endpoint.select_option(label="Old PBX (inactive) (8676) — inactive at VI")
    page.get_by_role("button", name="Save", exact=True).click()

    error = page.locator(".errorlist").first
    expect(error).to_be_visible()
    expect(error).to_contain_text("VI refused this change, so it was not saved")
    expect(error).to_contain_text("(VI code 105258)")
    row = DID.objects.get(tn=tn)
    assert row.endpoint_id == 8674
    assert ChangeRecord.objects.filter(model="dids.did", object_key=tn).count() == history_before
    assert sandbox.control.state(f"number/{tn}")["endpoint_group"] == 8674
