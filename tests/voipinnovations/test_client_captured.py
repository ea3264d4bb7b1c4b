"""VI's recorded answers, served over loopback HTTP, read through `call` to VI's values.

The files stay in ../shared (read in place). Each is served byte for byte to the client,
which builds its request from a WSDL (VI's 2014 production one, and ours), posts it, and
hands back the Result; each call leaves one ProviderCall row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from portal.models import ProviderCall, Source
from portal.voipinnovations import codes
from portal.voipinnovations.client import call, provider_context
from portal.voipinnovations.wsdl import build
from tests.fixtures import shared
from tests.voipinnovations.conftest import TEST_LOGIN, TEST_SECRET

pytestmark = pytest.mark.django_db

DID_PARAMS = {"didParams": {"DIDParam": [{"tn": "4352154006", "epg": 8674}]}}

CAPTURED = [
    # (file, operation, parameters, checks on the Result)
    (
        "did/assign_did.xml",
        "assignDID",
        DID_PARAMS,
        lambda r: (
            r.DIDs.DID[0].tn == "4352154006"
            and r.DIDs.DID[0].statusCode == "100"
            and r.DIDs.DID[0].status
            == "Assigned to endpoint '8674' rewritten as '4352154006' Tier 2"
            and r.DIDs.DID[0].tier == "2"
            and r.DIDs.DID[0].endpointId == 0
            and r.DIDs.DID[0].expireDate == datetime.datetime(1900, 1, 1)
            and r.DIDs.DID[0].has911 is False
        ),
    ),
    (
        "did/config_did.xml",
        "configDID",
        DID_PARAMS,
        lambda r: r.DIDs.DID[0].status.startswith("Reconfigured to endpoint '8675'"),
    ),
    (
        "did/reserve_did.xml",
        "reserveDID",
        DID_PARAMS,
        lambda r: (
            r.DIDs.DID[0].refId == "bada55"
            and r.ConferenceLine.Enabled is False
            and r.DIDGroups is None
        ),
    ),
    (
        "did/release_did.xml",
        "releaseDID",
        {"didParams": {"DIDParam": [{"tn": "4352154974", "epg": 0}]}},
        lambda r: r.DIDs.DID[0].statusCode == "106231" and r.DIDs.DID[0].tier is None,
    ),
    (
        "did/query_did.xml",
        "queryDID",
        {"did": "4353198001"},
        lambda r: (
            r.DIDs.DID[0].Network == "Onvoy"
            and r.DIDs.DID[0].endpointId == 13550
            and r.DIDs.DID[0].expireDate == datetime.datetime(2013, 11, 25, 17, 32, 48, 707000)
            and r.DIDs.DID[0].cnam is True
            and r.DIDs.DID[0].availability == "assigned"
        ),
    ),
    (
        "did/audit_dids.xml",
        "auditDIDs",
        {},
        lambda r: (
            len(r.DIDs.DID) == 1
            and codes.is_dummy_record(r.DIDs.DID[0].statusCode)
            and r.DIDs.DID[0].tier == "-99999"
        ),
    ),
    (
        "did/get_dids.xml",
        "getDIDs",
        {"npa": "435"},
        lambda r: (
            r.DIDs is None
            and r.DIDLocators.DIDLocator[0].tn == "4352016526"
            and r.DIDLocators.DIDLocator[0].lataId == 660
            and r.DIDLocators.DIDLocator[0].outboundCNAM is True
        ),
    ),
    (
        "did/get_did_count.xml",
        "getDIDCount",
        {"state": "UT"},
        lambda r: (
            r.DIDCounts.DIDCount[0].didCount == "4"  # a string in VI's schema
            and r.DIDCounts.DIDCount[0].rateCenter == "BEAVER"
            and r.DIDCounts.DIDCount[0].lataId == 660
        ),
    ),
    (
        "port/get_port_details.xml",
        "getPortDetails",
        {"portId": 36623},
        lambda r: (
            r.PortDetails.id == 36623
            and r.PortDetails.endUser == "Rob  Richey"
            and r.PortDetails.submittedDate is None
            and r.PortDetails.dids.PortDID[0].endpointGroup == 8674
            and r.PortDetails.defaultEndpointGroup == 8674
            and r.IsPortable is False
        ),
    ),
    (
        "port/is_portable.xml",
        "isPortable",
        {"tn": "4352154006"},
        lambda r: (
            r.IsPortable is True
            and r.PortDetails.id == 0
            and r.PortDetails.defaultEndpointGroup is None
        ),
    ),
    (
        "cnam/get_cnam_display.xml",
        "GetCNAMDisplay",
        {"tn": "4352154006"},
        lambda r: r.DisplayName == "SATAN",
    ),
    (
        "cnam/update_cnam_display.xml",
        "UpdateCNAMDisplay",
        {"tn": "4352154006", "name": "SATAN"},
        lambda r: r.responseMessage == "Success",
    ),
    (
        "cnam/remove_cnam.xml",
        "RemoveCNAM",
        {"tn": "4352154006"},
        lambda r: r.responseMessage == "Success",
    ),
]


@pytest.fixture(params=["vi-2014", "ours"])
def wsdl(request, vi_settings):
    """The client works from VI's own WSDL and from ours, for every captured answer."""
    vi_settings.VI_WSDL = str(
        shared.PRODUCTION_WSDL if request.param == "vi-2014" else build.WSDL_PATH
    )
    return request.param


