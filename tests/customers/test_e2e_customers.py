"""Customers in a real headless Chromium, every step reached by clicking from the navigation:
open Customers, open a client, move two of its numbers to another client, and see both
clients' pages change."""

import pytest

from dids.models import Client
from dids.selectors import client_numbers
from tests.dids.conftest import run_dids_sync
from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_move_two_numbers_to_another_client_and_see_both_clients_change(
    live_server, sandbox, operator, browser_page
):
    assert run_dids_sync().status == "succeeded"
    main_count = client_numbers(client=Client.objects.get(vi_id="1")).count()
    branch_count = client_numbers(client=Client.objects.get(vi_id="2")).count()
    page = browser_page
    expect = playwright_sync.expect
    sign_in(page, live_server.url, operator)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    expect(page.locator("tr[data-client]")).to_have_count(4)
    page.get_by_role("link", name="Main Office").click()
    expect(page.get_by_test_id("client-title")).to_have_text("Main Office")
    expect(page.get_by_test_id("client-owned")).to_have_text(str(main_count))

    page.get_by_role("link", name="See its numbers").click()
    rows = page.locator("#did-results tr[data-tn]")
    expect(rows.first).to_be_visible()
    expect(page.locator("#did-results tr[data-tn] [data-testid=client]").first).to_have_text(
        "Main Office"
    )
    picked = [rows.nth(0).get_attribute("data-tn"), rows.nth(1).get_attribute("data-tn")]
    for tn in picked:
        page.locator(f"#did-results tr[data-tn='{tn}'] input[name=tns]").check()
    branch_group = Client.objects.get(vi_id="2").endpoint_group_ids[0]
    page.select_option("#bulk-move-client", str(branch_group))
    page.get_by_role("button", name="Move to client…").click()

    confirm = page.get_by_test_id("move-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("Move 2 numbers from Main Office to Branch Customers")
    confirm.get_by_role("button", name="Move to Branch Customers").click()
    outcomes = page.get_by_test_id("outcomes")
    expect(outcomes).to_be_visible()
    expect(outcomes.locator("[data-ok=yes]")).to_have_count(2)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Main Office").click()
    expect(page.get_by_test_id("client-owned")).to_have_text(str(main_count - 2))
    expect(page.get_by_test_id("client-history")).to_contain_text("Number moved out")
    page.get_by_role("link", name="‹ Customers").click()
    page.get_by_role("link", name="Branch Customers").click()
    expect(page.get_by_test_id("client-title")).to_have_text("Branch Customers")
    expect(page.get_by_test_id("client-owned")).to_have_text(str(branch_count + 2))
    expect(page.get_by_test_id("client-history")).to_contain_text("Number moved in")
    page.get_by_role("link", name="See its numbers").click()
    for tn in picked:
        expect(page.locator(f"#did-results tr[data-tn='{tn}'] [data-testid=client]")).to_have_text(
            "Branch Customers"
        )
