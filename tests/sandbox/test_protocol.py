"""How the sandbox reads requests and answers: WSDL, SOAP 1.1/1.2, VI's tolerance, faults."""

from __future__ import annotations

import requests
from lxml import etree

from .soap_client import SOAP11, SOAP12, envelope, items, post, result_of

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def test_wsdl_is_served_with_the_sandbox_address(sandbox):
    response = requests.get(sandbox.url + "?wsdl", timeout=10)
    root = etree.fromstring(response.content)
    locations = {
        el.get("location")
        for el in root.iter(etree.Element)
        if etree.QName(el).localname == "address"
    }
    assert locations == {sandbox.url}
    operations = {op.get("name") for op in root.iter("{http://schemas.xmlsoap.org/wsdl/}operation")}
    assert {"auditDIDs", "GetPrepaidBalance", "AuditClients", "getDIDsExtended"} <= operations


def test_prefixed_reordered_nil_request_is_answered_like_vi(sandbox):
    # Kazoo's style: tns: prefixes, credentials last, unused criteria as xsi:nil.
    body = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP11}" xmlns:tns="http://tempuri.org/" xmlns:xsi="{XSI}">'
        "<soapenv:Header/><soapenv:Body><tns:getDIDs>"
        '<tns:npa xsi:nil="true"/><tns:state>UT</tns:state><tns:lata xsi:nil="true"/>'
        '<tns:rateCenter xsi:nil="true"/><tns:t38 xsi:nil="true"/>'
        f"<tns:secret>{sandbox.secret}</tns:secret><tns:login>{sandbox.login}</tns:login>"
        "</tns:getDIDs></soapenv:Body></soapenv:Envelope>"
    )
    result = result_of(post(sandbox.url, body, operation="getDIDs"), "getDIDs")
    assert result["responseCode"] == "100"
    locators = items(result, "DIDLocators", "DIDLocator")
    assert locators and {loc["state"] for loc in locators} == {"UT"}


def test_did_param_children_in_any_order(sandbox, soap):
    tn = sandbox.control.state("numbers/available")[0]
    inner = (
        f"<didParams><DIDParam><refId>r1</refId><epg>8674</epg><tn>{tn}</tn></DIDParam></didParams>"
    )
    assert soap.dids("assignDID", inner)[0]["statusCode"] == "100"


def test_soap12_is_answered_in_soap12(sandbox):
    body = envelope(
        "GetPrepaidBalance", "", login=sandbox.login, secret=sandbox.secret, version=SOAP12
    )
    response = post(sandbox.url, body, operation="GetPrepaidBalance", version=SOAP12)
    assert response.headers["Content-Type"].startswith("application/soap+xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{SOAP12}}}Envelope"
    assert result_of(response, "GetPrepaidBalance")["Amount"] == "500.00"


def test_bad_credentials_are_902_at_http_200_in_the_operations_own_result(sandbox):
    body = envelope("auditDIDs", "", login=sandbox.login, secret="wrong")
    response = post(sandbox.url, body, operation="auditDIDs")
    result = result_of(response, "auditDIDs")
    assert (response.status_code, result["responseCode"]) == (200, "902")
    assert "wrong" not in response.text and sandbox.secret not in response.text


def test_malformed_xml_is_a_soap_fault_with_http_500(sandbox):
    response = post(sandbox.url, "<soap:Envelope><broken", operation="auditDIDs")
    assert response.status_code == 500
    assert etree.fromstring(response.content).find(f".//{{{SOAP11}}}Fault") is not None


def test_unknown_operation_is_a_soap_fault_with_http_500(sandbox):
    body = envelope("stealDIDs", "", login=sandbox.login, secret=sandbox.secret)
    response = post(sandbox.url, body, operation="stealDIDs")
    assert response.status_code == 500
    assert "stealDIDs" in etree.fromstring(response.content).findtext(".//faultstring")


def test_empty_arrays_and_required_value_types_are_written(soap, sandbox):
    body = envelope("getDIDCount", "<state>UT</state>", login=sandbox.login, secret=sandbox.secret)
    text = post(sandbox.url, body, operation="getDIDCount").text
    assert "<DIDs/><DIDLocators/>" in text
    assert "<ConferenceLine><Enabled>false</Enabled></ConferenceLine>" in text


def test_summary_and_unknown_control_paths(sandbox):
    summary = sandbox.control.summary()
    assert summary["seed"] == "test" and summary["dids"]["owned"] == 50
    assert requests.get(sandbox.base_url + "/_sandbox/nothing", timeout=5).status_code == 404


def test_a_client_built_from_the_served_wsdl_reaches_the_sandbox(sandbox):
    import zeep

    client = zeep.Client(sandbox.url + "?wsdl", settings=zeep.Settings(strict=True))
    result = client.service.AuditEndpointGroups(login=sandbox.login, secret=sandbox.secret)
    assert result.responseCode == 100
    assert {group.id for group in result.EndpointGroups.EndpointGroup} == {8674, 8675, 8676}
