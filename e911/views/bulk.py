"""/e911/bulk/: upload a CSV, read every row's verdict, apply in the background, download results."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from e911 import bulk, selectors
from e911.forms import BulkUploadForm
from e911.models import BulkJob, BulkRow
from e911.views._context import attempt
from portal.csv_export import csv_response
from portal.permissions import write_view

OPERATE = "portal.operate_e911"


COLUMNS = "tn, address1, address2, city, state, zip, caller_name"


def _upload_page(request: HttpRequest, *, form: BulkUploadForm, error: str | None = None, status: int = 200) -> HttpResponse:
    context = {"form": form, "error": error, "jobs": selectors.bulk_jobs_recent(), "columns": COLUMNS}
    return render(request, "e911/bulk.html", context, status=status)


def upload(request: HttpRequest) -> HttpResponse:
    """The upload form and recent jobs."""
    return _upload_page(request, form=BulkUploadForm())


@write_view(OPERATE, fallback="e911:bulk")
def upload_submit(request: HttpRequest) -> HttpResponse:
    """Check the file row by row (validate911 included) and show its job; nothing applied."""
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form=form, status=422)
    upload_file = form.cleaned_data["file"]
    try:
        outcome = attempt(lambda: bulk.bulk_check(content=upload_file.read(), file_name=upload_file.name, actor=request.user))
    except bulk.BulkFileInvalid as invalid:
        return _upload_page(request, form=form, error=str(invalid), status=422)
    if not outcome.ok:
        return _upload_page(request, form=form, error=outcome.vi_message or "; ".join(outcome.errors), status=422)
    return redirect("e911:bulk_job", pk=outcome.value.pk)


def _job_context(job: BulkJob) -> dict:
    rows = list(job.rows.order_by("line"))
    counts = {verdict: sum(1 for row in rows if row.verdict == verdict) for verdict in BulkRow.Verdict.values}
    results = {result: sum(1 for row in rows if row.result == result) for result in BulkRow.Result.values}
    return {"job": job, "rows": rows, "counts": counts, "results": results, "Verdict": BulkRow.Verdict}


def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "e911/bulk_job.html", _job_context(get_object_or_404(BulkJob, pk=pk)))


@write_view(OPERATE, fallback="e911:bulk_job")
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    bulk.bulk_queue(job=get_object_or_404(BulkJob, pk=pk), actor=request.user)
    return redirect("e911:bulk_job", pk=pk)


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress component, re-rendered; once finished it tells the page to reload the rows."""
    job_ = get_object_or_404(BulkJob, pk=pk)
    response = render(request, "e911/_bulk_progress.html", {"job": job_})
    if job_.is_finished:
        response["HX-Trigger"] = "bulk-finished"
    return response


def results_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job_ = get_object_or_404(BulkJob, pk=pk)
    return csv_response(bulk.bulk_results_csv(job=job_), filename=f"911-bulk-{job_.pk}-results.csv")


