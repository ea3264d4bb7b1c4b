"""Walk every URL pattern of the project: nothing is open to the anonymous, and a Viewer
can change nothing. Domain apps' URLs are covered as soon as they are included."""

import pytest

from tests.portal.url_walker import all_endpoints

# The only pages an anonymous visitor may see. (Static files are served by WhiteNoise
# before any URL pattern, so they are not in this list.)
PUBLIC_URL_NAMES = {"login", "healthz", "admin:login", "favicon"}

ENDPOINTS = all_endpoints()
WRITE_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint.write_permission]


def test_the_walk_finds_the_portal_and_admin_pages():
    names = {endpoint.name for endpoint in ENDPOINTS}
    assert {
        "dashboard",
        "provider_log",
        "provider_call_detail",
        "healthz",
        "login",
        "logout",
    } <= names
    assert "admin:auth_user_changelist" in names


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_get_never_sees_a_private_page(client, endpoint):
    response = client.get(endpoint.path)
    if endpoint.name in PUBLIC_URL_NAMES:
        assert response.status_code == 200
    else:
        assert response.status_code != 200, f"{endpoint} answered 200 to an anonymous GET"
        assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_post_never_reaches_a_private_view(client, endpoint):
    response = client.post(endpoint.path, {})
    if endpoint.name in PUBLIC_URL_NAMES:
        return
    assert response.status_code in {302, 400, 401, 403, 404, 405}, (
        f"{endpoint}: {response.status_code}"
    )
    if response.status_code == 302:
        landing = client.get(response["Location"], follow=True)
        assert landing.request["PATH_INFO"] in {"/accounts/login/", "/admin/login/"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    # The admin keeps its own login page and is not driven by htmx; the JSON API answers a
    # problem+json 401 to anyone without a token (tests/api/test_auth_and_errors.py).
    [
        e
        for e in ENDPOINTS
        if e.name not in PUBLIC_URL_NAMES
        and not e.path.startswith(("/admin/", "/api/v1/", "/api/schema/"))
    ],
    ids=str,
)
def test_anonymous_htmx_request_is_sent_to_the_login_page(client, endpoint):
    response = client.get(
        endpoint.path,
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/numbers/"},
    )
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    WRITE_ENDPOINTS or [pytest.param(None, marks=pytest.mark.skip("no write views yet"))],
    ids=str,
)
def test_viewer_is_refused_every_write_view(viewer_client, endpoint):
    response = viewer_client.get(endpoint.path)
    assert response.status_code in {403, 405}, f"GET {endpoint}: {response.status_code}"
    response = viewer_client.post(endpoint.path, {})
    assert response.status_code == 403, f"POST {endpoint}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if not e.write_permission and not e.path.startswith("/admin/")],
    ids=str,
)
def test_viewer_read_pages_do_not_fail(viewer_client, endpoint):
    # With an object id that does not exist a page may 404; it must never crash.
    response = viewer_client.get(endpoint.path)
    assert response.status_code < 500, f"{endpoint}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.path.startswith("/admin/")], ids=str
)
def test_viewer_cannot_use_the_admin(viewer_client, endpoint):
    response = viewer_client.get(endpoint.path)
    if endpoint.name == "admin:login":
        return
    assert response.status_code != 200, f"{endpoint} is open to a non-staff Viewer"


# Pages that take a POST without a write permission of their own: signing in and out, and
# a person's own settings (their token, saved views, notifications), checked in their views.
POST_WITHOUT_WRITE_PERMISSION = {
    "login",
    "logout",
    "password_change",
    "porting:mark_seen",
    "customers:saved_view_save",
    "customers:saved_view_delete",
    "events:notifications_read",
    "events:subscriptions",
    "events:follow",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    [
        e
        for e in ENDPOINTS
        if not e.write_permission
        and not e.path.startswith(("/admin/", "/api/"))
        and e.name not in POST_WITHOUT_WRITE_PERMISSION
    ],
    ids=str,
)
def test_a_read_page_says_it_takes_only_get(viewer_client, endpoint):
    """`@require_GET` on every read view: a POST to one is 405, never a page rendered."""
    response = viewer_client.post(endpoint.path, {})
    assert response.status_code in {403, 404, 405}, f"POST {endpoint}: {response.status_code}"
