"""Numbers' references from a CSV: every row checked first (a dry run, nothing sent to VI),
then the ready rows applied in the background, a chunk at a time, through
`dids.services.references_set`.

The file: one number and one reference per line (a header line is recognised and skipped).
A number listed twice keeps its first line; the later ones are marked duplicates, so nobody
has to guess which reference won.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dids import services as dids_services
from dids.models import DID
from dids.numbers import normalize_tn
from dids.records import NumberOutcome
from portal.actor import Actor
from portal.models import Source
from portal.staff_errors import staff_error
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from .models import ReferenceJob, ReferenceRow

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
APPLY_CHUNK = 500
_HEADER_WORDS = {"number", "tn", "did", "phone", "telephone number"}


class UnreadableFile(ValueError):
    """The upload is not a CSV this can read; said in plain words."""


class NotReady(ValueError):
    """The job was applied already (or is applying)."""


# What these services raise for a person to read.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (UnreadableFile, NotReady)


def _lines(data: bytes) -> list[list[str]]:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("The file is not UTF-8 text (save it as CSV UTF-8).") from None
    if "\x00" in text:
        raise UnreadableFile("The file holds NUL characters: it is not a CSV.")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as problem:
        raise UnreadableFile(f"The file is not a CSV this portal can read ({problem}).") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().lower() in _HEADER_WORDS:
        rows = rows[1:]
    if not rows:
        raise UnreadableFile("The file has no rows.")
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows; split it.")
    return rows


def reference_job_check(
    *, data: bytes, file_name: str, actor: Actor, source: Source
) -> ReferenceJob:
    """Read the file and give every row a verdict. Nothing is sent to VI.

    `source` is taken like every service's; the check writes only the job and its rows (no
    mirror row, no history), so only `actor` is kept, as the job's author."""
    rows = _lines(data)
    parsed: list[
        tuple[int, str, str | None, str, str | None]
    ] = []  # line, entry, tn, reference, problem
    for line, cells in enumerate(rows, start=1):
        entry = (cells[0] if cells else "").strip()
        reference = cells[1] if len(cells) > 1 else ""
        problem = None
        tn = None
        try:
            tn = normalize_tn(entry)
        except ValidationError as error:
            problem = " ".join(error.messages)
        if problem is None:
            if len(cells) > 2 and any(cell.strip() for cell in cells[2:]):
                problem = "Only two columns: the number and its reference."
            else:
                try:
                    reference = dids_services.reference_clean(reference)
                except ValidationError as error:
                    problem = " ".join(error.messages)
        parsed.append((line, entry, tn, reference, problem))
    known = {}
    tns = [tn for _, _, tn, _, problem in parsed if tn and problem is None]
    for start in range(0, len(tns), 5000):
        for tn, ref_id, endpoint_id in DID.objects.filter(
            tn__in=tns[start : start + 5000], gone_at__isnull=True
        ).values_list("tn", "ref_id", "endpoint_id"):
            known[tn] = (ref_id, endpoint_id)
    first_line: dict[str, int] = {}
    objects = []
    job = ReferenceJob(file_name=(file_name or "")[:200], created_by=actor)
    for line, entry, tn, reference, problem in parsed:
        current = known.get(tn, ("", None))[0] if tn else ""
        if problem is not None:
            verdict, message = ReferenceRow.Verdict.INVALID, problem
        elif tn in first_line:
            verdict, message = (
                ReferenceRow.Verdict.DUPLICATE,
                f"This number is on line {first_line[tn]} already; that line counts.",
            )
        elif tn not in known:
            verdict, message = (
                ReferenceRow.Verdict.NOT_ON_ACCOUNT,
                "This number is not on the account.",
            )
        elif not known[tn][1]:
            verdict, message = (
                ReferenceRow.Verdict.NO_GROUP,
                "No endpoint group: VI sets a reference only with one.",
            )
        elif current == reference:
            verdict, message = ReferenceRow.Verdict.UNCHANGED, ""
        else:
            verdict, message = ReferenceRow.Verdict.READY, ""
        if tn and problem is None:
            first_line.setdefault(tn, line)
        objects.append(
            ReferenceRow(
                line=line,
                entry=entry[:100],
                tn=tn or "",
                reference=(reference if problem is None else "")[:100],
                current=current[:100],
                verdict=verdict,
                message=message[:300],
            )
        )
    with transaction.atomic():
        job.save()
        for row in objects:
            row.job = job
        ReferenceRow.objects.bulk_create(objects, batch_size=2000)
    return job


