"""Each fault kind makes the next matching call misbehave, then the sandbox recovers."""

from __future__ import annotations

import time

import pytest
import requests
from lxml import etree

from .soap_client import envelope, items, post, result_of


def _audit(sandbox, timeout: float = 10) -> requests.Response:
    body = envelope("auditDIDs", "", login=sandbox.login, secret=sandbox.secret)
    return post(sandbox.url, body, operation="auditDIDs", timeout=timeout)


def test_faults_hit_only_the_named_operation_and_only_n_times(sandbox, soap):
    sandbox.control.fault("http500", operation="auditDIDs", times=2)
    assert soap.call("GetPrepaidBalance")["responseCode"] == "100"
    assert _audit(sandbox).status_code == 500
    assert _audit(sandbox).status_code == 500
    assert _audit(sandbox).status_code == 200


def test_latency_delays_the_answer(sandbox):
    sandbox.control.fault("latency", seconds=0.6)
    started = time.monotonic()
    response = _audit(sandbox)
    assert time.monotonic() - started >= 0.6
    assert result_of(response, "auditDIDs")["responseCode"] == "100"


def test_timeout_holds_the_connection_past_the_clients_timeout(sandbox):
    sandbox.control.fault("timeout", seconds=3)
    with pytest.raises(requests.exceptions.ReadTimeout):
        _audit(sandbox, timeout=0.5)
    assert _audit(sandbox).status_code == 200


def test_soapfault_is_http_500_with_a_fault(sandbox):
    sandbox.control.fault("soapfault")
    response = _audit(sandbox)
    assert response.status_code == 500
    assert (
        etree.fromstring(response.content).find(
            ".//{http://schemas.xmlsoap.org/soap/envelope/}Fault"
        )
        is not None
    )


def test_malformed_is_http_200_with_broken_xml(sandbox):
    sandbox.control.fault("malformed")
    response = _audit(sandbox)
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


def test_auth_answers_902(sandbox):
    sandbox.control.fault("auth")
    assert result_of(_audit(sandbox), "auditDIDs")["responseCode"] == "902"


def test_empty_answers_100_with_the_dummy_record(sandbox):
    sandbox.control.fault("empty", operation="auditDIDs")
    result = result_of(_audit(sandbox), "auditDIDs")
    [dummy] = items(result, "DIDs", "DID")
    assert (result["responseCode"], dummy["statusCode"]) == ("100", "101200")


def test_truncated_cuts_the_body_mid_record(sandbox):
    full = _audit(sandbox).content
    sandbox.control.fault("truncated")
    response = _audit(sandbox)
    assert 0 < len(response.content) < len(full)
    assert full.startswith(response.content)
    assert (
        response.content.rstrip().endswith(b">") is False
        or b"</auditDIDsResponse>" not in response.content
    )
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


def test_clearing_faults_and_rejecting_unknown_kinds(sandbox):
    sandbox.control.fault("http500", times=5)
    sandbox.control.clear_faults()
    assert _audit(sandbox).status_code == 200
    with pytest.raises(AssertionError, match="kind must be one of"):
        sandbox.control.fault("gremlins")
