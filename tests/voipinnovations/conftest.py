"""Fixtures for the provider client: a canned-reply VI on a loopback port, wired into settings."""

from __future__ import annotations

import pytest

from portal.voipinnovations import client
from tests.fixtures import shared
from tests.voipinnovations.loopback import CannedVI

# Recognisable, so a test can scan everything the client left behind for it.
TEST_SECRET = "S3cr3t-Zebra-4471"
TEST_LOGIN = "api-user-7"


@pytest.fixture
def vi_settings(settings):
    """Client settings for tests: VI's own 2014 WSDL (the captured answers come from it)."""
    settings.VI_WSDL = str(shared.PRODUCTION_WSDL)
    settings.VI_LOGIN = TEST_LOGIN
    settings.VI_SECRET = TEST_SECRET
    settings.VI_CONNECT_TIMEOUT = 2.0
    settings.VI_READ_TIMEOUT = 5.0
    settings.VI_AUDIT_READ_TIMEOUT = 5.0
    return settings


@pytest.fixture
def canned_vi(vi_settings):
    server = CannedVI()
    vi_settings.VI_API_URL = server.url
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_shape_cache():
    yield
    client._shapes.clear()