def reference_job_counts(*, job: ReferenceJob) -> dict[str, int]:
    from django.db.models import Count

    counts = dict(
        job.rows.values_list("verdict").annotate(total=Count("id")).values_list("verdict", "total")
    )
    results = dict(
        job.rows.exclude(result="")
        .values_list("result")
        .annotate(total=Count("id"))
        .values_list("result", "total")
    )
    return {
        **{v: counts.get(v, 0) for v in ReferenceRow.Verdict.values},
        **{f"result_{r}": results.get(r, 0) for r in ReferenceRow.Result.values},
    }


def reference_job_queue(*, job_id: int, actor: Actor, source: Source) -> ReferenceJob:
    """Mark the job to be applied and queue its first chunk once this transaction commits.

    The chunks act for `actor`, kept on the job as `applied_by`."""
    from .tasks import apply_reference_job

    with transaction.atomic():
        job = ReferenceJob.objects.select_for_update().get(pk=job_id)
        if job.status != ReferenceJob.Status.CHECKED:
            raise NotReady("This file is already being applied or was applied.")
        job.status, job.applied_by, job.applied_at = (
            ReferenceJob.Status.QUEUED,
            actor,
            timezone.now(),
        )
        job.save(update_fields=["status", "applied_by", "applied_at"])
        transaction.on_commit(lambda: apply_reference_job.delay(job_id=job.pk))
    return job


def reference_job_apply_chunk(*, job_id: int) -> bool:
    """Apply the next chunk of ready rows; True when more remain. A redelivered message finds
    the rows done (they have a result) and sends nothing to VI twice.

    Takes no actor of its own on purpose: the chunks act for the person who applied the job
    (`applied_by`, set by `reference_job_queue`), as staff, whichever worker runs them."""
    job = ReferenceJob.objects.filter(pk=job_id).first()
    if job is None or job.status != ReferenceJob.Status.QUEUED:
        return False
    rows = list(
        job.rows.filter(verdict=ReferenceRow.Verdict.READY, result="").order_by("line")[
            :APPLY_CHUNK
        ]
    )
    if not rows:
        ReferenceJob.objects.filter(pk=job.pk).update(
            status=ReferenceJob.Status.FINISHED, finished_at=timezone.now()
        )
        return False
    try:
        outcomes = {
            o.tn: o
            for o in dids_services.references_set(
                references={row.tn: row.reference for row in rows},
                actor=job.applied_by,
                source=Source.STAFF,
            )
        }
    except (ProviderUnavailable, ProviderRejected) as failure:
        # Nothing of this chunk is known to have changed at VI: say so on each row, in the
        # words every page uses (portal/staff_errors.py).
        said = str(staff_error(failure))
        outcomes = {
            row.tn: NumberOutcome(tn=row.tn, code="", ok=False, message=said) for row in rows
        }
    for row in rows:
        outcome = outcomes.get(row.tn)
        row.result = (
            ReferenceRow.Result.SET if outcome and outcome.ok else ReferenceRow.Result.REFUSED
        )
        message = outcome.message if outcome else "No answer from VI for this number."
        if outcome and not outcome.ok and outcome.code:
            message = f"{message} (VI code {outcome.code})"
        row.result_message = message[:300]
    ReferenceRow.objects.bulk_update(rows, ["result", "result_message"])
    return True
