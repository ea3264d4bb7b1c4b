"""/e911/bulk/: upload a CSV, read every row's verdict, apply in the background, download results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from e911 import bulk, selectors
from e911.forms import BulkUploadForm
from e911.models import BulkJob, BulkRow
from portal.csv_export import csv_response
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import StaffError, attempt

OPERATE = "portal.operate_e911"


COLUMNS = "tn, address1, address2, city, state, zip, caller_name"


def _upload_page(
    request: HttpRequest,
    *,
    form: BulkUploadForm,
    error: StaffError | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "error": error,
        "jobs": selectors.bulk_jobs_recent(),
        "columns": COLUMNS,
    }
    return render(request, "e911/bulk.html", context, status=status)


@require_GET
def upload(request: HttpRequest) -> HttpResponse:
    """The upload form and recent jobs."""
    return _upload_page(request, form=BulkUploadForm())


@write_view(OPERATE, fallback="e911:bulk")
def upload_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Store the file and answer at once; its rows are checked in the background (with a
    progress bar on the job's page). Nothing is applied."""
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form=form, status=422)
    upload_file = form.cleaned_data["file"]
    uploaded = attempt(
        lambda: bulk.bulk_upload(
            content=upload_file.read(),
            file_name=upload_file.name or "",
            actor=request.user,
            source=Source.STAFF,
        ),
        expected=bulk.EXPECTED_ERRORS,
    )
    if uploaded.value is None:
        return _upload_page(request, form=form, error=uploaded.error, status=422)
    return redirect("e911:bulk_job", pk=uploaded.value.pk)


def _job_context(job: BulkJob) -> dict[str, Any]:
    rows = list(job.rows.order_by("line"))
    counts = {
        verdict: sum(1 for row in rows if row.verdict == verdict)
        for verdict in BulkRow.Verdict.values
    }
    results = {
        result: sum(1 for row in rows if row.result == result) for result in BulkRow.Result.values
    }
    return {
        "job": job, "rows": rows, "counts": counts, "results": results, "Verdict": BulkRow.Verdict,
        "waiting_for": bulk.bulk_waiting_for(job),
    }  # fmt: skip


@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "e911/bulk_job.html", _job_context(get_object_or_404(BulkJob, pk=pk)))


@write_view(OPERATE, fallback="e911:bulk_job")
def apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulk.bulk_queue(job=get_object_or_404(BulkJob, pk=pk), actor=request.user, source=Source.STAFF)
    return redirect("e911:bulk_job", pk=pk)


@write_view(OPERATE, fallback="e911:bulk_job")
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Stop a job being checked or applied; what was done stays recorded."""
    bulk.bulk_cancel(job=get_object_or_404(BulkJob, pk=pk), actor=request.user, source=Source.STAFF)
    return redirect("e911:bulk_job", pk=pk)


@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress component, re-rendered; once the check or the apply is over it tells the
    page to reload the rows (and the Provision button, after a check)."""
    job_ = get_object_or_404(BulkJob, pk=pk)
    response = render(
        request,
        "e911/_bulk_progress.html",
        {"job": job_, "waiting_for": bulk.bulk_waiting_for(job_)},
    )
    if not job_.is_working:
        trigger_client_event(response, "bulk-finished")
    return response


@require_GET
def results_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job_ = get_object_or_404(BulkJob, pk=pk)
    return csv_response(bulk.bulk_results_csv(job=job_), filename=f"911-bulk-{job_.pk}-results.csv")
