"""SOAP handlers for the account: endpoint groups, clients, feature audits, prepaid balance,
personal inventory, coverage lists and international numbers."""

from __future__ import annotations

from ..registry import Request, operation
from .dids import OURS, EndpointGroup, normalize_tn
from .features import NO_RECORDS, NOT_YOUR_ENDPOINT_GROUP
from .records import SUCCESS, outcome_record

# -- endpoint groups and clients -----------------------------------------------------------------


def _group_record(sandbox, group: EndpointGroup) -> dict:
    client = sandbox.dids.clients.get(group.client_id)
    return {
        "id": group.id,
        "name": group.name,
        "client": client.name if client else "",
        "port": group.port,
        "prepend": group.prepend,
        "rateDeck": group.rate_deck,
        "stripPlus": group.strip_plus,
        "stripCountryCode": group.strip_country_code,
        "international": group.international,
        "monthToDateUsage": _usage(sandbox, group.id),
        "ipAddresses": list(group.ips),
        "active": group.active,
    }


def _usage(sandbox, group_id: int):
    from decimal import Decimal

    # A believable month-to-date figure that grows over the month as calls are made: half a
    # cent per number routed there per day elapsed. Stable within a day, so two syncs on one
    # day agree; back to a day's worth when the sandbox clock enters a new month.
    count = sum(
        1
        for n in sandbox.dids.numbers.values()
        if n.holder == OURS and n.endpoint_group == group_id
    )
    day = sandbox.now().day
    return (Decimal(count) * Decimal("0.005") * day).quantize(Decimal("0.01"))


def _our_groups(sandbox) -> list[EndpointGroup]:
    return [g for g in sandbox.dids.endpoint_groups.values() if g.owner == OURS]


@operation("AuditEndpointGroups")
def audit_endpoint_groups(sandbox, request: Request) -> dict:
    groups = [_group_record(sandbox, g) for g in _our_groups(sandbox)]
    return {**(SUCCESS if groups else NO_RECORDS), "EndpointGroups": groups}


@operation("AuditEndpointGroup")
def audit_endpoint_group(sandbox, request: Request) -> dict:
    group = sandbox.dids.endpoint_group_owned(request.int("groupId", "groupid"))
    if group is None:
        return NOT_YOUR_ENDPOINT_GROUP
    return {**SUCCESS, "EndpointGroups": [_group_record(sandbox, group)]}


def _set_active(sandbox, request: Request, active: bool) -> dict:
    group = sandbox.dids.endpoint_group_owned(request.int("groupid", "groupId"))
    if group is None:
        return NOT_YOUR_ENDPOINT_GROUP
    group.active = active
    return dict(SUCCESS)


@operation("ActivateEndpointGroup")
def activate_endpoint_group(sandbox, request: Request) -> dict:
    return _set_active(sandbox, request, True)


@operation("DeactivateEndpointGroup")
def deactivate_endpoint_group(sandbox, request: Request) -> dict:
    return _set_active(sandbox, request, False)


def _failovers(numbers) -> list[dict]:
    return [{"TN": n.tn, "FailoverTN": n.failover} for n in numbers if n.failover]


def _forwards(numbers) -> list[dict]:
    return [{"TN": n.tn, "ForwardTN": n.forward} for n in numbers if n.forward]


def _conference_lines(numbers) -> list[dict]:
    return [
        {"Enabled": True, "PIN": n.conference_pin, "TN": n.tn} for n in numbers if n.conference_pin
    ]


def _fax_to_emails(numbers) -> list[dict]:
    return [
        {"TN": n.tn, "Email": n.fax_email, "failureNotifications": n.fax_notifications}
        for n in numbers
        if n.fax_email
    ]


@operation("AuditClients")
def audit_clients(sandbox, request: Request) -> dict:
    """Each client with what it holds: its endpoint groups (and, through them, its numbers'
    failovers, forwards, conference lines and fax-to-email), its DID groups, 911 groups,
    Hosted Billing customers and the sum of its groups' month-to-date usage."""
    store = sandbox.dids
    owned = store.owned_numbers()
    our_groups = _our_groups(sandbox)
    clients = []
    for client in store.clients.values():
        groups = [g for g in our_groups if g.client_id == client.id]
        group_ids = {g.id for g in groups}
        numbers = [n for n in owned if n.endpoint_group in group_ids]
        records = [_group_record(sandbox, g) for g in groups]
        did_groups = [
            g for g in store.did_groups.values() if getattr(g, "client_id", 1) == client.id
        ]
        clients.append(
            {
                "id": client.id,
                "name": client.name,
                "EndpointGroups": records,
                "DIDGroups": [{"Name": g.name, "ID": g.id} for g in did_groups],
                "E911Groups": list(getattr(client, "e911_groups", ())),
                "monthToDateUsage": sum((r["monthToDateUsage"] for r in records), 0),
                "HostedBillingCustomers": list(getattr(client, "billing_customers", ())),
                "DIDFailovers": _failovers(numbers),
                "DIDForwards": _forwards(numbers),
                "ConferenceLines": _conference_lines(numbers),
                "FaxToEmails": _fax_to_emails(numbers),
            }
        )
    return {**(SUCCESS if clients else NO_RECORDS), "Clients": clients}


def _feature_audit(field: str, build):
    def handler(sandbox, request: Request) -> dict:
        records = build(sandbox.dids.owned_numbers())
        return {**(SUCCESS if records else NO_RECORDS), field: records}

    return handler


