"""The pages every user sees: sign in and out, password, layout, dashboard, provider log."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal import dashboard
from portal.models import ProviderCall, Source, SyncRun
from portal.voipinnovations.client import call, provider_context
from tests.fixtures.users import PASSWORD
from tests.portal.conftest import RECOGNISABLE_SECRET

# --- signing in and out ----------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_signs_in_and_returns_to_the_page_asked_for(client, viewer):
    page = client.get("/accounts/login/?next=/provider-log/")
    assert page.status_code == 200
    assert b'name="password"' in page.content
    response = client.post(
        "/accounts/login/",
        {"username": viewer.username, "password": PASSWORD, "next": "/provider-log/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/provider-log/"
    assert client.get("/provider-log/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, viewer):
    response = client.post("/accounts/login/", {"username": viewer.username, "password": "not it"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(viewer_client):
    assert viewer_client.get("/accounts/logout/").status_code == 405
    page = viewer_client.get("/")
    assert b'action="/accounts/logout/"' in page.content  # the layout's sign-out form
    response = viewer_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert viewer_client.get("/").status_code == 302


@pytest.mark.django_db
def test_password_change_takes_effect(client, viewer_client, viewer):
    new_password = "a different long passphrase 42"
    response = viewer_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    assert client.login(username=viewer.username, password=new_password)
    assert not client.login(username=viewer.username, password=PASSWORD)


@pytest.mark.django_db
def test_password_change_shows_errors_for_a_wrong_old_password(viewer_client):
    response = viewer_client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "x" * 12, "new_password2": "x" * 12},
    )
    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content


# --- layout ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_layout_shows_user_role_navigation_and_csrf_for_htmx(viewer_client, viewer):
    content = viewer_client.get("/").content.decode()
    assert viewer.username in content
    assert ">Viewer<" in content
    assert 'hx-headers=\'{"X-CSRFToken": "' in content
    assert f'href="{reverse("provider_log")}"' in content
    assert "/static/vendor/htmx/htmx.min.js" in content
    assert ">Admin<" not in content  # not staff


@pytest.mark.django_db
def test_navigation_lists_only_sections_whose_urls_exist(administrator_client):
    from django.urls import NoReverseMatch

    from portal.context_processors import NAVIGATION

    content = administrator_client.get("/").content.decode()
    for label, url_name in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            assert f">{label}</a>" not in content
        else:
            assert f'href="{url}"' in content
    assert f'href="{reverse("admin:index")}"' in content  # staff


# --- dashboard ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_panels_when_nothing_has_happened_yet(viewer_client):
    content = viewer_client.get("/").content.decode()
    assert "No sync has run yet." in content
    assert "No provider errors recorded." in content
    balance_panel = content.split('data-panel="portal.prepaid_balance"', 1)[1].split(
        "</section>", 1
    )[0]
    assert "unknown" in balance_panel.lower()  # the numbers app may have replaced the panel


@pytest.mark.django_db
def test_dashboard_shows_the_latest_sync_of_each_kind_and_its_outcome(viewer_client):
    now = timezone.now()
    SyncRun.objects.create(
        kind="dids",
        trigger="schedule",
        status="failed",
        created_at=now - timedelta(hours=2),
        error="VI unreachable: timed out",
    )
    SyncRun.objects.create(
        kind="dids",
        trigger="schedule",
        status="succeeded",
        created_at=now - timedelta(minutes=5),
        started_at=now - timedelta(minutes=5),
        finished_at=now - timedelta(minutes=4),
        counts={"seen": 1200, "updated": 3},
    )
    SyncRun.objects.create(
        kind="e911", trigger="staff", status="needs_confirmation", created_at=now
    )
    content = viewer_client.get("/").content.decode()
    assert "Succeeded" in content and "Needs confirmation" in content
    assert "timed out" not in content  # the older dids run is not the latest
    assert "seen 1,200" in content


@pytest.mark.django_db
def test_dashboard_lists_recent_provider_errors_not_successes(viewer_client):
    ProviderCall.objects.create(
        operation="assignDID",
        outcome="refused",
        response_code=104235,
        response_message="Refused assignDID for the test",
    )
    ProviderCall.objects.create(
        operation="queryDID", outcome="ok", response_code=100, response_message="Success"
    )
    content = viewer_client.get("/").content.decode()
    assert "Refused assignDID for the test" in content
    assert "queryDID" not in content


@pytest.mark.django_db
def test_dashboard_includes_panels_apps_register_and_survives_a_broken_one(
    viewer_client, settings, tmp_path
):
    (tmp_path / "probe_panel.html").write_text(
        "<div class='card-body'>Numbers held: {{ held }}</div>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]

    @dashboard.panel(title="Numbers", order=15, name="test.numbers")
    def numbers_panel(request):
        return "probe_panel.html", {"held": 1234}

    @dashboard.panel(title="Broken", order=16, name="test.broken")
    def broken_panel(request):
        raise RuntimeError("bug in a domain panel")

    @dashboard.panel(
        title="Admins only", order=17, name="test.admin", permission="portal.manage_users"
    )
    def admin_panel(request):
        return "probe_panel.html", {"held": 0}

    try:
        response = viewer_client.get("/")
    finally:
        for name in ("test.numbers", "test.broken", "test.admin"):
            dashboard._panels.pop(name)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Numbers held: 1234" in content
    assert "This panel could not be loaded" in content
    assert "Admins only" not in content  # a Viewer does not hold manage_users
    # Panels in their order, after the headline figures and charts (which name some of the same things).
    panels = content[content.index('data-panel="') :]
    assert (
        panels.index("Last sync") < panels.index("Numbers held") < panels.index("Prepaid balance")
    )


def test_prepaid_balance_selector_hook(monkeypatch):
    from types import SimpleNamespace

    import portal.selectors as selectors

    reading = SimpleNamespace(amount=Decimal("1234.56"), read_at=timezone.now())
    monkeypatch.setattr(
        selectors, "PREPAID_BALANCE_SELECTOR", ("tests.portal.test_views", "_balance_probe")
    )
    monkeypatch.setitem(globals(), "_balance_probe", lambda: reading)
    assert selectors.prepaid_balance_latest().amount == Decimal("1234.56")
    monkeypatch.setattr(
        selectors, "PREPAID_BALANCE_SELECTOR", ("no_such_app.selectors", "prepaid_balance_latest")
    )
    assert selectors.prepaid_balance_latest() is None


# --- provider log ------------------------------------------------------------------------


@pytest.fixture
def logged_calls(operator, administrator):
    now = timezone.now()
    rows = [
        ProviderCall(
            operation="assignDID",
            outcome="ok",
            response_code=100,
            actor=operator,
            source=Source.STAFF,
            created_at=now - timedelta(minutes=1),
            item_codes={"100": 998, "104235": 2},
        ),
        ProviderCall(
            operation="assignDID",
            outcome="refused",
            response_code=104235,
            actor=administrator,
            source=Source.ADMIN,
            created_at=now - timedelta(minutes=2),
            response_message="Number not reserved",
        ),
        ProviderCall(
            operation="auditDIDs",
            outcome="unavailable",
            source=Source.SYNC,
            created_at=now - timedelta(days=3),
            error="Read timed out",
        ),
    ]
    return ProviderCall.objects.bulk_create(rows)


def operations_listed(response) -> list[str]:
    import re

    return re.findall(
        r'class="font-monospace-sm" href="/provider-log/\d+/"\s+hx-get="[^"]+" hx-target="[^"]+" hx-swap="innerHTML">(\w+)<',
        response.content.decode(),
    )


@pytest.mark.django_db
def test_provider_log_lists_newest_first(viewer_client, logged_calls):
    response = viewer_client.get("/provider-log/")
    assert operations_listed(response) == ["assignDID", "assignDID", "auditDIDs"]
    assert "Number not reserved" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("operation=auditDIDs", ["auditDIDs"]),
        ("outcome=refused", ["assignDID"]),
        ("source=sync", ["auditDIDs"]),
        ("response_code=100", ["assignDID"]),
        ("operation=assignDID&outcome=unavailable", []),
    ],
)
def test_provider_log_filters(viewer_client, logged_calls, query, expected):
    assert operations_listed(viewer_client.get(f"/provider-log/?{query}")) == expected


@pytest.mark.django_db
def test_provider_log_filters_by_actor_and_date(viewer_client, logged_calls, operator):
    assert len(operations_listed(viewer_client.get(f"/provider-log/?actor={operator.pk}"))) == 1
    today = timezone.localdate()
    response = viewer_client.get(f"/provider-log/?date_from={today - timedelta(days=1)}")
    assert operations_listed(response) == ["assignDID", "assignDID"]
    response = viewer_client.get(f"/provider-log/?date_to={today - timedelta(days=2)}")
    assert operations_listed(response) == ["auditDIDs"]


@pytest.mark.django_db
def test_provider_log_live_filter_returns_only_the_results_to_htmx(viewer_client, logged_calls):
    response = viewer_client.get("/provider-log/?outcome=refused", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results">')
    assert "<html" not in content
    assert operations_listed(response) == ["assignDID"]
    # A back-button restore gets the whole page.
    restored = viewer_client.get(
        "/provider-log/?outcome=refused",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restored.content.decode()


@pytest.mark.django_db
def test_provider_log_form_pushes_filters_to_the_url(viewer_client, logged_calls):
    content = viewer_client.get("/provider-log/?outcome=refused").content.decode()
    assert 'hx-push-url="true"' in content
    assert '<option value="refused" selected>' in content  # the URL fills the form back in


@pytest.mark.django_db
def test_provider_log_paginates_keeping_the_filters(viewer_client):
    ProviderCall.objects.bulk_create(
        ProviderCall(operation="getDIDs", outcome="ok", response_code=100) for _ in range(120)
    )
    content = viewer_client.get("/provider-log/?outcome=ok&page=2").content.decode()
    assert "51–100 of 120" in content
    assert "?outcome=ok&amp;page=3" in content


@pytest.mark.django_db
def test_provider_log_row_expands_to_its_details(viewer_client, logged_calls):
    call_row = logged_calls[0]
    response = viewer_client.get(f"/provider-log/{call_row.pk}/", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "104235 × 2" in content and "100 × 998" in content
    # Without htmx the same link opens a page of its own.
    assert "<html" in viewer_client.get(f"/provider-log/{call_row.pk}/").content.decode()


@pytest.mark.django_db
def test_provider_log_invalid_filter_shows_nothing_rather_than_everything(
    viewer_client, logged_calls
):
    response = viewer_client.get("/provider-log/?outcome=bogus")
    assert response.status_code == 200
    assert operations_listed(response) == []


@pytest.mark.django_db
def test_provider_log_needs_view_portal(client, django_user_model, logged_calls):
    nobody = django_user_model.objects.create_user(username="nobody", password="x-long-password-1")
    client.force_login(nobody)
    assert client.get("/provider-log/").status_code == 403
    nobody.groups.add(Group.objects.get(name="Viewer"))
    assert client.get("/provider-log/").status_code == 200


@pytest.mark.django_db
def test_the_vi_secret_never_appears_in_the_provider_log(
    viewer_client, vi_at_sandbox, settings, viewer
):
    with provider_context(actor=viewer, source=Source.STAFF):
        answered = call("queryDID", did="4352154006")
        assert answered.responseCode == 100
        # A refusal with a different recognisable secret: VI says 902, the log keeps the call.
        settings.VI_SECRET = RECOGNISABLE_SECRET + "-wrong"
        refused = call("queryDID", did="4352154006")
        assert refused.responseCode == 902
    # And a row some buggy writer stored unredacted: the page still hides it.
    ProviderCall.objects.create(
        operation="queryDID",
        outcome="unavailable",
        parameters={"did": "4352154006", "secret": RECOGNISABLE_SECRET},
        error=f"Could not post login=web-tests&secret={RECOGNISABLE_SECRET}",
    )

    rows = list(ProviderCall.objects.order_by("created_at", "id"))
    assert [row.outcome for row in rows] == ["ok", "refused", "unavailable"]
    pages = [viewer_client.get("/provider-log/"), viewer_client.get("/")]
    pages += [viewer_client.get(f"/provider-log/{row.pk}/") for row in rows]
    pages += [
        viewer_client.get(f"/provider-log/{row.pk}/", headers={"HX-Request": "true"})
        for row in rows
    ]
    for page in pages:
        assert page.status_code == 200
        assert RECOGNISABLE_SECRET not in page.content.decode()
    assert "4352154006" in pages[2].content.decode()  # the details are shown, just not the secret


@pytest.mark.django_db
def test_last_sync_panel_sums_the_steps_of_a_run(administrator_client):
    from portal.models import SyncRun

    SyncRun.objects.create(
        kind="dids",
        trigger=SyncRun.Trigger.COMMAND,
        status=SyncRun.Status.SUCCEEDED,
        counts={
            "dids": {"seen": 3000, "created": 12, "gone": 0},
            "clients": {"seen": 2, "created": 0},
        },
    )
    content = administrator_client.get("/").content.decode()
    assert "seen 3,002" in content
    assert "created 12" in content
    assert "{&#x27;seen&#x27;" not in content and "{'seen'" not in content
