"""Typed functions over VI's 911 operations (the `e911` rows of OPERATIONS.tsv, 14 with the
four legacy location calls).

The only module of this app that talks to the provider client. Refusals of the whole call
raise `ProviderRejected(code, plain words)`; "nothing there" answers (101, VI's dummy
VILocation 206200) become None or empty lists; transport failures propagate as
`ProviderUnavailable` from the client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dids.records import integer, text, vi_list
from portal.voipinnovations import codes
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderRejected

from .records import Address, LocationRecord, StatusAnswer, StoredLocation

SUCCESS = 100
NO_RECORDS = 101
# remove911's inner code when the number had nothing to remove.
NOTHING_REMOVED = "205200"


def _describe(code: int | None, message: str, *, operation: str | None = None) -> str:
    described = codes.describe(code, operation=operation)
    if described.meaning == "Unknown code" and message:
        return message
    return described.message


def _check(result: Any, *, operation: str, allow_empty: bool = False) -> int:
    code = integer(result, "responseCode")
    if code == SUCCESS or (allow_empty and code == NO_RECORDS):
        return code
    raise ProviderRejected(
        "" if code is None else code,
        _describe(code, text(result, "responseMessage"), operation=operation),
    )


def _stored(result: Any) -> list[StoredLocation]:
    locations = [
        StoredLocation.from_vi(item)
        for item in vi_list(result, "VILocations", "VILocation")
        if item
    ]
    return [location for location in locations if not codes.is_dummy_record(location.status_code)]


# --- the address check ---------------------------------------------------------------------


def validate_911(*, address: Address) -> bool:
    """Whether VI's 911 provider can place `address` (100 valid, 101 not). Provisions nothing."""
    result = call("validate911", **address.as_vi())
    return _check(result, operation="validate911", allow_empty=True) == SUCCESS


# --- the number's provisioned location -----------------------------------------------------


def insert_911(*, tn: str, address: Address) -> StatusAnswer:
    result = call("insert911", did=tn, **address.as_vi())
    _check(result, operation="insert911")
    return StatusAnswer.from_result(result)


def update_911(*, tn: str, address: Address) -> StatusAnswer:
    """Replace the provisioned location. VI leaves NO location if the address is invalid."""
    result = call("update911", did=tn, **address.as_vi())
    _check(result, operation="update911")
    return StatusAnswer.from_result(result)


def remove_911(*, tn: str) -> bool:
    """Remove the number's 911 location; False when it had none to remove (205200)."""
    result = call("remove911", did=tn)
    _check(result, operation="remove911")
    return StatusAnswer.from_result(result).code != NOTHING_REMOVED


def query_911(*, tn: str) -> LocationRecord | None:
    """The location that speaks for the number (with its ZIP+4), or None."""
    result = call("query911", did=tn)
    if _check(result, operation="query911", allow_empty=True) != SUCCESS:
        return None
    records = vi_list(result, "DID911s", "DID911")
    if not records:
        return None
    record = LocationRecord.from_vi(records[0])
    if not record.tn:
        record = LocationRecord(**{**record.__dict__, "tn": tn})
    stored = {location.location_id: location for location in _stored(result)}
    match = stored.get(record.location_id)
    if match is not None and match.plus_four:
        record = LocationRecord(**{**record.__dict__, "plus_four": match.plus_four})
    return record


def audit_911_values() -> Iterator[dict[str, Any]]:
    """Every number's current location, owned or off-net, streamed (audit911), each as its
    Location values (`tn` and `mirror_values()`): what a sync stages. A record whose every
    value is plainly usable is read in one pass (`LocationRecord.sync_values`); any other
    goes the careful way (`LocationRecord.from_vi`)."""
    fast, careful = LocationRecord.sync_values, LocationRecord.from_vi
    for row in stream("audit911", record_tag="DID911"):
        values = fast(row)
        if values is None:
            record = careful(row)
            values = {"tn": record.tn, **record.mirror_values()}
        if values["tn"]:
            yield values


def get_provisioning_history(*, tn: str) -> list[StoredLocation]:
    """Every location the number ever had at VI's 911 provider, oldest first."""
    result = call("getProvisioningHistory", did=tn)
    if _check(result, operation="getProvisioningHistory", allow_empty=True) != SUCCESS:
        return []
    return _stored(result)


# --- alerts --------------------------------------------------------------------------------


def add_911_alert(*, tn: str, email: str) -> None:
    _check(call("Add911Alert", tn=tn, email=email), operation="Add911Alert")


def remove_911_alert(*, tn: str, email: str) -> None:
    _check(call("Remove911Alert", tn=tn, email=email), operation="Remove911Alert")


def query_911_alerts(*, tn: str) -> list[str]:
    """The number's alert recipients. VI sends ONE string with the addresses comma-separated."""
    result = call("Query911Alert", tn=tn)
    if _check(result, operation="Query911Alert", allow_empty=True) != SUCCESS:
        return []
    alerts = getattr(result, "Alerts", None)
    strings = getattr(alerts, "string", None) if alerts is not None else None
    if strings is None:
        return []
    if isinstance(strings, str):
        strings = [strings]
    emails: list[str] = []
    for joined in strings:
        for email in (joined or "").split(","):
            email = email.strip()
            if email and email.lower() not in (known.lower() for known in emails):
                emails.append(email)
    return emails


# --- legacy location calls -----------------------------------------------------------------


def add_location(*, tn: str, address: Address) -> StoredLocation | None:
    """Store a location for the number without provisioning it (GEOCODED or INVALID)."""
    result = call("addLocation", did=tn, **address.as_vi())
    _check(result, operation="addLocation")
    stored = _stored(result)
    return stored[0] if stored else None


def get_locations(*, tn: str) -> list[StoredLocation]:
    result = call("getLocations", did=tn)
    if _check(result, operation="getLocations", allow_empty=True) != SUCCESS:
        return []
    return _stored(result)


def provision_location(*, tn: str, location_id: str) -> StatusAnswer:
    result = call("provisionLocation", did=tn, locationId=location_id)
    _check(result, operation="provisionLocation")
    return StatusAnswer.from_result(result)


def remove_location(*, tn: str, location_id: str) -> StatusAnswer:
    result = call("removeLocation", locationId=location_id, did=tn)
    _check(result, operation="removeLocation")
    return StatusAnswer.from_result(result)
