"""Staff and internet input (issue 12 items 8-12, docs/security.md): bad input gets a 4xx and a
plain message, never a 500; uploads are refused before they are read; `next` stays on the
site; secrets are redacted whatever their case; nobody grants what they do not hold.

Pages are found by walking the URL conf (tests/portal/url_walker.py); the parameter names
sent to them are every field name of every form in the portal, so a new page or field is
covered without editing this file.
"""

import base64
import importlib
import inspect
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission

from portal.voipinnovations.redaction import REDACTED, redact_text
from tests.portal.url_walker import all_endpoints
from tests.voipinnovations.conftest import TEST_SECRET, canned_vi, vi_settings  # noqa: F401 - fixtures
from tests.voipinnovations.loopback import envelope, soap_fault

ENDPOINTS = all_endpoints()
PAGES = [e for e in ENDPOINTS if not e.write_permission and not e.path.startswith("/admin/")]
WRITES = [e for e in ENDPOINTS if e.write_permission]
NUL = "\x00"


def _form_field_names() -> list[str]:
    names = {
        "q",
        "page",
        "cursor",
        "sort",
        "next",
        "problem",
        "following",
        "tn",
        "tns",
        "npa",
        "state",
        "brand",
    }
    for module_name in (
        "dids.forms",
        "dids.filters",
        "e911.forms",
        "messaging.forms",
        "porting.forms",
    ):
        module = importlib.import_module(module_name)
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module_name:
                names.update(form_class.base_fields)
    return sorted(names)


FIELD_NAMES = _form_field_names()

# Wrong types, huge, markup, odd numbers, odd dates, odd unicode. (NUL has its own tests.)
HOSTILE_VALUES = [
    "x" * 5000,
    "<script>alert('h6')</script>",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "[]",
    '{"a": 1}',
    "2026-02-31",
    "\u202e\U0001f4a5\ufeff",
    "%",
    "'\"; DROP TABLE dids_did; --",
]


def _failures(responses) -> list[str]:
    return [f"{label}: {status}" for label, status in responses if status >= 500]


# --- NUL ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nul_in_a_query_is_a_plain_400_on_every_page(administrator_client):
    seen = []
    for endpoint in ENDPOINTS:
        for query in (
            {"q": NUL},
            {"q": "ok", f"x{NUL}": "1"},
            {name: f"a{NUL}b" for name in FIELD_NAMES},
        ):
            response = administrator_client.get(endpoint.path, query)
            seen.append((f"GET {endpoint} {sorted(query)[:2]}", response.status_code))
            assert response.status_code == 400, f"{endpoint}: {response.status_code}"
            # The JSON API answers in its one error format (portal/api/middleware.py), same words.
            api = endpoint.path.startswith(("/api/v1/", "/api/schema/"))
            assert response["Content-Type"].startswith(
                "application/problem+json" if api else "text/plain"
            )
            assert (
                "NUL" in response.content.decode()
                and "Nothing was changed" in response.content.decode()
            )
    assert _failures(seen) == []


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", WRITES, ids=str)
def test_nul_in_any_posted_field_is_a_plain_400(administrator_client, endpoint):
    for name in FIELD_NAMES:
        response = administrator_client.post(endpoint.path, {name: f"4352154006{NUL}"})
        assert response.status_code == 400, f"{endpoint} {name}: {response.status_code}"


@pytest.mark.django_db
def test_nul_in_an_uploaded_file_name_is_refused(operator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"a{NUL}.csv", b"tn\n", content_type="text/csv")
    response = operator_client.post("/e911/bulk/upload/", {"file": upload})
    assert (
        400 <= response.status_code < 500
    )  # refused (400), or Django cleaned the name and the form said why


# --- crafted values -------------------------------------------------------------------------


@pytest.fixture
def mirrored(sandbox, db):
    """The sandbox's small account mirrored, so pages have rows to show and filter."""
    from tests.dids.conftest import run_dids_sync

    assert run_dids_sync().status == "succeeded"
    return sandbox


