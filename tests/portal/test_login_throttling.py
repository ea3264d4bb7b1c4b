"""Sign-in throttling (issue 12 item 13, portal/throttling.py, django-axes): repeated wrong
passwords pause sign-in for the account and for the address, with a plain message; the pause
ends by itself or when an Administrator allows sign-in again from the user admin.

The addresses below are strings in a test request (TEST-NET documentation ranges); nothing is
sent anywhere.
"""

import datetime

import pytest
import time_machine
from django.test import Client

from tests.fixtures.browser import sign_in
from tests.fixtures.users import PASSWORD

pytestmark = pytest.mark.django_db
LIMIT = 5  # AXES_FAILURE_LIMIT's default
HOME, ELSEWHERE, PROXY = "192.0.2.10", "198.51.100.20", "203.0.113.1"


def _sign_in(client: Client, username: str, password: str, address: str = HOME):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _signed_in(response) -> bool:
    return response.status_code == 302 and not response["Location"].startswith("/accounts/login/")


def _fail(username: str, times: int, address: str = HOME) -> None:
    client = Client()
    for _ in range(times):
        response = _sign_in(client, username, "not the password", address)
        # The login form again ("please enter a correct…"); the attempt that reaches the
        # limit already answers with the pause.
        assert response.status_code in {200, 429}


def test_wrong_passwords_pause_the_account_with_a_plain_message(viewer, operator):
    _fail(viewer.username, LIMIT - 1)
    assert _signed_in(
        _sign_in(Client(), viewer.username, PASSWORD, ELSEWHERE)
    )  # under the limit: fine
    _fail(viewer.username, LIMIT, ELSEWHERE)  # a success reset the count; now five in a row

    refused = _sign_in(
        Client(), viewer.username, PASSWORD, "198.51.100.99"
    )  # right password, new address
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Too many wrong passwords" in text and "15 minutes" in text and "administrator" in text
    assert viewer.username in text
    # Another account from another address is not affected.
    assert _signed_in(_sign_in(Client(), operator.username, PASSWORD, "198.51.100.77"))


def test_wrong_passwords_from_one_address_pause_that_address(viewer, operator):
    for index in range(LIMIT):
        _fail(f"guess{index}", 1, HOME)  # a different (non-existent) account each time
    assert _sign_in(Client(), operator.username, PASSWORD, HOME).status_code == 429
    assert _signed_in(_sign_in(Client(), operator.username, PASSWORD, ELSEWHERE))


def test_the_pause_ends_by_itself(viewer):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _fail(viewer.username, LIMIT)
        assert _sign_in(Client(), viewer.username, PASSWORD).status_code == 429
        clock.move_to(start + datetime.timedelta(minutes=16))
        assert _signed_in(_sign_in(Client(), viewer.username, PASSWORD))


def test_an_administrator_allows_sign_in_again_from_the_user_admin(viewer, administrator_client):
    _fail(viewer.username, LIMIT)
    assert _sign_in(Client(), viewer.username, PASSWORD, ELSEWHERE).status_code == 429

    response = administrator_client.post(
        "/admin/auth/user/",
        {"action": "allow_sign_in", "_selected_action": [viewer.pk]},
        follow=True,
    )
    assert "Sign-in allowed again for 1 account" in response.content.decode()
    assert _signed_in(_sign_in(Client(), viewer.username, PASSWORD, ELSEWHERE))


def test_the_admin_login_page_is_throttled_too(administrator):
    for _ in range(LIMIT):
        Client().post(
            "/admin/login/",
            {"username": administrator.username, "password": "nope"},
            REMOTE_ADDR=HOME,
        )
    response = Client().post(
        "/admin/login/",
        {"username": administrator.username, "password": PASSWORD},
        REMOTE_ADDR=ELSEWHERE,
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_the_one_paused(settings, viewer, operator):
    settings.PORTAL_PROXY_COUNT = 1
    client = Client()
    for _ in range(LIMIT):
        client.post("/accounts/login/", {"username": f"x{_}", "password": "nope"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{HOME}")  # fmt: skip
    # Another person behind the same proxy is not paused; the guesser's address is.
    ok = Client().post("/accounts/login/", {"username": operator.username, "password": PASSWORD},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE)  # fmt: skip
    assert _signed_in(ok)
    paused = Client().post("/accounts/login/", {"username": viewer.username, "password": PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"spoofed, {HOME}")  # fmt: skip
    assert paused.status_code == 429
    # A forwarded value that is no address falls back to the proxy's: refused politely, no 500.
    odd = Client().post("/accounts/login/", {"username": "y", "password": "nope"},
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")  # fmt: skip
    assert odd.status_code == 200


def test_code_that_signs_in_without_a_request_still_works(viewer):
    """Django's test client `login` calls authenticate() without a request; stock axes refuses."""
    client = Client()
    assert client.login(username=viewer.username, password=PASSWORD)
    assert not Client().login(username=viewer.username, password="nope")


@pytest.mark.parametrize(
    "username", ["\x00admin", "a" * 5000, "<script>alert(1)</script>", "' OR 1=1 --"]
)
def test_hostile_usernames_are_plain_failures(db, username):
    response = _sign_in(Client(), username, "x")
    assert response.status_code in {200, 400}
    assert b"<script>alert(1)</script>" not in response.content


playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_sees_why_sign_in_is_paused(live_server, viewer, browser_page):
    page = browser_page
    expect = playwright_sync.expect
    page.goto(f"{live_server.url}/accounts/login/")
    for attempt in range(1, LIMIT + 1):
        page.fill("#id_username", viewer.username)
        page.fill("#id_password", "not the password")
        page.click("button[type=submit]")
        if attempt < LIMIT:
            expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_test_id("locked-out")).to_contain_text("Too many wrong passwords")
    expect(page.get_by_test_id("locked-out")).to_contain_text("15 minutes")
    # Back to the form, a visible link; even the right password waits out the pause.
    page.get_by_role("link", name="Back to sign in").click()
    page.fill("#id_username", viewer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("locked-out")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_helper_is_unaffected(live_server, viewer, browser_page):
    """The shared `sign_in` of every browser test goes through the throttled login page."""
    sign_in(browser_page, live_server.url, viewer)
