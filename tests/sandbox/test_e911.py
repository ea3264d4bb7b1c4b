"""The sandbox's 911 domain, as a caller sees it over HTTP.

zeep is built from VI's own 2014 production WSDL (which defines every 911 operation), so these
tests also prove the answers fit VI's schema; a few raw envelopes check VI's request tolerance.
"""

from __future__ import annotations

import pytest
import zeep

from tests.fixtures.shared import PRODUCTION_WSDL

from .soap_client import items

GOOD = {
    "address1": "350 S 200 E",
    "address2": "Suite 4",
    "city": "Salt Lake City",
    "state": "UT",
    "zip": "84111",
    "plusFour": "",
    "callerName": "ACME FRONT DESK",
}
OTHER_GOOD = {
    "address1": "1600 Broadway",
    "address2": "",
    "city": "New York",
    "state": "NY",
    "zip": "10019",
    "plusFour": "1234",
    "callerName": "ACME NYC",
}


@pytest.fixture(scope="module")
def vi_client():
    return zeep.Client(str(PRODUCTION_WSDL))


@pytest.fixture
def vi(vi_client, sandbox):
    service = vi_client.create_service("{http://tempuri.org/}APIServiceSoap", sandbox.url)

    class Calls:
        def __getattr__(self, operation):
            method = getattr(service, operation)
            return lambda **params: method(login=sandbox.login, secret=sandbox.secret, **params)

    return Calls()


def _owned(sandbox) -> list[str]:
    return [number["tn"] for number in sandbox.control.state("numbers/owned")]


def _without_911(sandbox) -> str:
    return next(tn for tn in _owned(sandbox) if not sandbox.control.state(f"e911/{tn}")["has911"])


def _with_911(sandbox) -> str:
    return next(tn for tn in _owned(sandbox) if sandbox.control.state(f"e911/{tn}")["has911"])


def _has911_on_did(soap, tn: str) -> bool:
    (record,) = soap.dids("queryDID", f"<did>{tn}</did>")
    return record["has911"] == "true"


# --- validate911 ------------------------------------------------------------------------------


def test_validate911_accepts_an_address_dash_can_place(vi):
    answer = vi.validate911(**GOOD)
    assert (answer.responseCode, answer.responseMessage) == (100, "Success")


@pytest.mark.parametrize(
    "change",
    [
        {"address1": "1 NOWHERE Rd"},  # a street Dash cannot find
        {"address1": "Main Street"},  # no house number
        {"zip": "10001"},  # a New York ZIP in Utah
        {"state": "XX"},
        {"zip": "8411"},
        {"plusFour": "12"},
        {"city": ""},
    ],
)
def test_validate911_refuses_an_address_dash_cannot_geocode_with_101(vi, change):
    answer = vi.validate911(**{**GOOD, **change})
    assert (answer.responseCode, answer.responseMessage) == (101, "No Records Found")


# --- insert / update / query / remove ------------------------------------------------------------


def test_insert911_provisions_the_number_and_turns_has911_on(vi, soap, sandbox):
    tn = _without_911(sandbox)
    assert not _has911_on_did(soap, tn)

    answer = vi.insert911(did=tn, **GOOD)

    assert answer.responseCode == 100
    assert [(s.code, s.description) for s in answer.Statuses.Status911] == [
        ("100", "Location status updated")
    ]
    query = vi.query911(did=tn)
    (record,) = query.DID911s.DID911
    assert (record.tn, record.address1, record.zipCode, record.callerName) == (
        tn,
        "350 S 200 E",
        "84111",
        "ACME FRONT DESK",
    )
    assert record.statusCode == "PROVISIONED"
    assert record.latitude and record.longitude
    assert query.VILocations.VILocation[0].locationId == record.locationId
    assert _has911_on_did(soap, tn)


def test_insert911_refusals(vi, sandbox):
    free = _without_911(sandbox)
    taken = _with_911(sandbox)
    assert vi.insert911(did=taken, **GOOD).responseCode == 911
    assert vi.insert911(did="8015550199", **GOOD).responseCode == 909
    assert vi.insert911(did="12", **GOOD).responseCode == 944
    refused = vi.insert911(did=free, **{**GOOD, "address1": "9 Nowhere Lane"})
    assert (refused.responseCode, refused.responseMessage) == (
        904,
        "Dash action resulted in incorrect status",
    )
    assert vi.query911(did=free).responseCode == 101


def test_update911_replaces_the_location_and_keeps_the_old_one_in_history(vi, sandbox):
    tn = _with_911(sandbox)
    before = vi.query911(did=tn).DID911s.DID911[0]

    answer = vi.update911(did=tn, **OTHER_GOOD)

    assert answer.Statuses.Status911[0].description == "Location status updated"
    after = vi.query911(did=tn).DID911s.DID911[0]
    assert (after.address1, after.state, after.statusCode) == ("1600 Broadway", "NY", "PROVISIONED")
    assert after.locationId != before.locationId
    history = vi.getProvisioningHistory(did=tn).VILocations.VILocation
    by_id = {location.locationId: location.statusCode for location in history}
    assert by_id[before.locationId] == "ARCHIVED"
    assert by_id[after.locationId] == "PROVISIONED"