@pytest.mark.django_db
def test_crafted_query_values_never_fail_a_page(mirrored, administrator_client):
    seen = []
    for endpoint in PAGES:
        for value in HOSTILE_VALUES:
            query = {name: value for name in FIELD_NAMES}
            for headers in ({}, {"HX-Request": "true"}):
                response = administrator_client.get(endpoint.path, query, headers=headers)
                seen.append(
                    (f"GET {endpoint} {value[:20]!r} htmx={bool(headers)}", response.status_code)
                )
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    assert "<script>alert('h6')</script>" not in response.content.decode(), endpoint
    assert _failures(seen) == []


@pytest.mark.django_db
def test_crafted_posts_never_fail_a_write_view(mirrored, administrator_client):
    seen = []
    for endpoint in WRITES:
        for value in HOSTILE_VALUES:
            data = {name: value for name in FIELD_NAMES}
            response = administrator_client.post(
                endpoint.path, data, headers={"HX-Request": "true"}
            )
            seen.append((f"POST {endpoint} {value[:20]!r}", response.status_code))
            # Repeated field (a list where one value is expected).
            response = administrator_client.post(
                endpoint.path, {name: [value, "1"] for name in FIELD_NAMES}
            )
            seen.append((f"POST {endpoint} list {value[:20]!r}", response.status_code))
    assert _failures(seen) == []


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


CRAFTED_CURSORS = [
    _cursor([{"a": 1}, [2]]),
    _cursor(["not-a-number", "4352154006"]),
    _cursor([1, 4352154006]),
    _cursor([True, "4352154006"]),
    _cursor(["2026-02-31T00:00:00", "4352154006"]),
    _cursor(["yesterday", "4352154006"]),
    _cursor([10**30, "4352154006"]),
    _cursor([None, "4352154006"]),
    _cursor({"a": 1}),
    _cursor([1, 2, 3]),
    "!!!not base64!!!",
    "x" * 400,
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sort", ["tn", "-tn", "state", "endpoint", "-did_group", "first_seen", "-changed", "bogus"]
)
def test_a_crafted_list_cursor_shows_the_first_page(mirrored, viewer_client, sort):
    first = viewer_client.get("/numbers/", {"sort": sort})
    assert first.status_code == 200
    for cursor in CRAFTED_CURSORS:
        response = viewer_client.get("/numbers/", {"sort": sort, "cursor": cursor})
        assert response.status_code == 200, (sort, cursor)
        htmx = viewer_client.get(
            "/numbers/",
            {"sort": sort, "cursor": cursor},
            headers={"HX-Request": "true", "HX-Target": "did-results"},
        )
        assert htmx.status_code == 200, (sort, cursor)


@pytest.mark.django_db
def test_a_real_cursor_still_pages(viewer_client):
    from dids.models import DID

    DID.objects.bulk_create(
        DID(tn=f"80155501{index:02d}", endpoint_id=index % 7 or None) for index in range(80)
    )
    first = viewer_client.get("/numbers/", {"sort": "endpoint"})
    match = re.search(r"cursor=([A-Za-z0-9_-]+)", first.content.decode())
    assert match, "the first page links to the next"
    second = viewer_client.get("/numbers/", {"sort": "endpoint", "cursor": match.group(1)})
    assert second.status_code == 200
    rows = lambda response: re.findall(r'data-tn="(\d{10})"', response.content.decode())  # noqa: E731
    assert rows(second) and not set(rows(first)) & set(rows(second))


# --- uploads --------------------------------------------------------------------------------


GUNICORN_TIMEOUT = 60


def _peak_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmHWM:")).split()[1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn_portal(transactional_db, sandbox, operator):
    """The portal as production runs it: gunicorn, one sync worker, on a loopback port, on
    this test's database. Memory is measured in that worker, not in the test process."""
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    database = connection.settings_dict
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
           "VI_API_URL": sandbox.url, "VI_LOGIN": sandbox.login, "VI_SECRET": sandbox.secret, "LOG_LEVEL": "WARNING"}  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--timeout", str(GUNICORN_TIMEOUT)],
        cwd=Path(__file__).resolve().parents[2], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (
                    "gunicorn did not start"
                )
                time.sleep(0.2)
        worker = int(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()[0])
        client = Client()
        client.force_login(operator)
        csrf = _get_new_csrf_string()
        cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
        yield {"port": port, "worker": worker, "cookies": cookies, "csrf": csrf}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _multipart_head(csrf: str, boundary: str) -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="recipient"\r\n\r\n4352150000\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()


