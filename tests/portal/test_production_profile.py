"""The production profile (issue 12 items 14-15, docs/security.md): PORTAL_HTTPS=true turns on
what an HTTPS site needs and `check --deploy` is silent; the built-in key is refused; plain
HTTP on loopback (make run) keeps working; data pages are never cached; sessions end after a
working day idle; the portal's own pages work under the Content Security Policy.
"""

import datetime
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings

from tests.fixtures.browser import sign_in

ROOT = Path(__file__).resolve().parents[2]
LONG_KEY = secrets.token_urlsafe(60)


def _run(code_or_args: list[str], **env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "DJANGO_", "SECURE_"))
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production(**extra) -> dict:
    return {
        "DJANGO_DEBUG": "0", "PORTAL_HTTPS": "true", "DJANGO_SECRET_KEY": LONG_KEY,
        "ALLOWED_HOSTS": "portal.example.com", **extra,
    }  # fmt: skip


def test_check_deploy_is_silent_in_the_https_profile():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_warns_without_the_https_profile():
    """The test above can fail: the same check without PORTAL_HTTPS names what is missing."""
    result = _run(["manage.py", "check", "--deploy"], DJANGO_DEBUG="0", DJANGO_SECRET_KEY=LONG_KEY)
    output = result.stdout + result.stderr
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in output


@pytest.mark.parametrize("key", [None, "insecure-dev-key-change-me-in-production", "short-key"])
def test_the_https_profile_refuses_to_start_with_a_development_key(key):
    env = _production()
    if key is None:
        del env["DJANGO_SECRET_KEY"]
    else:
        env["DJANGO_SECRET_KEY"] = key
    result = _run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "development key" in result.stderr


PROBE = """
import json, django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST=os.environ["PROBE_HOST"])
response = client.get("/accounts/login/", secure=os.environ["PROBE_SECURE"] == "1")
plain = client.get("/accounts/login/", secure=False)
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
}))
"""


def _probe(secure: bool, host: str, **env) -> dict:
    result = _run(["-c", PROBE], PROBE_SECURE="1" if secure else "0", PROBE_HOST=host,
                  DATABASE_URL=os.environ.get("DATABASE_URL", ""), **env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_https_profile_sends_hsts_csp_and_secure_cookies_and_redirects_http():
    seen = _probe(True, "portal.example.com", **_production())
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "'unsafe-eval'" not in policy
        and "frame-ancestors 'none'" in policy
    )
    assert "Content-Security-Policy-Report-Only" not in headers
    assert seen["cookies"]["csrftoken"]["secure"] is True
    assert "no-store" in headers["Cache-Control"]
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith(
        "https://portal.example.com/"
    )


def test_the_https_profile_behind_a_proxy_trusts_its_forwarded_proto():
    assert (
        _probe(False, "portal.example.com", **_production(PORTAL_PROXY_COUNT="1"))["plain_status"]
        == 301
    )
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; django.setup();"
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    )
    result = _run(["-c", code], **_production(PORTAL_PROXY_COUNT="1"))
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout


def test_plain_http_on_loopback_keeps_working_with_the_default_settings():
    """`make run`: no PORTAL_HTTPS, the development key, http://127.0.0.1:8000."""
    seen = _probe(False, "127.0.0.1")
    assert seen["status"] == 200 and seen["plain_status"] == 200
    assert "Strict-Transport-Security" not in seen["headers"]
    assert seen["cookies"]["csrftoken"]["secure"] == ""
    # The policy is reported, not enforced, over plain HTTP (a page under development works).
    assert "Content-Security-Policy-Report-Only" in seen["headers"]


@pytest.mark.django_db
def test_data_pages_are_not_cached_and_static_files_are(viewer_client):
    for path in ("/", "/numbers/", "/numbers/export.csv", "/e911/", "/provider-log/"):
        response = viewer_client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path
    static = viewer_client.get("/static/portal/portal.css")
    assert "no-store" not in static.get("Cache-Control", "")


def test_sessions_expire_after_a_working_day_idle_by_default():
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert "portal.sessions.IdleSessionMiddleware" in django_settings.MIDDLEWARE


@pytest.mark.django_db
def test_pages_right_after_sign_in_write_no_session(viewer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer_client.get("/")
    with CaptureQueriesContext(connection) as queries:
        viewer_client.get("/")
    assert not [
        q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]


@pytest.mark.django_db
def test_an_idle_session_ends_and_an_active_one_goes_on(viewer):
    from django.test import Client

    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        active, idle = Client(), Client()
        active.force_login(viewer)
        idle.force_login(viewer)
        clock.move_to(start + datetime.timedelta(hours=7))
        assert active.get("/").status_code == 200  # working: the deadline moves
        clock.move_to(start + datetime.timedelta(hours=8, minutes=1))
        assert active.get("/").status_code == 200
        assert idle.get("/").status_code == 302  # eight hours without a request
        assert idle.get("/")["Location"].startswith("/accounts/login/")


# --- the portal's own pages under the enforced policy, in Chromium -------------------------

playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def enforced_csp(settings):
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None
    return settings.CONTENT_SECURITY_POLICY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_work_under_the_content_security_policy(
    live_server, sandbox, administrator, browser_page, enforced_csp
):
    from tests.dids.conftest import run_dids_sync

    assert run_dids_sync().status == "succeeded"
    page = browser_page
    expect = playwright_sync.expect
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(page.url + ": " + message.text[:160])
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('Refused to ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    sign_in(page, live_server.url, administrator)
    response_policy = page.evaluate("() => document.readyState")  # the page is live
    assert response_policy == "complete"

    nav = page.get_by_role("navigation", name="Main")
    for label in ("Numbers", "911", "Messaging", "Porting", "Sync", "Provider log", "Dashboard"):
        nav.get_by_role("link", name=label, exact=True).click()
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        page.wait_for_load_state("networkidle")

    # A number's page: its panels arrive by htmx (messaging, 911, ports) and must run too.
    nav.get_by_role("link", name="Numbers", exact=True).click()
    page.locator("#did-results tr[data-tn] a").first.click()
    expect(page.get_by_test_id("did-title")).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Live search (htmx with a trigger filter on the list page).
    nav.get_by_role("link", name="Numbers", exact=True).click()
    page.fill("#id_q", "435")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#did-results")).to_be_visible()
    # Buy numbers: its countdown script is inline (with the page's nonce); search by state.
    page.get_by_role("link", name="Buy numbers").click()
    page.select_option("#buy-state", "NY")
    page.click("#buy-search button[type=submit]")
    expect(page.get_by_test_id("inventory-results")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert refused == [], "\n".join(refused)
