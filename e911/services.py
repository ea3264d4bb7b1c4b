"""Every change to the account's 911 records, and the sync that keeps the mirror in step.

The rule this module exists for: an address is ALWAYS checked with validate911 before it is
sent to insert911/update911/addLocation, and an address VI calls invalid is never sent
(update911 with an invalid address leaves the number with no 911 location at all).

Shape of every write (DESIGN.md): validate input (ValidationError) -> call the gateway
outside any transaction -> read back what VI now holds (query911) -> write the mirror row
in one transaction, marked changed locally, with history ("e911.location", actor, source).
VI refusing raises `ProviderRejected`; VI unreachable raises `ProviderUnavailable`; in both
cases nothing changes locally.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from dids import services as dids_services
from dids.numbers import normalize_tn
from portal.actor import Actor
from portal.history import Change, diff, model_label, record_many
from portal.models import ChangeRecord, Source
from portal.staff_errors import staff_error
from portal.sync.context import SyncContext
from portal.sync.reconcile import reconcile
from portal.voipinnovations.client import provider_context
from portal.voipinnovations.errors import ProviderRejected

from . import gateway
from .addresses import TidyAddress
from .models import PROVISIONED, AlertRecipient, Location, ProvisioningEntry
from .records import Address, LocationRecord, StoredLocation
from .words import status_words

Action = ChangeRecord.Action

MAX_ALERTS = 10
MAX_ALERT_LENGTH = 150
ALREADY_PROVISIONED = "911"
NOT_ENABLED = "941"


class AddressInvalid(Exception):
    """VI's validate911 said the address cannot be placed (101): nothing was sent."""

    def __init__(self, address: Address):
        super().__init__(
            f"VI's 911 provider cannot place {address.one_line}. Nothing was provisioned — check the "
            "house number, street, city and ZIP."
        )
        self.address = address
        self.message = str(self)


EXPECTED_ERRORS: tuple[type[Exception], ...] = (AddressInvalid,)


@dataclass(frozen=True)
class AddressVerdict:
    """What the person sees before anything is provisioned."""

    address: Address
    valid: bool
    suggestion: Address | None = None
    suggestion_valid: bool | None = None


@dataclass(frozen=True)
class ProvisionResult:
    location: Location | None
    operation: str  # "insert911" or "update911"
    message: str


def _label() -> str:
    return model_label(Location)


# --- the check that comes first ------------------------------------------------------------


def address_check(*, tidy: TidyAddress, actor: Actor, source: Source) -> AddressVerdict:
    """validate911 for a typed address (and for its USPS form, when that differs)."""
    with provider_context(actor=actor, source=source):
        valid = gateway.validate_911(address=tidy.address)
        suggestion_valid = None
        if tidy.suggestion is not None:
            suggestion_valid = gateway.validate_911(address=tidy.suggestion)
    return AddressVerdict(
        address=tidy.address,
        valid=valid,
        suggestion=tidy.suggestion,
        suggestion_valid=suggestion_valid,
    )


def address_valid(*, address: Address, actor: Actor, source: Source) -> bool:
    """validate911 for one address, already tidied (the bulk upload's check step)."""
    with provider_context(actor=actor, source=source):
        return gateway.validate_911(address=address)


def _require_valid(address: Address) -> None:
    if not gateway.validate_911(address=address):
        raise AddressInvalid(address)


# --- the mirror ----------------------------------------------------------------------------


def _current_location(tn: str) -> LocationRecord | None:
    """What speaks for the number at VI, as audit911 would list it: the provisioned
    location (query911), else its newest parked one (getLocations) — a number whose
    address was only stored, or whose update911 failed, still has a record to fix."""
    record = gateway.query_911(tn=tn)
    if record is not None:
        return record
    stored = gateway.get_locations(tn=tn)
    if not stored:
        return None
    parked = stored[-1]
    return LocationRecord(
        tn=tn, location_id=parked.location_id, caller_name=parked.caller_name, address1=parked.address1,
        address2=parked.address2, city=parked.city, state=parked.state, zip_code=parked.zip_code,
        latitude=parked.latitude, longitude=parked.longitude, status_code=parked.status_code,
        status_description=parked.status_description, activated_at=None,
        # VILocation has no dateAdded; its last update is the closest VI gives.
        added_at=parked.updated_at, plus_four=parked.plus_four,
    )  # fmt: skip


