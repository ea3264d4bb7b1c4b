"""Bulk 911 from a CSV: check every row first, apply later in a worker.

1. `bulk_check` reads the file and stores a BulkJob with one BulkRow per line and its
   verdict: number format, ownership (the numbers mirror), address format, duplicates in
   the file, "already provisioned at this address" and VI's validate911. Nothing is
   provisioned here: the person reads the verdicts first.
2. `bulk_queue` hands the job to Celery after the transaction commits.
3. `bulk_apply` (the task's body) provisions the READY rows through the same service as a
   single number (which validates again), one result per row, with progress as it goes.

Re-running a file is harmless: a row whose address is already the provisioned one is
skipped, both when checked and again just before it is applied.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterator, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dids.models import DID
from dids.numbers import normalize_tn
from portal.actor import Actor
from portal.bounded import run_bounded
from portal.csv_export import csv_line
from portal.models import Source
from portal.queues import BULK, WAITS_FOR
from portal.staff_errors import StaffError, staff_error
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from . import services
from .addresses import clean_address
from .models import PROVISIONED, BulkJob, BulkRow, Location
from .records import Address

MAX_ROWS = 5000
# One task's share of a job: a few seconds of VI calls, then it queues the next chunk, so
# other bulk jobs take turns and a cancel is seen within seconds.
CHUNK_ROWS = 100

# Column names people use, mapped to ours (compared lower-case, spaces/dashes as "_").
COLUMNS = {
    "tn": "tn", "number": "tn", "did": "tn", "phone": "tn", "telephone_number": "tn",
    "address1": "address1", "address": "address1", "street": "address1", "address_line_1": "address1",
    "address2": "address2", "suite": "address2", "address_line_2": "address2",
    "city": "city", "state": "state",
    "zip": "zip_code", "zip_code": "zip_code", "zipcode": "zip_code", "postal_code": "zip_code",
    "plus_four": "plus_four", "plusfour": "plus_four", "zip4": "plus_four",
    "caller_name": "caller_name", "callername": "caller_name", "name": "caller_name",
}  # fmt: skip
REQUIRED = ("tn", "address1", "city", "state", "zip_code")

Verdict = BulkRow.Verdict
Result = BulkRow.Result


class BulkFileInvalid(Exception):
    """The file as a whole cannot be read (no header, missing columns, too many rows)."""


EXPECTED_ERRORS: tuple[type[Exception], ...] = (BulkFileInvalid, *services.EXPECTED_ERRORS)


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise BulkFileInvalid("The file is empty.")
    names = [
        COLUMNS.get(cell.strip().lower().replace(" ", "_").replace("-", "_"), "") for cell in header
    ]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise BulkFileInvalid(
            "The first line must name the columns; missing: "
            + ", ".join(missing)
            + " (expected tn, address1, address2, city, state, zip, caller_name)."
        )
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            line,
            {
                name: cells[index].strip()
                for index, name in enumerate(names)
                if name and index < len(cells)
            },
        )


def _decode(content: bytes) -> str:
    if b"\x00" in content:  # UTF-16, a spreadsheet, or a hostile file; PostgreSQL refuses NULs
        raise BulkFileInvalid(
            "The file holds NUL characters, so it is not plain CSV: save it as CSV, UTF-8."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkFileInvalid("The file is not text (save it as CSV, UTF-8).")


def bulk_upload(*, content: bytes, file_name: str = "", actor: Actor, source: Source) -> BulkJob:
    """Store the file's rows and queue their check; answers at once (a 5,000-row check takes
    minutes of VI calls, far too long for a web request). Raises BulkFileInvalid for a file
    that cannot be read at all. What needs no VI is decided here: number format, duplicates."""
    rows = list(_rows(_decode(content)))
    if len(rows) > MAX_ROWS:
        raise BulkFileInvalid(f"At most {MAX_ROWS} rows per file; this one has {len(rows)}.")
    seen: set[str] = set()
    stored = [_stored_row(line, cells, seen=seen) for line, cells in rows]
    pending = any(row.verdict == Verdict.PENDING for row in stored)
    with transaction.atomic():
        job = BulkJob.objects.create(
            file_name=file_name[:200], created_by=actor, source=source, progress_total=len(stored),
            status=BulkJob.Status.CHECKING if pending else BulkJob.Status.CHECKED,
        )  # fmt: skip
        for row in stored:
            row.job = job
        BulkRow.objects.bulk_create(stored, batch_size=1000)
        if pending:
            transaction.on_commit(lambda: _enqueue("check_bulk_job", job.pk))
        else:
            BulkJob.objects.filter(pk=job.pk).update(progress_total=0)
    job.refresh_from_db()
    return job


def bulk_check(*, content: bytes, file_name: str = "", actor: Actor, source: Source) -> BulkJob:
    """Store and check a file to the end in this process (scripts and benchmarks)."""
    job = bulk_upload(content=content, file_name=file_name, actor=actor, source=source)
    while bulk_check_chunk(job_id=job.pk):
        pass
    job.refresh_from_db()
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    from . import tasks  # tasks import this module, not the other way round

    getattr(tasks, task_name).delay(job_id=job_id)


def _stored_row(line: int, cells: dict[str, str], *, seen: set[str]) -> BulkRow:
    row = BulkRow(
        line=line, tn=cells.get("tn", "")[:32], caller_name=cells.get("caller_name", "")[:100],
        address1=cells.get("address1", "")[:200], address2=cells.get("address2", "")[:200],
        city=cells.get("city", "")[:100], state=cells.get("state", "")[:8], zip_code=cells.get("zip_code", "")[:10],
        plus_four=cells.get("plus_four", "")[:4], verdict=Verdict.PENDING,
    )  # fmt: skip
    try:
        tn = normalize_tn(row.tn)
    except ValidationError as error:
        row.verdict, row.message = Verdict.INVALID, " ".join(error.messages)[:500]
        return row
    row.tn = tn
    if tn in seen:
        row.verdict, row.message = (
            Verdict.DUPLICATE,
            "The number appears on an earlier line; only the first counts.",
        )
    seen.add(tn)
    return row


def _error(failure: Exception) -> StaffError:
    error = staff_error(failure, expected=EXPECTED_ERRORS)
    assert error is not None, failure  # only VI's answers are passed here
    return error


def _words(failure: Exception) -> str:
    """VI's refusal or VI unreachable, worded as every page words them (portal.staff_errors)."""
    return str(_error(failure))


