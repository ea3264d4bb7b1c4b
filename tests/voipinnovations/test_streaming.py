"""`stream` reads audits record by record and agrees with `call`, field for field.

Bodies are served from the loopback server, so the same bytes go through both paths.
"""

from __future__ import annotations

import datetime

import pytest
from zeep.helpers import serialize_object

from portal.models import ProviderCall
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from portal.voipinnovations.wsdl import build
from tests.fixtures import shared
from tests.voipinnovations.loopback import envelope, soap_fault

pytestmark = pytest.mark.django_db

HEADER = "<responseCode>100</responseCode><responseMessage>Success</responseMessage>"


def did_xml(index: int) -> str:
    """Three flavours of DID, as VI writes them: full, empty strings / nil date, minimal."""
    tn = f"43521{index:05d}"
    if index % 3 == 0:
        return (
            f"<DID><tn>{tn}</tn><availability>assigned</availability><rewrite>{tn}</rewrite>"
            f"<status>Number currently assigned to you</status><statusCode>100</statusCode><tier>{index % 5}</tier>"
            "<refId>cust-9</refId><failover>8015550100</failover><forward/><cnamName>ACME CO</cnamName>"
            "<state>UT</state><rateCenter>ST GEORGE</rateCenter><didGroupId>12</didGroupId><Network>Onvoy</Network>"
            f"<endpointId>{8000 + index}</endpointId><expireDate>2014-05-21T22:27:05.26Z</expireDate>"
            "<has411>false</has411><has911>true</has911><cnam>true</cnam><cnamStorageActive>false</cnamStorageActive>"
            "<cnamStorageAvailability>true</cnamStorageAvailability><t38>true</t38></DID>"
        )
    if index % 3 == 1:
        return (
            f"<DID><tn>{tn}</tn><availability/><rewrite/><status/><statusCode>100</statusCode><tier/><refId/>"
            '<endpointId>0</endpointId><expireDate xsi:nil="true"/><has411>false</has411><has911>false</has911>'
            "<cnam>false</cnam><cnamStorageActive>false</cnamStorageActive><cnamStorageAvailability>false</cnamStorageAvailability>"
            "<t38>false</t38></DID>"
        )
    return (
        f"<DID><tn>{tn}</tn><statusCode>100</statusCode><endpointId>13550</endpointId>"
        "<expireDate>2013-11-25T17:32:48.707</expireDate><has411>true</has411><has911>true</has911><cnam>true</cnam>"
        "<cnamStorageActive>true</cnamStorageActive><cnamStorageAvailability>true</cnamStorageAvailability><t38>true</t38></DID>"
    )


def audit_dids_body(count: int) -> bytes:
    dids = "".join(did_xml(i) for i in range(count))
    return envelope("auditDIDs", f"{HEADER}<DIDs>{dids}</DIDs><DIDLocators/><DIDCounts/>")


def as_lists(zeep_record: dict, stream_record: dict) -> dict:
    """zeep's array wrappers (`{"string": [...]}`, or None when empty) as the stream's lists."""
    normal = dict(zeep_record)
    for name, value in stream_record.items():
        if isinstance(value, list):
            wrapped = normal.get(name)
            normal[name] = [] if wrapped is None else next(iter(wrapped.values())) or []
    return normal


def both_paths(
    canned_vi, operation: str, body: bytes, *, record_tag: str, items
) -> tuple[list, list]:
    canned_vi.reply(operation, body)
    result = call(operation)
    via_zeep = [serialize_object(record, target_cls=dict) for record in (items(result) or [])]
    via_stream = list(stream(operation, record_tag=record_tag))
    return [as_lists(z, s) for z, s in zip(via_zeep, via_stream, strict=False)], via_stream


