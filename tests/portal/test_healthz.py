"""/healthz: public, secret-free, 200 while the database answers."""

import json

import pytest
from django.db import connection

from tests.portal.conftest import RECOGNISABLE_SECRET


@pytest.mark.django_db
def test_healthz_reports_every_check_and_is_public(client, vi_at_sandbox):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["vi"]["ok"] is True
    assert set(report["checks"]) == {"database", "broker", "vi"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_reports_vi_unreachable_but_stays_up(client, settings, closed_port_url):
    settings.VI_API_URL = closed_port_url
    response = client.get("/healthz")
    assert response.status_code == 200  # the portal itself still works
    report = response.json()
    assert report["status"] == "degraded"
    assert report["checks"]["vi"] == {
        "ok": False,
        "detail": "connection failed",
        "duration_ms": report["checks"]["vi"]["duration_ms"],
    }


@pytest.mark.django_db
def test_healthz_reports_vi_errors_by_status(client, settings, vi_at_sandbox):
    settings.VI_API_URL = vi_at_sandbox.base_url + "/no-such-service.asmx"
    report = client.get("/healthz").json()
    assert report["checks"]["vi"]["ok"] is False
    assert report["checks"]["vi"]["detail"].startswith("HTTP 4")


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings, vi_at_sandbox, monkeypatch):
    from portal.celery import app

    unreachable = "redis://:broker-password@127.0.0.1:1/0"
    # Celery reads CELERY_BROKER_URL from the environment before its own config (make test sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    original = app.conf.broker_url
    app.conf.broker_url = unreachable
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    report = response.json()
    assert response.status_code == 200
    assert report["status"] == "degraded"
    assert report["checks"]["broker"]["ok"] is False
    assert "broker-password" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    # Simulate a dead database by breaking the cursor; the view must still answer JSON.
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "down"


@pytest.mark.django_db
def test_healthz_never_shows_the_vi_secret_or_login(client, vi_at_sandbox):
    body = client.get("/healthz").content.decode()
    assert RECOGNISABLE_SECRET not in body
    assert "web-tests" not in body