def test_update911_with_an_invalid_address_leaves_the_number_without_911(vi, soap, sandbox):
    tn = _with_911(sandbox)

    answer = vi.update911(did=tn, **{**GOOD, "zip": "99999"})

    assert answer.responseCode == 904
    assert vi.query911(did=tn).responseCode == 101
    assert not _has911_on_did(soap, tn)
    statuses = [
        location.statusCode for location in vi.getProvisioningHistory(did=tn).VILocations.VILocation
    ]
    assert "PROVISIONED" not in statuses and statuses[-1] == "INVALID"


def test_update911_needs_the_number_on_the_account(vi):
    assert vi.update911(did="8015550199", **GOOD).responseCode == 909


def _current_locations(sandbox, tn: str) -> list[dict]:
    return [
        loc
        for loc in sandbox.control.state(f"e911/{tn}")["locations"]
        if loc["statusCode"] != "ARCHIVED"
    ]


def test_remove911_archives_once_then_finds_nothing(vi, soap, sandbox):
    tn = next(
        tn
        for tn in _owned(sandbox)
        if sandbox.control.state(f"e911/{tn}")["has911"]
        and len(_current_locations(sandbox, tn)) == 1
    )

    first = vi.remove911(did=tn)
    second = vi.remove911(did=tn)

    assert (first.Statuses.Status911[0].code, first.Statuses.Status911[0].description) == (
        "100",
        f"1 record was successfully archived for DID {tn}",
    )
    assert second.responseCode == 100
    assert (second.Statuses.Status911[0].code, second.Statuses.Status911[0].description) == (
        "205200",
        "Zero records deleted/archived",
    )
    assert not _has911_on_did(soap, tn)


def test_remove911_also_archives_parked_locations(vi, sandbox):
    tn = next(tn for tn in _owned(sandbox) if len(_current_locations(sandbox, tn)) == 2)

    answer = vi.remove911(did=tn)

    assert (
        answer.Statuses.Status911[0].description
        == f"2 records were successfully archived for DID {tn}"
    )
    assert tn not in {record.tn for record in vi.audit911().DID911s.DID911}


def test_query911_of_an_unknown_number_finds_no_records(vi):
    answer = vi.query911(did="8015550199")
    assert (answer.responseCode, answer.DID911s, answer.VILocations) == (101, None, None)


# --- audit911 ---------------------------------------------------------------------------------


def test_audit911_lists_every_record_including_off_net_numbers(vi, sandbox):
    owned = set(_owned(sandbox))
    with_911 = {tn for tn in owned if sandbox.control.state(f"e911/{tn}")["has911"]}

    records = vi.audit911().DID911s.DID911

    tns = {record.tn for record in records}
    assert with_911 <= tns
    off_net = tns - owned
    assert off_net, "the seed keeps 911 records of numbers the account no longer owns"
    assert all(record.statusCode == "PROVISIONED" for record in records if record.tn in off_net)


def test_a_released_number_stays_in_audit911_and_can_be_removed(vi, sandbox):
    tn = _with_911(sandbox)
    sandbox.control.other("release", tn=tn)

    assert tn in {record.tn for record in vi.audit911().DID911s.DID911}
    assert vi.remove911(did=tn).Statuses.Status911[0].code == "100"
    assert tn not in {record.tn for record in vi.audit911().DID911s.DID911}


def test_audit911_on_an_empty_account_is_no_records(vi, sandbox):
    sandbox.control.reset("empty")
    answer = vi.audit911()
    assert (answer.responseCode, answer.DID911s) == (101, None)


# --- alerts -----------------------------------------------------------------------------------


def test_alert_emails_add_query_remove(vi, sandbox):
    tn = _with_911(sandbox)
    for email in list(sandbox.control.state(f"e911/{tn}")["alerts"]):
        vi.Remove911Alert(tn=tn, email=email)

    assert vi.Add911Alert(tn=tn, email="noc@example.com").responseCode == 100
    assert vi.Add911Alert(tn=tn, email="desk@example.com").responseCode == 100
    assert vi.Add911Alert(tn=tn, email="NOC@example.com").responseCode == 942

    alerts = vi.Query911Alert(tn=tn).Alerts.string
    assert alerts == [
        "noc@example.com,desk@example.com"
    ]  # ONE comma-separated string, as documented

    assert vi.Remove911Alert(tn=tn, email="noc@example.com").responseCode == 100
    assert vi.Query911Alert(tn=tn).Alerts.string == ["desk@example.com"]
    assert vi.Remove911Alert(tn=tn, email="noc@example.com").responseCode == 101


def test_alert_limits(vi, sandbox):
    tn = _with_911(sandbox)
    for email in list(sandbox.control.state(f"e911/{tn}")["alerts"]):
        vi.Remove911Alert(tn=tn, email=email)
    long_email = "a" * 140 + "@example.com"
    assert (vi.Add911Alert(tn=tn, email=long_email).responseCode,) == (940,)
    for index in range(10):
        assert vi.Add911Alert(tn=tn, email=f"n{index}@example.com").responseCode == 100
    eleventh = vi.Add911Alert(tn=tn, email="n10@example.com")
    assert (eleventh.responseCode, eleventh.responseMessage) == (943, "Can not exceed 10 emails")


