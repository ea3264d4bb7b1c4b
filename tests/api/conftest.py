"""API test helpers: a token per role and a client that sends it."""

import json

import pytest
from django.test import Client

from portal.api.tokens import token_create
from portal.models import SyncRun
from tests.dids.conftest import run_dids_sync


class ApiClient:
    """Django's test client with a bearer token and JSON bodies."""

    def __init__(self, raw_token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def _send(self, method: str, path: str, body=None, **headers):
        kwargs = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path, body=None, **headers):
        return self._send("post", path, body, **headers)

    def patch(self, path, body=None, **headers):
        return self._send("patch", path, body, **headers)

    def put(self, path, body=None, **headers):
        return self._send("put", path, body, **headers)

    def delete(self, path, body=None, **headers):
        return self._send("delete", path, body, **headers)


@pytest.fixture(autouse=True)
def forget_request_counts():
    """The per-token throttle counts in the cache; token ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def api_for(user) -> ApiClient:
    _, raw = token_create(owner=user, name="tests", actor=user)
    return ApiClient(raw)


@pytest.fixture
def operator_api(operator):
    return api_for(operator)


@pytest.fixture
def viewer_api(viewer):
    return api_for(viewer)


@pytest.fixture
def administrator_api(administrator):
    return api_for(administrator)


@pytest.fixture
def synced(sandbox, db):
    run = run_dids_sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", (
        response.status_code,
        response.content[:300],
    )
    return response.json()
