"""Every change to the account's numbers, and the syncs that keep the mirror in step with VI.

The shape of every write (DESIGN.md, "Two paths through the house"):
1. validate the input, so bad input never reaches VI (ValidationError);
2. call the gateway, outside any database transaction (a VI call can take seconds);
3. update only the mirror rows VI confirmed, in one transaction, marking them changed
   locally (`locally_changed_at`, `last_changed_by`) so a sync already under way leaves
   them alone, and record history with actor and source;
4. return a result per number (plain words + VI's code).

VI's refusal of a whole call raises `ProviderRejected`; VI being unreachable raises
`ProviderUnavailable`; in both cases nothing changes locally.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from portal.actor import Actor
from portal.history import Change, diff, model_label, record_many
from portal.mirror import MirrorModel
from portal.models import ChangeRecord, Source
from portal.sync.context import SyncContext
from portal.sync.fit import Fitted, quick_fit, record_problems
from portal.sync.reconcile import ShrinkHeld, reconcile
from portal.voipinnovations import codes
from portal.voipinnovations.client import CallerContext, provider_context
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from portal.voipinnovations.values import UnfitRecord

from . import gateway
from .gateway import SearchCriteria
from .models import (
    DID,
    Client,
    DIDGroup,
    EndpointGroup,
    IntlDID,
    InventoryTN,
    PrepaidBalanceReading,
    Reservation,
    UnconfiguredTN,
)
from .numbers import normalize_tn, normalize_tns
from .records import DIDCount, DIDLocator, DIDRecord, EndpointGroupRecord, NumberOutcome, Script

Action = ChangeRecord.Action

# What these services raise for a person to read, beyond the three cases every service shares
# (invalid input as ValidationError, VI's refusal, VI unreachable): nothing of their own.
EXPECTED_ERRORS: tuple[type[Exception], ...] = ()


# The mirror fields a DIDRecord from VI fills (every VI field but the feature-only ones).
_RECORD_FIELDS = tuple(name for name in DID.vi_fields if name in DIDRecord.__dataclass_fields__)

_CNAM_NAME = re.compile(r"^[A-Za-z0-9 ]{1,15}$")
_CONFERENCE_PIN = re.compile(r"^\d{8}$")


# --- validation ----------------------------------------------------------------------------


def cnam_name_validate(name: str) -> str:
    """VI's rule for outbound CNAM names (code 934), checked before the call."""
    cleaned = " ".join((name or "").split())
    if not _CNAM_NAME.match(cleaned):
        raise ValidationError(
            "A caller-ID name is 1 to 15 characters: letters, digits and spaces only.",
            code="invalid_cnam_name",
        )
    return cleaned


def conference_pin_validate(pin: str) -> str:
    cleaned = (pin or "").strip()
    if not _CONFERENCE_PIN.match(cleaned):
        raise ValidationError("A conference PIN is exactly 8 digits.", code="invalid_pin")
    return cleaned


def fax_email_validate(email: str) -> str:
    cleaned = (email or "").strip()
    if len(cleaned) > 150:
        raise ValidationError("An email address for VI is at most 150 characters.", code="too_long")
    validate_email(cleaned)
    return cleaned


def _validate_endpoint_id(endpoint_id: int | str) -> int:
    try:
        value = int(endpoint_id)
    except (TypeError, ValueError):
        raise ValidationError("Choose an endpoint group.", code="invalid_endpoint_group") from None
    if value <= 0:
        raise ValidationError("Choose an endpoint group.", code="invalid_endpoint_group")
    return value


# --- mirror writing ------------------------------------------------------------------------


def _label(model: type[Model]) -> str:
    return model_label(model)


def _record_values(record: DIDRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _RECORD_FIELDS}


def _apply_did_changes(
    changes_by_tn: Mapping[str, Mapping[str, Any]],
    *,
    actor: Actor,
    source: Source,
    note: str = "",
    create_missing: bool = False,
    gone: bool | None = None,
    skip_unchanged: bool = False,
) -> None:
    """Write VI-confirmed values to the DID rows, with history, in one transaction.

    `gone=True` marks the rows gone (release), `gone=False` brings gone rows back (a
    number bought again). Numbers the mirror does not hold are created only when
    `create_missing` (a purchase); otherwise the next sync will bring them.
    `skip_unchanged` leaves rows VI agrees with untouched and without history (a read-back).
    """
    if not changes_by_tn:
        return
    # SELECT … FOR UPDATE cannot lock a row that does not exist yet: when another writer
    # (a sync, a second purchase) inserts the same number first, our insert fails on the
    # unique key and the second attempt finds the row and updates it instead.
    for attempt in range(2):
        try:
            _write_did_changes(
                changes_by_tn, actor=actor, source=source, note=note, create_missing=create_missing,
                gone=gone, skip_unchanged=skip_unchanged,
            )  # fmt: skip
            return
        except IntegrityError:
            if attempt:
                raise


def _write_did_changes(
    changes_by_tn: Mapping[str, Mapping[str, Any]],
    *,
    actor: Actor,
    source: Source,
    note: str,
    create_missing: bool,
    gone: bool | None,
    skip_unchanged: bool,
) -> None:
    now = timezone.now()
    label = _label(DID)
    with transaction.atomic():
        rows = {
            row.tn: row
            for row in DID.objects.select_for_update().filter(tn__in=list(changes_by_tn))
        }
        history: list[Change] = []
        updated: list[DID] = []
        created: list[DID] = []
        touched_fields: set[str] = set()
        for tn, values in changes_by_tn.items():
            row = rows.get(tn)
            if row is None:
                if not create_missing:
                    continue
                row = DID(tn=tn, first_seen_at=now, **values)
                if gone:
                    row.gone_at = now
                row.mark_locally_changed(actor=actor, at=now)
                created.append(row)
                history.append(Change(label, tn, Action.CREATED, diff({}, dict(values)), note=note))
                continue
            before = {name: getattr(row, name) for name in values}
            change = diff(before, values)
            if skip_unchanged and not change and gone is None:
                continue
            for name, value in values.items():
                setattr(row, name, value)
            action = Action.UPDATED
            if gone and row.gone_at is None:
                change["gone_at"] = [None, now.isoformat()]
                row.gone_at = now
                action = Action.GONE
            elif gone is False and row.gone_at is not None:
                change["gone_at"] = [row.gone_at.isoformat(), None]
                row.gone_at = None
                action = Action.RETURNED
            row.mark_locally_changed(actor=actor, at=now)
            touched_fields.update(values)
            updated.append(row)
            # Even an unchanged value is worth a line: someone asked VI for it and VI agreed.
            history.append(Change(label, tn, action, change, note=note))
        if created:
            DID.objects.bulk_create(created, batch_size=1000)
        if updated:
            DID.objects.bulk_update(
                updated,
                [
                    *sorted(touched_fields),
                    "gone_at",
                    "content_hash",
                    "locally_changed_at",
                    "last_changed_by",
                ],
                batch_size=1000,
            )
        record_many(history, actor=actor, source=source, at=now)


