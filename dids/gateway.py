"""Typed functions over VI's numbers operations (the `dids` rows of OPERATIONS.tsv).

The only module of this app that talks to the provider client. Every function takes and
returns plain Python (10-digit strings, ints, frozen records from `dids.records`): VI's
element names stop here. Top-level refusals raise `ProviderRejected`; per-number outcomes of
bulk calls are returned as `NumberOutcome`s; VI's dummy "no records" rows become empty
lists; transport failures propagate as `ProviderUnavailable` from the client.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from portal.voipinnovations import codes
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from .records import (
    ClientRecord,
    ConferenceLineState,
    Country,
    DIDCount,
    DIDGroupRecord,
    DIDLocator,
    DIDRecord,
    EmailToFaxSetting,
    EndpointGroupRecord,
    FaxToEmailSetting,
    FeatureSetting,
    IntlDIDRecord,
    NumberOutcome,
    Script,
    decimal,
    flag,
    integer,
    listed,
    text,
    vi_list,
    vi_value,
)

# DIDParams per SOAP call in bulk writes: big enough that 10,000 numbers take 20 calls,
# small enough that one answer stays quick to produce and parse.
BULK_CHUNK_SIZE = 500

SUCCESS = 100
# Top-level codes meaning "nothing to report" rather than a refusal.
_EMPTY_CODES = {101}


# --- helpers -----------------------------------------------------------------------------


def _describe(code: int | str | None, fallback: str = "") -> str:
    """Plain-words meaning of a VI code; VI's own text when the portal does not know the code."""
    if code in (None, ""):
        return fallback or "No answer from VI for this number."
    described = codes.describe(code)
    if described.meaning == "Unknown code" and fallback:
        return f"{fallback} (VI code {code})"
    return described.message


def _is_dummy(code: str) -> bool:
    return codes.is_dummy_record(code)


def _number_ok(code: str) -> bool:
    """Success, or "already yours" (the number already is where the caller wants it)."""
    described = codes.describe(code)
    return described.is_success or described.already_yours


def _check(result: Any, *, allow_empty: bool = False) -> int:
    """Raise ProviderRejected unless VI's top-level answer is a success (or an allowed "none")."""
    code = integer(result, "responseCode")
    if code == SUCCESS or (allow_empty and code in _EMPTY_CODES):
        return code
    raise ProviderRejected(
        "" if code is None else code, _describe(code, text(result, "responseMessage"))
    )


def _did_records(result: Any) -> list[DIDRecord]:
    records = [DIDRecord.from_vi(did) for did in vi_list(result, "DIDs", "DID") if did is not None]
    return [record for record in records if record.tn and not _is_dummy(record.status_code)]


def _did_param(
    tn: str, *, endpoint_id: int | None = None, cnam: bool | None = None, ref_id: str | None = None
) -> dict:
    param: dict[str, Any] = {"tn": tn}
    if cnam is not None:
        param["cnam"] = "1" if cnam else "0"
    if ref_id is not None:
        param["refId"] = ref_id
    # epg is an xs:int with minOccurs 1: VI reads a missing one as 0, which "no group" means.
    param["epg"] = endpoint_id if endpoint_id is not None else 0
    return param


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(operation: str, params: Sequence[dict]) -> list[NumberOutcome]:
    """Send DIDParams in as few calls as possible and return one outcome per number.

    A refusal of the whole first call (bad login, not your endpoint group) is raised, as is
    a transport failure of the first call: nothing happened at VI. Once a chunk has gone
    through, later chunks' failures become per-number outcomes, because raising would hide
    what VI already did for the earlier numbers.
    """
    outcomes: list[NumberOutcome] = []
    for index, chunk in enumerate(_chunks(params, BULK_CHUNK_SIZE)):
        tns = [param["tn"] for param in chunk]
        try:
            result = call(operation, didParams={"DIDParam": list(chunk)})
            _check(result)
        except (ProviderRejected, ProviderUnavailable) as error:
            if index == 0:
                raise
            code = str(getattr(error, "code", "") or "")
            outcomes.extend(
                NumberOutcome(tn=tn, code=code, ok=False, message=str(error)) for tn in tns
            )
            continue
        outcomes.extend(_per_number(tns, result))
    return outcomes


