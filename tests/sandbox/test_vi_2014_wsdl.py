"""A zeep client built from VI's own 2014 production WSDL talks to the sandbox.

Every one of that WSDL's 48 operations is called through zeep in its default STRICT mode,
which refuses any element the 2014 file does not know: the sandbox writes the elements we
added to VI's types (`PortResponse.ActivePorts`/`PortHistory`, `ConferenceLine.TN`) only in
the answers of the operations that fill them, none of which is a 2014 operation. The numbers
operations (ours) must succeed (100); the 911 and port operations must at least answer a
well-formed Result, without the 900 of a handler crash.
"""

from __future__ import annotations

import pytest
import zeep
from lxml import etree

from portal.sandbox import registry, schema
from tests.fixtures.shared import PRODUCTION_WSDL

WSDL_OPERATIONS = sorted(
    op.get("name")
    for op in etree.parse(str(PRODUCTION_WSDL)).iterfind(
        "{http://schemas.xmlsoap.org/wsdl/}portType/{http://schemas.xmlsoap.org/wsdl/}operation"
    )
)
OTHER_DOMAINS = {
    "validate911",
    "insert911",
    "update911",
    "addLocation",
    "provisionLocation",
    "removeLocation",
    "getLocations",
    "getProvisioningHistory",
    "query911",
    "remove911",
    "audit911",
    "Add911Alert",
    "Remove911Alert",
    "Query911Alert",
    "isPortable",
    "getPortDetails",
}
ADDRESS = {
    "address1": "350 S 200 E",
    "address2": "",
    "city": "Salt Lake City",
    "state": "UT",
    "zip": "84111",
    "plusFour": "",
    "callerName": "ACME",
}


def _extended_types() -> set[str]:
    """Types our WSDL grew beyond VI's 2014 one (fields added later, e.g. ConferenceLine.TN)."""
    old, ours = schema.load(PRODUCTION_WSDL), schema.load()
    return {
        name
        for name, fields in old.types.items()
        if [f.name for f in ours.types.get(name, ())] != [f.name for f in fields]
    }


def _uses_extended_type(operation: str, extended: set[str]) -> bool:
    ours = schema.load()
    seen, pending = set(), [ours.results[operation][1]]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in extended:
            return True
        pending.extend(f.type for f in ours.types.get(name, ()) if not f.is_simple)
    return False


EXTENDED = _extended_types()


