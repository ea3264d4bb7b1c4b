"""Portability in a browser, reached from the navigation: three pasted numbers become a
background job on a real worker whose result says each number's fate in plain words; a
paste with nothing valid is refused in words, and reloading the address the refusal left
behind lands on the form again."""

import pytest

from tests.fixtures.browser import sign_in

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_the_check_form(page, live_server, user):
    sign_in(page, live_server.url, user)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Porting", exact=True
    ).click()
    page.get_by_role("link", name="Check portability").click()
    playwright_sync.expect(page.get_by_role("button", name="Check portability")).to_be_visible()


def test_three_numbers_are_checked_in_the_background_and_answered_in_words(
    live_server, sandbox, operator, celery_worker, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    _open_the_check_form(page, live_server, operator)

    page.get_by_label("Numbers").fill("(303) 234-0100\n303.239.0100, +1 212 234 0199")
    page.get_by_role("button", name="Check portability").click()

    summary = page.get_by_test_id("check-summary")
    expect(summary).to_have_attribute("data-status", "finished", timeout=30_000)
    expect(summary).to_contain_text("2 portable · 1 not portable")
    rows = page.get_by_test_id("check-rows")
    for tn, verdict, words in [
        ("3032340100", "Portable", "Portable to VI."),
        ("3032390100", "Not portable", "Not portable to VI."),
        ("2122340199", "Portable", "Portable to VI."),
    ]:
        row = rows.locator(f"tr[data-tn='{tn}']")
        expect(row).to_be_visible()
        expect(row).to_contain_text(verdict)
        words_cell = row.get_by_test_id("check-row-words")
        expect(words_cell).to_have_text(words)  # no "(100)": VI's success code beside a "no"
    expect(rows).not_to_contain_text("(100)")
    expect(rows).not_to_contain_text("code 100")


def test_a_paste_with_nothing_valid_is_refused_and_a_reload_lands_on_the_form(
    live_server, sandbox, operator, browser_page
):
    page, expect = browser_page, playwright_sync.expect
    _open_the_check_form(page, live_server, operator)

    page.get_by_label("Numbers").fill("<script>document.title='owned'</script>\n" + "12" * 3000)
    page.get_by_role("button", name="Check portability").click()
    errors = page.get_by_test_id("check-errors")
    expect(errors).to_be_visible()
    assert page.url.endswith("/porting/check/submit/")  # the POST-only address is in the bar
    assert page.title() != "owned"

    # The person presses Enter in the address bar (a GET of the same address): the form,
    # not a blank "405".
    response = page.goto(page.url)
    assert response is not None and response.status == 200
    assert page.url.endswith("/porting/check/")
    expect(page.get_by_role("button", name="Check portability")).to_be_visible()
    expect(page.get_by_text("That address only answers a submitted form")).to_be_visible()


@pytest.mark.django_db
def test_the_port_history_panel_says_vi_is_down_in_the_shared_words(sandbox, viewer_client):
    from django.urls import reverse

    sandbox.control.fault("http500", operation="GetPortHistory", times=3)
    page = viewer_client.get(
        reverse("porting:number_history", kwargs={"tn": "3032340100"}), {"refresh": "1"}
    )
    text = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert "VI could not be reached" in text and "Nothing was changed." in text