def _post_upload(
    portal: dict, path: str, total: int, *, wait_for_answer_first: bool
) -> tuple[int, str]:
    """POST a multipart body of `total` bytes, sent in 1 MB chunks (never held whole here).

    With `wait_for_answer_first`, only the headers go out before the server has its chance
    to answer: an answer then proves the body was refused unread."""
    boundary = "h6boundary"
    head, tail = _multipart_head(portal["csrf"], boundary), f"\r\n--{boundary}--\r\n".encode()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{portal['port']}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {total}\r\n"
        f"Cookie: {portal['cookies']}\r\nX-CSRFToken: {portal['csrf']}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(
        ("127.0.0.1", portal["port"]), timeout=GUNICORN_TIMEOUT
    ) as connection:
        connection.sendall(request)
        answer = b""
        if wait_for_answer_first:
            ready, _, _ = select.select([connection], [], [], 10)
            assert ready, "no answer before the body was sent: the server is reading it"
        else:
            try:
                connection.sendall(head)
                chunk = b"\0" * (1024 * 1024)
                left = total - len(head) - len(tail)
                while left > 0:
                    connection.sendall(chunk[: min(len(chunk), left)])
                    left -= min(len(chunk), left)
                connection.sendall(tail)
            except (BrokenPipeError, ConnectionResetError):
                pass
        while True:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    status = int(answer.split(b" ", 2)[1])
    return status, answer.decode(errors="replace")


def test_a_300_mb_upload_is_refused_before_it_is_read(gunicorn_portal):
    _post_upload(
        gunicorn_portal,
        "/messaging/numbers/4352154006/send/",
        64 * 1024,
        wait_for_answer_first=False,
    )  # warm-up
    before = _peak_rss_kb(gunicorn_portal["worker"])
    status, answer = _post_upload(gunicorn_portal, "/messaging/numbers/4352154006/send/", 300 * 1024 * 1024,
                                  wait_for_answer_first=True)  # fmt: skip
    grown_mb = (_peak_rss_kb(gunicorn_portal["worker"]) - before) / 1024
    assert status == 413, answer[:500]
    assert "larger than the portal accepts (10 MB)" in answer
    assert grown_mb < 5, f"the worker grew by {grown_mb:.1f} MB"


def test_an_mms_image_over_vis_limit_is_refused_by_its_size_without_being_read(gunicorn_portal):
    from messaging.models import SMSNumber

    tn = SMSNumber.objects.values_list("tn", flat=True).first()
    if tn is None:
        from portal.models import SyncRun
        from portal.sync.services import sync_execute

        sync_execute(kind="messaging", trigger=SyncRun.Trigger.COMMAND)
        tn = SMSNumber.objects.values_list("tn", flat=True).first()
    assert tn, "the test seed has numbers with SMS"
    for _ in range(2):  # warm-up: the worker's first requests load code and templates
        _post_upload(
            gunicorn_portal,
            f"/messaging/numbers/{tn}/send/",
            1536 * 1024,
            wait_for_answer_first=False,
        )
    before = _peak_rss_kb(gunicorn_portal["worker"])
    # 8 MB: under the request limit, eight times VI's 1 MB MMS limit. Django keeps it on disk.
    status, answer = _post_upload(gunicorn_portal, f"/messaging/numbers/{tn}/send/", 8 * 1024 * 1024,
                                  wait_for_answer_first=False)  # fmt: skip
    grown_mb = (_peak_rss_kb(gunicorn_portal["worker"]) - before) / 1024
    assert status in {200, 422}, answer[:500]
    assert "VI takes at most 1024 KB per MMS" in answer
    assert grown_mb < 4, f"the worker grew by {grown_mb:.1f} MB for an 8 MB upload"


