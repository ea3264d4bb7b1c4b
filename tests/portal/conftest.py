"""A VI sandbox for the portal's own pages, with a secret these tests can look for.

(The shared `sandbox` fixture in tests/fixtures/sandbox.py is reset per test and uses the
default credentials; these tests need a secret nobody else uses, to prove it never shows.)
"""

import socket

import pytest

from portal.sandbox.server import start

RECOGNISABLE_SECRET = "Zq7-portal-web-secret-4411"
SANDBOX_LOGIN = "web-tests"


@pytest.fixture(scope="session")
def web_sandbox():
    server = start(
        host="127.0.0.1", port=0, login=SANDBOX_LOGIN, secret=RECOGNISABLE_SECRET, seed="test"
    )
    yield server
    server.stop()


@pytest.fixture
def vi_at_sandbox(web_sandbox, settings):
    settings.VI_API_URL = web_sandbox.url
    settings.VI_LOGIN = SANDBOX_LOGIN
    settings.VI_SECRET = RECOGNISABLE_SECRET
    return web_sandbox


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on: the port was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/Services/APIService.asmx"