def _write_location(
    *,
    tn: str,
    record: LocationRecord | None,
    actor: Actor,
    source: Source,
    note: str,
    extra: Mapping[str, Any] | None = None,
) -> Location | None:
    """Store what VI holds now for `tn` (None: no current location -> the row is marked gone).

    The numbers mirror's has911 flag follows in the same transaction (through the dids
    service), so the numbers list agrees with the 911 pages before the next numbers sync,
    and neither is ever stored without the other. No VI call is made here: the caller has
    asked VI already, outside any transaction.
    """
    now = timezone.now()
    with transaction.atomic():
        dids_services.did_has911_set(
            tn=tn,
            has911=record is not None and record.status_code == PROVISIONED,
            actor=actor,
            source=source,
        )
        row = Location.objects.select_for_update().filter(tn=tn).first()
        if record is None:
            if row is None or row.gone_at is not None:
                return row
            row.gone_at = now
            row.mark_locally_changed(actor=actor, at=now)
            row.save()
            record_many(
                [Change(_label(), tn, Action.GONE, {"gone_at": [None, now.isoformat()]}, note=note)],
                actor=actor, source=source, at=now,
            )  # fmt: skip
            return row
        values = {**record.mirror_values(), "plus_four": record.plus_four, **(extra or {})}
        if row is None:
            row = Location(tn=tn, first_seen_at=now, **values)
            change, action = diff({}, values), Action.CREATED
        else:
            before = {name: getattr(row, name) for name in values}
            for name, value in values.items():
                setattr(row, name, value)
            change, action = diff(before, values), Action.UPDATED
            if row.gone_at is not None:
                change["gone_at"] = [row.gone_at.isoformat(), None]
                row.gone_at = None
                action = Action.RETURNED
        row.mark_locally_changed(actor=actor, at=now)
        row.save()
        record_many(
            [Change(_label(), tn, action, change, note=note)], actor=actor, source=source, at=now
        )
        return row


def location_refresh(
    *, tn: str, actor: Actor, source: Source, note: str = "Refreshed from VI"
) -> Location | None:
    """Read the number's location afresh (query911) and store it."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        record = _current_location(tn)
    return _write_location(tn=tn, record=record, actor=actor, source=source, note=note)


# --- provisioning --------------------------------------------------------------------------


def location_provision(
    *, tn: str, address: Address, actor: Actor, source: Source
) -> ProvisionResult:
    """Validate, then provision `address` for the number: insert911, or update911 when VI
    already has a provisioned location (its 911 refusal). An invalid address raises
    AddressInvalid and is never sent."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        _require_valid(address)
        operation = "insert911"
        try:
            gateway.insert_911(tn=tn, address=address)
        except ProviderRejected as refusal:
            if refusal.code != ALREADY_PROVISIONED:
                raise
            operation = "update911"
            gateway.update_911(tn=tn, address=address)
        record = _current_location(tn)
    note = "911 address provisioned" if operation == "insert911" else "911 address replaced"
    row = _write_location(tn=tn, record=record, actor=actor, source=source, note=note)
    status = status_words(row.status_code if row else "")
    return ProvisionResult(location=row, operation=operation, message=f"{note}. {status}")


def location_remove(*, tn: str, actor: Actor, source: Source) -> Location | None:
    """Remove the number's 911 location (remove911): 911 calls from it reach no address.

    Works on off-net numbers too (audit911 lists them; this is how they are cleaned up).
    Returns what is left (a parked location may now speak for the number) or None.
    """
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        gateway.remove_911(tn=tn)
        record = _current_location(tn)
    row = _write_location(
        tn=tn, record=record, actor=actor, source=source, note="911 location removed"
    )
    return row if row is not None and row.gone_at is None else None


