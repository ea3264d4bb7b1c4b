"""SOAP handlers for searching, holding and auditing numbers (§2a of WIRE-FORMAT.md)."""

from __future__ import annotations

from collections import Counter

from ..registry import Request, operation
from .dids import OTHER, OURS, normalize_tn
from .records import SUCCESS, did_record, dummy_did, locator, no_dids_found, outcome_record

SEARCH_FIELDS = (
    "state",
    "lata",
    "rateCenter",
    "npa",
    "nxx",
    "tier",
    "t38",
    "cnam",
    "sms",
    "network",
)
ORDER_KEYS = {
    "state": lambda row: (row["state"], row["rateCenter"]),
    "rc": lambda row: (row["rateCenter"], row["state"]),
    "lata": lambda row: (row["lataId"], row["state"], row["rateCenter"]),
    "tier": lambda row: (_tier_order(row["tier"]), row["state"], row["rateCenter"]),
}


def _tier_order(tier: str) -> int:
    return int(tier) if tier.lstrip("-").isdigit() else 0


def _criteria(request: Request) -> dict:
    criteria: dict[str, str | bool | None] = {}
    for name in SEARCH_FIELDS:
        if name in ("t38", "cnam", "sms"):
            criteria[name] = (
                request.bool(name, default=None) or None
            )  # only "true" narrows a search
        else:
            criteria[name] = request.text(name) or None
    return criteria


def _no_criteria() -> dict:
    return {**SUCCESS, "DIDs": [dummy_did(code="302490", status="No search criteria defined")]}


# -- audits and queries ----------------------------------------------------------------------
@operation("auditDIDs", empty=no_dids_found)
def audit_dids(sandbox, request: Request) -> dict:
    numbers = sandbox.dids.owned_numbers()  # a snapshot: the records stream after the lock
    if not numbers:
        return no_dids_found()
    return {**SUCCESS, "DIDs": (did_record(sandbox, number) for number in numbers)}


@operation(
    "queryDID",
    empty=lambda: {**SUCCESS, "DIDs": [dummy_did(code="102420", status="Could not find number")]},
)
def query_did(sandbox, request: Request) -> dict:
    tn = normalize_tn(request.text("did", "tn"))
    store, now = sandbox.dids, sandbox.now()
    number = store.get(tn)
    if number is None:
        return {
            **SUCCESS,
            "DIDs": [dummy_did(code="102420", status="Could not find number", tn=tn)],
        }
    store.settle(number, now)
    if number.holder == OURS:
        record = did_record(sandbox, number)
    elif number.holder == OTHER:
        record = dummy_did(code="102235", status="Number assigned to another company", tn=tn)
        record["tier"] = number.tier
    elif number.reserved_by == OTHER:
        record = dummy_did(code="102230", status="Number reserved for another company", tn=tn)
        record["tier"] = number.tier
    elif number.reserved_by == OURS:
        record = {
            **dummy_did(
                code="100",
                status="Number currently reserved for you",
                tn=tn,
                availability="reserved",
            ),
            "tier": number.tier,
            "refId": number.ref_id,
            "expireDate": number.reserved_until,
            "state": number.state,
            "rateCenter": number.rate_center,
            "Network": number.network,
        }
    elif number.aging_until is not None or number.extended:
        record = dummy_did(code="102420", status="Could not find number", tn=tn)
    else:
        record = {
            **dummy_did(code="100", status="Number is available", tn=tn, availability="available"),
            "tier": number.tier,
            "state": number.state,
            "rateCenter": number.rate_center,
            "Network": number.network,
            "cnamStorageAvailability": number.cnam_storage,
            "t38": number.t38,
        }
    return {**SUCCESS, "DIDs": [record]}


@operation("AuditDIDGroup", empty=no_dids_found)
def audit_did_group(sandbox, request: Request) -> dict:
    group_id = request.int("groupId")
    numbers = [n for n in sandbox.dids.owned_numbers() if n.did_group_id == group_id]
    if not numbers:
        return no_dids_found()
    return {**SUCCESS, "DIDs": [did_record(sandbox, number) for number in numbers]}