def test_the_request_limit_applies_to_every_view(rf, settings):
    from django.http import HttpResponse

    from portal.middleware import RefuseOversizedRequestsMiddleware

    reached = threading.Event()
    middleware = RefuseOversizedRequestsMiddleware(
        lambda request: reached.set() or HttpResponse("ok")
    )
    request = rf.post("/anything/", data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(settings.PORTAL_MAX_REQUEST_BYTES + 1)
    assert middleware(request).status_code == 413 and not reached.is_set()
    request.META["CONTENT_LENGTH"] = "banana"
    assert middleware(request).status_code == 400
    request.META["CONTENT_LENGTH"] = str(settings.PORTAL_MAX_REQUEST_BYTES)
    assert middleware(request).status_code == 200


# --- next -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_value, expected",
    [
        ("https://evil.example/", "/porting/"),
        ("//evil.example/", "/porting/"),
        ("/\\evil.example/", "/porting/"),
        ("http://testserver/porting/changes/", "/porting/"),  # absolute: only paths are taken
        ("javascript:alert(1)", "/porting/"),
        ("foo", "/porting/"),
        ("/porting/changes/\r\nSet-Cookie: x=1", "/porting/"),
        ("", "/porting/"),
        ("/porting/changes/", "/porting/changes/"),
        ("/porting/changes/?following=1", "/porting/changes/?following=1"),
    ],
)
def test_next_only_leads_to_a_path_on_this_site(viewer_client, next_value, expected):
    response = viewer_client.post("/porting/seen/", {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_every_next_parameter_goes_through_safe_next():
    """A grep as a test: views read `next` only through portal.redirects.safe_next."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("portal", "dids", "e911", "messaging", "porting"):
        for path in (root / package).rglob("*.py"):
            if "sandbox" in path.parts or path.name == "redirects.py":
                continue
            if re.search(
                r"""(GET|POST)\.get\(\s*["'](next|return|return_to|back)["']""", path.read_text()
            ):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- redaction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "echo",
    ["Zq7-Portal-Secret", "ZQ7-PORTAL-SECRET", "zq7-portal-secret", "zQ7-pOrTaL-sEcReT"],
)
def test_a_secret_echoed_in_another_case_is_redacted(echo):
    text = redact_text(
        f"Login failed for sandbox with password {echo} (bad)", secrets=["Zq7-Portal-Secret"]
    )
    assert echo.lower() not in text.lower()
    assert REDACTED in text


def test_a_secret_echoed_escaped_is_redacted():
    secret = "p&ss<w>rd"
    text = redact_text("fault: P&AMP;SS&LT;W&GT;RD and p%26ss%3Cw%3Erd", secrets=[secret])
    assert "ss" not in text.replace(REDACTED, "")


SECRET_SCENARIOS: dict[str, Callable[[str], dict[str, Any]]] = {
    "refusal": lambda echo: dict(
        body=envelope(
            "SetConferenceLine",
            f"<responseCode>902</responseCode><responseMessage>Bad secret {echo}</responseMessage>",
        )
    ),
    "fault": lambda echo: dict(
        body=soap_fault(f"Login failed: {echo} / pin {PIN_ECHO}"), status=500
    ),
    "html": lambda echo: dict(
        body=f"<html><pre>secret was {echo}</pre></html>".encode(),
        status=500,
        content_type="text/html",
    ),
}
PIN_ECHO = "86753091"


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", SECRET_SCENARIOS)
@pytest.mark.parametrize("casing", [str.upper, str.lower, str.swapcase])
def test_a_vi_answer_echoing_the_secret_in_another_case_is_neither_stored_nor_shown(
    canned_vi, vi_settings, viewer_client, scenario, casing
):
    """Through the real client and the provider log page a Viewer reads."""
    from portal.models import ProviderCall
    from portal.voipinnovations.client import call
    from portal.voipinnovations.errors import ProviderError

    echo = casing(TEST_SECRET)
    assert echo != TEST_SECRET  # the case really differs
    canned_vi.reply("SetConferenceLine", **SECRET_SCENARIOS[scenario](echo))
    try:
        answer = repr(call("SetConferenceLine", tn="4352154006", pin=PIN_ECHO))
    except ProviderError as error:  # a fault or a broken answer; a refusal comes back as an answer
        answer = f"{error!s} {error!r}"
    assert TEST_SECRET.lower() not in answer.lower()
    row = ProviderCall.objects.get()
    stored = json.dumps([row.response_message, row.error, row.parameters])
    assert TEST_SECRET.lower() not in stored.lower() and PIN_ECHO not in stored
    for page in (
        viewer_client.get("/provider-log/"),
        viewer_client.get(f"/provider-log/{row.pk}/"),
    ):
        assert page.status_code == 200
        assert TEST_SECRET.lower() not in page.content.decode().lower()


# --- nobody grants what they do not hold -----------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_cannot_make_anyone_a_superuser(
    administrator, administrator_client, viewer
):
    page = administrator_client.get(f"/admin/auth/user/{viewer.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    data = _user_form_data(viewer) | {"is_superuser": "on"}
    administrator_client.post(f"/admin/auth/user/{viewer.pk}/change/", data)
    administrator_client.post(
        f"/admin/auth/user/{administrator.pk}/change/",
        _user_form_data(administrator) | {"is_superuser": "on"},
    )
    viewer.refresh_from_db()
    administrator.refresh_from_db()
    assert not viewer.is_superuser and not administrator.is_superuser


def _user_form_data(user) -> dict:
    return {
        "username": user.username, "email": user.email, "first_name": "", "last_name": "",
        "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [str(pk) for pk in user.user_permissions.values_list("pk", flat=True)],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    }  # fmt: skip


@pytest.mark.django_db
def test_an_administrator_cannot_grant_a_permission_or_group_they_lack(
    administrator, administrator_client, viewer
):
    lacking = Permission.objects.get(codename="delete_logentry")  # admin log: no role holds it
    assert not administrator.has_perm("admin.delete_logentry")
    powerful = Group.objects.create(name="Powerful")
    powerful.permissions.add(lacking)
    held = Permission.objects.get(codename="view_portal")
    harmless = Group.objects.create(name="Harmless")
    harmless.permissions.add(held)

    page = administrator_client.get(f"/admin/auth/user/{viewer.pk}/change/")
    form = page.context["adminform"].form
    assert lacking not in form.fields["user_permissions"].queryset
    assert held in form.fields["user_permissions"].queryset
    assert powerful not in form.fields["groups"].queryset
    assert harmless in form.fields["groups"].queryset

    data = _user_form_data(viewer)
    data["user_permissions"] = [str(lacking.pk)]
    data["groups"] = data["groups"] + [str(powerful.pk)]
    response = administrator_client.post(f"/admin/auth/user/{viewer.pk}/change/", data)
    assert response.status_code == 200  # the form again, with errors
    viewer.refresh_from_db()
    assert not viewer.has_perm("admin.delete_logentry")
    assert not viewer.groups.filter(pk=powerful.pk).exists()

    # Nor by putting the permission into a group (their own, say).
    own = administrator.groups.get()
    group_page = administrator_client.get(f"/admin/auth/group/{own.pk}/change/")
    assert lacking not in group_page.context["adminform"].form.fields["permissions"].queryset
    administrator_client.post(
        f"/admin/auth/group/{own.pk}/change/",
        {
            "name": own.name,
            "permissions": [str(p.pk) for p in own.permissions.all()] + [str(lacking.pk)],
        },
    )
    assert not own.permissions.filter(pk=lacking.pk).exists()


@pytest.mark.django_db
def test_editing_a_user_keeps_grants_the_editor_could_not_make(administrator_client, viewer):
    lacking = Permission.objects.get(codename="delete_logentry")
    viewer.user_permissions.add(lacking)  # given by a superuser
    data = _user_form_data(viewer) | {"email": "new@example.com"}
    response = administrator_client.post(f"/admin/auth/user/{viewer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    viewer.refresh_from_db()
    assert viewer.email == "new@example.com"
    assert viewer.user_permissions.filter(pk=lacking.pk).exists()


@pytest.mark.django_db
def test_a_superusers_account_is_out_of_an_administrators_reach(
    administrator_client, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x" * 20)
    assert administrator_client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 403
    response = administrator_client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "Hijack-123456", "password2": "Hijack-123456"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("x" * 20)
    administrator_client.post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"})
    assert django_user_model.objects.filter(pk=root.pk).exists()


@pytest.mark.django_db
def test_a_superuser_still_grants_anything(admin_client, viewer):
    page = admin_client.get(f"/admin/auth/user/{viewer.pk}/change/")
    assert "is_superuser" in page.context["adminform"].form.fields
