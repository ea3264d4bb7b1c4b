"""Everything that is not an answer from VI reaches the caller as ProviderUnavailable.

Served from a loopback server shaped per test (the sandbox's fault injection is exercised
in test_client_sandbox.py). Each failure still leaves a ProviderCall row.
"""

from __future__ import annotations

import socket

import pytest

from portal.models import ProviderCall
from portal.voipinnovations.client import call
from portal.voipinnovations.errors import ProviderUnavailable
from tests.fixtures import shared
from tests.voipinnovations.loopback import envelope, soap_fault

pytestmark = pytest.mark.django_db

ASSIGNED = shared.read_captured("did/assign_did.xml")
DID_PARAMS = {"didParams": {"DIDParam": [{"tn": "4352154006", "epg": 8674}]}}


def assert_unavailable(match: str) -> ProviderCall:
    with pytest.raises(ProviderUnavailable, match=match) as caught:
        call("assignDID", **DID_PARAMS)
    row = ProviderCall.objects.get()
    assert row.outcome == "unavailable"
    assert row.error == caught.value.message
    assert row.response_code is None
    return row


def test_an_answer_slower_than_the_read_timeout(canned_vi, vi_settings):
    vi_settings.VI_READ_TIMEOUT = 0.3
    canned_vi.reply("assignDID", ASSIGNED, delay=3)

    row = assert_unavailable(r"VI did not answer within 0.3 s")
    assert row.duration_ms < 2500


def test_audits_wait_for_the_audit_timeout_not_the_normal_one(canned_vi, vi_settings):
    vi_settings.VI_READ_TIMEOUT = 0.2
    vi_settings.VI_AUDIT_READ_TIMEOUT = 3
    canned_vi.reply("auditDIDs", shared.read_captured("did/audit_dids.xml"), delay=0.5)

    assert call("auditDIDs").responseCode == 100


def test_nobody_listening(vi_settings):
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    vi_settings.VI_API_URL = f"http://127.0.0.1:{port}/Services/APIService.asmx"

    assert_unavailable(r"VI could not be reached")


def test_a_soap_fault_with_http_500(canned_vi):
    canned_vi.reply("assignDID", soap_fault("Server was unable to process request."), status=500)

    assert_unavailable(r"^VI answered with a SOAP fault: Server was unable to process request\.$")


def test_a_soap_fault_with_http_200(canned_vi):
    canned_vi.reply("assignDID", soap_fault("Object reference not set"))

    assert_unavailable(r"SOAP fault: Object reference not set")


def test_an_html_error_page(canned_vi):
    canned_vi.reply(
        "assignDID",
        b"<html><body>Runtime Error</body></html>",
        status=500,
        content_type="text/html",
    )

    assert_unavailable(r"^VI answered HTTP 500$")


def test_a_gateway_error_without_a_body(canned_vi):
    canned_vi.reply("assignDID", b"", status=503)

    assert_unavailable(r"^VI answered HTTP 503$")


def test_malformed_xml(canned_vi):
    canned_vi.reply("assignDID", b"<soap:Envelope><soap:Body><assignDIDResponse>&&&")

    assert_unavailable(r"not valid XML")


def test_a_body_cut_short_of_its_content_length(canned_vi):
    canned_vi.reply("assignDID", ASSIGNED, cut_at=len(ASSIGNED) // 2)

    assert_unavailable(r"broke off|not valid XML")


def test_a_chunked_body_that_stops_mid_record(canned_vi):
    canned_vi.reply("assignDID", ASSIGNED, cut_at=len(ASSIGNED) // 2, chunked=True)

    assert_unavailable(r"broke off|not valid XML")


def test_an_answer_that_breaks_the_schema(canned_vi):
    canned_vi.reply(
        "assignDID",
        envelope(
            "assignDID",
            "<responseCode>100</responseCode><responseMessage>ok</responseMessage><Surprise>1</Surprise>",
        ),
    )

    assert_unavailable(r"does not match its service description")


def test_an_empty_envelope(canned_vi):
    canned_vi.reply(
        "assignDID",
        b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
    )

    assert_unavailable(r"no result|could not be read|does not match")


def test_a_refusal_is_returned_not_raised(canned_vi):
    canned_vi.reply(
        "assignDID",
        envelope(
            "assignDID",
            "<responseCode>902</responseCode><responseMessage>Username/password/IP not found</responseMessage>"
            "<DIDs/><DIDLocators/><DIDCounts/>",
        ),
    )

    result = call("assignDID", **DID_PARAMS)

    assert result.responseCode == 902
    row = ProviderCall.objects.get()
    assert (row.outcome, row.response_code, row.response_message) == (
        "refused",
        902,
        "Username/password/IP not found",
    )


def test_an_unknown_operation_is_a_programming_error_not_an_outage(canned_vi):
    with pytest.raises(ValueError, match="no operation 'assignDIDs'"):
        call("assignDIDs")
    assert canned_vi.received == []
    assert ProviderCall.objects.get().error.startswith("Not sent")


@pytest.mark.parametrize(
    "params",
    [
        {"didParam": {"DIDParam": [{"tn": "4352154006", "epg": 8674}]}},  # misspelt wrapper
        {"didParams": {"DIDParam": [{"tn": "4352154006", "epgId": 8674}]}},  # no such field
    ],
)
def test_bad_parameters_are_refused_before_sending(canned_vi, params):
    with pytest.raises(ValueError, match="Invalid parameters for assignDID"):
        call("assignDID", **params)
    assert canned_vi.received == []
