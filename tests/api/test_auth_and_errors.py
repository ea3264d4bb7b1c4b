"""Tokens open the API with their user's role; everything else is a problem+json answer."""

import pytest

from portal.api.models import ApiToken
from portal.api.tokens import token_revoke
from tests.api.conftest import ApiClient, api_for, problem

pytestmark = pytest.mark.django_db

NUMBERS = "/api/v1/numbers/"


def test_no_token_is_a_json_401_never_a_login_redirect(db):
    response = ApiClient(None).get(NUMBERS)
    assert response.status_code == 401
    body = problem(response)
    assert body["type"] == "/api/problems/not-authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer vip_" + "x" * 5000,
        "Bearer a b",
        "Bearer \u00e9t\u00e9",
        "Basic Zm9vOmJhcg==",
    ],
)
def test_bad_tokens_are_refused_with_401(db, header):
    response = ApiClient(None).client.get(NUMBERS, headers={"Authorization": header})
    assert response.status_code == 401
    problem(response)


def test_the_token_is_stored_hashed_and_marks_its_last_use(operator):
    api = api_for(operator)
    raw = api.headers["Authorization"].split()[1]
    token = ApiToken.objects.get(user=operator)
    assert raw not in (token.digest, token.prefix) and token.digest != raw
    assert token.last_used_at is None
    assert api.get(NUMBERS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_opens_nothing(operator):
    api = api_for(operator)
    token_revoke(token=ApiToken.objects.get(user=operator), actor=operator)
    assert api.get(NUMBERS).status_code == 401


def test_a_user_without_a_role_is_refused_403(django_user_model, roles):
    nobody = django_user_model.objects.create_user(username="no.role", password="x")
    response = api_for(nobody).get(NUMBERS)
    assert response.status_code == 403
    assert problem(response)["type"] == "/api/problems/forbidden"


def test_a_deactivated_user_token_stops_working(operator):
    api = api_for(operator)
    operator.is_active = False
    operator.save()
    assert api.get(NUMBERS).status_code == 401


def test_the_session_does_not_open_the_api(client, operator):
    """Session auth is for the docs page only: a browser session cannot be ridden (CSRF)."""
    client.force_login(operator)
    assert client.get(NUMBERS).status_code == 401


def test_schema_with_a_token_and_docs_page_with_a_session(client, operator):
    api = api_for(operator)
    schema = api.get("/api/schema/", format="json")
    assert schema.status_code == 200
    assert "/api/v1/numbers/" in schema.json()["paths"]
    assert ApiClient(None).get("/api/schema/").status_code == 401
    client.force_login(operator)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    # Vendored assets from our static files, and no inline script (the CSP allows none).
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "cdn" not in html.lower()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


def test_docs_page_asks_a_stranger_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_malformed_json_and_wrong_types_are_400_problems(operator_api, synced):
    tn = "/api/v1/numbers/+14352154006/"
    response = operator_api.patch(tn, "{not json")
    assert response.status_code in (400, 404)
    response = operator_api.patch(NUMBERS + "+19999999999/", {"cnam_dip": "x"})
    assert response.status_code == 404
    assert problem(response)["type"] == "/api/problems/not-found"


def test_throttling_is_per_token(operator, viewer, monkeypatch):
    from portal.api.throttling import PerTokenThrottle

    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    busy, other = api_for(operator), api_for(viewer)
    answers = [busy.get(NUMBERS).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = busy.get(NUMBERS)
    assert problem(refused)["type"] == "/api/problems/too-many-requests" and refused["Retry-After"]
    assert other.get(NUMBERS).status_code == 200


def test_a_services_expected_failure_is_one_of_the_three_kinds_never_a_500():
    """One mapping for the API, from the kinds every page shows (portal.staff_errors): an
    expected failure a view did not map to a problem of its own is invalid input (400), in
    the service's own words."""
    from e911.records import Address
    from e911.services import AddressInvalid
    from portal.api.errors import exception_handler, services_expected_errors

    assert AddressInvalid in services_expected_errors()
    address = Address(address1="1 Nowhere Way", city="Springfield", state="IL", zip_code="62701")
    response = exception_handler(AddressInvalid(address), {})
    assert response is not None and response.status_code == 400
    assert response.data["type"] == "/api/problems/invalid-request"
    assert "cannot place 1 Nowhere Way" in response.data["detail"]
    assert response.data["errors"] == {"non_field_errors": [response.data["detail"]]}
    assert exception_handler(KeyError("a bug"), {}) is None  # a bug stays a 500


def test_a_django_validation_error_names_its_fields():
    from django.core.exceptions import ValidationError

    from portal.api.errors import exception_handler

    response = exception_handler(ValidationError({"name": ["Too long."]}), {})
    assert response is not None and response.status_code == 400
    assert response.data["errors"] == {"name": ["Too long."]}
    assert response.data["detail"] == "Too long."
