"""Bulk fixes offered by the compliance page, each done through the owning domain's services
(911 alerts through e911.services: VI's Add911Alert, mirror, history), one result per number.

A failing check never blocks staff: these are offers, never gates.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from dids.models import DID
from e911 import services as e911_services
from e911.models import PROVISIONED, Location
from e911.records import Address
from portal.actor import Actor
from portal.history import Change, record_many
from portal.models import ChangeRecord, Source
from portal.staff_errors import StaffError, staff_error
from portal.voipinnovations.errors import ProviderError, ProviderRejected, ProviderUnavailable

from .models import Revalidation, Snapshot

# Done in the request: each is one short VI call. More numbers than this go through the
# 911 CSV upload (a background job).
MAX_BULK_ALERTS = 200


class TooManyNumbers(Exception):
    def __init__(self, count: int):
        super().__init__(f"{count} numbers chosen; at most {MAX_BULK_ALERTS} at once.")
        self.message = str(self)


# Its own, and those of the e911 services it calls.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (TooManyNumbers, *e911_services.EXPECTED_ERRORS)


@dataclass(frozen=True)
class NumberOutcome:
    tn: str
    ok: bool
    message: str
    error: StaffError | None = None  # a failure, shown with templates/components/staff_error.html


def alert_recipient_add_many(
    *, tns: list[str], email: str, actor: Actor, source: Source
) -> list[NumberOutcome]:
    """Add one 911 alert recipient to each number (Add911Alert per number).

    The address is checked once before any call (a bad address reaches VI for no number);
    a refusal for one number (VI's code, a full list, a duplicate) is reported for that number
    and the others go on.
    """
    if len(tns) > MAX_BULK_ALERTS:
        raise TooManyNumbers(len(tns))
    try:
        email = e911_services.alert_email_validate(email)
    except ValidationError as error:
        raise ValidationError({"email": error.error_list}) from None  # next to the field
    outcomes = []
    for tn in tns:
        try:
            e911_services.alert_add(tn=tn, email=email, actor=actor, source=source)
        except (ValidationError, ProviderRejected, ProviderUnavailable) as failure:
            shown = staff_error(failure, expected=e911_services.EXPECTED_ERRORS)
            assert shown is not None  # each class caught has its words
            outcomes.append(NumberOutcome(tn=tn, ok=False, message=str(shown), error=shown))
        else:
            outcomes.append(
                NumberOutcome(tn=tn, ok=True, message=f"{email} now gets this number's 911 alerts.")
            )
    return outcomes


# --- the daily snapshot ------------------------------------------------------------------------


def snapshot_take(*, on: datetime.date | None = None, actor: Actor, source: Source) -> Snapshot:
    """Store today's readiness (overall, per check, per client); a second run the same day
    replaces the first, so a retried or doubled beat tick is harmless.

    A snapshot is the portal's own figure, not a mirror row: it has no history, so `actor`
    and `source` (the schedule: None, SYSTEM) are taken only to keep one shape for writes."""
    from . import selectors

    on = on or timezone.localdate()
    overview = selectors.overview()
    snapshot, _ = Snapshot.objects.update_or_create(taken_on=on, defaults={
        "taken_at": timezone.now(), "score": overview.score, "numbers": overview.numbers,
        "failing": {summary.check.key: summary.failing for summary in overview.checks},
        "clients": overview.clients,
    })  # fmt: skip
    return snapshot


# --- scheduled 911 re-validation ---------------------------------------------------------------


@dataclass(frozen=True)
class RevalidationRun:
    checked: int
    invalid: int
    changed: list[str]
    failed: int


def _due_locations(*, batch: int) -> list[Location]:
    """Provisioned locations of owned numbers, never re-checked first, then the oldest check."""
    last = Subquery(Revalidation.objects.filter(tn=OuterRef("tn")).values("checked_at")[:1])
    return list(
        Location.objects.filter(
            gone_at__isnull=True, status_code=PROVISIONED,
            tn__in=DID.objects.filter(gone_at__isnull=True).values("tn"),
        ).annotate(last_checked=last).order_by(F("last_checked").asc(nulls_first=True), "tn")[:batch]
    )  # fmt: skip


def addresses_911_revalidate(
    *,
    batch: int = 500,
    pause_seconds: float = 0.0,
    sleep: Callable[[float], object] = time.sleep,
    actor: Actor,
    source: Source,
) -> RevalidationRun:
    """validate911 on a batch of provisioned addresses; keep each verdict and flag the changes.

    Reads only (validate911 changes nothing at VI). Paced by `pause_seconds` between calls so a
    nightly batch never crowds out staff's own calls; a call VI could not answer is skipped and
    comes first again next night (its check time is not moved).
    """
    checked = invalid = failed = 0
    changed: list[str] = []
    for location in _due_locations(batch=batch):
        address = Address(
            address1=location.address1, address2=location.address2, city=location.city, state=location.state,
            zip_code=location.zip_code, plus_four=location.plus_four, caller_name=location.caller_name,
        )  # fmt: skip
        if checked or failed:
            sleep(pause_seconds)
        try:
            valid = e911_services.address_valid(address=address, actor=actor, source=source)
        except ProviderError:
            failed += 1
            continue
        checked += 1
        invalid += not valid
        if _store_verdict(
            tn=location.tn, one_line=location.one_line, valid=valid, actor=actor, source=source
        ):
            changed.append(location.tn)
    return RevalidationRun(checked=checked, invalid=invalid, changed=changed, failed=failed)


def _store_verdict(*, tn: str, one_line: str, valid: bool, actor: Actor, source: Source) -> bool:
    """Keep the verdict; True when it differs from the last one for the same address."""
    now = timezone.now()
    with transaction.atomic():
        row = Revalidation.objects.select_for_update().filter(tn=tn).first()
        if row is None:
            Revalidation.objects.create(tn=tn, address=one_line, valid=valid, checked_at=now)
            return False
        same_address = row.address == one_line
        verdict_changed = same_address and row.valid != valid
        row.previous_valid = row.valid if same_address else None
        row.valid, row.address, row.checked_at = valid, one_line, now
        if verdict_changed:
            row.changed_at = now
            record_many(
                [Change("compliance.revalidation", tn, ChangeRecord.Action.UPDATED, {"valid": [not valid, valid]},
                        note="911 address re-validated: VI's verdict changed")],
                actor=actor, source=source, at=now,
            )  # fmt: skip
        row.save()
        return verdict_changed


# --- 10DLC pre-submission check overridden -----------------------------------------------------


def lint_override_record(
    *, campaign_id: str, failures: Sequence[object], actor: Actor, source: Source
) -> None:
    """History on the campaign: an Administrator sent it to VI despite these lint failures."""
    if not failures:
        return
    record_many(
        [Change("messaging.campaign", campaign_id, ChangeRecord.Action.UPDATED,
                {"pre_submission_check": [[str(failure) for failure in failures], "overridden"]},
                note="Sent to VI despite the 10DLC pre-submission check (Administrator override)")],
        actor=actor, source=source,
    )  # fmt: skip