def _per_number(tns: Sequence[str], result: Any) -> list[NumberOutcome]:
    """Match VI's DID rows to the numbers sent: VI returns one DID per DIDParam, by tn."""
    by_tn: dict[str, Any] = {}
    for did in vi_list(result, "DIDs", "DID"):
        tn = text(did, "tn")
        if tn:
            by_tn.setdefault(tn, did)
    outcomes = []
    for tn in tns:
        did = by_tn.get(tn)
        if did is None:
            # Some write calls (InventoryDIDs) answer with the top level only.
            outcomes.append(NumberOutcome(tn=tn, code=str(SUCCESS), ok=True, message="Done."))
            continue
        code = text(did, "statusCode")
        status = text(did, "status")
        ok = _number_ok(code)
        outcomes.append(
            NumberOutcome(
                tn=tn,
                code=code,
                ok=ok,
                message=status if ok and status else _describe(code, status),
                status=status,
                record=DIDRecord.from_vi(did),
            )
        )
    return outcomes


def _search_criteria(
    *,
    state: str = "",
    lata: str = "",
    rate_center: str = "",
    npa: str = "",
    nxx: str = "",
    tier: str = "",
    t38: bool | None = None,
    cnam: bool | None = None,
    sms: bool | None = None,
    network: str = "",
) -> dict[str, str | None]:
    def as_bit(value: bool | None) -> str | None:
        return None if value is None else ("1" if value else "0")

    # VI wants every criterion present, unused ones empty or nil (WIRE-FORMAT.md §6.4).
    return {
        "state": state or None,
        "lata": lata or None,
        "rateCenter": rate_center or None,
        "npa": npa or None,
        "nxx": nxx or None,
        "tier": tier or None,
        "t38": as_bit(t38),
        "cnam": as_bit(cnam),
        "sms": as_bit(sms),
        "network": network or None,
    }


def _single_did_write(operation: str, tn: str, **params: Any) -> NumberOutcome:
    """A write on one number whose answer is a DIDResponse (forward, failover, groups…)."""
    result = call(operation, tn=tn, **params)
    _check(result)
    records = _did_records(result)
    return NumberOutcome(
        tn=tn,
        code=str(SUCCESS),
        ok=True,
        message=text(result, "responseMessage") or "Done.",
        record=records[0] if records else None,
    )


# --- search and availability (buy flow) --------------------------------------------------


@dataclass(frozen=True)
class SearchCriteria:
    state: str = ""
    lata: str = ""
    rate_center: str = ""
    npa: str = ""
    nxx: str = ""
    tier: str = ""
    t38: bool | None = None
    cnam: bool | None = None
    sms: bool | None = None
    network: str = ""

    def as_params(self) -> dict[str, str | None]:
        return _search_criteria(**self.__dict__)


def get_dids(*, criteria: SearchCriteria) -> list[DIDLocator]:
    """Numbers available to buy (getDIDs). VI refuses with 302490 when no criterion is given."""
    result = call("getDIDs", **criteria.as_params())
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return [
        DIDLocator.from_vi(row)
        for row in vi_list(result, "DIDLocators", "DIDLocator")
        if text(row, "tn")
    ]


def get_dids_extended(*, criteria: SearchCriteria) -> list[DIDLocator]:
    """Numbers in VI's extended inventory (getDIDsExtended): state+rate center, NPA or LATA."""
    result = call("getDIDsExtended", **criteria.as_params())
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return [
        DIDLocator.from_vi(row)
        for row in vi_list(result, "DIDLocators", "DIDLocator")
        if text(row, "tn")
    ]


def get_did_count(*, criteria: SearchCriteria, order_by: str = "state") -> list[DIDCount]:
    """Available numbers per rate center and tier (getDIDCount); order_by rc|lata|state|tier."""
    result = call("getDIDCount", orderby=order_by, **criteria.as_params())
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return [DIDCount.from_vi(row) for row in vi_list(result, "DIDCounts", "DIDCount")]


def _response_data(result: Any) -> list[str]:
    return [
        str(value).strip()
        for value in vi_list(result, "responseData", "string")
        if str(value).strip()
    ]


def get_available_states() -> list[str]:
    result = call("GetAvailableStates")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _response_data(result)


def get_available_rate_centers(*, state: str) -> list[str]:
    result = call("GetAvailableRateCenters", state=state)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _response_data(result)


def get_available_npas(*, state: str = "", rate_center: str = "") -> list[str]:
    result = call("GetAvailableNPAs", state=state or None, ratecenter=rate_center or None)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _response_data(result)


