"""The sandbox's ports: the isPortable rule, port details and history, and ports that move over
sandbox-clock time until their numbers join the account.

isPortable/getPortDetails go through a zeep client on VI's 2014 WSDL (lax: our PortResponse
has grown ActivePorts/PortHistory after VI's fields); getActivePorts/GetPortHistory through our
WSDL, which defines them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import zeep

from tests.fixtures.shared import PRODUCTION_WSDL, REPO_DIR

from .soap_client import items

OUR_WSDL = REPO_DIR / "portal" / "voipinnovations" / "wsdl" / "APIService.wsdl"
DAY = 86_400


def _caller(client, sandbox):
    service = client.create_service("{http://tempuri.org/}APIServiceSoap", sandbox.url)

    class Calls:
        def __getattr__(self, operation):
            method = getattr(service, operation)
            return lambda **params: method(login=sandbox.login, secret=sandbox.secret, **params)

    return Calls()


@pytest.fixture(scope="module")
def vi_client():
    return zeep.Client(str(PRODUCTION_WSDL), settings=zeep.Settings(strict=False))


@pytest.fixture(scope="module")
def our_client():
    return zeep.Client(str(OUR_WSDL))


@pytest.fixture
def vi(vi_client, sandbox):
    return _caller(vi_client, sandbox)


@pytest.fixture
def ours(our_client, sandbox):
    return _caller(our_client, sandbox)


def _ports(sandbox) -> list[dict]:
    return sandbox.control.state("porting")


def _port(sandbox, *, status: str, fate: str | None = None) -> dict:
    return next(
        p for p in _ports(sandbox) if p["status"] == status and (fate is None or p["fate"] == fate)
    )


def _owned(sandbox, tn: str) -> bool:
    return sandbox.control.state(f"number/{tn}").get("holder") == "ours"


# --- isPortable ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tn", "expected"),
    [
        ("3035551234", False),  # NXX 555
        ("3032291234", False),  # NXX ending in 9: no porting agreement with the losing carrier
        ("9002341234", False),  # premium-rate NPA
        ("3032341234", True),
    ],
)
def test_is_portable_follows_the_documented_rule(vi, tn, expected):
    answer = vi.isPortable(tn=tn)
    assert (answer.responseCode, answer.IsPortable) == (100, expected)
    assert answer.PortDetails.id == 0  # VI's empty PortDetails, as captured


def test_a_number_already_on_vi_is_not_portable(vi, sandbox):
    owned = sandbox.control.state("numbers/owned")[0]["tn"]
    assert vi.isPortable(tn=owned).IsPortable is False


@pytest.mark.parametrize("tn", ["12345", "0801234567", "80123456789012", "abc"])
def test_is_portable_refuses_an_invalid_number_with_944(vi, tn):
    answer = vi.isPortable(tn=tn)
    assert (answer.responseCode, answer.responseMessage, answer.IsPortable) == (
        944,
        "Invalid Number",
        False,
    )


# --- details, active ports, history ------------------------------------------------------------------


def test_seeded_ports_cover_every_stage(sandbox):
    statuses = {port["status"] for port in _ports(sandbox)}
    assert statuses == {
        "PENDING SIGNATURE",
        "SUBMITTED",
        "FOC RECEIVED",
        "COMPLETED",
        "REJECTED",
        "CANCELLED",
    }


def test_get_port_details_in_vi_shape(vi, sandbox):
    seeded = _port(sandbox, status="FOC RECEIVED")

    details = vi.getPortDetails(portId=seeded["id"]).PortDetails

    assert (details.id, details.status, details.billingTN) == (
        seeded["id"],
        "FOC RECEIVED",
        seeded["billingTN"],
    )
    assert details.submittedDate is not None and details.focDate > details.submittedDate
    assert [did.tn for did in details.dids.PortDID] == [did["tn"] for did in seeded["dids"]]
    assert details.defaultEndpointGroup == seeded["defaultEndpointGroup"]


def test_an_unsigned_port_has_nil_dates(soap, sandbox):
    seeded = _port(sandbox, status="PENDING SIGNATURE")
    result = soap.call("getPortDetails", f"<portId>{seeded['id']}</portId>")
    details = result["PortDetails"]
    assert (details["submittedDate"], details["focDate"], details["requestedFocDate"]) == (
        None,
        None,
        None,
    )
    assert details["status"] == "PENDING SIGNATURE"


def test_get_port_details_of_an_unknown_port(vi):
    answer = vi.getPortDetails(portId=1)
    assert (answer.responseCode, answer.responseMessage) == (101, "No Records Found")


def test_active_ports_leave_out_finished_ones(ours, sandbox):
    active = ours.getActivePorts().ActivePorts.PortDetail
    expected = {
        p["id"]
        for p in _ports(sandbox)
        if p["status"] not in ("COMPLETED", "REJECTED", "CANCELLED")
    }
    assert {port.id for port in active} == expected


def test_port_history_tells_the_story_of_a_number(ours, sandbox):
    completed = _port(sandbox, status="COMPLETED")
    tn = completed["dids"][0]["tn"]

    answer = ours.GetPortHistory(tn=tn)

    entries = answer.PortHistory.PortHistoryEntry
    assert [entry.status for entry in entries] == [
        "PENDING SIGNATURE",
        "SUBMITTED",
        "FOC RECEIVED",
        "COMPLETED",
    ]
    assert {entry.tn for entry in entries} == {tn}
    assert all(a.date <= b.date for a, b in zip(entries, entries[1:]))
    assert answer.PortDetails.id == completed["id"]


def test_port_history_refusals(ours):
    assert ours.GetPortHistory(tn="12").responseCode == 944
    answer = ours.GetPortHistory(tn="3032341234")
    assert (answer.responseCode, answer.PortHistory) == (101, None)


# --- movement over sandbox time -----------------------------------------------------------------------


def test_nothing_moves_within_hours_of_a_reset(sandbox):
    before = {p["id"]: p["status"] for p in _ports(sandbox)}
    sandbox.control.advance(11 * 3600)
    assert {p["id"]: p["status"] for p in _ports(sandbox)} == before


def test_a_submitted_port_gets_a_foc_date_then_completes_into_owned_numbers(
    vi, ours, soap, sandbox
):
    port = next(
        p for p in _ports(sandbox) if p["status"] == "SUBMITTED" and p["fate"] == "complete"
    )
    tns = [did["tn"] for did in port["dids"]]
    assert not any(_owned(sandbox, tn) for tn in tns)

    sandbox.control.advance(1 * DAY + 60)
    details = vi.getPortDetails(portId=port["id"]).PortDetails
    assert details.status == "FOC RECEIVED"
    assert details.focDate - details.submittedDate == timedelta(days=5)

    sandbox.control.advance(3 * DAY)
    assert vi.getPortDetails(portId=port["id"]).PortDetails.status == "COMPLETED"
    assert all(_owned(sandbox, tn) for tn in tns)
    audited = {record["tn"] for record in items(soap.call("auditDIDs"), "DIDs", "DID")}
    assert set(tns) <= audited
    assert port["id"] not in {active.id for active in ours.getActivePorts().ActivePorts.PortDetail}
    for did in port["dids"]:
        (record,) = soap.dids("queryDID", f"<did>{did['tn']}</did>")
        assert int(record["endpointId"]) == did["endpointGroup"]
        assert (record["has911"] == "true") == did["e911"]


def test_a_foc_date_can_change_before_completion(ours, sandbox):
    port = _port(sandbox, status="FOC RECEIVED", fate="foc_change")
    sandbox.control.advance(1 * DAY + 60)
    moved = sandbox.control.state(f"porting/{port['id']}")
    assert moved["status"] == "FOC RECEIVED"
    assert moved["focDate"] > port["focDate"]
    assert "FOC date changed" in moved["history"][-1]["description"]

    sandbox.control.advance(4 * DAY)
    assert sandbox.control.state(f"porting/{port['id']}")["status"] == "COMPLETED"
    history = ours.GetPortHistory(tn=port["dids"][0]["tn"]).PortHistory.PortHistoryEntry
    assert [e.status for e in history][-3:] == ["FOC RECEIVED", "FOC RECEIVED", "COMPLETED"]


def test_rejected_and_cancelled_ports_bring_no_numbers(vi, sandbox):
    rejected = _port(sandbox, status="SUBMITTED", fate="reject")
    cancelled = _port(sandbox, status="FOC RECEIVED", fate="cancel")

    sandbox.control.advance(3 * DAY)

    assert vi.getPortDetails(portId=rejected["id"]).PortDetails.status == "REJECTED"
    assert vi.getPortDetails(portId=cancelled["id"]).PortDetails.status == "CANCELLED"
    for port in (rejected, cancelled):
        assert not any(_owned(sandbox, did["tn"]) for did in port["dids"])
    reasons = sandbox.control.state(f"porting/{rejected['id']}")["history"][-1]["description"]
    assert "losing carrier" in reasons


def test_control_steps_a_port_and_sets_its_foc_date(vi, sandbox):
    unsigned = _port(sandbox, status="PENDING SIGNATURE")

    stepped = sandbox.control.other("port_step", portId=unsigned["id"])
    assert stepped["status"] == "SUBMITTED"

    foc = sandbox.control.other("port_foc", portId=unsigned["id"], focDate="2040-01-15T00:00:00")
    assert (foc["status"], foc["focDate"]) == ("FOC RECEIVED", "2040-01-15T00:00:00")
    assert vi.getPortDetails(portId=unsigned["id"]).PortDetails.focDate.year == 2040

    # A FOC date already past completes the port on the spot.
    done = sandbox.control.other("port_foc", portId=unsigned["id"], focDate="2001-01-01")
    assert done["status"] == "COMPLETED"
    assert all(_owned(sandbox, did["tn"]) for did in done["dids"])


def test_control_adds_a_port_for_given_numbers(ours, sandbox):
    added = sandbox.control.other("port_add", tns=["3032341234"], fate="reject")
    assert (added["status"], added["dids"][0]["tn"]) == ("SUBMITTED", "3032341234")
    assert added["id"] in {port.id for port in ours.getActivePorts().ActivePorts.PortDetail}


def test_no_active_ports_is_no_records(ours, sandbox):
    sandbox.control.reset("empty")
    answer = ours.getActivePorts()
    assert (answer.responseCode, answer.ActivePorts) == (101, None)
