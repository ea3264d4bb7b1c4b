"""How the numbers store looks on the wire: DID, DIDLocator, DIDCount dicts by VI's names."""

from __future__ import annotations

from .dids import NO_DATE, Number, Outcome

SUCCESS = {"responseCode": 100, "responseMessage": "Success"}


def did_record(sandbox, number: Number, *, status: str | None = None, code: str = "100") -> dict:
    """A held number in full, as auditDIDs / queryDID / AuditDIDGroup show it."""
    return {
        "tn": number.tn,
        "availability": "assigned",
        "rewrite": number.tn,
        "status": status
        if status is not None
        else (
            f"Number currently assigned to you with refid '{number.ref_id}' rewritten as '{number.tn}'"
            f" to endpoint '{number.endpoint_group}'"
        ),
        "statusCode": code,
        "tier": number.tier,
        "refId": number.ref_id,
        "failover": number.failover,
        "forward": number.forward,
        "cnamName": number.cnam_name,
        "state": number.state,
        "rateCenter": number.rate_center,
        "didGroupId": None if number.did_group_id is None else str(number.did_group_id),
        "Network": number.network,
        "endpointId": number.endpoint_group,
        "expireDate": number.reserved_until or NO_DATE,
        "has411": number.has411,
        "has911": sandbox.has_911(number.tn),
        "cnam": number.cnam,
        "cnamStorageActive": number.cnam_name is not None,
        "cnamStorageAvailability": number.cnam_storage,
        "t38": number.t38,
    }


def outcome_record(outcome: Outcome) -> dict:
    """One per-number answer of reserve/assign/config/release, shaped like VI's fixtures
    (endpointId 0, booleans false, the sentinel date: VI really answers that way)."""
    number = outcome.number
    return {
        "tn": outcome.tn,
        "availability": "",
        "rewrite": "",
        "status": outcome.status,
        "statusCode": outcome.code,
        "tier": number.tier if number is not None and outcome.ok else "",
        "refId": outcome.ref_id or "",
        "endpointId": 0,
        "expireDate": NO_DATE,
    }


def dummy_did(*, code: str, status: str, tn: str = "", availability: str = "Unavailable") -> dict:
    """VI's placeholder record for "nothing found" (auditDIDs 101200, queryDID 102420, ...)."""
    return {
        "tn": tn,
        "availability": availability,
        "rewrite": "",
        "status": status,
        "statusCode": code,
        "tier": "-99999",
        "refId": "",
        "endpointId": 0,
        "expireDate": NO_DATE,
    }


def no_dids_found() -> dict:
    return {**SUCCESS, "DIDs": [dummy_did(code="101200", status="UNKNOWN")]}


def locator(number: Number) -> dict:
    return {
        "tn": number.tn,
        "rateCenter": number.rate_center,
        "state": number.state,
        "tier": number.tier,
        "lataId": number.lata,
        "outboundCNAM": number.cnam_storage,
        "t38": number.t38,
        "sms": number.sms,
    }
