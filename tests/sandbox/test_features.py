"""Per-number features, groups, endpoint groups, inventory and international numbers (raw SOAP)."""

from __future__ import annotations

from .soap_client import did_params, items


def _owned(sandbox, **where) -> dict:
    return next(
        n
        for n in sandbox.control.state("numbers/owned")
        if all(n[k] == v for k, v in where.items())
    )


def test_cnam_display_rules(sandbox, soap):
    tn = _owned(sandbox, cnam_storage=True)["tn"]
    assert (
        soap.call("UpdateCNAMDisplay", f"<tn>{tn}</tn><name>ACME SUPPORT 24</name>")["responseCode"]
        == "100"
    )
    assert soap.call("GetCNAMDisplay", f"<tn>{tn}</tn>")["DisplayName"] == "ACME SUPPORT 24"
    assert (
        soap.call("UpdateCNAMDisplay", f"<tn>{tn}</tn><name>ACME &amp; SONS</name>")["responseCode"]
        == "934"
    )
    assert (
        soap.call("UpdateCNAMDisplay", f"<tn>{tn}</tn><name>SIXTEEN CHARS XX</name>")[
            "responseCode"
        ]
        == "934"
    )
    no_storage = _owned(sandbox, cnam_storage=False)["tn"]
    assert (
        soap.call("UpdateCNAMDisplay", f"<tn>{no_storage}</tn><name>ACME</name>")["responseCode"]
        == "933"
    )
    assert soap.call("RemoveCNAM", f"<tn>{tn}</tn>")["responseCode"] == "100"
    assert soap.call("GetCNAMDisplay", f"<tn>{tn}</tn>")["DisplayName"] == ""
    assert soap.call("GetCNAMDisplay", "<tn>5005550100</tn>")["responseCode"] == "944"


def test_forward_and_failover_show_in_their_audits(sandbox, soap):
    tn = _owned(sandbox, forward=None, failover=None)["tn"]
    assert (
        soap.call("SetDIDForward", f"<tn>{tn}</tn><forward>8015550123</forward>")["responseCode"]
        == "100"
    )
    assert soap.dids("GetDIDForward", f"<tn>{tn}</tn>")[0]["forward"] == "8015550123"
    forwards = items(soap.call("AuditDIDForwards"), "DIDForwards", "DIDForward")
    assert {"TN": tn, "ForwardTN": "8015550123"} in forwards
    assert (
        soap.call("RemoveDIDForward", f"<tn>{tn}</tn><epgId>13550</epgId>")["responseCode"] == "948"
    )
    assert (
        soap.call("RemoveDIDForward", f"<tn>{tn}</tn><epgId>8675</epgId>")["responseCode"] == "100"
    )
    assert sandbox.control.state(f"number/{tn}")["endpoint_group"] == 8675

    assert (
        soap.call("UpdateDIDFailover", f"<tn>{tn}</tn><failover>4355550100</failover>")[
            "responseCode"
        ]
        == "100"
    )
    assert {"TN": tn, "FailoverTN": "4355550100"} in items(
        soap.call("AuditDIDFailovers"), "DIDFailovers", "DIDFailover"
    )
    assert soap.call("UpdateDIDFailover", f"<tn>{tn}</tn><failover/>")["responseCode"] == "100"
    assert soap.dids("GetDIDFailover", f"<tn>{tn}</tn>")[0]["failover"] == ""


def test_conference_line_needs_an_eight_digit_pin(sandbox, soap):
    tn = _owned(sandbox, conference_pin=None)["tn"]
    assert soap.call("SetConferenceLine", f"<tn>{tn}</tn><pin>1234</pin>")["responseCode"] != "100"
    assert (
        soap.call("SetConferenceLine", f"<tn>{tn}</tn><pin>12345678</pin>")["responseCode"] == "100"
    )
    line = soap.call("GetConferenceLine", f"<tn>{tn}</tn>")["ConferenceLine"]
    assert (line["Enabled"], line["PIN"]) == ("true", "12345678")
    assert any(
        c["TN"] == tn
        for c in items(soap.call("AuditConferenceLines"), "ConferenceLines", "ConferenceLine")
    )
    soap.call("RemoveConferenceLine", f"<tn>{tn}</tn>")
    assert soap.call("GetConferenceLine", f"<tn>{tn}</tn>")["ConferenceLine"]["Enabled"] == "false"


