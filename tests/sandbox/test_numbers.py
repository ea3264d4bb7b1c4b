"""Searching, holding and auditing numbers through raw SOAP, with VI's codes."""

from __future__ import annotations

from .soap_client import did_params, items


def _available(sandbox, **where) -> list[str]:
    tns = sandbox.control.state("numbers/available")
    if not where:
        return tns
    return [
        tn
        for tn in tns
        if all(sandbox.control.state(f"number/{tn}")[k] == v for k, v in where.items())
    ]


def _usable_group(sandbox) -> int:
    return next(
        g["id"]
        for g in sandbox.control.state("endpoint_groups")
        if g["owner"] == "ours" and g["active"]
    )


def test_audit_lists_every_owned_number_with_its_routing(sandbox, soap):
    owned = {n["tn"]: n for n in sandbox.control.state("numbers/owned")}
    dids = soap.dids("auditDIDs")
    assert {d["tn"] for d in dids} == set(owned)
    sample = dids[0]
    assert sample["statusCode"] == "100"
    assert int(sample["endpointId"]) == owned[sample["tn"]]["endpoint_group"]
    assert sample["has911"] in ("true", "false")


def test_audit_of_an_empty_account_is_vis_dummy_record(sandbox, soap):
    sandbox.control.reset("empty")
    [dummy] = soap.dids("auditDIDs")
    assert (dummy["tn"], dummy["statusCode"], dummy["tier"], dummy["availability"]) == (
        "",
        "101200",
        "-99999",
        "Unavailable",
    )


def test_search_by_state_returns_only_available_numbers_of_that_state(sandbox, soap):
    result = soap.call("getDIDs", "<state>UT</state>")
    locators = items(result, "DIDLocators", "DIDLocator")
    available = set(sandbox.control.state("numbers/available"))
    assert locators and all(loc["state"] == "UT" and loc["tn"] in available for loc in locators)


def test_toll_free_search_and_npa_nxx_prefix(sandbox, soap):
    toll_free = items(soap.call("getDIDs", "<state>TF</state>"), "DIDLocators", "DIDLocator")
    assert toll_free and all(
        loc["tn"][:3] in {"800", "833", "844", "855", "866", "877", "888"} for loc in toll_free
    )
    prefix = toll_free[0]["tn"][:6]
    by_prefix = items(soap.call("getDIDs", f"<nxx>{prefix}</nxx>"), "DIDLocators", "DIDLocator")
    assert by_prefix and all(loc["tn"].startswith(prefix) for loc in by_prefix)


def test_search_without_criteria_answers_302490(soap):
    [dummy] = soap.dids(
        "getDIDs",
        '<state xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/><npa/>',
    )
    assert dummy["statusCode"] == "302490"


def test_count_groups_per_rate_center_and_tier_and_honours_orderby(sandbox, soap):
    locators = items(soap.call("getDIDs", "<state>NY</state>"), "DIDLocators", "DIDLocator")
    counts = items(
        soap.call("getDIDCount", "<state>NY</state><orderby>RC</orderby>"), "DIDCounts", "DIDCount"
    )
    assert sum(int(c["didCount"]) for c in counts) == len(locators)
    assert [c["rateCenter"] for c in counts] == sorted(c["rateCenter"] for c in counts)
    assert len(
        {(c["rateCenter"], c["tier"], c["cnam"], c["t38"], c["sms"]) for c in counts}
    ) == len(counts)


def test_reserve_then_assign_draws_the_balance_and_shows_in_the_audit(sandbox, soap):
    tn = _available(sandbox, tier="1", state="UT")[0]
    group = _usable_group(sandbox)
    balance = float(soap.call("GetPrepaidBalance")["Amount"])

    [reserved] = soap.dids("reserveDID", did_params({"tn": tn, "refId": "bada55", "epg": 0}))
    assert (reserved["statusCode"], reserved["status"], reserved["refId"]) == (
        "100",
        "Reserved for 30 minutes -- Will be Tier 1",
        "bada55",
    )
    [again] = soap.dids("reserveDID", did_params({"tn": tn, "epg": 0}))
    assert again["statusCode"] == "103220"

    [assigned] = soap.dids("assignDID", did_params({"tn": tn, "epg": group}))
    assert assigned["statusCode"] == "100"
    assert assigned["status"] == f"Assigned to endpoint '{group}' rewritten as '{tn}' Tier 1"
    assert float(soap.call("GetPrepaidBalance")["Amount"]) == balance - 1.0
    [queried] = soap.dids("queryDID", f"<did>{tn}</did>")
    assert (queried["availability"], int(queried["endpointId"]), queried["refId"]) == (
        "assigned",
        group,
        "bada55",
    )


def test_assign_gives_one_outcome_per_number(sandbox, soap):
    free = _available(sandbox)[0]
    other_company = sandbox.control.state("numbers/other")[0]
    owned = sandbox.control.state("numbers/owned")[0]["tn"]
    group = _usable_group(sandbox)
    outcomes = soap.dids(
        "assignDID",
        did_params(
            {"tn": free, "epg": group},
            {"tn": other_company, "epg": group},
            {"tn": owned, "epg": group},
            {"tn": "5005550000", "epg": group},
        ),
    )
    assert [o["statusCode"] for o in outcomes] == ["100", "104235", "104225", "104420"]