def _cancelled(job_id: int) -> bool:
    return BulkJob.objects.filter(pk=job_id, status=BulkJob.Status.CANCELLED).exists()


def bulk_check_chunk(*, job_id: int) -> bool:
    """Check the next CHUNK_ROWS unchecked rows of a job; True while rows are left to check.

    The rest of `_check_row` in order: ownership, address format, "already there", then
    VI's validate911 once per distinct address, VI_MAX_CONCURRENCY calls at a time.
    """
    job = (
        BulkJob.objects.filter(pk=job_id, status=BulkJob.Status.CHECKING)
        .select_related("created_by")
        .first()
    )
    if job is None:
        return False  # finished, cancelled, or a redelivered message
    rows = list(job.rows.filter(verdict=Verdict.PENDING).order_by("line")[:CHUNK_ROWS])
    try:
        _check_rows(
            rows,
            actor=job.created_by,
            source=Source(job.source),
            stop=lambda: _cancelled(job_id),
        )
    except Exception as error:  # a bug must not leave the job "checking" forever
        _fail(job_id, error)
        raise
    checked = job.rows.exclude(verdict=Verdict.PENDING).count()
    BulkJob.objects.filter(pk=job_id, status=BulkJob.Status.CHECKING).update(progress_done=checked)
    if checked < job.progress_total:
        return not _cancelled(job_id)
    ready = job.rows.filter(verdict=Verdict.READY).count()
    BulkJob.objects.filter(pk=job_id, status=BulkJob.Status.CHECKING).update(
        status=BulkJob.Status.CHECKED, progress_total=ready, progress_done=0
    )
    return False


def _check_rows(
    rows: list[BulkRow], *, actor: Actor, source: Source, stop: Callable[[], bool]
) -> None:
    """Give each row its verdict (saved); rows left unchecked by a cancel stay pending."""
    tns = [row.tn for row in rows]
    owned = set(DID.objects.filter(tn__in=tns, gone_at__isnull=True).values_list("tn", flat=True))
    provisioned = {
        row.tn: row
        for row in Location.objects.filter(
            tn__in=tns, gone_at__isnull=True, status_code=PROVISIONED
        )
    }
    waiting: dict[Address, list[BulkRow]] = {}
    for row in rows:
        address = _check_row(row, owned=owned, provisioned=provisioned)
        if address is not None:
            waiting.setdefault(address, []).append(row)
    answers: dict[Address, bool | Exception] = {}

    def validate(address: Address) -> bool:
        try:
            answers[address] = services.address_valid(address=address, actor=actor, source=source)
        except (ProviderRejected, ProviderUnavailable) as error:
            answers[address] = error
            return isinstance(error, ProviderUnavailable)
        return False

    run_bounded(list(waiting), validate, stop=stop)
    for address, answer in answers.items():
        for row in waiting[address]:
            if isinstance(answer, Exception):
                row.verdict, row.message = Verdict.INVALID, _words(answer)[:500]
            elif not answer:
                row.verdict, row.message = (
                    Verdict.INVALID,
                    "VI's 911 provider cannot place this address.",
                )
            else:
                row.verdict, row.message = Verdict.READY, "Valid; will be provisioned."
    fields = [
        "tn",
        "verdict",
        "message",
        "address1",
        "address2",
        "city",
        "state",
        "zip_code",
        "plus_four",
    ]
    BulkRow.objects.bulk_update(
        [row for row in rows if row.verdict != Verdict.PENDING], fields, batch_size=500
    )