def test_fax_to_email_and_its_notifications(sandbox, soap):
    tn = _owned(sandbox, fax_email=None)["tn"]
    assert (
        soap.call("ConfigFaxToEmailNotifications", f"<tn>{tn}</tn><enabled>true</enabled>")[
            "responseCode"
        ]
        == "101"
    )
    assert (
        soap.call("SetFaxToEmail", f"<tn>{tn}</tn><email>not-an-email</email>")["responseCode"]
        != "100"
    )
    assert (
        soap.call("SetFaxToEmail", f"<tn>{tn}</tn><email>fax@example.com</email>")["Email"]
        == "fax@example.com"
    )
    assert (
        soap.call("ConfigFaxToEmailNotifications", f"<tn>{tn}</tn><enabled>1</enabled>")[
            "responseCode"
        ]
        == "100"
    )
    audit = items(soap.call("AuditFaxToEmails"), "FaxToEmails", "FaxToEmail")
    assert {"TN": tn, "Email": "fax@example.com", "failureNotifications": "true"} in audit
    assert soap.call("RemoveFaxToEmail", f"<tn>{tn}</tn>")["responseCode"] == "100"
    assert soap.call("GetFaxToEmail", f"<tn>{tn}</tn>")["responseCode"] == "101"


def test_email_to_fax(sandbox, soap):
    tn = _owned(sandbox)["tn"]
    soap.call("AddEmailToFax", f"<tn>{tn}</tn><email>scan@example.com</email>")
    result = soap.call("GetEmailToFax", f"<tn>{tn}</tn>")
    assert "scan@example.com" in items(result, "Emails", "string") and result["CallerID"] == tn
    assert (
        soap.call("RemoveEmailToFax", f"<tn>{tn}</tn><email>scan@example.com</email>")[
            "responseCode"
        ]
        == "100"
    )
    assert "scan@example.com" not in sandbox.control.state(f"number/{tn}")["email_to_fax"]


def test_did_groups(sandbox, soap):
    created = items(
        soap.call("CreateDIDGroup", "<name>Night shift</name>"), "DIDGroups", "DIDGroup"
    )[0]
    tn = _owned(sandbox, did_group_id=None)["tn"]
    assert (
        soap.call("SetDIDGroup", f"<tn>{tn}</tn><groupId>{created['ID']}</groupId>")["responseCode"]
        == "100"
    )
    assert items(soap.call("GetDIDGroup", f"<tn>{tn}</tn>"), "DIDGroups", "DIDGroup") == [created]
    assert [d["tn"] for d in soap.dids("AuditDIDGroup", f"<groupId>{created['ID']}</groupId>")] == [
        tn
    ]
    assert created in items(soap.call("GetDIDGroups"), "DIDGroups", "DIDGroup")
    soap.call("RemoveDIDGroup", f"<tn>{tn}</tn>")
    assert (
        soap.dids("AuditDIDGroup", f"<groupId>{created['ID']}</groupId>")[0]["statusCode"]
        == "101200"
    )


def test_scripts(sandbox, soap):
    scripts = items(soap.call("GetScripts"), "Scripts", "ProgrammableTelcoScript")
    tn = _owned(sandbox, script_id=None)["tn"]
    assert (
        soap.call("ProgramDID", f"<did>{tn}</did><scriptId>{scripts[0]['id']}</scriptId>")[
            "responseCode"
        ]
        == "100"
    )
    assert sandbox.control.state(f"number/{tn}")["script_id"] == scripts[0]["id"]
    assert (
        soap.call("UnprogramDID", f"<did>{tn}</did><endpointGroupId>8674</endpointGroupId>")[
            "responseCode"
        ]
        == "100"
    )
    assert sandbox.control.state(f"number/{tn}")["script_id"] is None


def test_endpoint_groups_activate_deactivate_and_ownership(sandbox, soap):
    groups = items(soap.call("AuditEndpointGroups"), "EndpointGroups", "EndpointGroup")
    assert {g["active"] for g in groups} == {"true", "false"}
    assert 13550 not in {int(g["id"]) for g in groups}
    assert soap.call("AuditEndpointGroup", "<groupId>13550</groupId>")["responseCode"] == "948"
    assert soap.call("DeactivateEndpointGroup", "<groupid>13550</groupid>")["responseCode"] == "948"
    assert soap.call("DeactivateEndpointGroup", "<groupid>8674</groupid>")["responseCode"] == "100"
    [group] = items(
        soap.call("AuditEndpointGroup", "<groupId>8674</groupId>"),
        "EndpointGroups",
        "EndpointGroup",
    )
    assert group["active"] == "false" and group["ipAddresses"]
    free = sandbox.control.state("numbers/available")[0]
    assert (
        soap.dids("assignDID", did_params({"tn": free, "epg": 8674}))[0]["statusCode"] == "104258"
    )
    soap.call("ActivateEndpointGroup", "<groupid>8674</groupid>")
    assert soap.dids("assignDID", did_params({"tn": free, "epg": 8674}))[0]["statusCode"] == "100"