def _apply_single(
    model: type[MirrorModel],
    *,
    key: str | int,
    values: Mapping[str, Any],
    actor: Actor,
    source: Source,
    note: str = "",
) -> None:
    """The same as `_apply_did_changes` for one row of another mirror model."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update()
            .filter(**{model.natural_key_field: key})
            .first()
        )
        if row is None:
            row = model(**{model.natural_key_field: key}, first_seen_at=now, **values)
            row.mark_locally_changed(actor=actor, at=now)
            row.save()
            change, action = diff({}, dict(values)), Action.CREATED
        else:
            before = {name: getattr(row, name) for name in values}
            for name, value in values.items():
                setattr(row, name, value)
            row.mark_locally_changed(actor=actor, at=now)
            row.save()
            change, action = diff(before, dict(values)), Action.UPDATED
        record_many(
            [Change(_label(model), str(key), action, change, note=note)],
            actor=actor,
            source=source,
            at=now,
        )


def _with_context(actor: Actor, source: Source) -> AbstractContextManager[CallerContext]:
    return provider_context(actor=actor, source=source)


# --- buy flow (reads) ----------------------------------------------------------------------


def _require_criterion(criteria: SearchCriteria) -> None:
    # VI answers a search without criteria with 302490; say so before asking.
    if not any(value not in (None, "") for value in criteria.as_params().values()):
        raise ValidationError(
            "Give at least one search criterion (state, NPA, rate center …).", code="no_criteria"
        )


def dids_search(
    *, criteria: SearchCriteria, extended: bool = False, actor: Actor, source: Source
) -> list[DIDLocator]:
    """Numbers available to buy. `extended` searches VI's extended inventory."""
    _require_criterion(criteria)
    with _with_context(actor, source):
        if extended:
            return gateway.get_dids_extended(criteria=criteria)
        return gateway.get_dids(criteria=criteria)


def dids_count(
    *, criteria: SearchCriteria, order_by: str = "state", actor: Actor, source: Source
) -> list[DIDCount]:
    _require_criterion(criteria)
    with _with_context(actor, source):
        return gateway.get_did_count(criteria=criteria, order_by=order_by)


def available_states_list(*, actor: Actor, source: Source) -> list[str]:
    with _with_context(actor, source):
        return gateway.get_available_states()


def available_rate_centers_list(*, state: str, actor: Actor, source: Source) -> list[str]:
    with _with_context(actor, source):
        return gateway.get_available_rate_centers(state=state)


def available_npas_list(
    *, state: str = "", rate_center: str = "", actor: Actor, source: Source
) -> list[str]:
    with _with_context(actor, source):
        return gateway.get_available_npas(state=state, rate_center=rate_center)


# --- the numbers' lifecycle ------------------------------------------------------------------


# VI holds a reservation for 30 minutes (API 3.0 §3.7).
RESERVATION_MINUTES = 30

# VI's per-number codes that the buy flow reads itself rather than as plain success/refusal.
_SUCCESS_CODE = str(gateway.SUCCESS)
_RESERVED_FOR_YOU = "103220"
_ALREADY_ASSIGNED_AT_RESERVE = "103225"
_ALREADY_ASSIGNED = "104225"

# What an "already assigned to you" answer is checked against: the fields assignDID sets or
# VI reports for a bought number. Feature settings (forward, CNAM name …) are left to syncs.
_READ_BACK_FIELDS = (
    "availability",
    "tier",
    "endpoint_id",
    "ref_id",
    "cnam",
    "state",
    "rate_center",
)


@dataclass(frozen=True)
class BuyOutcome(NumberOutcome):
    """A reserve or assign result, telling apart "the account already holds it" from a refusal.

    `already_owned`: VI answered that the account already holds the number (someone else at
    the company bought it first, or long ago): nothing was bought, and `ok` is False.
    `bought_by`: who bought it, when the portal knows.
    `expires_at`: for a reservation, until when VI holds it (as the portal counts it).
    """

    already_owned: bool = False
    bought_by: str = ""
    expires_at: datetime.datetime | None = None


def dids_reserve(
    *, tns: Iterable[str] | str, ref_id: str | None = None, actor: Actor, source: Source
) -> list[BuyOutcome]:
    """Hold available numbers for 30 minutes, and remember each reservation VI granted.

    VI has no call that lists reservations, so the portal keeps its own record
    (`Reservation`): a number reserved and left behind can be found and bought later.
    """
    numbers = normalize_tns(tns)
    # Counted from before the call: the portal must never promise more time than VI gives.
    asked_at = timezone.now()
    with _with_context(actor, source):
        outcomes = gateway.reserve_dids(tns=numbers, ref_id=ref_id)
    granted = [outcome.tn for outcome in outcomes if outcome.code == _SUCCESS_CODE]
    expires = _reservations_record(tns=granted, actor=actor, at=asked_at, ref_id=ref_id or "")
    held = _reservations_open(
        tns=[outcome.tn for outcome in outcomes if outcome.code == _RESERVED_FOR_YOU]
    )
    results = []
    for outcome in outcomes:
        if outcome.code == _ALREADY_ASSIGNED_AT_RESERVE:
            results.append(_as_buy_outcome(
                outcome, ok=False, already_owned=True, bought_by=_bought_by(outcome.tn),
                message="Already the account's number: nothing to reserve.",
            ))  # fmt: skip
        elif outcome.code == _RESERVED_FOR_YOU:
            reservation = held.get(outcome.tn)
            by = _person(reservation.reserved_by) if reservation else ""
            message = (
                f"Already reserved for the account{f' by {by}' if by else ''}: assign it below."
            )
            results.append(_as_buy_outcome(
                outcome, ok=True, message=message, expires_at=reservation.expires_at if reservation else None
            ))  # fmt: skip
        elif outcome.ok:
            until = expires.get(outcome.tn)
            message = (
                f"Reserved until {timezone.localtime(until):%H:%M} ({RESERVATION_MINUTES} minutes)."
                if until
                else outcome.message
            )
            results.append(_as_buy_outcome(outcome, ok=True, message=message, expires_at=until))
        else:
            results.append(_as_buy_outcome(outcome, ok=False, message=outcome.message))
    return results