def locations_remove(*, tns: list[str], actor: Actor, source: Source) -> dict[str, str]:
    """`location_remove` for several numbers (before a release): TN -> outcome in words."""
    outcomes: dict[str, str] = {}
    for tn in tns:
        try:
            location_remove(tn=tn, actor=actor, source=source)
        except ProviderRejected as refusal:
            outcomes[tn] = str(staff_error(refusal))  # worded as on every page
            continue
        outcomes[tn] = "911 location removed."
    return outcomes


# --- provisioning history ------------------------------------------------------------------


def provisioning_history_fetch(*, tn: str, actor: Actor, source: Source) -> list[ProvisioningEntry]:
    """getProvisioningHistory, kept: entries are upserted by location id, never deleted."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        entries = gateway.get_provisioning_history(tn=tn)
    now = timezone.now()
    with transaction.atomic():
        for entry in entries:
            ProvisioningEntry.objects.update_or_create(
                tn=tn,
                location_id=entry.location_id,
                defaults={
                    "address1": entry.address1, "address2": entry.address2, "city": entry.city,
                    "state": entry.state, "zip_code": entry.zip_code, "plus_four": entry.plus_four,
                    "caller_name": entry.caller_name, "status_code": entry.status_code,
                    "status_description": entry.status_description, "order_id": entry.order_id,
                    "activated_at": entry.activated_at, "updated_at": entry.updated_at, "fetched_at": now,
                },
            )  # fmt: skip
        Location.objects.filter(tn=tn).update(history_fetched_at=now)
    return list(ProvisioningEntry.objects.filter(tn=tn))


# --- alert recipients ----------------------------------------------------------------------


def alert_email_validate(email: str) -> str:
    cleaned = (email or "").strip()
    if len(cleaned) > MAX_ALERT_LENGTH:
        raise ValidationError(
            f"An alert address is at most {MAX_ALERT_LENGTH} characters.", code="too_long"
        )
    validate_email(cleaned)
    return cleaned


def _store_alerts(
    *, tn: str, emails: list[str], actor: Actor, source: Source, note: str
) -> list[AlertRecipient]:
    now = timezone.now()
    with transaction.atomic():
        location = Location.objects.select_for_update().filter(tn=tn).first()
        current = list(AlertRecipient.objects.filter(tn=tn))
        before = [row.email for row in current]
        wanted = {email.lower(): email for email in emails}
        AlertRecipient.objects.filter(tn=tn).exclude(email__in=list(wanted.values())).delete()
        known = {row.email.lower() for row in current}
        AlertRecipient.objects.bulk_create(
            [
                AlertRecipient(tn=tn, email=email, location=location)
                for key, email in wanted.items()
                if key not in known
            ]
        )
        if location is not None:
            location.alerts_fetched_at = now
            location.save(update_fields=["alerts_fetched_at"])
        if sorted(before) != sorted(emails):
            record_many(
                [Change(_label(), tn, Action.UPDATED, {"alert_recipients": [before, emails]}, note=note)],
                actor=actor, source=source, at=now,
            )  # fmt: skip
    return list(AlertRecipient.objects.filter(tn=tn))


def alerts_refresh(*, tn: str, actor: Actor, source: Source) -> list[AlertRecipient]:
    """Query911Alert and keep the answer. A number without 911 (941) has no active alerts."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        try:
            emails = gateway.query_911_alerts(tn=tn)
        except ProviderRejected as refusal:
            if refusal.code != NOT_ENABLED:
                raise
            # VI keeps the emails but will not show them: keep what we knew.
            return list(AlertRecipient.objects.filter(tn=tn))
    return _store_alerts(
        tn=tn, emails=emails, actor=actor, source=source, note="Alert recipients read from VI"
    )