def query_did(*, tn: str) -> DIDRecord | None:
    """What VI says about one number, owned or not; None when VI does not know it (102420)."""
    result = call("queryDID", did=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return None
    records = _did_records(result)
    return records[0] if records else None


# --- the numbers' lifecycle (bulk) -------------------------------------------------------


def reserve_dids(*, tns: Sequence[str], ref_id: str | None = None) -> list[NumberOutcome]:
    """Hold available numbers for 30 minutes (reserveDID)."""
    return _bulk("reserveDID", [_did_param(tn, ref_id=ref_id) for tn in tns])


def assign_dids(
    *, tns: Sequence[str], endpoint_id: int, cnam: bool | None = None, ref_id: str | None = None
) -> list[NumberOutcome]:
    """Buy available or reserved numbers onto an endpoint group (assignDID)."""
    return _bulk(
        "assignDID",
        [_did_param(tn, endpoint_id=endpoint_id, cnam=cnam, ref_id=ref_id) for tn in tns],
    )


def assign_dids_extended(
    *, tns: Sequence[str], endpoint_id: int, cnam: bool | None = None, ref_id: str | None = None
) -> list[NumberOutcome]:
    """Buy numbers from VI's extended inventory (assignDIDExtended)."""
    return _bulk(
        "assignDIDExtended",
        [_did_param(tn, endpoint_id=endpoint_id, cnam=cnam, ref_id=ref_id) for tn in tns],
    )


def config_dids(
    *, tns: Sequence[str], endpoint_id: int, cnam: bool | None = None, ref_id: str | None = None
) -> list[NumberOutcome]:
    """Move owned numbers to an endpoint group and set the inbound CNAM dip (configDID)."""
    return _bulk(
        "configDID",
        [_did_param(tn, endpoint_id=endpoint_id, cnam=cnam, ref_id=ref_id) for tn in tns],
    )


def config_did_references(*, settings: Sequence[tuple[str, int, str]]) -> list[NumberOutcome]:
    """Set each number's reference (refId) with configDID, which also needs its endpoint group
    (epg is required): (tn, the number's current endpoint group, reference) per number."""
    return _bulk(
        "configDID", [_did_param(tn, endpoint_id=group, ref_id=ref) for tn, group, ref in settings]
    )


def release_dids(*, tns: Sequence[str]) -> list[NumberOutcome]:
    """Give numbers back to VI (releaseDID). VI answers 106231 for one you did not hold."""
    return _bulk("releaseDID", [{"tn": tn, "epg": 0} for tn in tns])


def inventory_dids(*, tns: Sequence[str]) -> list[NumberOutcome]:
    """Park numbers in the account's personal inventory (InventoryDIDs)."""
    return _bulk("InventoryDIDs", [{"tn": tn, "epg": 0} for tn in tns])


# --- audits (syncs) ----------------------------------------------------------------------


def audit_did_values() -> Iterator[dict[str, Any]]:
    """Every number the account holds, streamed (auditDIDs; 100,000 numbers ≈ 48 MB), each
    as a dict of DIDRecord's fields: what a sync stages.

    A record whose every value is plainly usable is read in one pass (`DIDRecord.sync_values`,
    a `Fitted` dict); any other goes the careful way (`DIDRecord.from_vi`).
    """
    fast, careful = DIDRecord.sync_values, DIDRecord.from_vi
    for row in stream("auditDIDs", record_tag="DID"):
        values = fast(row)
        if values is None:
            record = careful(row)
            values = {field.name: getattr(record, field.name) for field in dataclass_fields(record)}
        if values["tn"] and not _is_dummy(values["status_code"]):
            yield values


def audit_did_group(*, group_id: int) -> list[DIDRecord]:
    result = call("AuditDIDGroup", groupId=group_id)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _did_records(result)


def get_did_groups() -> list[DIDGroupRecord]:
    result = call("GetDIDGroups")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _groups(result)


def _groups(result: Any) -> list[DIDGroupRecord]:
    # Each group is built on its own, so a sync sets one unusable group aside (dids.records).
    return listed(
        DIDGroupRecord.from_vi(group) for group in vi_list(result, "DIDGroups", "DIDGroup")
    )


def _endpoint_groups(result: Any) -> list[EndpointGroupRecord]:
    return listed(
        EndpointGroupRecord.from_vi(row)
        for row in vi_list(result, "EndpointGroups", "EndpointGroup")
    )


def audit_endpoint_groups() -> list[EndpointGroupRecord]:
    result = call("AuditEndpointGroups")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _endpoint_groups(result)


def audit_endpoint_group(*, group_id: int) -> EndpointGroupRecord | None:
    result = call("AuditEndpointGroup", groupId=group_id)
    if _check(result, allow_empty=True) != SUCCESS:
        return None
    return next(iter(_endpoint_groups(result)), None)


def audit_clients() -> list[ClientRecord]:
    result = call("AuditClients")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return listed(ClientRecord.from_vi(row) for row in vi_list(result, "Clients", "Client"))


def audit_conference_lines() -> list[ConferenceLineState]:
    """Numbers with a conference line. The PINs VI sends back are dropped here, on purpose."""
    result = call("AuditConferenceLines")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    lines = []
    for row in vi_list(result, "ConferenceLines", "ConferenceLine"):
        tn = text(row, "TN")
        if tn:
            lines.append(ConferenceLineState(tn=tn, enabled=flag(row, "Enabled")))
    return lines


def _feature_rows(operation: str, array: str, item: str, value_name: str) -> list[FeatureSetting]:
    result = call(operation)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    rows = (
        FeatureSetting(tn=text(row, "TN"), value=text(row, value_name))
        for row in vi_list(result, array, item)
    )
    return [row for row in rows if row.tn]


def audit_did_forwards() -> list[FeatureSetting]:
    return _feature_rows("AuditDIDForwards", "DIDForwards", "DIDForward", "ForwardTN")


def audit_did_failovers() -> list[FeatureSetting]:
    return _feature_rows("AuditDIDFailovers", "DIDFailovers", "DIDFailover", "FailoverTN")


def audit_fax_to_emails() -> list[FaxToEmailSetting]:
    result = call("AuditFaxToEmails")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    settings = []
    for row in vi_list(result, "FaxToEmails", "FaxToEmail"):
        tn = text(row, "TN")
        if tn:
            settings.append(
                FaxToEmailSetting(
                    tn=tn,
                    email=text(row, "Email"),
                    failure_notifications=flag(row, "failureNotifications"),
                )
            )
    return settings


def audit_intl_dids() -> list[IntlDIDRecord]:
    result = call("AuditIntlDIDs")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    records = [IntlDIDRecord.from_vi(row) for row in vi_list(result, "DIDs", "IntlDID")]
    return [record for record in records if record.tn]


def _tns(result: Any) -> list[str]:
    return [str(tn).strip() for tn in vi_list(result, "TNs", "string") if str(tn).strip()]


def get_inventory_tns(*, did_type: str = "ALL") -> list[str]:
    result = call("GetInventoryTNs", didType=did_type)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _tns(result)


def get_unconfigured_tns(*, did_type: str = "ALL") -> list[str]:
    result = call("GetUnconfiguredTNs", didType=did_type)
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    return _tns(result)


def get_prepaid_balance() -> Decimal:
    result = call("GetPrepaidBalance")
    _check(result)
    return decimal(result, "Amount") or Decimal("0")


# --- per-number features -----------------------------------------------------------------


def get_cnam_display(*, tn: str) -> str:
    """The outbound caller-ID name on file; "" when none."""
    result = call("GetCNAMDisplay", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return ""
    return text(result, "DisplayName")


def update_cnam_display(*, tn: str, name: str) -> str:
    """Set the outbound caller-ID name (933 when the number lacks CNAM storage, 934 bad name)."""
    result = call("UpdateCNAMDisplay", tn=tn, name=name)
    _check(result)
    return text(result, "DisplayName") or name


def remove_cnam(*, tn: str) -> None:
    _check(call("RemoveCNAM", tn=tn))


def get_did_forward(*, tn: str) -> str:
    result = call("GetDIDForward", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return ""
    records = _did_records(result)
    return records[0].forward if records else ""


def set_did_forward(*, tn: str, forward: str) -> NumberOutcome:
    return _single_did_write("SetDIDForward", tn, forward=forward)


def remove_did_forward(*, tn: str, endpoint_id: int) -> NumberOutcome:
    """Stop forwarding; calls go to `endpoint_id` again (VI types epgId as a string)."""
    return _single_did_write("RemoveDIDForward", tn, epgId=str(endpoint_id))


def get_did_failover(*, tn: str) -> str:
    result = call("GetDIDFailover", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return ""
    records = _did_records(result)
    return records[0].failover if records else ""


def update_did_failover(*, tn: str, failover: str) -> NumberOutcome:
    """Set the failover number; an empty `failover` removes it (VI's documented way)."""
    return _single_did_write("UpdateDIDFailover", tn, failover=failover)


def get_did_group(*, tn: str) -> DIDGroupRecord | None:
    result = call("GetDIDGroup", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return None
    groups = _groups(result)
    return groups[0] if groups else None


def set_did_group(*, tn: str, group_id: int) -> NumberOutcome:
    return _single_did_write("SetDIDGroup", tn, groupId=group_id)


def remove_did_group(*, tn: str) -> NumberOutcome:
    return _single_did_write("RemoveDIDGroup", tn)


def create_did_group(*, name: str) -> DIDGroupRecord:
    result = call("CreateDIDGroup", name=name)
    _check(result)
    groups = _groups(result)
    if not groups:
        raise ProviderUnavailable("VI created a DID group but did not say which.")
    return groups[0]


def get_conference_line(*, tn: str) -> ConferenceLineState:
    result = call("GetConferenceLine", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return ConferenceLineState(tn=tn, enabled=False)
    return ConferenceLineState(tn=tn, enabled=flag(vi_value(result, "ConferenceLine"), "Enabled"))


def set_conference_line(*, tn: str, pin: str) -> NumberOutcome:
    # The PIN goes to VI and nowhere else: the client redacts `pin` from its call log.
    return _single_did_write("SetConferenceLine", tn, pin=pin)


def remove_conference_line(*, tn: str) -> NumberOutcome:
    return _single_did_write("RemoveConferenceLine", tn)


def get_fax_to_email(*, tn: str) -> str:
    result = call("GetFaxToEmail", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return ""
    return text(result, "Email")


def set_fax_to_email(*, tn: str, email: str) -> None:
    _check(call("SetFaxToEmail", tn=tn, email=email))


def remove_fax_to_email(*, tn: str) -> None:
    _check(call("RemoveFaxToEmail", tn=tn))


def config_fax_to_email_notifications(*, tn: str, enabled: bool) -> None:
    """Failure notifications on/off; VI answers 101 when the number has no fax-to-email."""
    _check(call("ConfigFaxToEmailNotifications", tn=tn, enabled=enabled))


def get_email_to_fax(*, tn: str) -> EmailToFaxSetting:
    result = call("GetEmailToFax", tn=tn)
    if _check(result, allow_empty=True) != SUCCESS:
        return EmailToFaxSetting(tn=tn)
    emails = tuple(
        str(email).strip() for email in vi_list(result, "Emails", "string") if str(email).strip()
    )
    return EmailToFaxSetting(tn=tn, emails=emails, caller_id=text(result, "CallerID"))


def add_email_to_fax(*, tn: str, email: str) -> None:
    _check(call("AddEmailToFax", tn=tn, email=email))


def remove_email_to_fax(*, tn: str, email: str) -> None:
    _check(call("RemoveEmailToFax", tn=tn, email=email))


def get_scripts() -> list[Script]:
    """Programmable-telco scripts and the numbers each one runs (GetScripts)."""
    result = call("GetScripts")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    scripts = []
    for row in vi_list(result, "Scripts", "ProgrammableTelcoScript"):
        script_id = text(row, "id")
        if script_id:
            tns = tuple(str(tn).strip() for tn in vi_list(row, "tns", "string") if str(tn).strip())
            scripts.append(
                Script(script_id=script_id, name=text(row, "name"), url=text(row, "url"), tns=tns)
            )
    return scripts


def program_did(*, tn: str, script_id: str) -> None:
    _check(call("ProgramDID", did=tn, scriptId=script_id))


def unprogram_did(*, tn: str, endpoint_id: int) -> None:
    _check(call("UnprogramDID", did=tn, endpointGroupId=str(endpoint_id)))


# --- endpoint groups, international ------------------------------------------------------


def activate_endpoint_group(*, group_id: int) -> None:
    _check(call("ActivateEndpointGroup", groupid=str(group_id)))


def deactivate_endpoint_group(*, group_id: int) -> None:
    _check(call("DeactivateEndpointGroup", groupid=str(group_id)))


def get_countries() -> list[Country]:
    result = call("GetCountries")
    if _check(result, allow_empty=True) != SUCCESS:
        return []
    countries = []
    for row in vi_list(result, "Countries", "Country"):
        cities = tuple(
            (integer(city, "id") or 0, text(city, "name"))
            for city in vi_list(row, "cities", "City")
        )
        countries.append(
            Country(name=text(row, "name"), abbreviation=text(row, "abbrev"), cities=cities)
        )
    return countries


def assign_intl_did(*, city_id: int, endpoint_id: int) -> IntlDIDRecord | None:
    result = call("AssignIntlDID", cityID=city_id, epgID=endpoint_id)
    _check(result)
    did = vi_value(result, "DID")
    record = IntlDIDRecord.from_vi(did) if did is not None else None
    return record if record and record.tn else None


def release_intl_did(*, tn: str) -> None:
    _check(call("ReleaseIntlDID", tn=tn))
