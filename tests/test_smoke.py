import pytest


@pytest.mark.django_db
def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_healthz_is_public(client):
    assert client.get("/healthz").status_code == 200