def _check_row(
    row: BulkRow, *, owned: Collection[str], provisioned: Mapping[str, Location]
) -> Address | None:
    """Decide what needs no VI; returns the address still to validate (verdict left pending)."""

    def refuse(message: str) -> None:
        row.verdict, row.message = Verdict.INVALID, message[:500]

    if row.tn not in owned:
        refuse("The number is not on the account (or the numbers list has not been synced).")
        return None
    try:
        tidy = clean_address(
            address1=row.address1, address2=row.address2, city=row.city, state=row.state,
            zip_code=row.zip_code, plus_four=row.plus_four, caller_name=row.caller_name,
        )  # fmt: skip
    except ValidationError as error:
        refuse(
            "; ".join(message for messages in error.message_dict.values() for message in messages)
        )
        return None
    address = tidy.address
    row.address1, row.address2, row.city, row.state = (
        address.address1,
        address.address2,
        address.city,
        address.state,
    )
    row.zip_code, row.plus_four = address.zip_code, address.plus_four
    current = provisioned.get(row.tn)
    if current is not None and address.same_place(current):
        row.verdict, row.message = Verdict.UNCHANGED, "Already provisioned at this address."
        return None
    return address


def row_address(row: BulkRow) -> Address:
    return Address(
        address1=row.address1, address2=row.address2, city=row.city, state=row.state, zip_code=row.zip_code,
        plus_four=row.plus_four, caller_name=row.caller_name,
    )  # fmt: skip


def bulk_queue(*, job: BulkJob, actor: Actor, source: Source) -> BulkJob:
    """Mark the job queued and enqueue its task once this transaction commits."""
    updated = BulkJob.objects.filter(pk=job.pk, status=BulkJob.Status.CHECKED).update(
        status=BulkJob.Status.QUEUED, applied_by=actor, source=source
    )
    if updated:
        transaction.on_commit(lambda: _enqueue("apply_bulk_job", job.pk))
    job.refresh_from_db()
    return job


def bulk_cancel(*, job: BulkJob, actor: Actor, source: Source) -> BulkJob:
    """Stop a job being checked or applied. Rows already done keep their verdict and result;
    the running chunk finishes the calls it has started (a 911 insert is not cut halfway)."""
    BulkJob.objects.filter(pk=job.pk, status__in=[BulkJob.Status.CHECKING, BulkJob.Status.QUEUED, BulkJob.Status.RUNNING]).update(
        status=BulkJob.Status.CANCELLED, finished_at=timezone.now(),
        error=f"Cancelled by {getattr(actor, 'username', None) or 'staff'}; rows not yet done were left alone.",
    )  # fmt: skip
    job.refresh_from_db()
    return job


def bulk_apply(*, job_id: int) -> BulkJob:
    """Apply a queued job to the end in this process (what the chunked task amounts to)."""
    while bulk_apply_chunk(job_id=job_id):
        pass
    return BulkJob.objects.get(pk=job_id)