def test_clients_carry_their_groups_and_features(soap):
    clients = items(soap.call("AuditClients"), "Clients", "Client")
    assert [c["name"] for c in clients] == [
        "Main Office",
        "Branch Customers",
        "Riverside Dental",
        "Northwind Logistics",
    ]
    assert items(clients[0], "EndpointGroups", "EndpointGroup")
    # The inactive trunk is Riverside's; Northwind has no trunk yet.
    assert [g["id"] for g in items(clients[2], "EndpointGroups", "EndpointGroup")] == ["8676"]
    assert not items(clients[3], "EndpointGroups", "EndpointGroup")
    assert items(clients[1], "HostedBillingCustomers", "string") == ["HB-1002"]


def test_personal_inventory_and_unconfigured_numbers(sandbox, soap):
    free = sandbox.control.state("numbers/available")[0]
    assert soap.dids("InventoryDIDs", did_params({"tn": free, "epg": 0}))[0]["statusCode"] == "100"
    assert free in items(soap.call("GetInventoryTNs", "<didType>ALL</didType>"), "TNs", "string")
    assert free in items(
        soap.call("GetUnconfiguredTNs", "<didType>LOCAL</didType>"), "TNs", "string"
    )
    assert free not in items(soap.call("GetInventoryTNs", "<didType>TF</didType>"), "TNs", "string")
    soap.dids("configDID", did_params({"tn": free, "epg": 8675}))
    assert free not in items(
        soap.call("GetUnconfiguredTNs", "<didType>ALL</didType>"), "TNs", "string"
    )


def test_coverage_lists(soap):
    states = items(soap.call("GetAvailableStates"), "responseData", "string")
    assert states == ["NY", "TX", "UT"]
    assert "LOGAN" in items(
        soap.call("GetAvailableRateCenters", "<state>UT</state>"), "responseData", "string"
    )
    assert items(soap.call("GetAvailableNPAs", "<state>UT</state>"), "responseData", "string") == [
        "435",
        "801",
    ]


def test_international_numbers(sandbox, soap):
    countries = items(soap.call("GetCountries"), "Countries", "Country")
    assert {c["abbrev"] for c in countries} == {"GB", "DE", "MX"}
    before = items(soap.call("AuditIntlDIDs"), "DIDs", "IntlDID")
    assigned = soap.call("AssignIntlDID", "<cityID>4901</cityID><epgID>8674</epgID>")["DID"]
    assert assigned["city"] == "Berlin"
    after = items(soap.call("AuditIntlDIDs"), "DIDs", "IntlDID")
    assert len(after) == len(before) + 1
    assert (
        soap.call("AssignIntlDID", "<cityID>4901</cityID><epgID>13550</epgID>")["responseCode"]
        == "948"
    )
    assert soap.call("ReleaseIntlDID", f"<tn>{assigned['tn']}</tn>")["responseCode"] == "100"
    assert soap.call("ReleaseIntlDID", f"<tn>{assigned['tn']}</tn>")["responseCode"] == "944"


def test_someone_else_changes_numbers_out_of_band(sandbox, soap):
    tn = _owned(sandbox)["tn"]
    sandbox.control.other("update", tn=tn, endpointGroup=8675, refId="VI-SUPPORT")
    [did] = soap.dids("queryDID", f"<did>{tn}</did>")
    assert (did["endpointId"], did["refId"]) == ("8675", "VI-SUPPORT")
    sandbox.control.other("release", tn=tn)
    assert tn not in {d["tn"] for d in soap.dids("auditDIDs")}
    added = sandbox.control.other("add")["tns"][0]
    assert added in {d["tn"] for d in soap.dids("auditDIDs")}
    changed = sandbox.control.other("mutate", fraction=0.1)["tns"]
    assert len(changed) == 5


def test_features_of_a_number_not_on_the_account_are_944(soap):
    for operation in (
        "GetDIDForward",
        "GetDIDFailover",
        "GetConferenceLine",
        "GetDIDGroup",
        "GetFaxToEmail",
    ):
        assert soap.call(operation, "<tn>5005550100</tn>")["responseCode"] == "944", operation
