"""One zeep client per process, shaped by the settings; the address always from VI_API_URL."""

from __future__ import annotations

from portal.voipinnovations.client import get_service
from tests.fixtures import shared


def test_the_client_is_built_once_and_the_address_follows_the_settings(vi_settings):
    vi_settings.VI_API_URL = "http://127.0.0.1:9/first/APIService.asmx"
    client, first = get_service()
    same_client, again = get_service()

    vi_settings.VI_API_URL = "http://127.0.0.1:9/second/APIService.asmx"
    reused_client, moved = get_service()

    assert same_client is client and again is first  # not rebuilt per call
    assert reused_client is client  # the WSDL is parsed once; only the address changes
    assert first._binding_options["address"].endswith("/first/APIService.asmx")
    assert moved._binding_options["address"].endswith("/second/APIService.asmx")
    assert "voipinnovations.com" not in moved._binding_options["address"]


def test_a_different_wsdl_or_timeout_builds_a_different_client(vi_settings):
    client, _ = get_service()
    vi_settings.VI_READ_TIMEOUT = 7.5
    other_timeout, _ = get_service()
    vi_settings.VI_WSDL = str(shared.SANDBOX_WSDL)
    other_wsdl, _ = get_service()

    assert other_timeout is not client
    assert other_wsdl is not other_timeout
    assert other_timeout.transport.load_timeout == (2.0, 7.5)