operation("AuditConferenceLines")(_feature_audit("ConferenceLines", _conference_lines))
operation("AuditDIDFailovers")(_feature_audit("DIDFailovers", _failovers))
operation("AuditDIDForwards")(_feature_audit("DIDForwards", _forwards))
operation("AuditFaxToEmails")(_feature_audit("FaxToEmails", _fax_to_emails))


# -- prepaid balance ----------------------------------------------------------------------------
@operation("GetPrepaidBalance")
def get_prepaid_balance(sandbox, request: Request) -> dict:
    return {**SUCCESS, "Amount": sandbox.dids.balance}


# -- personal inventory and unconfigured numbers ------------------------------------------------
def _of_type(numbers, did_type: str | None) -> list[str]:
    kind = (did_type or "ALL").upper()
    if kind == "LOCAL":
        numbers = [n for n in numbers if not n.toll_free]
    elif kind == "TF":
        numbers = [n for n in numbers if n.toll_free]
    elif kind == "INTL":
        numbers = []  # international numbers are never in personal inventory here
    return [n.tn for n in numbers]


@operation("GetInventoryTNs")
def get_inventory_tns(sandbox, request: Request) -> dict:
    numbers = [n for n in sandbox.dids.owned_numbers() if n.personal_inventory]
    return {**SUCCESS, "TNs": _of_type(numbers, request.text("didType"))}


@operation("GetUnconfiguredTNs")
def get_unconfigured_tns(sandbox, request: Request) -> dict:
    numbers = [
        n for n in sandbox.dids.owned_numbers() if n.endpoint_group == 0 and n.script_id is None
    ]
    return {**SUCCESS, "TNs": _of_type(numbers, request.text("didType"))}


@operation("InventoryDIDs")
def inventory_dids(sandbox, request: Request) -> dict:
    """Put available numbers on the account without routing them (personal inventory)."""
    store, now = sandbox.dids, sandbox.now()
    outcomes = []
    for param in request.items("didParams", "DIDParam"):
        tn = normalize_tn(param.text("tn"))
        outcome = store.assign(
            tn,
            endpoint_group=None,
            cnam=None,
            ref_id=param.text("refId") or "",
            now=now,
            to_inventory=True,
        )
        outcomes.append(outcome_record(outcome))
    return {**SUCCESS, "DIDs": outcomes}


# -- coverage -------------------------------------------------------------------------------------
def _coverage(sandbox) -> list:
    return [n for n in sandbox.dids.numbers.values() if not n.toll_free and not n.extended]


@operation("GetAvailableStates")
def get_available_states(sandbox, request: Request) -> dict:
    return {**SUCCESS, "responseData": sorted({n.state for n in _coverage(sandbox)})}


@operation("GetAvailableRateCenters")
def get_available_rate_centers(sandbox, request: Request) -> dict:
    state = (request.text("state") or "").upper()
    centers = sorted({n.rate_center for n in _coverage(sandbox) if not state or n.state == state})
    return {**(SUCCESS if centers else NO_RECORDS), "responseData": centers}


@operation("GetAvailableNPAs")
def get_available_npas(sandbox, request: Request) -> dict:
    state = (request.text("state") or "").upper()
    rate_center = (request.text("ratecenter", "rateCenter") or "").upper()
    npas = sorted(
        {
            n.npa
            for n in _coverage(sandbox)
            if (not state or n.state == state) and (not rate_center or n.rate_center == rate_center)
        }
    )
    return {**(SUCCESS if npas else NO_RECORDS), "responseData": npas}


# -- international numbers --------------------------------------------------------------------------
def _intl_record(number, status: str = "Active") -> dict:
    return {
        "tn": number.tn,
        "country": number.country,
        "city": number.city,
        "tier": number.tier,
        "status": status,
    }


@operation("GetCountries")
def get_countries(sandbox, request: Request) -> dict:
    return {**SUCCESS, "Countries": sandbox.dids.countries}


@operation("AuditIntlDIDs")
def audit_intl_dids(sandbox, request: Request) -> dict:
    numbers = [_intl_record(n) for n in sandbox.dids.intl_numbers.values() if n.holder == OURS]
    return {**(SUCCESS if numbers else NO_RECORDS), "DIDs": numbers}


@operation("AssignIntlDID")
def assign_intl_did(sandbox, request: Request) -> dict:
    store = sandbox.dids
    group_id = request.int("epgID", "epgId")
    if not store.endpoint_group_usable(group_id):
        return NOT_YOUR_ENDPOINT_GROUP
    city_id = request.int("cityID", "cityId")
    number = next(
        (n for n in store.intl_numbers.values() if n.city_id == city_id and n.holder is None), None
    )
    if number is None:
        # VI's docs: 900 when the city has no international DIDs available.
        return {
            "responseCode": 900,
            "responseMessage": "An exception occurred: no DIDs available for this city",
        }
    number.holder, number.endpoint_group = OURS, group_id
    return {**SUCCESS, "DID": _intl_record(number)}


@operation("ReleaseIntlDID")
def release_intl_did(sandbox, request: Request) -> dict:
    tn = "".join(ch for ch in (request.text("tn") or "") if ch.isdigit())
    number = sandbox.dids.intl_numbers.get(tn)
    if number is None or number.holder != OURS:
        return {"responseCode": 944, "responseMessage": "Invalid Number"}
    number.holder, number.endpoint_group = None, 0
    return dict(SUCCESS)
