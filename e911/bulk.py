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
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dids.models import DID
from dids.numbers import normalize_tn
from portal.csv_export import csv_line
from portal.models import Source
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from . import services
from .addresses import clean_address
from .models import PROVISIONED, BulkJob, BulkRow, Location
from .records import Address

MAX_ROWS = 5000

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


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise BulkFileInvalid("The file is empty.")
    names = [COLUMNS.get(cell.strip().lower().replace(" ", "_").replace("-", "_"), "") for cell in header]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise BulkFileInvalid(
            "The first line must name the columns; missing: " + ", ".join(missing)
            + " (expected tn, address1, address2, city, state, zip, caller_name)."
        )
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        yield line, {name: cells[index].strip() for index, name in enumerate(names) if name and index < len(cells)}


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkFileInvalid("The file is not text (save it as CSV, UTF-8).")


def bulk_check(*, content: bytes, file_name: str = "", actor=None, source: str = Source.STAFF) -> BulkJob:
    """Read and check every row; returns the stored job (status CHECKED). Nothing provisioned."""
    rows = list(_rows(_decode(content)))
    if len(rows) > MAX_ROWS:
        raise BulkFileInvalid(f"At most {MAX_ROWS} rows per file; this one has {len(rows)}.")
    tns = []
    for _, cells in rows:
        try:
            tns.append(normalize_tn(cells.get("tn", "")))
        except ValidationError:
            continue
    owned = set(DID.objects.filter(tn__in=tns, gone_at__isnull=True).values_list("tn", flat=True))
    provisioned = {row.tn: row for row in Location.objects.filter(tn__in=tns, gone_at__isnull=True, status_code=PROVISIONED)}
    seen: set[str] = set()
    validated: dict[Address, bool] = {}
    checked: list[BulkRow] = []
    def validate(address: Address) -> bool:
        return services.address_valid(address=address, actor=actor, source=source)

    for line, cells in rows:
        checked.append(
            _check_row(line, cells, owned=owned, provisioned=provisioned, seen=seen, validated=validated, validate=validate)
        )
    with transaction.atomic():
        job = BulkJob.objects.create(file_name=file_name[:200], created_by=actor, progress_total=0)
        for row in checked:
            row.job = job
        BulkRow.objects.bulk_create(checked)
        job.progress_total = sum(1 for row in checked if row.verdict == Verdict.READY)
        job.save(update_fields=["progress_total"])
    return job


def _check_row(line, cells, *, owned, provisioned, seen, validated, validate) -> BulkRow:
    row = BulkRow(
        line=line, tn=cells.get("tn", "")[:32], caller_name=cells.get("caller_name", "")[:100],
        address1=cells.get("address1", "")[:200], address2=cells.get("address2", "")[:200],
        city=cells.get("city", "")[:100], state=cells.get("state", "")[:8], zip_code=cells.get("zip_code", "")[:10],
        plus_four=cells.get("plus_four", "")[:4], verdict=Verdict.INVALID,
    )  # fmt: skip

    def refuse(message: str) -> BulkRow:
        row.verdict, row.message = Verdict.INVALID, message[:500]
        return row

    try:
        tn = normalize_tn(row.tn)
    except ValidationError as error:
        return refuse(" ".join(error.messages))
    row.tn = tn
    if tn in seen:
        row.verdict, row.message = Verdict.DUPLICATE, "The number appears on an earlier line; only the first counts."
        return row
    seen.add(tn)
    if tn not in owned:
        return refuse("The number is not on the account (or the numbers list has not been synced).")
    try:
        tidy = clean_address(
            address1=row.address1, address2=row.address2, city=cells.get("city", ""), state=cells.get("state", ""),
            zip_code=row.zip_code, plus_four=row.plus_four, caller_name=row.caller_name,
        )  # fmt: skip
    except ValidationError as error:
        return refuse("; ".join(message for messages in error.message_dict.values() for message in messages))
    address = tidy.address
    row.address1, row.address2, row.city, row.state = address.address1, address.address2, address.city, address.state
    row.zip_code, row.plus_four = address.zip_code, address.plus_four
    current = provisioned.get(tn)
    if current is not None and address.same_place(current):
        row.verdict, row.message = Verdict.UNCHANGED, "Already provisioned at this address."
        return row
    try:
        if address not in validated:
            validated[address] = validate(address)
    except (ProviderRejected, ProviderUnavailable) as error:
        return refuse(f"Could not validate with VI: {error}")
    if not validated[address]:
        return refuse("VI's 911 provider cannot place this address.")
    row.verdict, row.message = Verdict.READY, "Valid; will be provisioned."
    return row


