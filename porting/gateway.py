"""Typed functions over VI's porting operations: isPortable, getPortDetails, GetPortHistory,
getActivePorts (the `porting` rows of OPERATIONS.tsv).

The only module of this app that talks to the provider client. VI only *reads* ports through
the API (they are ordered in VI's Back Office). "No Records Found" (101) becomes None or an
empty list; a number VI calls invalid (944) is an answer about that number, not a failure of
the call; every other refusal raises `ProviderRejected`; transport failures propagate as
`ProviderUnavailable` from the client.
"""

from __future__ import annotations

from typing import Any

from dids.records import flag, integer, text, vi_list
from portal.voipinnovations import codes
from portal.voipinnovations.client import call
from portal.voipinnovations.errors import ProviderRejected
from portal.voipinnovations.values import Unfit

from .records import PortabilityAnswer, PortHistoryRecord, PortRecord

SUCCESS = 100
NO_RECORDS = 101
# Refusals about the number asked for, not about the call: reported per number.
NUMBER_REFUSALS = frozenset({944})


def _refuse(result: Any, code: int | None, *, operation: str) -> ProviderRejected:
    described = codes.describe(code, operation=operation)
    message = described.message
    if described.meaning == "Unknown code" and text(result, "responseMessage"):
        message = f"{text(result, 'responseMessage')}"
    return ProviderRejected(code if code is not None else "", message)


def _code(result: Any, *, operation: str, allow_empty: bool = False) -> int:
    code = integer(result, "responseCode")
    if code == SUCCESS or (allow_empty and code == NO_RECORDS):
        return code
    raise _refuse(result, code, operation=operation)


def is_portable(*, tn: str) -> PortabilityAnswer:
    result = call("isPortable", tn=tn)
    code = integer(result, "responseCode")
    if code in NUMBER_REFUSALS:
        return PortabilityAnswer(
            tn=tn, portable=None, code=str(code), message=codes.describe(code).message
        )
    _code(result, operation="isPortable")
    portable = flag(result, "IsPortable")
    return PortabilityAnswer(
        tn=tn,
        portable=portable,
        code=str(code),
        message="Portable to VI." if portable else "Not portable to VI.",
    )


def port_details(*, port_id: int) -> PortRecord | None:
    """One port by VI's id, active or finished; None when VI has no such port."""
    result = call("getPortDetails", portId=port_id)
    if _code(result, operation="getPortDetails", allow_empty=True) == NO_RECORDS:
        return None
    detail = getattr(result, "PortDetails", None)
    if detail is None:
        return None
    record = PortRecord.from_vi(detail)
    # No id: no port. An unusable id stays, for the sync to set the port aside.
    return record if isinstance(record.vi_id, Unfit) or record.vi_id else None


def active_ports() -> list[PortRecord]:
    """Every port VI still works on (the complete list: a port missing from it has ended)."""
    result = call("getActivePorts")
    if _code(result, operation="getActivePorts", allow_empty=True) == NO_RECORDS:
        return []
    # Each port is built on its own, so a sync sets one unusable port aside (porting.services).
    return [
        PortRecord.from_vi(detail)
        for detail in vi_list(result, "ActivePorts", "PortDetail")
        if detail is not None
    ]


def port_history(*, tn: str) -> list[PortHistoryRecord]:
    """Every step of every port `tn` was part of, oldest first; [] when it never was ported."""
    result = call("GetPortHistory", tn=tn)
    code = integer(result, "responseCode")
    if code in NUMBER_REFUSALS:
        raise _refuse(result, code, operation="GetPortHistory")
    if _code(result, operation="GetPortHistory", allow_empty=True) == NO_RECORDS:
        return []
    entries = [
        PortHistoryRecord.from_vi(entry)
        for entry in vi_list(result, "PortHistory", "PortHistoryEntry")
        if entry
    ]
    return [entry for entry in entries if entry.tn]