def dids_assign(
    *,
    tns: Iterable[str] | str,
    endpoint_id: int,
    cnam: bool | None = None,
    ref_id: str | None = None,
    extended: bool = False,
    actor: Actor,
    source: Source,
) -> list[BuyOutcome]:
    """Buy numbers onto an endpoint group; each bought number joins the mirror at once.

    Only VI's success is a purchase. "Already assigned to you" (104225) means someone at the
    company bought the number first, with their endpoint group and reference: VI kept those,
    so the mirror is corrected from VI's read-back, never from this request, and history
    keeps crediting the one who bought it.
    """
    numbers = normalize_tns(tns)
    endpoint_id = _validate_endpoint_id(endpoint_id)
    with _with_context(actor, source):
        assign = gateway.assign_dids_extended if extended else gateway.assign_dids
        outcomes = assign(tns=numbers, endpoint_id=endpoint_id, cnam=cnam, ref_id=ref_id)
        bought = [outcome.tn for outcome in outcomes if outcome.code == _SUCCESS_CODE]
        already = [outcome.tn for outcome in outcomes if outcome.code == _ALREADY_ASSIGNED]
        details = _query_details(bought)
        held_by_vi = _query_details(already)
    changes: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        if outcome.code != _SUCCESS_CODE:
            continue
        record = details.get(outcome.tn)
        values = _record_values(record) if record else {}
        values.setdefault("availability", "assigned")
        values["endpoint_id"] = endpoint_id
        if cnam is not None:
            values["cnam"] = cnam
        if ref_id is not None:
            values["ref_id"] = ref_id
        if not record and outcome.record and outcome.record.tier:
            values["tier"] = outcome.record.tier
        changes[outcome.tn] = values
    # Only rows the mirror already holds are corrected: a row still missing belongs to the
    # purchase that is being written right now (its "Bought" history), or to the next sync.
    read_back = {
        tn: {name: getattr(record, name) for name in _READ_BACK_FIELDS}
        for tn, record in held_by_vi.items()
    }
    # VI has answered: the purchase, the read-back and the reservations they end are one unit.
    with transaction.atomic():
        _apply_did_changes(
            changes, actor=actor, source=source, note="Bought", create_missing=True, gone=False
        )
        _apply_did_changes(
            read_back,
            actor=actor,
            source=source,
            note="Read back from VI: already the account's",
            skip_unchanged=True,
        )
        _reservations_end(tns=[*bought, *already], reason="bought")
    return [
        _assign_result(outcome, held_by_vi.get(outcome.tn), endpoint_id) for outcome in outcomes
    ]


def _assign_result(outcome: NumberOutcome, held: DIDRecord | None, endpoint_id: int) -> BuyOutcome:
    if outcome.code == _SUCCESS_CODE:
        tier = outcome.record.tier if outcome.record and outcome.record.tier else ""
        message = f"Bought, on endpoint group {endpoint_id}{f' (tier {tier})' if tier else ''}."
        return _as_buy_outcome(outcome, ok=True, message=message)
    if outcome.code == _ALREADY_ASSIGNED:
        by = _bought_by(outcome.tn)
        kept = ""
        if held is not None:
            kept = f" VI kept its endpoint group {held.endpoint_id or 'none'}" + (
                f" and reference “{held.ref_id}”." if held.ref_id else "."
            )
        message = (
            f"Not bought again: the account already holds this number"
            f"{f' (bought by {by})' if by else ' (bought a moment earlier or before)'}.{kept}"
        )
        return _as_buy_outcome(outcome, ok=False, already_owned=True, bought_by=by, message=message)
    # Any other "already yours" code (104220: reserved for you but not assigned) is no purchase,
    # and VI's own status text for it ("already reserved for you") would read like one.
    message = codes.describe(outcome.code).message if outcome.ok else outcome.message
    return _as_buy_outcome(outcome, ok=False, message=message)