# -- searching --------------------------------------------------------------------------------
def _search(sandbox, request: Request, *, extended: bool) -> dict:
    criteria = _criteria(request)
    if not any(criteria.values()):
        return _no_criteria()
    if extended and not (
        (criteria["state"] and criteria["rateCenter"]) or criteria["npa"] or criteria["lata"]
    ):
        return _no_criteria()
    found = sandbox.dids.search(criteria, now=sandbox.now(), extended=extended)
    return {**SUCCESS, "DIDLocators": [locator(number) for number in found]}


@operation("getDIDs")
def get_dids(sandbox, request: Request) -> dict:
    return _search(sandbox, request, extended=False)


@operation("getDIDsExtended")
def get_dids_extended(sandbox, request: Request) -> dict:
    return _search(sandbox, request, extended=True)


@operation("getDIDCount")
def get_did_count(sandbox, request: Request) -> dict:
    criteria = _criteria(request)
    if not any(criteria.values()):
        return _no_criteria()
    found = sandbox.dids.search(criteria, now=sandbox.now())
    groups = Counter(
        (n.rate_center, n.state, n.tier, n.lata, n.cnam_storage, n.t38, n.sms) for n in found
    )
    rows = [
        {
            "didCount": str(count),
            "rateCenter": rate_center,
            "state": state,
            "tier": tier,
            "lataId": lata,
            "cnam": cnam,
            "t38": t38,
            "sms": sms,
        }
        for (rate_center, state, tier, lata, cnam, t38, sms), count in groups.items()
    ]
    order = (request.text("orderby", "orderBy") or "state").lower()
    key = ORDER_KEYS.get(order, ORDER_KEYS["state"])
    rows.sort(
        key=lambda row: (key(row), _tier_order(row["tier"]), row["cnam"], row["t38"], row["sms"])
    )
    return {**SUCCESS, "DIDCounts": rows}


# -- holding numbers ---------------------------------------------------------------------------
def _params(request: Request) -> list[Request]:
    return request.items("didParams", "DIDParam")


def _epg(param: Request) -> int | None:
    # VI's 2018 docs call it endpointId; the 2014 WSDL says epg. Accept both.
    return param.int("epg", "endpointId")


def _cnam_bit(param: Request) -> bool | None:
    return param.bool("cnam", default=None)


def _outcomes(outcomes) -> dict:
    return {**SUCCESS, "DIDs": [outcome_record(outcome) for outcome in outcomes]}


@operation("reserveDID")
def reserve_did(sandbox, request: Request) -> dict:
    store, now = sandbox.dids, sandbox.now()
    return _outcomes(
        store.reserve(normalize_tn(p.text("tn")), ref_id=p.text("refId") or "", now=now)
        for p in _params(request)
    )


def _assign(sandbox, request: Request, *, extended: bool) -> dict:
    store, now = sandbox.dids, sandbox.now()
    return _outcomes(
        store.assign(
            normalize_tn(p.text("tn")),
            endpoint_group=_epg(p),
            cnam=_cnam_bit(p),
            ref_id=p.text("refId") or "",
            now=now,
            extended=extended,
        )
        for p in _params(request)
    )


@operation("assignDID")
def assign_did(sandbox, request: Request) -> dict:
    return _assign(sandbox, request, extended=False)


@operation("assignDIDExtended")
def assign_did_extended(sandbox, request: Request) -> dict:
    return _assign(sandbox, request, extended=True)


@operation("configDID")
def config_did(sandbox, request: Request) -> dict:
    store, now = sandbox.dids, sandbox.now()
    return _outcomes(
        store.configure(
            normalize_tn(p.text("tn")),
            endpoint_group=_epg(p),
            cnam=_cnam_bit(p),
            ref_id=p.text("refId"),
            now=now,
        )
        for p in _params(request)
    )


@operation("releaseDID")
def release_did(sandbox, request: Request) -> dict:
    store, now = sandbox.dids, sandbox.now()
    outcomes = []
    for param in _params(request):
        tn = normalize_tn(param.text("tn"))
        outcome = store.release(tn, now=now)
        if outcome.ok:
            sandbox.notify_released(tn)
        outcomes.append(outcome)
    return _outcomes(outcomes)