@pytest.fixture
def soap_raw(sandbox):
    """The raw text of the sandbox's answer to `operation` (SOAP 1.1, 2014 element names)."""
    import urllib.request
    from xml.sax.saxutils import escape

    def send(operation: str, arguments: dict) -> str:
        def render(value) -> str:
            if isinstance(value, dict):
                return "".join(f"<{key}>{render(item)}</{key}>" for key, item in value.items())
            if isinstance(value, list):
                return "".join(render(item) for item in value)
            return escape(str(value))

        inner = render({"login": sandbox.login, "secret": sandbox.secret, **arguments})
        envelope = (
            '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            f'<soap:Body><{operation} xmlns="http://tempuri.org/">{inner}</{operation}></soap:Body></soap:Envelope>'
        )
        request = urllib.request.Request(
            sandbox.url,
            data=envelope.encode(),
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"http://tempuri.org/{operation}"',
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()

    return send


@pytest.fixture(scope="module")
def vi_client():
    return zeep.Client(str(PRODUCTION_WSDL))


@pytest.fixture
def service(vi_client, sandbox):
    binding = "{http://tempuri.org/}APIServiceSoap"
    return vi_client.create_service(binding, sandbox.url)


def _world(sandbox) -> dict:
    control = sandbox.control
    owned = control.state("numbers/owned")
    candidates = (
        tn
        for tn in control.state("numbers/available")
        if control.state(f"number/{tn}")["tier"] != "777"
    )
    available = [next(candidates), next(candidates)]
    storage = [n["tn"] for n in owned if n["cnam_storage"]]
    groups = control.state("did_groups")
    return {
        "owned": owned[0]["tn"],
        "owned2": owned[1]["tn"],
        "owned3": owned[2]["tn"],
        "cnam": storage[0],
        "available": available[0],
        "available2": available[1],
        "group": groups[0]["id"],
        "fax": next(n["tn"] for n in owned if n["fax_email"]),
        "intl": next(n["tn"] for n in control.state("intl")["numbers"] if n["holder"] == "ours"),
    }


def _arguments(operation: str, w: dict) -> dict:
    tn = w["owned"]
    table = {
        "auditDIDs": {},
        "queryDID": {"did": tn},
        "getDIDs": {"state": "UT"},
        "getDIDCount": {"state": "UT", "orderby": "tier"},
        "reserveDID": {
            "didParams": {"DIDParam": [{"tn": w["available"], "epg": 0, "refId": "bada55"}]}
        },
        "assignDID": {"didParams": {"DIDParam": [{"tn": w["available2"], "epg": 8674}]}},
        "configDID": {"didParams": {"DIDParam": [{"tn": tn, "epg": 8675, "cnam": "1"}]}},
        "releaseDID": {"didParams": {"DIDParam": [{"tn": w["owned3"], "epg": 0}]}},
        "AuditDIDGroup": {"groupId": w["group"]},
        "GetCountries": {},
        "AssignIntlDID": {"cityID": 4402, "epgID": 8674},
        "ReleaseIntlDID": {"tn": w["intl"]},
        "AuditIntlDIDs": {},
        "GetCNAMDisplay": {"tn": w["cnam"]},
        "UpdateCNAMDisplay": {"tn": w["cnam"], "name": "ACME SUPPORT"},
        "RemoveCNAM": {"tn": w["cnam"]},
        "SetFaxToEmail": {"tn": tn, "email": "fax@example.com"},
        "GetFaxToEmail": {"tn": w["fax"]},
        "RemoveFaxToEmail": {"tn": w["fax"]},
        "UpdateDIDFailover": {"tn": tn, "failover": "8015550100"},
        "GetDIDFailover": {"tn": tn},
        "GetDIDForward": {"tn": tn},
        "SetDIDForward": {"tn": tn, "forward": "8015550101"},
        "RemoveDIDForward": {"tn": tn, "epgId": "8674"},
        "GetDIDGroup": {"tn": tn},
        "SetDIDGroup": {"tn": tn, "groupId": w["group"]},
        "RemoveDIDGroup": {"tn": tn},
        "GetDIDGroups": {},
        "SetConferenceLine": {"tn": tn, "pin": "12345678"},
        "GetConferenceLine": {"tn": tn},
        "RemoveConferenceLine": {"tn": tn},
        "GetPrepaidBalance": {},
        # Other domains: plausible arguments, checked loosely.
        "validate911": ADDRESS,
        "insert911": {"did": tn, **ADDRESS},
        "update911": {"did": tn, **ADDRESS},
        "addLocation": {"did": tn, **ADDRESS},
        "provisionLocation": {"did": tn, "locationId": "1"},
        "removeLocation": {"locationId": "1", "did": tn},
        "getLocations": {"did": tn},
        "getProvisioningHistory": {"did": tn},
        "query911": {"did": tn},
        "remove911": {"did": tn},
        "audit911": {},
        "Add911Alert": {"tn": tn, "email": "noc@example.com"},
        "Remove911Alert": {"tn": tn, "email": "noc@example.com"},
        "Query911Alert": {"tn": tn},
        "isPortable": {"tn": tn},
        "getPortDetails": {"portId": 1},
    }
    return table[operation]


def test_the_2014_wsdl_has_48_operations():
    assert len(WSDL_OPERATIONS) == 48


def test_our_wsdl_only_appends_to_vis_2014_types():
    # What makes the lax client above safe: extensions come after VI's fields, never between.
    old, ours = schema.load(PRODUCTION_WSDL), schema.load()
    for name in EXTENDED:
        assert [f.name for f in ours.types[name]][: len(old.types[name])] == [
            f.name for f in old.types[name]
        ], name


def test_the_extended_types_are_the_documented_three_elements():
    assert EXTENDED == {"ConferenceLine", "PortResponse"}
    vis = schema.load(PRODUCTION_WSDL).types
    ours = {
        name: {f.name for f in fields if f.extension}
        for name, fields in schema.load().types.items()
        if name in vis
    }
    assert {name: added for name, added in ours.items() if added} == {
        "ConferenceLine": {"TN"},
        "PortResponse": {"ActivePorts", "PortHistory"},
    }


@pytest.mark.parametrize("operation", WSDL_OPERATIONS)
def test_every_2014_operation_answers_through_a_strict_zeep(operation, sandbox, service):
    assert service._binding._operations[operation]  # the 2014 file's own operation
    assert registry.find(operation) is not None, f"the sandbox does not answer {operation}"
    world = _world(sandbox)
    result = getattr(service, operation)(
        login=sandbox.login, secret=sandbox.secret, **_arguments(operation, world)
    )
    if operation in OTHER_DOMAINS:
        assert isinstance(result.responseCode, int) and result.responseCode != 900
        return
    assert (result.responseCode, result.responseMessage) == (100, "Success")
    if (
        hasattr(result, "DIDs")
        and result.DIDs is not None
        and operation in ("reserveDID", "assignDID", "configDID", "releaseDID")
    ):
        assert [did.statusCode for did in result.DIDs.DID] == ["100"]


@pytest.mark.parametrize(
    "operation", sorted(op for op in WSDL_OPERATIONS if _uses_extended_type(op, EXTENDED))
)
def test_a_2014_operation_leaves_our_extension_elements_out(operation, sandbox, soap_raw):
    body = soap_raw(operation, _arguments(operation, _world(sandbox)))
    for element in ("ActivePorts", "PortHistory", "<TN>"):
        assert element not in body, f"{operation} wrote {element}"


@pytest.mark.parametrize(
    "operation, arguments, element",
    [
        ("getActivePorts", {}, "ActivePorts"),
        ("AuditConferenceLines", {}, "<TN>"),
    ],
)
def test_the_operations_that_fill_an_extension_still_write_it(
    operation, arguments, element, sandbox, soap_raw
):
    if operation == "AuditConferenceLines":
        tn = sandbox.control.state("numbers/owned")[0]["tn"]
        soap_raw("SetConferenceLine", {"tn": tn, "pin": "12345678"})
    assert element in soap_raw(operation, arguments)


def test_zeep_reads_the_full_did_record(sandbox, service):
    tn = sandbox.control.state("numbers/owned")[0]["tn"]
    result = service.queryDID(login=sandbox.login, secret=sandbox.secret, did=tn)
    [did] = result.DIDs.DID
    assert did.tn == tn and did.availability == "assigned"
    assert isinstance(did.endpointId, int) and isinstance(did.t38, bool)
    assert result.ConferenceLine.Enabled is False


def test_zeep_over_soap12(vi_client, sandbox):
    service = vi_client.create_service("{http://tempuri.org/}APIServiceSoap12", sandbox.url)
    result = service.GetPrepaidBalance(login=sandbox.login, secret=sandbox.secret)
    assert result.responseCode == 100 and str(result.Amount) == "500.00"