def _as_buy_outcome(outcome: NumberOutcome, *, ok: bool, message: str, **extra: Any) -> BuyOutcome:
    return BuyOutcome(
        tn=outcome.tn,
        code=outcome.code,
        ok=ok,
        message=message,
        status=outcome.status,
        record=outcome.record,
        **extra,
    )


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _bought_by(tn: str) -> str:
    """Who bought `tn` through the portal, and when, from its history ("" when unknown)."""
    bought = (
        ChangeRecord.objects.filter(model=_label(DID), object_key=tn, note="Bought")
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    if bought is None:
        return ""
    when = timezone.localtime(bought.at).strftime("%Y-%m-%d %H:%M")
    return f"{_person(bought.actor) or 'the portal'} at {when}"


def _reservations_record(
    *, tns: Sequence[str], actor: Actor, at: datetime.datetime, ref_id: str
) -> dict[str, datetime.datetime]:
    """Remember the reservations VI granted; an earlier open one for the number is replaced."""
    if not tns:
        return {}
    expires_at = at + datetime.timedelta(minutes=RESERVATION_MINUTES)
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        Reservation.objects.filter(tn__in=tns, ended_at__isnull=True).update(
            ended_at=at, end_reason="replaced"
        )
        Reservation.objects.bulk_create(
            [
                Reservation(
                    tn=tn,
                    reserved_by=user,
                    reserved_at=at,
                    expires_at=expires_at,
                    ref_id=ref_id[:100],
                )
                for tn in tns
            ]
        )
    return dict.fromkeys(tns, expires_at)


def _reservations_open(*, tns: Sequence[str]) -> dict[str, Reservation]:
    if not tns:
        return {}
    rows = Reservation.objects.filter(tn__in=tns, ended_at__isnull=True).select_related(
        "reserved_by"
    )
    return {row.tn: row for row in rows}


def _reservations_end(*, tns: Sequence[str], reason: str) -> None:
    """Close the open reservations of `tns`; always part of the caller's mirror write."""
    if tns:
        Reservation.objects.filter(tn__in=tns, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


# Numbers up to this many are looked up one by one after a purchase, so the list shows their
# rate center and state at once; bigger purchases wait for the next sync.
_QUERY_AFTER_PURCHASE = 25


def _query_details(tns: Sequence[str]) -> dict[str, DIDRecord]:
    if not tns or len(tns) > _QUERY_AFTER_PURCHASE:
        return {}
    details: dict[str, DIDRecord] = {}
    for tn in tns:
        try:
            record = gateway.query_did(tn=tn)
        except (ProviderRejected, ProviderUnavailable):
            # The purchase stands; the next sync fills in the details.
            return details
        if record is not None:
            details[tn] = record
    return details


def dids_configure(
    *,
    tns: Iterable[str] | str,
    endpoint_id: int,
    cnam: bool | None = None,
    actor: Actor,
    source: Source,
) -> list[NumberOutcome]:
    """Point owned numbers at an endpoint group and set the inbound CNAM dip (configDID)."""
    numbers = normalize_tns(tns)
    endpoint_id = _validate_endpoint_id(endpoint_id)
    with _with_context(actor, source):
        outcomes = gateway.config_dids(tns=numbers, endpoint_id=endpoint_id, cnam=cnam)
    changes = {}
    for outcome in outcomes:
        if outcome.ok:
            values: dict[str, Any] = {"endpoint_id": endpoint_id}
            if cnam is not None:
                values["cnam"] = cnam
            changes[outcome.tn] = values
    _apply_did_changes(changes, actor=actor, source=source, note="Configured")
    return outcomes


# A number's reference is VI's refId: the reseller's own order or contract id for it.
REFERENCE_MAX_LENGTH = 100  # the mirror's column; VI documents no limit


def reference_clean(value: Any) -> str:
    """A reference as VI will keep it; ValidationError in plain words otherwise."""
    if not isinstance(value, str):
        raise ValidationError("A reference is text.", code="invalid_reference")
    text = value.strip()
    if len(text) > REFERENCE_MAX_LENGTH:
        raise ValidationError(
            f"A reference can be at most {REFERENCE_MAX_LENGTH} characters.",
            code="invalid_reference",
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise ValidationError(
            "A reference cannot hold control characters.", code="invalid_reference"
        )
    return text


def references_set(
    *, references: Mapping[str, str], actor: Actor, source: Source
) -> list[NumberOutcome]:
    """Set each number's reference at VI (configDID with its current endpoint group), then in
    the mirror with history. One outcome per number, in the order given; an empty reference
    clears it."""
    wanted = {normalize_tn(tn): reference_clean(reference) for tn, reference in references.items()}
    rows = {did.tn: did for did in DID.objects.filter(tn__in=list(wanted), gone_at__isnull=True)}
    local: dict[str, NumberOutcome] = {}
    settings = []
    for tn, reference in wanted.items():
        did = rows.get(tn)
        if did is None:
            local[tn] = NumberOutcome(
                tn=tn, code="", ok=False, message="This number is not on the account."
            )
        elif not did.endpoint_id:
            local[tn] = NumberOutcome(
                tn=tn,
                code="",
                ok=False,
                message=(
                    "This number has no endpoint group, and VI sets a reference only together with one: "
                    "route it first."
                ),
            )
        else:
            settings.append((tn, did.endpoint_id, reference))
    answered: dict[str, NumberOutcome] = {}
    if settings:
        with _with_context(actor, source):
            for outcome in gateway.config_did_references(settings=settings):
                answered[outcome.tn] = outcome
    changes = {tn: {"ref_id": wanted[tn]} for tn, outcome in answered.items() if outcome.ok}
    _apply_did_changes(changes, actor=actor, source=source, note="Reference set")
    results = []
    for tn, reference in wanted.items():
        outcome = (
            local.get(tn)
            or answered.get(tn)
            or NumberOutcome(tn=tn, code="", ok=False, message="No answer from VI for this number.")
        )
        if outcome.ok:
            said = f"Reference set to “{reference}”." if reference else "Reference cleared."
            outcome = NumberOutcome(tn=tn, code=outcome.code, ok=True, message=said)
        results.append(outcome)
    return results


def dids_release(*, tns: Iterable[str] | str, actor: Actor, source: Source) -> list[NumberOutcome]:
    """Give numbers back to VI. Released numbers are marked gone, never deleted."""
    numbers = normalize_tns(tns)
    with _with_context(actor, source):
        outcomes = gateway.release_dids(tns=numbers)
    released = {outcome.tn: {"availability": "released"} for outcome in outcomes if outcome.ok}
    with transaction.atomic():
        _apply_did_changes(released, actor=actor, source=source, note="Released", gone=True)
        # releaseDID on a reserved number lets the reservation go.
        _reservations_end(tns=list(released), reason="let go")
    return outcomes


def dids_move_to_inventory(
    *, tns: Iterable[str] | str, actor: Actor, source: Source
) -> list[NumberOutcome]:
    """Park numbers in the account's personal inventory (InventoryDIDs)."""
    numbers = normalize_tns(tns)
    with _with_context(actor, source):
        outcomes = gateway.inventory_dids(tns=numbers)
    now = timezone.now()
    parked = [outcome.tn for outcome in outcomes if outcome.ok]
    if parked:
        with transaction.atomic():
            # A reserved number parked in the inventory is the account's now: its reservation
            # is over.
            _reservations_end(tns=parked, reason="parked")
            existing = set(InventoryTN.objects.filter(tn__in=parked).values_list("tn", flat=True))
            new_rows = []
            for tn in parked:
                if tn in existing:
                    continue
                row = InventoryTN(tn=tn, first_seen_at=now)
                row.mark_locally_changed(actor=actor, at=now)
                new_rows.append(row)
            InventoryTN.objects.bulk_create(new_rows)
            InventoryTN.objects.filter(tn__in=parked, gone_at__isnull=False).update(gone_at=None)
            record_many(
                (
                    Change(_label(InventoryTN), tn, Action.CREATED, note="Added to inventory")
                    for tn in parked
                ),
                actor=actor,
                source=source,
                at=now,
            )
    return outcomes


def inventory_tns_list(*, did_type: str = "ALL", actor: Actor, source: Source) -> list[str]:
    with _with_context(actor, source):
        return gateway.get_inventory_tns(did_type=did_type)


def did_refresh(*, tn: str, actor: Actor, source: Source) -> DID | None:
    """Read one number afresh from VI (queryDID + feature getters) and store what VI says.

    Returns the mirror row, or None when VI no longer shows the number as the account's
    (the row, if any, is then marked gone).
    """
    tn = normalize_tn(tn)
    with _with_context(actor, source):
        record = gateway.query_did(tn=tn)
        owned = record is not None and record.availability.lower() == "assigned"
        if record is None or not owned:
            values: dict[str, Any] = {}
        else:
            values = _record_values(record)
            values["cnam_name"] = (
                gateway.get_cnam_display(tn=tn) if record.cnam_storage_active else ""
            )
            values["forward"] = gateway.get_did_forward(tn=tn)
            values["failover"] = gateway.get_did_failover(tn=tn)
            values["conference_line"] = gateway.get_conference_line(tn=tn).enabled
            values["fax_to_email"] = gateway.get_fax_to_email(tn=tn)
            values["email_to_fax"] = list(gateway.get_email_to_fax(tn=tn).emails)
            group = gateway.get_did_group(tn=tn)
            values["did_group_id"] = group.vi_id if group else None
    if not owned:
        if DID.objects.filter(tn=tn, gone_at__isnull=True).exists():
            _apply_did_changes(
                {tn: {}},
                actor=actor,
                source=source,
                note="Refreshed: no longer on the account",
                gone=True,
            )
        return None
    # The row is assembled from several calls; a value from any of them that the mirror
    # cannot hold refuses the whole refresh, so nothing half-read is stored.
    problems = record_problems(DID, values)
    if problems:
        raise UnfitRecord(problems)
    _apply_did_changes(
        {tn: values},
        actor=actor,
        source=source,
        note="Refreshed from VI",
        create_missing=True,
        gone=False,
    )
    return DID.objects.get(tn=tn)


def dids_refresh(*, tns: Iterable[str], actor: Actor, source: Source) -> list[NumberOutcome]:
    """`did_refresh` for several numbers (the admin action); one outcome per number."""
    outcomes = []
    for tn in tns:
        try:
            row = did_refresh(tn=tn, actor=actor, source=source)
        except ProviderRejected as error:
            outcomes.append(NumberOutcome(tn=tn, code=error.code, ok=False, message=error.message))
            continue
        message = (
            "Refreshed from VI."
            if row
            else "VI no longer shows this number on the account; marked gone."
        )
        outcomes.append(NumberOutcome(tn=tn, code="100", ok=True, message=message))
    return outcomes


def did_has911_set(*, tn: str, has911: bool, actor: Actor, source: Source) -> bool:
    """Keep the mirror's has911 flag in step after a 911 change made through the portal.

    VI's queryDID/auditDIDs report has911 (on when a 911 location is provisioned); without
    this the numbers list would show the old value until the next numbers sync. The e911
    services call it after each write. Returns whether the row changed.
    """
    tn = normalize_tn(tn)
    current = (
        DID.objects.filter(tn=tn, gone_at__isnull=True).values_list("has911", flat=True).first()
    )
    if current is None or current == bool(has911):
        return False
    _apply_did_changes(
        {tn: {"has911": bool(has911)}},
        actor=actor,
        source=source,
        note="911 location provisioned" if has911 else "911 location no longer provisioned",
    )
    return True


# --- per-number features -------------------------------------------------------------------


def _single_feature_write(
    *,
    tn: str,
    values: Mapping[str, Any],
    write: Callable[[], Any],
    actor: Actor,
    source: Source,
    note: str,
) -> NumberOutcome:
    with _with_context(actor, source):
        write()
    _apply_did_changes({tn: values}, actor=actor, source=source, note=note)
    return NumberOutcome(tn=tn, code="100", ok=True, message=f"{note}.")


def cnam_name_update(*, tn: str, name: str, actor: Actor, source: Source) -> NumberOutcome:
    """Set the outbound caller-ID name: 15 letters, digits, spaces (checked before the call)."""
    tn = normalize_tn(tn)
    name = cnam_name_validate(name)
    return _single_feature_write(
        tn=tn,
        values={"cnam_name": name, "cnam_storage_active": True},
        write=lambda: gateway.update_cnam_display(tn=tn, name=name),
        actor=actor,
        source=source,
        note="Caller ID name set",
    )


def cnam_name_remove(*, tn: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    return _single_feature_write(
        tn=tn,
        values={"cnam_name": ""},
        write=lambda: gateway.remove_cnam(tn=tn),
        actor=actor,
        source=source,
        note="Caller ID name removed",
    )


def forward_set(*, tn: str, forward: str, actor: Actor, source: Source) -> NumberOutcome:
    """Send the number's calls to another number instead of an endpoint group."""
    tn = normalize_tn(tn)
    forward = normalize_tn(forward)
    if forward == tn:
        raise ValidationError("A number cannot forward to itself.", code="forward_to_self")
    return _single_feature_write(
        tn=tn,
        values={"forward": forward},
        write=lambda: gateway.set_did_forward(tn=tn, forward=forward),
        actor=actor,
        source=source,
        note="Forward set",
    )


def forward_remove(*, tn: str, endpoint_id: int, actor: Actor, source: Source) -> NumberOutcome:
    """Stop forwarding; calls go to `endpoint_id` again."""
    tn = normalize_tn(tn)
    endpoint_id = _validate_endpoint_id(endpoint_id)
    return _single_feature_write(
        tn=tn,
        values={"forward": "", "endpoint_id": endpoint_id},
        write=lambda: gateway.remove_did_forward(tn=tn, endpoint_id=endpoint_id),
        actor=actor,
        source=source,
        note="Forward removed",
    )


def failover_update(*, tn: str, failover: str, actor: Actor, source: Source) -> NumberOutcome:
    """Set where calls go when the endpoint group does not answer; blank removes it."""
    tn = normalize_tn(tn)
    failover = normalize_tn(failover) if (failover or "").strip() else ""
    return _single_feature_write(
        tn=tn,
        values={"failover": failover},
        write=lambda: gateway.update_did_failover(tn=tn, failover=failover),
        actor=actor,
        source=source,
        note="Failover set" if failover else "Failover removed",
    )


def did_group_set(*, tn: str, group_id: int, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    group_id = int(group_id)
    return _single_feature_write(
        tn=tn,
        values={"did_group_id": group_id},
        write=lambda: gateway.set_did_group(tn=tn, group_id=group_id),
        actor=actor,
        source=source,
        note="DID group set",
    )


def did_group_remove(*, tn: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    return _single_feature_write(
        tn=tn,
        values={"did_group_id": None},
        write=lambda: gateway.remove_did_group(tn=tn),
        actor=actor,
        source=source,
        note="DID group removed",
    )


def did_group_create(*, name: str, actor: Actor, source: Source) -> DIDGroup:
    name = (name or "").strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise ValidationError(
            "A DID group needs a name of at most 200 characters.", code="invalid_name"
        )
    with _with_context(actor, source):
        group = gateway.create_did_group(name=name)
    _apply_single(
        DIDGroup,
        key=group.vi_id,
        values={"name": group.name or name},
        actor=actor,
        source=source,
        note="Created",
    )
    return DIDGroup.objects.get(vi_id=group.vi_id)


def did_group_by_name(*, name: str, actor: Actor, source: Source) -> tuple[DIDGroup, bool]:
    """The DID group called `name`, created at VI if the account has none of that name.

    Returns (group, created). Matching an existing name (any case) first keeps a person who
    retypes a known group's name from making a twin of it.
    """
    from .selectors import did_group_find

    cleaned = " ".join((name or "").split())
    existing = did_group_find(name=cleaned)
    if existing is not None:
        return existing, False
    return did_group_create(name=cleaned, actor=actor, source=source), True


def conference_line_set(*, tn: str, pin: str, actor: Actor, source: Source) -> NumberOutcome:
    """Turn the conference line on (or change its PIN). The PIN is never stored."""
    tn = normalize_tn(tn)
    pin = conference_pin_validate(pin)
    return _single_feature_write(
        tn=tn,
        values={"conference_line": True},
        write=lambda: gateway.set_conference_line(tn=tn, pin=pin),
        actor=actor,
        source=source,
        note="Conference line on",
    )


def conference_line_remove(*, tn: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    return _single_feature_write(
        tn=tn,
        values={"conference_line": False},
        write=lambda: gateway.remove_conference_line(tn=tn),
        actor=actor,
        source=source,
        note="Conference line off",
    )


def fax_to_email_set(*, tn: str, email: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    email = fax_email_validate(email)
    return _single_feature_write(
        tn=tn,
        values={"fax_to_email": email},
        write=lambda: gateway.set_fax_to_email(tn=tn, email=email),
        actor=actor,
        source=source,
        note="Fax to email set",
    )


def fax_to_email_remove(*, tn: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    return _single_feature_write(
        tn=tn,
        values={"fax_to_email": "", "fax_failure_notifications": False},
        write=lambda: gateway.remove_fax_to_email(tn=tn),
        actor=actor,
        source=source,
        note="Fax to email removed",
    )


def fax_notifications_configure(
    *, tn: str, enabled: bool, actor: Actor, source: Source
) -> NumberOutcome:
    """Fax-to-email failure notifications on/off (VI answers 101 without fax-to-email)."""
    tn = normalize_tn(tn)
    return _single_feature_write(
        tn=tn,
        values={"fax_failure_notifications": bool(enabled)},
        write=lambda: gateway.config_fax_to_email_notifications(tn=tn, enabled=bool(enabled)),
        actor=actor,
        source=source,
        note="Fax failure notifications on" if enabled else "Fax failure notifications off",
    )


def email_to_fax_list(*, tn: str, actor: Actor, source: Source) -> list[str]:
    """The addresses allowed to fax through the number, read from VI and kept in the mirror."""
    tn = normalize_tn(tn)
    with _with_context(actor, source):
        emails = list(gateway.get_email_to_fax(tn=tn).emails)
    row = DID.objects.filter(tn=tn).only("email_to_fax").first()
    if row is not None and row.email_to_fax != emails:
        # A read that corrects the mirror is a sync of one field, not a staff change.
        _apply_did_changes(
            {tn: {"email_to_fax": emails}}, actor=None, source=Source.SYNC, note="Read from VI"
        )
    return emails


def email_to_fax_add(*, tn: str, email: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    email = fax_email_validate(email)
    with _with_context(actor, source):
        gateway.add_email_to_fax(tn=tn, email=email)
    with transaction.atomic():
        current = (
            DID.objects.select_for_update()
            .filter(tn=tn)
            .values_list("email_to_fax", flat=True)
            .first()
            or []
        )
        emails = [*current, email] if email not in current else list(current)
        _apply_did_changes(
            {tn: {"email_to_fax": emails}},
            actor=actor,
            source=source,
            note="Email to fax address added",
        )
    return NumberOutcome(tn=tn, code="100", ok=True, message="Email to fax address added.")


def email_to_fax_remove(*, tn: str, email: str, actor: Actor, source: Source) -> NumberOutcome:
    tn = normalize_tn(tn)
    email = (email or "").strip()
    with _with_context(actor, source):
        gateway.remove_email_to_fax(tn=tn, email=email)
    with transaction.atomic():
        current = (
            DID.objects.select_for_update()
            .filter(tn=tn)
            .values_list("email_to_fax", flat=True)
            .first()
            or []
        )
        emails = [address for address in current if address.lower() != email.lower()]
        _apply_did_changes(
            {tn: {"email_to_fax": emails}},
            actor=actor,
            source=source,
            note="Email to fax address removed",
        )
    return NumberOutcome(tn=tn, code="100", ok=True, message="Email to fax address removed.")


def scripts_list(*, actor: Actor, source: Source) -> list[Script]:
    """Programmable-telco scripts set up in VI's Back Office (GetScripts)."""
    with _with_context(actor, source):
        return gateway.get_scripts()


def did_program(*, tn: str, script_id: str, actor: Actor, source: Source) -> NumberOutcome:
    """Run the number's calls through a programmable-telco script."""
    tn = normalize_tn(tn)
    script_id = (script_id or "").strip()
    if not script_id:
        raise ValidationError("Choose a script.", code="invalid_script")
    return _single_feature_write(
        tn=tn,
        values={"script_id": script_id},
        write=lambda: gateway.program_did(tn=tn, script_id=script_id),
        actor=actor,
        source=source,
        note="Script set",
    )


def did_unprogram(*, tn: str, endpoint_id: int, actor: Actor, source: Source) -> NumberOutcome:
    """Take the number off its script and back to an endpoint group."""
    tn = normalize_tn(tn)
    endpoint_id = _validate_endpoint_id(endpoint_id)
    return _single_feature_write(
        tn=tn,
        values={"script_id": "", "endpoint_id": endpoint_id},
        write=lambda: gateway.unprogram_did(tn=tn, endpoint_id=endpoint_id),
        actor=actor,
        source=source,
        note="Script removed",
    )


# --- endpoint groups, international ----------------------------------------------------------


def _set_endpoint_group_active(
    *, group_id: int, active: bool, actor: Actor, source: Source
) -> EndpointGroup:
    group_id = _validate_endpoint_id(group_id)
    with _with_context(actor, source):
        if active:
            gateway.activate_endpoint_group(group_id=group_id)
        else:
            gateway.deactivate_endpoint_group(group_id=group_id)
    _apply_single(
        EndpointGroup,
        key=group_id,
        values={"active": active},
        actor=actor,
        source=source,
        note="Activated" if active else "Deactivated",
    )
    return EndpointGroup.objects.get(vi_id=group_id)


def endpoint_group_activate(*, group_id: int, actor: Actor, source: Source) -> EndpointGroup:
    return _set_endpoint_group_active(group_id=group_id, active=True, actor=actor, source=source)


def endpoint_group_deactivate(*, group_id: int, actor: Actor, source: Source) -> EndpointGroup:
    return _set_endpoint_group_active(group_id=group_id, active=False, actor=actor, source=source)


def endpoint_group_audit(
    *, group_id: int, actor: Actor, source: Source
) -> EndpointGroupRecord | None:
    """One endpoint group as VI describes it now (AuditEndpointGroup); None if VI has none.

    What VI says also corrects the mirror row when it differs, so the list page agrees with the
    detail page without waiting for the next sync. That is a read settling the mirror, recorded
    as the sync's doing, not as the person's change.
    """
    group_id = _validate_endpoint_id(group_id)
    with _with_context(actor, source):
        record = gateway.audit_endpoint_group(group_id=group_id)
    if record is None:
        return None
    values = next(_records([record]))
    values.pop("vi_id")
    row = EndpointGroup.objects.filter(vi_id=group_id).first()
    if row is None or any(getattr(row, name) != value for name, value in values.items()):
        _apply_single(
            EndpointGroup,
            key=group_id,
            values=values,
            actor=None,
            source=Source.SYNC,
            note="Read from VI",
        )
    return record


def intl_did_release(*, tn: str, actor: Actor, source: Source) -> None:
    """Give an international number back; its row is marked gone."""
    tn = (tn or "").strip()
    if not tn.isdigit():
        raise ValidationError("Enter the international number's digits.", code="invalid")
    with _with_context(actor, source):
        gateway.release_intl_did(tn=tn)
    now = timezone.now()
    with transaction.atomic():
        row = IntlDID.objects.select_for_update().filter(tn=tn, gone_at__isnull=True).first()
        if row is not None:
            row.gone_at = now
            row.mark_locally_changed(actor=actor, at=now)
            row.save(
                update_fields=["gone_at", "content_hash", "locally_changed_at", "last_changed_by"]
            )
        record_many(
            [
                Change(
                    _label(IntlDID),
                    tn,
                    Action.GONE,
                    {"gone_at": [None, now.isoformat()]},
                    note="Released",
                )
            ],
            actor=actor,
            source=source,
            at=now,
        )


# --- syncs -----------------------------------------------------------------------------------


def dids_sync(*, run: SyncContext, confirmed: bool = False) -> None:
    """The "dids" sync kind: every numbers audit, reconciled step by step.

    Small audits first (groups, clients, intl, inventory), then the numbers themselves:
    auditDIDs streamed and merged, record by record, with the feature audits (forwards,
    failovers, fax-to-email, conference lines, DID group members, scripts), all fetched
    beforehand. A step VI refuses, or whose shrink is held for confirmation, does not stop
    the others; the first such problem is raised at the end so the run says so.
    """
    problems: list[Exception] = []

    def step(name: str, work: Callable[[], Any]) -> None:
        try:
            work()
        except (ShrinkHeld, ProviderRejected) as problem:
            problems.append(problem)

    with provider_context(actor=run.actor, source=Source.SYNC):
        step("endpoint_groups", lambda: _sync_endpoint_groups(run))
        group_members: dict[str, int] = {}
        step("did_groups", lambda: group_members.update(_sync_did_groups(run)))
        step("clients", lambda: _sync_clients(run))
        step("intl_dids", lambda: _sync_intl_dids(run))
        step(
            "inventory_tns",
            lambda: _sync_tn_list(run, InventoryTN, gateway.get_inventory_tns, "inventory_tns"),
        )
        step(
            "unconfigured_tns",
            lambda: _sync_tn_list(
                run, UnconfiguredTN, gateway.get_unconfigured_tns, "unconfigured_tns"
            ),
        )
        step("dids", lambda: _sync_numbers(run, group_members))
        step("balance", lambda: _read_balance(run))
    if problems:
        raise problems[0]


def _records(items: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        # Shallow, not asdict: asdict would turn an unusable value's Unfit marker (a dataclass)
        # into a plain dict the sync would store instead of setting the record aside.
        values = {field.name: getattr(item, field.name) for field in dataclass_fields(item)}
        # Records hold tuples (frozen); the JSON columns hold lists, and the hashes must agree.
        yield {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in values.items()
        }


def _sync_endpoint_groups(run: SyncContext) -> None:
    reconcile(
        run=run,
        model=EndpointGroup,
        records=_records(gateway.audit_endpoint_groups()),
        step="endpoint_groups",
    )


def _sync_did_groups(run: SyncContext) -> dict[str, int]:
    """DID groups (GetDIDGroups) and, from AuditDIDGroup, which numbers each one holds."""
    requested_at = timezone.now()
    groups = gateway.get_did_groups()
    members: dict[str, int] = {}
    for group in groups:
        if not isinstance(group.vi_id, int):
            continue  # an unusable id: the group is set aside, and VI cannot be asked about it
        for record in gateway.audit_did_group(group_id=group.vi_id):
            members[record.tn] = group.vi_id
    reconcile(
        run=run,
        model=DIDGroup,
        records=_records(groups),
        step="did_groups",
        audit_requested_at=requested_at,
    )
    return members


def _sync_clients(run: SyncContext) -> None:
    reconcile(run=run, model=Client, records=_records(gateway.audit_clients()), step="clients")


def _sync_intl_dids(run: SyncContext) -> None:
    reconcile(run=run, model=IntlDID, records=_records(gateway.audit_intl_dids()), step="intl_dids")


def _sync_tn_list(
    run: SyncContext, model: type[MirrorModel], fetch: Callable[[], list[str]], step: str
) -> None:
    reconcile(run=run, model=model, records=({"tn": tn} for tn in fetch()), step=step)


def _sync_numbers(run: SyncContext, group_members: Mapping[str, int]) -> None:
    # The feature audits are read first, so the audit counts as requested from here on.
    requested_at = timezone.now()
    forwards = {row.tn: row.value for row in gateway.audit_did_forwards()}
    failovers = {row.tn: row.value for row in gateway.audit_did_failovers()}
    faxes = {row.tn: row for row in gateway.audit_fax_to_emails()}
    conference = {row.tn for row in gateway.audit_conference_lines() if row.enabled}
    scripts = {tn: script.script_id for script in gateway.get_scripts() for tn in script.tns}

    # The values merged in below are checked here (the reader checked the rest): a record
    # whose merged values all fit stays `Fitted`, and the engine asks nothing more of it.
    merged_fit = quick_fit(
        DID,
        ("forward", "failover", "fax_to_email", "fax_failure_notifications", "conference_line",
         "script_id", "did_group_id"),
    )  # fmt: skip

    def merged() -> Iterable[dict[str, Any]]:
        for values in gateway.audit_did_values():
            tn = values["tn"]
            values["forward"] = forwards.get(tn, values["forward"])
            values["failover"] = failovers.get(tn, values["failover"])
            fax = faxes.get(tn)
            values["fax_to_email"] = fax.email if fax else ""
            values["fax_failure_notifications"] = fax.failure_notifications if fax else False
            values["conference_line"] = tn in conference
            values["script_id"] = scripts.get(tn, "")
            values["did_group_id"] = values["did_group_id"] or group_members.get(tn)
            if isinstance(values, Fitted) and not merged_fit(values):
                values = dict(values)  # the engine checks it all, and sets it aside
            yield values

    # An auditDIDs the same as the last one applied, with the same feature audits and an
    # untouched mirror, is not read again (portal.sync.unchanged).
    import sys

    from portal.sync.unchanged import unchanged_audit

    from . import records as records_module

    inputs = (forwards, failovers, faxes, conference, scripts, dict(group_members))
    code = (gateway, records_module, sys.modules[__name__])
    with unchanged_audit(run=run, model=DID, step="dids", inputs=inputs, code=code) as audit:
        reconcile(
            run=run, model=DID, records=merged(), step="dids", audit_requested_at=requested_at,
            audit=audit,
        )  # fmt: skip


def _read_balance(run: SyncContext) -> None:
    amount = gateway.get_prepaid_balance()
    PrepaidBalanceReading.objects.create(amount=amount, read_at=timezone.now())
    run.set_counts({"amount": str(amount)}, step="balance")


# --- a number that left the account: is it still to be had, and buying it back ---------------


def did_buy_back_available(*, tn: str, actor: Actor, source: Source) -> bool:
    """Whether VI's inventory search offers this number for sale right now.

    VI keeps a released number out of its inventory for a while (about a day in the
    sandbox); until then a purchase would be refused. The search asks for the number's own
    NPA and NXX, the narrowest criteria getDIDs takes, and looks for the number among them.
    """
    tn = normalize_tn(tn)
    criteria = SearchCriteria(npa=tn[:3], nxx=tn[3:6])
    with _with_context(actor, source):
        return any(locator.tn == tn for locator in gateway.get_dids(criteria=criteria))


def did_buy_back(*, tn: str, endpoint_id: int, actor: Actor, source: Source) -> NumberOutcome:
    """Buy a number the account used to hold back onto an endpoint group.

    The purchase itself is the ordinary assign (same VI call, same mirror update: the row
    returns, with history saying so).
    """
    tn = normalize_tn(tn)
    if DID.objects.filter(tn=tn, gone_at__isnull=True).exists():
        raise ValidationError(
            "This number is still on the account: there is nothing to buy back.", code="not_gone"
        )
    [outcome] = dids_assign(tns=[tn], endpoint_id=endpoint_id, actor=actor, source=source)
    return outcome