def test_audit_dids_agrees_with_zeep_field_for_field(canned_vi):
    via_zeep, via_stream = both_paths(
        canned_vi, "auditDIDs", audit_dids_body(300), record_tag="DID", items=lambda r: r.DIDs.DID
    )

    assert len(via_stream) == 300
    assert via_stream == via_zeep
    full, empty, minimal = via_stream[:3]
    assert full["endpointId"] == 8000 and full["has911"] is True and full["Network"] == "Onvoy"
    assert full["expireDate"] == datetime.datetime(
        2014, 5, 21, 22, 27, 5, 260000, tzinfo=datetime.UTC
    )
    assert (
        empty["expireDate"] is None and empty["availability"] is None and empty["failover"] is None
    )
    assert minimal["rewrite"] is None and minimal["t38"] is True
    assert list(full) == list(via_zeep[0])  # same fields, in VI's order


def test_audit911_agrees_with_zeep(canned_vi):
    records = "".join(
        f"<DID911><locationId>{i}</locationId><tn>43531980{i:02d}</tn><callerName>ACME</callerName>"
        "<address1>1 Main St</address1><address2/><city>Provo</city><state>UT</state><zipCode>84601</zipCode>"
        "<latitude>40.2</latitude><longitude>-111.6</longitude><statusCode>PROVISIONED</statusCode>"
        "<statusDescription>Location is currently provisioned for URI</statusDescription>"
        + (
            '<activatedTime xsi:nil="true"/>'
            if i % 2
            else "<activatedTime>2014-03-24T19:14:39Z</activatedTime>"
        )
        + "<dateAdded>2014-03-24T15:14:40.743</dateAdded></DID911>"
        for i in range(20)
    )
    body = envelope(
        "audit911", f"{HEADER}<Statuses/><DID911s>{records}</DID911s><VILocations/><Alerts/>"
    )

    via_zeep, via_stream = both_paths(
        canned_vi, "audit911", body, record_tag="DID911", items=lambda r: r.DID911s.DID911
    )

    assert len(via_stream) == 20
    assert via_stream == via_zeep
    assert via_stream[1]["activatedTime"] is None
    assert via_stream[0]["dateAdded"] == datetime.datetime(2014, 3, 24, 15, 14, 40, 743000)
    assert ProviderCall.objects.filter(operation="audit911", outcome="ok").count() == 2
    assert ProviderCall.objects.filter(operation="audit911").first().item_codes == {
        "PROVISIONED": 20
    }


def test_nested_arrays_come_as_lists(canned_vi, vi_settings):
    vi_settings.VI_WSDL = str(build.WSDL_PATH)  # endpoint groups are in our WSDL only
    groups = (
        "<EndpointGroup><id>8674</id><name>Main trunk</name><client>Acme</client><port>5060</port><prepend/>"
        "<rateDeck>standard</rateDeck><stripPlus>true</stripPlus><stripCountryCode>false</stripCountryCode>"
        "<international>false</international><monthToDateUsage>123.45</monthToDateUsage>"
        "<ipAddresses><string>192.0.2.10</string><string>192.0.2.11</string></ipAddresses><active>true</active></EndpointGroup>"
        "<EndpointGroup><id>8675</id><port>5080</port><stripPlus>false</stripPlus><stripCountryCode>false</stripCountryCode>"
        "<international>true</international><monthToDateUsage>0</monthToDateUsage><ipAddresses/><active>false</active>"
        "</EndpointGroup>"
    )
    body = envelope("AuditEndpointGroups", f"{HEADER}<EndpointGroups>{groups}</EndpointGroups>")

    via_zeep, via_stream = both_paths(
        canned_vi,
        "AuditEndpointGroups",
        body,
        record_tag="EndpointGroup",
        items=lambda r: r.EndpointGroups.EndpointGroup,
    )

    assert via_stream == via_zeep
    assert via_stream[0]["ipAddresses"] == ["192.0.2.10", "192.0.2.11"]
    assert via_stream[1]["ipAddresses"] == []
    assert str(via_stream[0]["monthToDateUsage"]) == "123.45"


def test_the_dummy_record_of_an_empty_account_yields_nothing(canned_vi):
    canned_vi.reply("auditDIDs", shared.read_captured("did/audit_dids.xml"))

    assert list(stream("auditDIDs", record_tag="DID")) == []
    row = ProviderCall.objects.get()
    assert (row.outcome, row.response_code, row.item_codes) == ("ok", 100, {"101200": 1})