@pytest.mark.parametrize("path, operation, params, check", CAPTURED, ids=[c[0] for c in CAPTURED])
def test_captured_answer_reads_to_vis_values(canned_vi, wsdl, path, operation, params, check):
    canned_vi.reply(operation, shared.read_captured(path))

    result = call(operation, **params)

    assert result.responseCode == 100
    assert check(result)
    row = ProviderCall.objects.get()
    assert (row.operation, row.outcome, row.response_code, row.response_message) == (
        operation,
        "ok",
        100,
        "Success",
    )


def test_login_and_secret_go_first_in_every_request_and_the_address_is_ours(canned_vi):
    canned_vi.reply("assignDID", shared.read_captured("did/assign_did.xml"))

    call("assignDID", **DID_PARAMS)

    sent = canned_vi.received[0]
    assert sent.path == "/Services/APIService.asmx"  # not the WSDL's backoffice.voipinnovations.com
    assert sent.headers["SOAPAction"].strip('"') == "http://tempuri.org/assignDID"
    assert sent.headers["Content-Type"].startswith("text/xml")
    operation = etree.fromstring(sent.body).find(".//{http://tempuri.org/}assignDID")
    children = [(etree.QName(child).localname, child.text) for child in operation]
    assert children[:2] == [("login", TEST_LOGIN), ("secret", TEST_SECRET)]
    assert operation.findtext(".//{http://tempuri.org/}epg") == "8674"


def test_per_number_codes_are_counted_and_the_caller_recorded(canned_vi, django_user_model):
    user = django_user_model.objects.create_user("operator-1")
    canned_vi.reply("releaseDID", shared.read_captured("did/release_did.xml"))

    with provider_context(actor=user, source=Source.STAFF):
        result = call("releaseDID", didParams={"DIDParam": [{"tn": "4352154974", "epg": 0}]})

    # Top level 100, the number itself refused: returned, not raised.
    assert result.responseCode == 100
    assert codes.is_refusal(result.DIDs.DID[0].statusCode)
    row = ProviderCall.objects.get()
    assert row.item_codes == {"106231": 1}
    assert row.outcome == "ok"
    assert (row.actor, row.source) == (user, "staff")
    assert row.parameters == {"didParams": {"DIDParam": [{"tn": "4352154974", "epg": 0}]}}
    assert row.duration_ms >= 0


def test_without_a_context_calls_are_the_systems(canned_vi):
    canned_vi.reply("GetCNAMDisplay", shared.read_captured("cnam/get_cnam_display.xml"))

    call("GetCNAMDisplay", tn="4352154006")

    row = ProviderCall.objects.get()
    assert (row.actor, row.source) == (None, "system")


def test_a_decimal_comes_back_as_decimal(canned_vi):
    canned_vi.reply(
        "GetPrepaidBalance",
        b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        b'<GetPrepaidBalanceResponse xmlns="http://tempuri.org/"><GetPrepaidBalanceResult>'
        b"<responseCode>100</responseCode><responseMessage>Success</responseMessage><Amount>12.50</Amount>"
        b"</GetPrepaidBalanceResult></GetPrepaidBalanceResponse></soap:Body></soap:Envelope>",
    )

    assert call("GetPrepaidBalance").Amount == Decimal("12.50")
