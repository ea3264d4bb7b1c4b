"""Account → API tokens: create (shown once, stored hashed), revoke; Administrators for others."""

import re

import pytest

from portal.api.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _raw_token(html: str) -> str:
    match = re.search(r'data-testid="token-value">(vip_[^<]+)<', html)
    assert match, html[:2000]
    return match.group(1)


def test_a_user_creates_a_token_sees_it_once_and_it_works(client, viewer):
    client.force_login(viewer)
    page = client.post("/api/tokens/new/", {"name": "Billing sync"})
    assert page.status_code == 200
    raw = _raw_token(page.content.decode())
    token = ApiToken.objects.get(user=viewer)
    assert token.name == "Billing sync" and raw not in token.digest
    assert ApiClient(raw).get("/api/v1/numbers/").status_code == 200
    listing = client.get("/api/tokens/").content.decode()
    assert "Billing sync" in listing and raw not in listing and token.prefix in listing


def test_a_user_revokes_their_token(client, viewer):
    client.force_login(viewer)
    raw = _raw_token(client.post("/api/tokens/new/", {"name": "old"}).content.decode())
    token = ApiToken.objects.get(user=viewer)
    response = client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == viewer
    assert ApiClient(raw).get("/api/v1/numbers/").status_code == 401


def test_no_one_but_an_administrator_touches_someone_elses_token(client, viewer, operator):
    client.force_login(operator)
    client.post("/api/tokens/new/", {"name": "ops"})
    token = ApiToken.objects.get(user=operator)
    client.force_login(viewer)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert "ops" not in client.get("/api/tokens/").content.decode()
    # A viewer's "owner" field is ignored: the token is always their own.
    client.post("/api/tokens/new/", {"name": "mine", "owner": operator.pk})
    assert ApiToken.objects.get(name="mine").user == viewer
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_administrator_creates_and_revokes_for_others(client, administrator, operator):
    client.force_login(administrator)
    page = client.post("/api/tokens/new/", {"name": "CRM", "owner": operator.pk})
    raw = _raw_token(page.content.decode())
    token = ApiToken.objects.get(name="CRM")
    assert token.user == operator and token.created_by == administrator
    assert "otto.operator" in client.get("/api/tokens/").content.decode()
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert ApiClient(raw).get("/api/v1/numbers/").status_code == 401


@pytest.mark.parametrize("name", ["", "x" * 101, "<script>alert(1)</script>", "a\x00b"])
def test_hostile_token_names(client, viewer, name):
    client.force_login(viewer)
    response = client.post("/api/tokens/new/", {"name": name})
    assert response.status_code in (200, 400)
    if name.startswith("<script>"):
        assert "<script>alert(1)" not in response.content.decode()
        assert ApiToken.objects.filter(user=viewer).count() == 1
    else:
        assert not ApiToken.objects.filter(user=viewer).exists()


def test_the_navigation_leads_to_the_token_page(client, viewer):
    client.force_login(viewer)
    assert 'href="/api/tokens/"' in client.get("/").content.decode()