def row_address(row: BulkRow) -> Address:
    return Address(
        address1=row.address1, address2=row.address2, city=row.city, state=row.state, zip_code=row.zip_code,
        plus_four=row.plus_four, caller_name=row.caller_name,
    )  # fmt: skip


def bulk_queue(*, job: BulkJob, actor=None) -> BulkJob:
    """Mark the job queued and enqueue its task once this transaction commits."""
    from .tasks import apply_bulk_job

    updated = BulkJob.objects.filter(pk=job.pk, status=BulkJob.Status.CHECKED).update(
        status=BulkJob.Status.QUEUED, applied_by=actor
    )
    if updated:
        transaction.on_commit(lambda: apply_bulk_job.delay(job_id=job.pk))
    job.refresh_from_db()
    return job


def bulk_apply(*, job_id: int) -> BulkJob:
    """Apply a queued job row by row. Idempotent: a finished job, or a finished row, is left alone."""
    claimed = BulkJob.objects.filter(pk=job_id, status__in=[BulkJob.Status.QUEUED, BulkJob.Status.RUNNING]).update(
        status=BulkJob.Status.RUNNING, started_at=timezone.now()
    )
    job = BulkJob.objects.get(pk=job_id)
    if not claimed:
        return job
    actor = job.applied_by
    try:
        for row in job.rows.filter(result=Result.PENDING).order_by("line"):
            _apply_row(row, actor=actor)
            if row.verdict == Verdict.READY:
                BulkJob.objects.filter(pk=job_id).update(progress_done=job.rows.filter(verdict=Verdict.READY).exclude(result=Result.PENDING).count())
    except Exception as error:  # a bug must not leave the job "applying" forever
        BulkJob.objects.filter(pk=job_id).update(status=BulkJob.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000])
        raise
    BulkJob.objects.filter(pk=job_id).update(status=BulkJob.Status.FINISHED, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _apply_row(row: BulkRow, *, actor) -> None:
    def finish(result: str, message: str, code: str = "") -> None:
        row.result, row.result_message, row.result_code = result, message[:500], code
        row.save(update_fields=["result", "result_message", "result_code"])

    if row.verdict == Verdict.INVALID:
        return finish(Result.FAILED, f"Not applied: {row.message}")
    if row.verdict != Verdict.READY:
        return finish(Result.SKIPPED, row.message)
    address = row_address(row)
    current = Location.objects.filter(tn=row.tn, gone_at__isnull=True, status_code=PROVISIONED).first()
    if current is not None and address.same_place(current):
        return finish(Result.SKIPPED, "Already provisioned at this address.")
    try:
        outcome = services.location_provision(tn=row.tn, address=address, actor=actor, source=Source.STAFF)
    except services.AddressInvalid as invalid:
        return finish(Result.FAILED, invalid.message, "101")
    except ProviderRejected as refusal:
        return finish(Result.FAILED, refusal.message, refusal.code)
    except ProviderUnavailable as error:
        return finish(Result.FAILED, f"VI unreachable: {error.message}. Nothing known to have changed.")
    finish(Result.PROVISIONED, outcome.message, "100")


RESULT_HEADER = ["line", "tn", "address1", "address2", "city", "state", "zip", "caller_name", "verdict", "check", "result", "result_message", "vi_code"]


def bulk_results_csv(*, job: BulkJob) -> Iterator[str]:
    line = csv_line  # formula-safe cells (portal/csv_export.py)
    yield line(RESULT_HEADER)
    for row in job.rows.order_by("line"):
        zip_code = f"{row.zip_code}-{row.plus_four}" if row.plus_four else row.zip_code
        yield line([
            row.line, row.tn, row.address1, row.address2, row.city, row.state, zip_code, row.caller_name,
            row.verdict, row.message, row.result or "not applied", row.result_message, row.result_code,
        ])  # fmt: skip