def alert_add(*, tn: str, email: str, actor: Actor, source: Source) -> list[AlertRecipient]:
    """Add911Alert. The 10-address limit and duplicates are checked here first, so the
    person is told before the call; VI's own 940-943 refusals come through in plain words."""
    tn = normalize_tn(tn)
    email = alert_email_validate(email)
    existing = list(AlertRecipient.objects.filter(tn=tn).values_list("email", flat=True))
    if email.lower() in (known.lower() for known in existing):
        raise ValidationError(
            "That address already gets this number's 911 alerts.", code="duplicate"
        )
    if len(existing) >= MAX_ALERTS:
        raise ValidationError(
            f"A number can have at most {MAX_ALERTS} alert addresses — remove one first.",
            code="too_many",
        )
    with provider_context(actor=actor, source=source):
        gateway.add_911_alert(tn=tn, email=email)
    return _store_alerts(
        tn=tn, emails=[*existing, email], actor=actor, source=source, note="Alert recipient added"
    )


def alert_remove(*, tn: str, email: str, actor: Actor, source: Source) -> list[AlertRecipient]:
    tn = normalize_tn(tn)
    email = (email or "").strip()
    with provider_context(actor=actor, source=source):
        gateway.remove_911_alert(tn=tn, email=email)
    existing = list(AlertRecipient.objects.filter(tn=tn).values_list("email", flat=True))
    kept = [known for known in existing if known.lower() != email.lower()]
    return _store_alerts(
        tn=tn, emails=kept, actor=actor, source=source, note="Alert recipient removed"
    )


# --- legacy location calls -----------------------------------------------------------------


def stored_locations_list(*, tn: str, actor: Actor, source: Source) -> list[StoredLocation]:
    """getLocations: the number's current locations, provisioned or parked."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        return gateway.get_locations(tn=tn)


def stored_location_add(
    *, tn: str, address: Address, actor: Actor, source: Source
) -> StoredLocation | None:
    """addLocation (parked, not provisioned) — validated first like every address."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        _require_valid(address)
        stored = gateway.add_location(tn=tn, address=address)
        record = _current_location(tn)
    # addLocation renames the caller on the number's other locations: the mirror follows.
    _write_location(
        tn=tn,
        record=record,
        actor=actor,
        source=source,
        note="911 location stored (not provisioned)",
    )
    return stored


def stored_location_provision(
    *, tn: str, location_id: str, actor: Actor, source: Source
) -> Location | None:
    """provisionLocation: make a parked (GEOCODED) location the one 911 calls reach."""
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        gateway.provision_location(tn=tn, location_id=location_id)
        record = _current_location(tn)
    return _write_location(
        tn=tn,
        record=record,
        actor=actor,
        source=source,
        note=f"Stored location {location_id} provisioned",
    )


def stored_location_remove(
    *, tn: str, location_id: str, actor: Actor, source: Source
) -> Location | None:
    tn = normalize_tn(tn)
    with provider_context(actor=actor, source=source):
        gateway.remove_location(tn=tn, location_id=location_id)
        record = _current_location(tn)
    return _write_location(
        tn=tn,
        record=record,
        actor=actor,
        source=source,
        note=f"Stored location {location_id} removed",
    )


# --- sync ----------------------------------------------------------------------------------


def _audit_rows() -> Iterator[dict[str, Any]]:
    return gateway.audit_911_values()


def e911_sync(*, run: SyncContext, confirmed: bool = False) -> None:
    """The "e911" sync kind: audit911 streamed and reconciled against the Location mirror.

    The engine's guarantees hold: only changed rows are written, nothing is applied from a
    failed audit, an empty or sharply shrunken one is held for confirmation, and a row a
    person changed after the audit was requested is left for the next sync.
    """
    import sys

    from portal.sync.unchanged import unchanged_audit

    from . import records as records_module

    code = (gateway, records_module, sys.modules[__name__])
    with (
        provider_context(actor=run.actor, source=Source.SYNC),
        # An audit911 the same as the last one applied, over an untouched mirror, is not
        # read again (portal.sync.unchanged).
        unchanged_audit(run=run, model=Location, step="locations", code=code) as audit,
    ):
        reconcile(run=run, model=Location, records=_audit_rows(), step="locations", audit=audit)
