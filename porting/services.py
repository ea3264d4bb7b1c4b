"""Every write of the porting app: the mirror of ports (sync and refresh), the events a sync
sees, followers' e-mails, portability checks, and the few local facts people keep.

VI's API only reads ports, so nothing here changes anything at VI: "writes" are to the
mirror, from what VI said.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from dids.selectors import DIDFilters, did_queryset
from portal.actor import Actor
from portal.events import consumers
from portal.history import Change, diff, model_label, record_many
from portal.mirror import content_hash_of, field_values
from portal.models import ChangeRecord, Source, SyncRun
from portal.staff_errors import staff_error
from portal.sync import SyncContext
from portal.sync.fit import record_problems
from portal.sync.setaside import SetAside
from portal.voipinnovations.client import provider_context
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from portal.voipinnovations.values import shown

from . import gateway
from .models import (
    CANCELLED,
    CLAIM_LIFETIME,
    COMPLETED,
    FINISHED_STATUSES,
    REJECTED,
    Port,
    PortabilityJob,
    PortabilityRow,
    PortEvent,
    PortFollow,
    PortHistoryEntry,
    PortHistoryLookup,
    PortingViewer,
    PortNumber,
)
from .pasted import PastedNumbers, parse_pasted
from .records import PortabilityAnswer, PortRecord

logger = logging.getLogger(__name__)

Action = ChangeRecord.Action
Kind = PortEvent.Kind
Verdict = PortabilityRow.Verdict

MAX_NUMBERS_PER_CHECK = 1000
# One task's share of a job: a few seconds of isPortable calls, then it queues the next chunk,
# so other bulk work takes turns and a cancel is seen at once.
CHUNK_NUMBERS = 100
# A person who comes back to the ports within this long is still on the same visit: the
# "changed since I last looked" baseline stays where it was.
VISIT_GAP = datetime.timedelta(minutes=30)

_FINAL_KINDS = {COMPLETED: Kind.COMPLETED, CANCELLED: Kind.CANCELLED, REJECTED: Kind.REJECTED}


# --- portability -----------------------------------------------------------------------------


class NothingToCheck(Exception):
    """The paste held no valid number."""


class TooManyNumbers(Exception):
    """More distinct numbers than one check takes."""


# What a person is shown when a porting service fails on their input (portal.staff_errors);
# VI's refusals and VI unreachable are shown by that module without being listed here.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (NothingToCheck, TooManyNumbers)


def portability_check(*, tn: str, actor: Actor, source: Source) -> PortabilityAnswer:
    """One number, asked of VI now (the inline check). Raises ProviderUnavailable/Rejected."""
    with provider_context(actor=actor, source=source):
        return gateway.is_portable(tn=tn)


def portability_job_create(*, text: str, actor: Actor, source: Source) -> PortabilityJob:
    """Store a check of a pasted list (invalid entries already answered) and queue it.

    The worker picks the job up once this transaction commits, and asks VI for `actor` and
    `source` as stored on the job (`portability_job_run`).
    """
    pasted = parse_pasted(text)
    if not pasted.tns:
        raise NothingToCheck("Enter at least one valid telephone number.")
    if len(pasted.tns) > MAX_NUMBERS_PER_CHECK:
        raise TooManyNumbers(
            f"At most {MAX_NUMBERS_PER_CHECK:,} numbers per check; this list has {len(pasted.tns):,} different ones."
        )
    with transaction.atomic():
        job = PortabilityJob.objects.create(
            created_by=actor,
            source=source,
            progress_total=len(pasted.tns),
            duplicates=pasted.duplicates,
        )
        PortabilityRow.objects.bulk_create(_rows_for(job, pasted))
        transaction.on_commit(lambda: _enqueue_job(job.pk, size=len(pasted.tns)))
    return job


def _rows_for(job: PortabilityJob, pasted: PastedNumbers) -> list[PortabilityRow]:
    return [
        PortabilityRow(
            job=job,
            position=position,
            entry=entry[:100],
            tn=tn,
            verdict=Verdict.PENDING if tn else Verdict.INVALID,
            message=message[:300],
        )  # fmt: skip
        for position, (entry, tn, message) in enumerate(pasted.entries, start=1)
    ]


def _enqueue_job(job_id: int, *, size: int) -> None:
    from .tasks import check_portability  # tasks import services, not the other way round

    # `size` lets the router (portal/queues.py) send a few numbers to the interactive queue.
    check_portability.delay(job_id=job_id, size=size)


def portability_job_run(*, job_id: int) -> PortabilityJob:
    """Check the next CHUNK_NUMBERS pending numbers of a job; the task queues the next chunk
    (`selectors.portability_next_chunk_in`), so other bulk work takes turns with a long list.

    1. The rows are claimed in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED`, then a
       token on each): a redelivered copy of this chunk, even one running at the same time,
       takes only rows still pending and unclaimed, so no number is asked twice.
    2. VI is asked number by number outside any transaction, the job's cancel looked at
       before each call; the bar moves with each answer.
    3. The answers are written in one atomic block, with the exact progress.

    A finished, failed or cancelled job is left alone. VI unreachable or refusing the call
    itself fails the job (the answers already in are kept; the other numbers say "not
    checked"), as a refusal of the portal's login would refuse every number.

    Takes no actor: the job's own (`created_by`, `source`, stored when a person asked) is
    the one on the provider-call log, as a sync run's is for a sync.
    """
    working = [PortabilityJob.Status.QUEUED, PortabilityJob.Status.RUNNING]
    claimed = PortabilityJob.objects.filter(pk=job_id, status__in=working).update(
        status=PortabilityJob.Status.RUNNING
    )
    now = timezone.now()
    if claimed:
        PortabilityJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    job = PortabilityJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    token = uuid.uuid4()
    rows = _rows_claim(job_id, token=token, now=now)
    answered: list[PortabilityRow] = []
    failure: ProviderUnavailable | ProviderRejected | None = None
    try:
        with provider_context(actor=job.created_by, source=Source(job.source)):
            for row in rows:
                if _cancelled(job_id):
                    break
                answered.append(_answered(row))
                PortabilityJob.objects.filter(pk=job_id).update(
                    progress_done=F("progress_done") + 1
                )
    except (ProviderUnavailable, ProviderRejected) as error:
        failure = error
    except Exception as error:  # a bug must not leave the job "checking" forever
        _rows_write(job_id, token=token, answered=answered)
        _finish_job(job_id, PortabilityJob.Status.FAILED, f"{type(error).__name__}: {error}"[:500])
        raise
    _rows_write(job_id, token=token, answered=answered)
    if failure is not None:
        # Unreachable: the rest would wait for a timeout each. Refused: a refusal of the call
        # itself (the portal's login, say) would refuse every number. Either way stop, in the
        # words every page uses; the unanswered rows say "not checked".
        _finish_job(
            job_id,
            PortabilityJob.Status.FAILED,
            f"{staff_error(failure)} The numbers not yet checked were left unchecked.",
        )
    elif not job.rows.filter(verdict=Verdict.PENDING).exists():
        _finish_job(job_id, PortabilityJob.Status.FINISHED, "")
    job.refresh_from_db()
    return job


def _rows_claim(job_id: int, *, token: uuid.UUID, now: datetime.datetime) -> list[PortabilityRow]:
    """Take the next pending, unclaimed rows (or rows whose claim went stale) for this run."""
    with transaction.atomic():
        rows = list(
            PortabilityRow.objects.select_for_update(skip_locked=True)
            .filter(job_id=job_id, verdict=Verdict.PENDING)
            .filter(Q(claim__isnull=True) | Q(claimed_at__lt=now - CLAIM_LIFETIME))
            .order_by("position")[:CHUNK_NUMBERS]
        )
        PortabilityRow.objects.filter(pk__in=[row.pk for row in rows]).update(
            claim=token, claimed_at=now
        )
    return rows


def _cancelled(job_id: int) -> bool:
    return PortabilityJob.objects.filter(pk=job_id, status=PortabilityJob.Status.CANCELLED).exists()


def _answered(row: PortabilityRow) -> PortabilityRow:
    """VI's answer for one row, set on it (not saved: the chunk writes its rows at once)."""
    answer = gateway.is_portable(tn=row.tn)
    if answer.portable is None:
        row.verdict = Verdict.INVALID
    else:
        row.verdict = Verdict.PORTABLE if answer.portable else Verdict.NOT_PORTABLE
    row.code, row.message = answer.code, answer.message[:300]
    return row


def _rows_write(job_id: int, *, token: uuid.UUID, answered: list[PortabilityRow]) -> None:
    """A chunk's answers and the job's exact progress, in one transaction; the run's other
    claims are let go. An answer is kept even if the job was cancelled meanwhile (VI was
    asked: the number was checked), but never over a row another run has since taken."""
    with transaction.atomic():
        mine = set(
            PortabilityRow.objects.select_for_update()
            .filter(
                pk__in=[row.pk for row in answered],
                claim=token,
                verdict__in=[Verdict.PENDING, Verdict.CANCELLED],
            )
            .values_list("pk", flat=True)
        )
        PortabilityRow.objects.bulk_update(
            [row for row in answered if row.pk in mine], ["verdict", "code", "message"]
        )
        PortabilityRow.objects.filter(job_id=job_id, claim=token).update(
            claim=None, claimed_at=None
        )
        checked = (
            PortabilityRow.objects.filter(job_id=job_id)
            .exclude(tn="")
            .exclude(verdict__in=[Verdict.PENDING, Verdict.CANCELLED])
            .count()
        )
        PortabilityJob.objects.filter(pk=job_id).update(progress_done=checked)


def _finish_job(job_id: int, status: str, error: str) -> None:
    """Over, unless a person cancelled it meanwhile (their cancel stands)."""
    PortabilityJob.objects.filter(pk=job_id, status=PortabilityJob.Status.RUNNING).update(
        status=status, finished_at=timezone.now(), error=error
    )


def portability_job_cancel(*, job: PortabilityJob, actor: Actor, source: Source) -> PortabilityJob:
    """Stop a queued or running check. The numbers already checked keep their answer (and the
    running chunk records the one it is asking VI about); the others read "not checked
    (cancelled)", and no chunk asks VI anything more. A job already over is left alone."""
    with transaction.atomic():
        stopped = PortabilityJob.objects.filter(
            pk=job.pk, status__in=[PortabilityJob.Status.QUEUED, PortabilityJob.Status.RUNNING]
        ).update(
            status=PortabilityJob.Status.CANCELLED, finished_at=timezone.now(), cancelled_by=actor
        )
        if stopped:
            job.rows.filter(verdict=Verdict.PENDING).update(verdict=Verdict.CANCELLED)
    job.refresh_from_db()
    return job


# --- the port mirror ---------------------------------------------------------------------------


@dataclass
class _Applied:
    port: Port
    created: bool = False
    changed: bool = False
    events: int = 0


def _moment_text(value: datetime.datetime | None, other: datetime.datetime | None) -> str:
    """A FOC date as people read it; with the time when only the time differs."""
    if value is None:
        return ""
    if other is not None and value.date() == other.date():
        return f"{value:%Y-%m-%d %H:%M} UTC"
    return f"{value:%Y-%m-%d}"


def _events_for(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, before, after) for each change people care about between two looks at a port."""
    events: list[tuple[str, str, str]] = []
    if after["status"] != before["status"]:
        kind = _FINAL_KINDS.get(after["status"], Kind.STATUS_CHANGED)
        events.append((kind, before["status"], after["status"]))
    old_foc, new_foc = before["foc_at"], after["foc_at"]
    if old_foc != new_foc:
        kind = Kind.FOC_SET if old_foc is None else Kind.FOC_CHANGED
        events.append(
            (kind, _moment_text(old_foc, new_foc), _moment_text(new_foc, old_foc) or "none")
        )
    return events


def _apply_numbers(port: Port, record: PortRecord) -> bool:
    """Bring the port's number rows in line with VI's list; True if anything changed."""
    current = {number.tn: number for number in port.numbers.all()}
    wanted = {number.tn: number for number in record.numbers}
    changed = False
    for tn, number in wanted.items():
        values = {name: getattr(number, name) for name in PortNumber.VI_FIELDS}
        row = current.get(tn)
        if row is None:
            PortNumber.objects.create(port=port, tn=tn, **values)
            changed = True
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))
            changed = True
    removed = [row.pk for tn, row in current.items() if tn not in wanted]
    if removed:
        PortNumber.objects.filter(pk__in=removed).delete()
        changed = True
    return changed


def _apply_record(
    record: PortRecord,
    *,
    now: datetime.datetime,
    actor: Actor,
    source: Source,
    sync_run: SyncRun | None,
) -> _Applied:
    """Write what VI says of one port, with history and the events it amounts to."""
    values = field_values(Port, record.mirror_values())
    new_hash = content_hash_of(Port, values)
    label = model_label(Port)
    active = record.status not in FINISHED_STATUSES
    with transaction.atomic():
        port = Port.objects.select_for_update().filter(vi_id=record.vi_id).first()
        if port is None:
            port = Port.objects.create(
                vi_id=record.vi_id, content_hash=new_hash, first_seen_at=now,
                last_seen_active_at=now if active else None, finished_seen_at=None if active else now, **values,
            )  # fmt: skip
            _apply_numbers(port, record)
            record_many(
                [Change(label, str(port.vi_id), Action.CREATED, diff({}, values))],
                actor=actor,
                source=source,
                sync_run=sync_run,
                at=now,
            )
            return _Applied(port=port, created=True, changed=True)

        applied = _Applied(port=port)
        before = port.vi_values()
        update_fields = []
        if port.content_hash != new_hash or port.gone_at is not None:
            changes = diff(before, values)
            action = Action.UPDATED
            if port.gone_at is not None:
                changes["gone_at"] = [port.gone_at.isoformat(), None]
                action = Action.RETURNED
                port.gone_at = None
            for name, value in values.items():
                setattr(port, name, value)
            port.content_hash = new_hash
            update_fields += [*values, "content_hash", "gone_at"]
            record_many(
                [Change(label, str(port.vi_id), action, changes)],
                actor=actor,
                source=source,
                sync_run=sync_run,
                at=now,
            )
            events = [
                PortEvent(
                    port=port,
                    kind=kind,
                    before=old[:64],
                    after=new[:64],
                    seen_at=now,
                    source=source,
                    sync_run=sync_run,
                )
                for kind, old, new in _events_for(before, values)
            ]
            PortEvent.objects.bulk_create(events)
            applied.changed, applied.events = True, len(events)
        if active:
            port.last_seen_active_at = now
            update_fields.append("last_seen_active_at")
        elif port.finished_seen_at is None:
            port.finished_seen_at = now
            update_fields.append("finished_seen_at")
        if update_fields:
            port.save(update_fields=update_fields)
        if _apply_numbers(port, record):
            applied.changed = True
    return applied


def _mark_gone(
    port: Port,
    *,
    now: datetime.datetime,
    actor: Actor,
    source: Source,
    sync_run: SyncRun | None,
) -> None:
    """VI no longer knows the port at all (not even by id): the mark and its history together."""
    with transaction.atomic():
        Port.objects.filter(pk=port.pk, gone_at__isnull=True).update(gone_at=now)
        record_many(
            [
                Change(
                    model_label(Port),
                    str(port.vi_id),
                    Action.GONE,
                    {"gone_at": [None, now.isoformat()]},
                )
            ],
            actor=actor,
            source=source,
            sync_run=sync_run,
            at=now,
        )


def _store_history(tn: str, *, now: datetime.datetime) -> int:
    """Keep every step VI reports for one number (GetPortHistory); returns how many VI listed."""
    history = gateway.port_history(tn=tn)  # VI first, then both writes at once
    with transaction.atomic():
        PortHistoryEntry.objects.bulk_create(
            [
                PortHistoryEntry(
                    tn=entry.tn,
                    port_vi_id=entry.port_vi_id,
                    status=entry.status[:64],
                    at=entry.at,
                    description=entry.description[:500],
                    fetched_at=now,
                )
                for entry in history
            ],
            ignore_conflicts=True,  # steps already kept
        )
        PortHistoryLookup.objects.update_or_create(tn=tn, defaults={"fetched_at": now})
    return len(history)


def _fetch_history(port: Port, *, now: datetime.datetime) -> int:
    """The history of each of the port's numbers (one GetPortHistory call per number)."""
    found = 0
    for tn in port.numbers.values_list("tn", flat=True):
        try:
            found += _store_history(tn, now=now)
        except ProviderRejected as refusal:
            logger.info("GetPortHistory refused for a number of port %s: %s", port.vi_id, refusal)
    Port.objects.filter(pk=port.pk).update(history_fetched_at=now)
    return found


def number_history_fetch(*, tn: str, actor: Actor, source: Source) -> int:
    """Ask VI for one number's port history now (the number page, for numbers the port sync
    never saw: ported before the portal existed). Raises ProviderUnavailable/Rejected."""
    with provider_context(actor=actor, source=source):
        return _store_history(tn, now=timezone.now())


def _link_numbers() -> int:
    """Point completed ports' numbers at the numbers mirror once a numbers sync brought them in."""
    waiting = dict(
        PortNumber.objects.filter(did__isnull=True, port__status=COMPLETED).values_list("tn", "pk")
    )
    if not waiting:
        return 0
    found = dict(did_queryset(filters=DIDFilters(tns=frozenset(waiting))).values_list("tn", "pk"))
    linked = 0
    for tn, did_id in found.items():
        linked += PortNumber.objects.filter(did__isnull=True, tn=tn, port__status=COMPLETED).update(
            did_id=did_id
        )
    return linked


def porting_sync(*, run: SyncContext, confirmed: bool = False) -> None:
    """The "porting" sync kind.

    1. getActivePorts: the complete list of ports VI still works on (nothing is written if
       it fails).
    2. Each port is written with history; a status or FOC date that differs from the last
       look is a PortEvent. A port with a value the mirror cannot hold (a date that is no
       date, an endpoint group of 10^30) is set aside with VI's raw values and keeps its
       last good ones; the other ports apply, and the run says how many were set aside.
    3. A port we held as active that left the list is asked for by id (getPortDetails) to
       record how it ended; only one VI no longer knows at all is marked gone. So an empty
       or shrunken list cannot wipe anything out, and needs no confirmation.
    4. The history of every new or changed port's numbers is fetched (GetPortHistory).
    5. Numbers of completed ports are linked to the numbers mirror when it holds them.
    6. Followers are e-mailed about the new events, once each.

    The sync kinds' signature (portal.sync.kinds): the actor is the run's (who asked for it,
    or None for the schedule), the source is always SYNC.
    """
    counts = {"seen": 0, "created": 0, "updated": 0, "unchanged": 0, "ended": 0, "gone": 0, "events": 0,
              "history_entries": 0, "linked": 0, "set_aside": 0}  # fmt: skip
    actor, sync_run = run.actor, run.run
    aside = SetAside(run=run, model=Port, step="ports")
    with provider_context(actor=actor, source=Source.SYNC):
        records = gateway.active_ports()
        now = timezone.now()
        run.heartbeat(done=0, total=len(records), label=f"Ports: {len(records)} active at VI")
        changed: list[Port] = []
        # A port VI listed: applied, or set aside with its last good values kept (not asked
        # about again below as if it had left the list).
        listed: set[int] = set()
        for index, record in enumerate(records, start=1):
            counts["seen"] += 1
            fits, key_usable = _fits(record, aside)
            if key_usable:
                listed.add(record.vi_id)
            if not fits:
                counts["set_aside"] += 1
                continue
            applied = _apply_record(
                record, now=now, actor=actor, source=Source.SYNC, sync_run=sync_run
            )
            counts[
                "created" if applied.created else "updated" if applied.changed else "unchanged"
            ] += 1
            counts["events"] += applied.events
            if applied.changed or applied.port.history_fetched_at is None:
                changed.append(applied.port)
            run.heartbeat(done=index)

        left = (
            Port.objects.filter(gone_at__isnull=True)
            .exclude(status__in=FINISHED_STATUSES)
            .exclude(vi_id__in=listed)
        )
        for port in list(left):
            details = gateway.port_details(port_id=port.vi_id)
            if details is None:
                _mark_gone(port, now=now, actor=actor, source=Source.SYNC, sync_run=sync_run)
                counts["gone"] += 1
                continue
            if not _fits(details, aside)[0]:
                counts["set_aside"] += 1
                continue
            applied = _apply_record(
                details, now=now, actor=actor, source=Source.SYNC, sync_run=sync_run
            )
            counts["ended"] += int(details.status in FINISHED_STATUSES)
            counts["events"] += applied.events
            changed.append(applied.port)

        aside.save()  # before the history calls: kept even if one of them then fails the run
        run.heartbeat(label=f"Ports: fetching the history of {len(changed)} port(s)")
        for port in changed:
            counts["history_entries"] += _fetch_history(port, now=now)
    counts["linked"] = _link_numbers()
    run.set_counts(counts)
    events_notify(actor=actor, source=Source.SYNC)


def _fits(record: PortRecord, aside: SetAside) -> tuple[bool, bool]:
    """(fits, id usable) for one port VI sent, its numbers included; a port that does not
    fit is noted in `aside` with VI's raw values (portal.sync.setaside), never applied."""
    values: dict[str, Any] = {"vi_id": record.vi_id, **record.mirror_values()}
    for number in record.numbers:
        number_values = {name: getattr(number, name) for name in ("tn", *PortNumber.VI_FIELDS)}
        for problem in record_problems(PortNumber, number_values):
            # Named for the Sync page: which number of the port, and which of its values.
            values[f"number {shown(number.tn, 32)} {problem.field}"] = problem
    fits, key_usable = aside.check(record.vi_id, values, tuple(values), "vi_id")
    return fits, key_usable and isinstance(record.vi_id, int)


def port_refresh(*, vi_id: int, actor: Actor, source: Source) -> Port | None:
    """Ask VI about one port now (getPortDetails and its numbers' history).

    Returns the stored port, or None when neither VI nor the mirror knows it. A change seen
    here is an event like one a sync sees, and the next sync will not see it again.
    """
    now = timezone.now()
    with provider_context(actor=actor, source=source):
        record = gateway.port_details(port_id=vi_id)
        if record is None:
            port = Port.objects.filter(vi_id=vi_id, gone_at__isnull=True).first()
            if port is not None:
                _mark_gone(port, now=now, actor=actor, source=source, sync_run=None)
                port.refresh_from_db()
            return port
        applied = _apply_record(record, now=now, actor=actor, source=source, sync_run=None)
        _fetch_history(applied.port, now=now)
    _link_numbers()
    events_notify(actor=actor, source=source)
    applied.port.refresh_from_db()
    return applied.port


# --- notifications ------------------------------------------------------------------------------


def _mail_for(event: PortEvent, email: str) -> EmailMessage:
    port = event.port
    subject = f"Port {port.vi_id} ({port.end_user or port.billing_tn}): {event.get_kind_display()}"
    if event.kind in (Kind.FOC_SET, Kind.FOC_CHANGED):
        subject += f" — {event.after}"
    path = reverse("porting:detail", args=[port.vi_id])
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    body = "\n".join([
        f"{event.get_kind_display()}: {event.summary}",
        f"Seen at {timezone.localtime(event.seen_at):%Y-%m-%d %H:%M %Z}.",
        "",
        f"Port {port.vi_id} for {port.end_user or '—'}, porting from {port.porting_from or '—'}.",
        f"Status: {port.status}. FOC date: {port.foc_at:%Y-%m-%d}." if port.foc_at else f"Status: {port.status}.",
        "",
        f"{base}{path}",
        "",
        "You follow this port in the VI Back Office portal; unfollow it on its page.",
    ])  # fmt: skip
    return EmailMessage(subject=subject, body=body, to=[email])


# The outbox's port events that followers are e-mailed about (portal/events), as PortEvent kinds.
MAILED_EVENT_TYPES = {
    "port.foc_set": Kind.FOC_SET,
    "port.foc_changed": Kind.FOC_CHANGED,
    "port.completed": Kind.COMPLETED,
    "port.cancelled": Kind.CANCELLED,
    "port.rejected": Kind.REJECTED,
}
PORT_EMAILS = "port-emails"  # this consumer's name in the outbox


def events_notify(*, actor: Actor, source: Source) -> int:
    """E-mail each port event of the outbox to the followers of its port, exactly once per event.

    Run at the end of whatever saw the events (a sync, a refresh), for its `actor` and
    `source`; the e-mails go to followers whoever that was, so neither changes what is sent.

    A consumer of portal/events: each event is claimed for this consumer (a unique row, so two
    syncs never take the same one) in the transaction the mail goes out in, so a failed send is
    tried again by the next sync and a sent one is never sent twice. The port's own PortEvent of
    that change (its timeline) is marked notified with the count. Returns the e-mails sent.
    """
    sent = 0
    for event_id in consumers.unconsumed_ids(consumer=PORT_EMAILS, types=MAILED_EVENT_TYPES):
        with transaction.atomic():
            event = consumers.claim(consumer=PORT_EMAILS, event_id=event_id)
            if event is None:
                continue
            port = (
                Port.objects.filter(vi_id=int(event.subject_key)).first()
                if event.subject_key.isdigit()
                else None
            )
            if port is None:
                continue
            kind = MAILED_EVENT_TYPES[event.type]
            port_event = (
                PortEvent.objects.select_for_update()
                .filter(port=port, kind=kind, notified_at__isnull=True)
                .order_by("id")
                .first()
            )
            if (
                port_event is None
            ):  # a change porting keeps no timeline entry for (a new port): say it as the outbox does
                port_event = PortEvent(
                    port=port,
                    kind=kind,
                    before=str(next(iter(event.before.values()), "") or "")[:64],
                    after=str(next(iter(event.after.values()), "") or "")[:64],
                    seen_at=event.occurred_at,
                )
            emails = list(
                get_user_model()
                .objects.filter(port_follows__port_id=port.pk, is_active=True)
                .exclude(email="")
                .order_by("pk")
                .values_list("email", flat=True)
            )
            if emails:
                get_connection().send_messages([_mail_for(port_event, email) for email in emails])
            if port_event.pk:
                PortEvent.objects.filter(pk=port_event.pk).update(
                    notified_at=timezone.now(), notified_count=len(emails)
                )
            sent += len(emails)
    return sent


# --- people's own facts ------------------------------------------------------------------------------


# These act for the person who follows or looks (the actor, a signed-in User: never None),
# on their own rows only; `source` says from where, as for every service.


def port_follow(*, port: Port, actor: User, source: Source) -> PortFollow:
    follow, _ = PortFollow.objects.get_or_create(port=port, user=actor)
    return follow


def port_unfollow(*, port: Port, actor: User, source: Source) -> None:
    PortFollow.objects.filter(port=port, user=actor).delete()


def viewer_visit(
    *, actor: User, source: Source, now: datetime.datetime | None = None
) -> PortingViewer:
    """Note a look at the ports; returns the viewer with the baseline this visit compares against."""
    now = now or timezone.now()
    viewer, _ = PortingViewer.objects.get_or_create(user=actor)
    if viewer.last_viewed_at is None or now - viewer.last_viewed_at > VISIT_GAP:
        viewer.baseline_at = viewer.last_viewed_at
    viewer.last_viewed_at = now
    viewer.save(update_fields=["baseline_at", "last_viewed_at"])
    return viewer


def viewer_mark_seen(
    *, actor: User, source: Source, now: datetime.datetime | None = None
) -> PortingViewer:
    """Everything up to now counts as seen."""
    now = now or timezone.now()
    viewer, _ = PortingViewer.objects.get_or_create(user=actor)
    viewer.baseline_at = viewer.last_viewed_at = now
    viewer.save(update_fields=["baseline_at", "last_viewed_at"])
    return viewer
