"""The client against the sandbox over HTTP, with our WSDL: answers, refusals, every fault."""

from __future__ import annotations

import pytest
from zeep.helpers import serialize_object

from portal.models import ProviderCall
from portal.voipinnovations import codes
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from portal.voipinnovations.wsdl import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def vi(sandbox, settings):
    settings.VI_WSDL = str(build.WSDL_PATH)
    settings.VI_CONNECT_TIMEOUT = 2.0
    settings.VI_READ_TIMEOUT = 0.5
    settings.VI_AUDIT_READ_TIMEOUT = 0.5
    return sandbox


def zeep_records(items) -> list[dict]:
    """zeep's records as plain dicts, array wrappers (`ipAddresses.string`) as lists."""
    records = []
    for item in items or []:
        record = serialize_object(item, target_cls=dict)
        for name, value in record.items():
            if (
                isinstance(value, dict)
                and len(value) == 1
                and isinstance(next(iter(value.values())), list)
            ):
                record[name] = next(iter(value.values()))
        records.append(record)
    return records


def test_audit_dids_both_paths_agree_on_the_whole_account(vi):
    owned = vi.control.summary()["dids"]["owned"]

    via_zeep = zeep_records(call("auditDIDs").DIDs.DID)
    via_stream = list(stream("auditDIDs", record_tag="DID"))

    assert len(via_stream) == owned > 0
    assert via_stream == via_zeep


def test_audit911_both_paths_agree(vi):
    via_zeep = zeep_records(call("audit911").DID911s.DID911)
    via_stream = list(stream("audit911", record_tag="DID911"))

    assert len(via_stream) > 0
    assert via_stream == via_zeep


def test_endpoint_groups_both_paths_agree_with_address_lists(vi):
    via_zeep = zeep_records(call("AuditEndpointGroups").EndpointGroups.EndpointGroup)
    via_stream = list(stream("AuditEndpointGroups", record_tag="EndpointGroup"))

    assert via_stream == via_zeep
    assert all(isinstance(group["ipAddresses"], list) for group in via_stream)


def test_a_per_number_refusal_comes_back_under_success(vi):
    inventory = call("getDIDs", state="TF").DIDLocators.DIDLocator
    not_ours = inventory[0].tn

    result = call("releaseDID", didParams={"DIDParam": [{"tn": not_ours, "epg": 0}]})

    assert result.responseCode == 100
    assert result.DIDs.DID[0].statusCode == "106231"
    assert codes.is_refusal(result.DIDs.DID[0].statusCode)
    assert ProviderCall.objects.filter(operation="releaseDID").get().item_codes == {"106231": 1}


def test_a_wrong_secret_is_a_refusal_not_an_outage(vi, settings):
    settings.VI_SECRET = "not-the-secret"

    result = call("queryDID", did="4352154006")

    assert result.responseCode == 902
    assert codes.describe(result.responseCode).is_refusal
    assert ProviderCall.objects.get().outcome == "refused"
    with pytest.raises(ProviderRejected) as caught:
        list(stream("auditDIDs", record_tag="DID"))
    assert caught.value.code == "902"


@pytest.mark.parametrize(
    "kind, seconds, message",
    [
        ("latency", 2, r"^VI did not answer within 0.5 s$"),
        ("timeout", 3, r"^VI did not answer within 0.5 s$"),
        ("http500", None, r"^VI answered HTTP 500$"),
        (
            "soapfault",
            None,
            r"^VI answered with a SOAP fault: Server was unable to process request",
        ),
        ("malformed", None, r"^VI's answer is not valid XML$"),
        ("truncated", None, r"^VI's answer is not valid XML$"),
    ],
)
def test_each_fault_reaches_call_as_provider_unavailable(vi, kind, seconds, message):
    vi.control.fault(kind, operation="queryDID", seconds=seconds)

    with pytest.raises(ProviderUnavailable, match=message):
        call("queryDID", did="4352154006")

    row = ProviderCall.objects.get()
    assert row.outcome == "unavailable" and row.error


@pytest.mark.parametrize(
    "kind, seconds, message",
    [
        ("latency", 2, r"^VI did not answer within 0.5 s$"),
        ("timeout", 3, r"^VI did not answer within 0.5 s$"),
        ("http500", None, r"^VI answered HTTP 500$"),
        (
            "soapfault",
            None,
            r"^VI answered with a SOAP fault: Server was unable to process request",
        ),
        ("malformed", None, r"^VI's answer broke off or is not valid XML$"),
        ("truncated", None, r"^VI's answer broke off or is not valid XML$"),
    ],
)
def test_each_fault_reaches_stream_as_provider_unavailable(vi, kind, seconds, message):
    vi.control.fault(kind, operation="auditDIDs", seconds=seconds)

    with pytest.raises(ProviderUnavailable, match=message):
        list(stream("auditDIDs", record_tag="DID"))

    assert ProviderCall.objects.get().outcome == "unavailable"


def test_the_auth_fault_is_a_refusal(vi):
    vi.control.fault("auth", operation="*", times=2)

    assert call("queryDID", did="4352154006").responseCode == 902
    with pytest.raises(ProviderRejected):
        list(stream("auditDIDs", record_tag="DID"))
    assert list(ProviderCall.objects.values_list("outcome", flat=True)) == ["refused", "refused"]


def test_the_empty_fault_gives_an_empty_stream_and_a_dummy_record_to_call(vi):
    vi.control.fault("empty", operation="auditDIDs", times=2)

    assert list(stream("auditDIDs", record_tag="DID")) == []
    result = call("auditDIDs")
    assert [codes.is_dummy_record(did.statusCode) for did in result.DIDs.DID] == [True]