def test_no_records_found_yields_nothing(canned_vi):
    canned_vi.reply(
        "auditDIDs",
        envelope(
            "auditDIDs",
            "<responseCode>101</responseCode><responseMessage>No Records Found</responseMessage>",
        ),
    )

    assert list(stream("auditDIDs", record_tag="DID")) == []
    assert ProviderCall.objects.get().outcome == "ok"


def test_a_refusal_raises_before_any_record(canned_vi):
    refused = envelope(
        "auditDIDs",
        "<responseCode>902</responseCode><responseMessage>Username/password/IP not found</responseMessage>"
        f"<DIDs>{did_xml(0)}</DIDs>",
    )
    canned_vi.reply("auditDIDs", refused)
    received = []

    with pytest.raises(ProviderRejected) as caught:
        for record in stream("auditDIDs", record_tag="DID"):
            received.append(record)

    assert received == []
    assert caught.value.code == "902"
    assert "API login" in caught.value.message
    row = ProviderCall.objects.get()
    assert (row.outcome, row.response_code) == ("refused", 902)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_cut_mid_record_raises_after_what_was_read(canned_vi, chunked):
    body = audit_dids_body(2000)
    canned_vi.reply("auditDIDs", body, cut_at=len(body) * 2 // 3, chunked=chunked)
    received = []

    with pytest.raises(ProviderUnavailable, match="broke off"):
        for record in stream("auditDIDs", record_tag="DID"):
            received.append(record)

    assert 0 < len(received) < 2000  # never a silently short list: the error follows them
    row = ProviderCall.objects.get()
    assert row.outcome == "unavailable" and "broke off" in row.error


def test_a_well_formed_body_without_its_end_is_still_incomplete(canned_vi):
    body = audit_dids_body(10)
    # Cut exactly after a record: every record parsed is whole, the document is not.
    cut = body.index(b"</DID>", len(body) // 2) + len(b"</DID>")
    canned_vi.reply("auditDIDs", body[:cut])

    with pytest.raises(ProviderUnavailable):
        list(stream("auditDIDs", record_tag="DID"))


def test_malformed_xml(canned_vi):
    canned_vi.reply("auditDIDs", audit_dids_body(5).replace(b"<tier>", b"<tier>&", 1))

    with pytest.raises(ProviderUnavailable, match="not valid XML"):
        list(stream("auditDIDs", record_tag="DID"))


def test_soap_fault_with_http_500(canned_vi):
    canned_vi.reply("auditDIDs", soap_fault("Timeout expired."), status=500)

    with pytest.raises(
        ProviderUnavailable, match="^VI answered with a SOAP fault: Timeout expired.$"
    ):
        list(stream("auditDIDs", record_tag="DID"))
    assert ProviderCall.objects.get().outcome == "unavailable"


def test_soap_fault_with_http_200(canned_vi):
    canned_vi.reply("auditDIDs", soap_fault("Object reference not set"))

    with pytest.raises(ProviderUnavailable, match="SOAP fault: Object reference not set"):
        list(stream("auditDIDs", record_tag="DID"))


def test_an_answer_slower_than_the_audit_timeout(canned_vi, vi_settings):
    vi_settings.VI_AUDIT_READ_TIMEOUT = 0.3
    canned_vi.reply("auditDIDs", audit_dids_body(3), delay=3)

    with pytest.raises(ProviderUnavailable, match="did not answer within 0.3 s"):
        list(stream("auditDIDs", record_tag="DID"))


def test_a_consumer_that_stops_early_still_leaves_a_row(canned_vi):
    canned_vi.reply("auditDIDs", audit_dids_body(50))

    records = stream("auditDIDs", record_tag="DID")
    first = next(records)
    records.close()

    assert first["tn"] == "4352100000"
    row = ProviderCall.objects.get()
    assert row.outcome == "ok" and row.error == "Stopped by the caller after 1 records"


def test_an_unknown_record_tag_is_a_programming_error(canned_vi):
    with pytest.raises(ValueError, match="'DIDz' is not an element"):
        list(stream("auditDIDs", record_tag="DIDz"))
    assert canned_vi.received == []