def bulk_apply_chunk(*, job_id: int) -> bool:
    """Apply the next CHUNK_ROWS rows of a queued job; True while rows are left.
    Idempotent: a finished job, or a finished row, is left alone."""
    claimed = BulkJob.objects.filter(
        pk=job_id, status__in=[BulkJob.Status.QUEUED, BulkJob.Status.RUNNING]
    ).update(status=BulkJob.Status.RUNNING)
    if not claimed:
        return False
    BulkJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=timezone.now())
    job = BulkJob.objects.select_related("applied_by").get(pk=job_id)
    actor, source = job.applied_by, Source(job.source)
    rows = list(job.rows.filter(result=Result.PENDING).order_by("line")[:CHUNK_ROWS])
    try:
        ready = []
        for row in rows:
            if row.verdict == Verdict.READY:
                ready.append(row)
            else:
                _apply_row(row, actor=actor, source=source, job_id=job_id)  # no VI call
        run_bounded(
            ready,
            lambda row: _apply_row(row, actor=actor, source=source, job_id=job_id),
            stop=lambda: _cancelled(job_id),
        )
    except Exception as error:  # a bug must not leave the job "applying" forever
        _fail(job_id, error)
        raise
    done = job.rows.filter(verdict=Verdict.READY).exclude(result=Result.PENDING).count()
    BulkJob.objects.filter(pk=job_id).update(progress_done=done)
    if job.rows.filter(result=Result.PENDING).exists():
        return BulkJob.objects.filter(pk=job_id, status=BulkJob.Status.RUNNING).exists()
    BulkJob.objects.filter(pk=job_id, status=BulkJob.Status.RUNNING).update(
        status=BulkJob.Status.FINISHED, finished_at=timezone.now()
    )
    return False


def _fail(job_id: int, error: Exception) -> None:
    BulkJob.objects.filter(pk=job_id).exclude(status=BulkJob.Status.CANCELLED).update(
        status=BulkJob.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
    )


def _apply_row(row: BulkRow, *, actor: Actor, source: Source, job_id: int) -> bool:
    """Apply one row and save its result; True when VI could not be reached (for the back-off)."""

    def finish(result: str, message: str, code: str = "") -> bool:
        row.result, row.result_message, row.result_code = result, message[:500], code
        row.save(update_fields=["result", "result_message", "result_code"])
        if row.verdict == Verdict.READY:  # the bar moves row by row; the chunk recounts exactly
            BulkJob.objects.filter(pk=job_id).update(progress_done=F("progress_done") + 1)
        return False

    if row.verdict == Verdict.INVALID:
        return finish(Result.FAILED, f"Not applied: {row.message}")
    if row.verdict != Verdict.READY:
        return finish(Result.SKIPPED, row.message)
    address = row_address(row)
    current = Location.objects.filter(
        tn=row.tn, gone_at__isnull=True, status_code=PROVISIONED
    ).first()
    if current is not None and address.same_place(current):
        return finish(Result.SKIPPED, "Already provisioned at this address.")
    try:
        outcome = services.location_provision(
            tn=row.tn, address=address, actor=actor, source=source
        )
    except services.AddressInvalid as invalid:
        return finish(Result.FAILED, invalid.message, "101")
    except ProviderRejected as refusal:
        # VI's words as on every page; its code goes in its own column (and small print).
        return finish(Result.FAILED, f"VI said: {_error(refusal).words}", refusal.code)
    except ProviderUnavailable as error:
        finish(Result.FAILED, _words(error))
        return True
    return finish(Result.PROVISIONED, outcome.message, "100")


def bulk_waiting_for(job: BulkJob) -> str:
    """What a queued or not-yet-started job waits for, in plain words ("" once it runs)."""
    waiting = job.status == BulkJob.Status.QUEUED or (
        job.status == BulkJob.Status.CHECKING and not job.progress_done
    )
    if not waiting:
        return ""
    others = BulkJob.objects.filter(
        status__in=[BulkJob.Status.CHECKING, BulkJob.Status.QUEUED, BulkJob.Status.RUNNING],
        pk__lt=job.pk,
    ).count()
    if not others:
        return f"Waiting for {WAITS_FOR[BULK]} to pick it up."
    return (
        f"Waiting for {WAITS_FOR[BULK]}: {others} earlier bulk job{'s' if others != 1 else ''} "
        f"ahead. Bulk jobs take turns {CHUNK_ROWS} rows at a time, so this one starts soon."
    )


RESULT_HEADER = [
    "line",
    "tn",
    "address1",
    "address2",
    "city",
    "state",
    "zip",
    "caller_name",
    "verdict",
    "check",
    "result",
    "result_message",
    "vi_code",
]


def bulk_results_csv(*, job: BulkJob) -> Iterator[str]:
    line = csv_line  # formula-safe cells (portal/csv_export.py)
    yield line(RESULT_HEADER)
    for row in job.rows.order_by("line"):
        zip_code = f"{row.zip_code}-{row.plus_four}" if row.plus_four else row.zip_code
        yield line([
            row.line, row.tn, row.address1, row.address2, row.city, row.state, zip_code, row.caller_name,
            row.verdict, row.message, row.result or "not applied", row.result_message, row.result_code,
        ])  # fmt: skip