def test_assign_to_a_bad_endpoint_group_is_refused_per_number(sandbox, soap):
    groups = sandbox.control.state("endpoint_groups")
    inactive = next(g["id"] for g in groups if not g["active"])
    foreign = next(g["id"] for g in groups if g["owner"] == "other")
    first, second = _available(sandbox)[:2]
    outcomes = soap.dids(
        "assignDID", did_params({"tn": first, "epg": foreign}, {"tn": second, "epg": inactive})
    )
    assert [o["statusCode"] for o in outcomes] == ["104258", "104258"]
    assert sandbox.control.state(f"number/{first}")["holder"] is None


def test_endpoint_id_is_accepted_as_a_synonym_of_epg(sandbox, soap):
    tn = _available(sandbox)[0]
    group = _usable_group(sandbox)
    [outcome] = soap.dids(
        "assignDID",
        f"<didParams><DIDParam><endpointId>{group}</endpointId><tn>{tn}</tn></DIDParam></didParams>",
    )
    assert outcome["statusCode"] == "100"
    assert sandbox.control.state(f"number/{tn}")["endpoint_group"] == group


def test_reservation_expires_after_thirty_minutes_of_sandbox_clock(sandbox, soap):
    tn = _available(sandbox)[0]
    soap.dids("reserveDID", did_params({"tn": tn, "epg": 0}))
    sandbox.control.advance(29 * 60)
    assert soap.dids("queryDID", f"<did>{tn}</did>")[0]["availability"] == "reserved"
    sandbox.control.advance(61)
    [queried] = soap.dids("queryDID", f"<did>{tn}</did>")
    assert (queried["statusCode"], queried["availability"]) == ("100", "available")
    assert tn in sandbox.control.state("numbers/available")


def test_numbers_held_by_another_company(sandbox, soap):
    tn = sandbox.control.state("numbers/other")[0]
    assert soap.dids("queryDID", f"<did>{tn}</did>")[0]["statusCode"] == "102235"
    assert soap.dids("reserveDID", did_params({"tn": tn, "epg": 0}))[0]["statusCode"] == "103235"
    assert soap.dids("releaseDID", did_params({"tn": tn, "epg": 0}))[0]["statusCode"] == "106235"
    reserved = [
        r["tn"] for r in sandbox.control.state("reservations") if r["reserved_by"] == "other"
    ][0]
    assert soap.dids("queryDID", f"<did>{reserved}</did>")[0]["statusCode"] == "102230"
    assert (
        soap.dids("assignDID", did_params({"tn": reserved, "epg": 8674}))[0]["statusCode"]
        == "104230"
    )


def test_query_of_an_unknown_number_is_the_dummy_102420(soap):
    [dummy] = soap.dids("queryDID", "<did>5005550199</did>")
    assert (dummy["statusCode"], dummy["status"]) == ("102420", "Could not find number")


def test_config_changes_routing_only_for_numbers_we_hold(sandbox, soap):
    owned = sandbox.control.state("numbers/owned")
    number = next(n for n in owned if n["endpoint_group"])
    target = next(
        g["id"]
        for g in sandbox.control.state("endpoint_groups")
        if g["owner"] == "ours" and g["active"] and g["id"] != number["endpoint_group"]
    )
    free = _available(sandbox)[0]
    outcomes = soap.dids(
        "configDID",
        did_params(
            {"tn": number["tn"], "epg": target, "cnam": 1, "refId": "R-1"},
            {"tn": free, "epg": target},
        ),
    )
    assert [o["statusCode"] for o in outcomes] == ["100", "105221"]
    assert (
        outcomes[0]["status"]
        == f"Reconfigured to endpoint '{target}' rewritten as '{number['tn']}' Tier {number['tier']}"
    )
    state = sandbox.control.state(f"number/{number['tn']}")
    assert (state["endpoint_group"], state["cnam"], state["ref_id"]) == (target, True, "R-1")


def test_release_codes_and_aging(sandbox, soap):
    owned = sandbox.control.state("numbers/owned")[0]["tn"]
    free = _available(sandbox)[0]
    outcomes = soap.dids("releaseDID", did_params({"tn": owned, "epg": 0}, {"tn": free, "epg": 0}))
    assert [(o["statusCode"], o["status"]) for o in outcomes] == [
        ("100", "Released"),
        ("106231", "Number currently available"),
    ]
    assert soap.dids("releaseDID", did_params({"tn": owned, "epg": 0}))[0]["statusCode"] == "106241"
    assert owned not in {d["tn"] for d in soap.dids("auditDIDs")}
    sandbox.control.advance(86400 + 1)
    assert owned in sandbox.control.state("numbers/available")


def test_extended_inventory_is_separate(sandbox, soap):
    assert soap.dids("getDIDsExtended", "<tier>1</tier>")[0]["statusCode"] == "302490"
    locators = items(soap.call("getDIDsExtended", "<npa>435</npa>"), "DIDLocators", "DIDLocator")
    regular = set(sandbox.control.state("numbers/available"))
    assert locators and not {loc["tn"] for loc in locators} & regular
    tn = locators[0]["tn"]
    assert soap.dids("assignDID", did_params({"tn": tn, "epg": 8674}))[0]["statusCode"] == "104420"
    assert (
        soap.dids("assignDIDExtended", did_params({"tn": tn, "epg": 8674}))[0]["statusCode"]
        == "100"
    )
    assert sandbox.control.state(f"number/{tn}")["holder"] == "ours"


def test_tier_not_available_to_the_account(sandbox, soap):
    numbers = [
        sandbox.control.state(f"number/{tn}") for tn in sandbox.control.state("numbers/available")
    ]
    odd_tier = next(n["tn"] for n in numbers if n["tier"] == "777")
    assert (
        soap.dids("reserveDID", did_params({"tn": odd_tier, "epg": 0}))[0]["statusCode"] == "103259"
    )
