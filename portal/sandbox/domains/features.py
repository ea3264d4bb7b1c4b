"""SOAP handlers for per-number features: CNAM display, forward, failover, conference line,
fax-to-email, email-to-fax, programmable-telco scripts and DID groups."""

from __future__ import annotations

import re

from ..registry import Request, operation
from .dids import DidGroup, Number
from .records import SUCCESS, did_record

INVALID_NUMBER = {"responseCode": 944, "responseMessage": "Invalid Number"}
NO_RECORDS = {"responseCode": 101, "responseMessage": "No Records Found"}
NOT_YOUR_ENDPOINT_GROUP = {
    "responseCode": 948,
    "responseMessage": "You do not own the specified Endpoint Group",
}
CNAM_NOT_AVAILABLE = {
    "responseCode": 933,
    "responseMessage": "Outbound CNAM is not available for the specified DID",
}
CNAM_INVALID = {
    "responseCode": 934,
    "responseMessage": "Invalid name. Valid characters are letters, spaces, and numbers",
}
CNAM_NAME = re.compile(r"^[A-Za-z0-9 ]{1,15}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEN_DIGITS = re.compile(r"^\d{10}$")
PIN = re.compile(r"^\d{8}$")


def _failure(code: int, message: str) -> dict:
    return {"responseCode": code, "responseMessage": message}


def _owned(sandbox, request: Request, *names: str) -> Number | None:
    return sandbox.dids.owned(request.text(*(names or ("tn",))))


# -- CNAM display (outbound caller name) ------------------------------------------------------
@operation("GetCNAMDisplay")
def get_cnam_display(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    if not number.cnam_storage:
        return CNAM_NOT_AVAILABLE
    return {**SUCCESS, "DisplayName": number.cnam_name or ""}


@operation("UpdateCNAMDisplay")
def update_cnam_display(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    if not number.cnam_storage:
        return CNAM_NOT_AVAILABLE
    name = request.text("name") or ""
    if not CNAM_NAME.match(name):
        return CNAM_INVALID
    number.cnam_name = name
    return dict(SUCCESS)  # VI's captured answer carries no DisplayName


@operation("RemoveCNAM")
def remove_cnam(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    if not number.cnam_storage:
        return CNAM_NOT_AVAILABLE
    number.cnam_name = None
    return dict(SUCCESS)


# -- forward / failover ---------------------------------------------------------------------
@operation("GetDIDForward")
def get_did_forward(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    return {**SUCCESS, "DIDs": [{**did_record(sandbox, number), "forward": number.forward or ""}]}


@operation("SetDIDForward")
def set_did_forward(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    forward = request.text("forward") or ""
    if number is None or not TEN_DIGITS.match(forward):
        return INVALID_NUMBER
    number.forward = forward
    return dict(SUCCESS)


@operation("RemoveDIDForward")
def remove_did_forward(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    group_id = request.int("epgId")
    if group_id is None or not sandbox.dids.endpoint_group_usable(group_id):
        return NOT_YOUR_ENDPOINT_GROUP
    number.forward = None
    number.endpoint_group = group_id
    return dict(SUCCESS)


@operation("GetDIDFailover")
def get_did_failover(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    return {**SUCCESS, "DIDs": [{**did_record(sandbox, number), "failover": number.failover or ""}]}


@operation("UpdateDIDFailover")
def update_did_failover(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    failover = request.text("failover") or ""
    if failover and not TEN_DIGITS.match(failover):
        return INVALID_NUMBER
    number.failover = failover or None  # blank removes the failover (VI's docs)
    return dict(SUCCESS)


# -- conference line ---------------------------------------------------------------------------
@operation("GetConferenceLine")
def get_conference_line(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    # No TN: ConferenceLine/TN is our extension, filled only in AuditConferenceLines (docs/wsdl.md).
    return {
        **SUCCESS,
        "ConferenceLine": {
            "Enabled": number.conference_pin is not None,
            "PIN": number.conference_pin,
        },
    }


@operation("SetConferenceLine")
def set_conference_line(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    pin = request.text("pin") or ""
    if not PIN.match(pin):
        return _failure(900, "An exception occurred: the PIN must be 8 digits")
    number.conference_pin = pin
    return {**SUCCESS, "ConferenceLine": {"Enabled": True, "PIN": pin}}


@operation("RemoveConferenceLine")
def remove_conference_line(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    number.conference_pin = None
    return {**SUCCESS, "ConferenceLine": {"Enabled": False}}


# -- fax-to-email / email-to-fax ---------------------------------------------------------------
@operation("SetFaxToEmail")
def set_fax_to_email(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    email = request.text("email") or ""
    if len(email) > 150 or not EMAIL.match(email):
        return _failure(900, "An exception occurred: invalid email address")
    number.fax_email = email
    return {**SUCCESS, "Email": email}


@operation("GetFaxToEmail")
def get_fax_to_email(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    if number.fax_email is None:
        return NO_RECORDS
    return {**SUCCESS, "Email": number.fax_email}


@operation("RemoveFaxToEmail")
def remove_fax_to_email(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    if number.fax_email is None:
        return NO_RECORDS
    email, number.fax_email, number.fax_notifications = number.fax_email, None, False
    return {**SUCCESS, "Email": email}


@operation("ConfigFaxToEmailNotifications")
def config_fax_to_email_notifications(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None or number.fax_email is None:
        return NO_RECORDS  # VI's docs: not on the account or no fax-to-email -> 101
    number.fax_notifications = bool(request.bool("enabled", "enable", default=False))
    return {**SUCCESS, "Email": number.fax_email}


def _email_to_fax(number: Number) -> dict:
    return {**SUCCESS, "Emails": list(number.email_to_fax), "CallerID": number.tn}


@operation("AddEmailToFax")
def add_email_to_fax(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    email = request.text("email") or ""
    if len(email) > 150 or not EMAIL.match(email):
        return _failure(900, "An exception occurred: invalid email address")
    if email.lower() not in (existing.lower() for existing in number.email_to_fax):
        number.email_to_fax.append(email)
    return _email_to_fax(number)


@operation("GetEmailToFax")
def get_email_to_fax(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    if not number.email_to_fax:
        return {**NO_RECORDS, "Emails": []}
    return _email_to_fax(number)


@operation("RemoveEmailToFax")
def remove_email_to_fax(sandbox, request: Request) -> dict:
    email = (request.text("email") or "").lower()
    tn = request.text("tn")
    # VI's docs give only the email; when the tn is missing, remove it wherever it is.
    numbers = (
        [sandbox.dids.owned(tn)]
        if tn
        else [n for n in sandbox.dids.owned_numbers() if n.email_to_fax]
    )
    for number in numbers:
        if number is not None and any(e.lower() == email for e in number.email_to_fax):
            number.email_to_fax = [e for e in number.email_to_fax if e.lower() != email]
            return _email_to_fax(number)
    return NO_RECORDS


# -- programmable telco -------------------------------------------------------------------------
def _script_records(sandbox) -> list[dict]:
    numbers = sandbox.dids.owned_numbers()
    return [
        {
            "id": script.id,
            "name": script.name,
            "url": f"https://scripts.example.com/{script.id}.xml",
            "tns": [n.tn for n in numbers if n.script_id == script.id],
        }
        for script in sandbox.dids.scripts.values()
    ]


@operation("GetScripts")
def get_scripts(sandbox, request: Request) -> dict:
    scripts = _script_records(sandbox)
    return {**(SUCCESS if scripts else NO_RECORDS), "Scripts": scripts}


@operation("ProgramDID")
def program_did(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request, "did", "tn")
    if number is None:
        return INVALID_NUMBER
    script_id = request.text("scriptId") or ""
    if script_id not in sandbox.dids.scripts:
        return NO_RECORDS
    number.script_id = script_id
    return dict(SUCCESS)


@operation("UnprogramDID")
def unprogram_did(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request, "did", "tn")
    if number is None:
        return INVALID_NUMBER
    group_id = request.int("endpointGroupId", "epg")
    if group_id is None or not sandbox.dids.endpoint_group_usable(group_id):
        return NOT_YOUR_ENDPOINT_GROUP
    number.script_id = None
    number.endpoint_group = group_id
    return dict(SUCCESS)


# -- DID groups -----------------------------------------------------------------------------------
def _group_record(group: DidGroup) -> dict:
    return {"Name": group.name, "ID": group.id}


@operation("CreateDIDGroup")
def create_did_group(sandbox, request: Request) -> dict:
    store = sandbox.dids
    group = DidGroup(
        store.next_did_group_id, request.text("name") or f"Group {store.next_did_group_id}"
    )
    store.did_groups[group.id] = group
    store.next_did_group_id += 1
    return {**SUCCESS, "DIDGroups": [_group_record(group)]}


@operation("GetDIDGroups")
def get_did_groups(sandbox, request: Request) -> dict:
    return {**SUCCESS, "DIDGroups": [_group_record(g) for g in sandbox.dids.did_groups.values()]}


@operation("GetDIDGroup")
def get_did_group(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    group = sandbox.dids.did_groups.get(number.did_group_id)
    return {**SUCCESS, "DIDGroups": [_group_record(group)] if group else []}


@operation("SetDIDGroup")
def set_did_group(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    group = sandbox.dids.did_groups.get(request.int("groupId"))
    if group is None:
        return NO_RECORDS
    number.did_group_id = group.id
    return dict(SUCCESS)


@operation("RemoveDIDGroup")
def remove_did_group(sandbox, request: Request) -> dict:
    number = _owned(sandbox, request)
    if number is None:
        return INVALID_NUMBER
    number.did_group_id = None
    return dict(SUCCESS)