def test_alerts_need_911_and_ownership(vi, sandbox):
    free = _without_911(sandbox)
    answer = vi.Query911Alert(tn=free)
    assert (answer.responseCode, answer.responseMessage) == (941, "911 is not enabled")
    assert vi.Add911Alert(tn=free, email="noc@example.com").responseCode == 941
    assert vi.Add911Alert(tn="8015550199", email="noc@example.com").responseCode == 909


# --- legacy location calls ----------------------------------------------------------------------


def test_add_provision_and_remove_locations(vi, sandbox):
    tn = _with_911(sandbox)
    provisioned_before = vi.query911(did=tn).DID911s.DID911[0].locationId

    added = vi.addLocation(did=tn, **OTHER_GOOD).VILocations.VILocation[0]
    assert added.statusCode == "GEOCODED"
    assert added.activatedTime.year == 1  # VI's DateTime.MinValue: never activated
    listed = {
        location.locationId: location for location in vi.getLocations(did=tn).VILocations.VILocation
    }
    assert {added.locationId, provisioned_before} <= set(listed)
    # addLocation's caller name overwrites the caller on the DID's other locations.
    assert {location.callerName for location in listed.values()} == {"ACME NYC"}

    answer = vi.provisionLocation(did=tn, locationId=added.locationId)
    assert answer.Statuses.Status911[0].description == "Location status updated"
    assert vi.query911(did=tn).DID911s.DID911[0].locationId == added.locationId
    statuses = {
        location.locationId: location.statusCode
        for location in vi.getLocations(did=tn).VILocations.VILocation
    }
    assert statuses[provisioned_before] == "GEOCODED"
    assert vi.provisionLocation(did=tn, locationId=added.locationId).responseCode == 911

    removed = vi.removeLocation(locationId=provisioned_before, did=tn)
    assert (removed.Statuses.Status911[0].code, removed.Statuses.Status911[0].description) == (
        "205100",
        "Location successfully removed",
    )
    assert provisioned_before not in {
        location.locationId for location in vi.getLocations(did=tn).VILocations.VILocation
    }
    assert vi.removeLocation(locationId=provisioned_before, did=tn).responseCode == 910


def test_an_invalid_location_cannot_be_provisioned(vi, sandbox):
    tn = _without_911(sandbox)
    invalid = vi.addLocation(did=tn, **{**GOOD, "address1": "Nowhere"}).VILocations.VILocation[0]
    assert invalid.statusCode == "INVALID"
    assert vi.provisionLocation(did=tn, locationId=invalid.locationId).responseCode == 904
    assert vi.provisionLocation(did=tn, locationId="1").responseCode == 910
    assert vi.addLocation(did="8015550199", **GOOD).responseCode == 909


def test_get_locations_without_any_gives_vi_dummy_record(vi, sandbox):
    tn = _without_911(sandbox)
    sandbox_locations = sandbox.control.state(f"e911/{tn}")["locations"]
    if sandbox_locations:
        pytest.skip("seeded number has parked locations")
    (dummy,) = vi.getLocations(did=tn).VILocations.VILocation
    assert (dummy.statusCode, dummy.statusDescription) == (
        "206200",
        f"A location could not be found for {tn}",
    )
    assert dummy.locationId is None


# --- raw envelopes: VI's tolerance ----------------------------------------------------------------


def test_prefixed_reordered_nil_request_is_answered(sandbox):
    from .soap_client import post, result_of

    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:tns="http://tempuri.org/">'
        "<soap:Body><tns:validate911>"
        "<tns:zip>84111</tns:zip><tns:city>Salt Lake City</tns:city><tns:address2 xsi:nil='true'/>"
        "<tns:state>ut</tns:state><tns:address1>350 S 200 E</tns:address1>"
        f"<tns:secret>{sandbox.secret}</tns:secret><tns:login>{sandbox.login}</tns:login>"
        "</tns:validate911></soap:Body></soap:Envelope>"
    )
    result = result_of(post(sandbox.url, body, operation="validate911"), "validate911")
    assert result["responseCode"] == "100"


def test_raw_query911_answer_has_vi_element_names(soap, sandbox):
    tn = _with_911(sandbox)
    result = soap.call("query911", f"<did>{tn}</did>")
    (record,) = items(result, "DID911s", "DID911")
    assert list(record)[:3] == ["locationId", "tn", "callerName"]
    assert "zipCode" in record and "zip" not in record


def test_the_empty_fault_gives_vi_empty_answers(vi, sandbox):
    sandbox.control.fault("empty", operation="audit911")
    sandbox.control.fault("empty", operation="getLocations")

    audit = vi.audit911()
    (dummy,) = vi.getLocations(did=_with_911(sandbox)).VILocations.VILocation

    assert (audit.responseCode, audit.DID911s) == (101, None)
    assert dummy.statusCode == "206200"
    assert vi.audit911().responseCode == 100  # the fault was for one call only
