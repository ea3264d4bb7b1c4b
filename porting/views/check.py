"""/porting/check/: is a list of numbers portable to VI? One number is asked inline; a list is
a background job (in chunks) with a progress bar, a Cancel button and a CSV of the results."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from portal import queues
from portal.csv_export import csv_response
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt, attempt_on_form
from porting import selectors, services
from porting.forms import PortabilityCheckForm
from porting.models import PortabilityJob
from porting.pasted import parse_pasted

CHECK = "portal.check_portability"


def _page(
    request: AuthenticatedHttpRequest,
    *,
    form: PortabilityCheckForm,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "jobs": selectors.portability_jobs_recent(user=request.user),
        "section": "check",
        **extra,
    }
    return render(request, "porting/check.html", context, status=status)


@require_GET
def form(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, form=PortabilityCheckForm())


@write_view(CHECK, fallback="porting:check")
def submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_form = PortabilityCheckForm(request.POST)
    if not check_form.is_valid():
        return _page(request, form=check_form, status=422)
    text = check_form.cleaned_data["numbers"]
    pasted = parse_pasted(text)
    if len(pasted.tns) == 1 and not pasted.invalid:
        return _single(request, check_form, pasted.tns[0])
    created = attempt_on_form(
        check_form,
        lambda: services.portability_job_create(text=text, actor=request.user, source=Source.STAFF),
        expected=services.EXPECTED_ERRORS,
    )
    if created.value is None:
        # Under the refusal, which of the entries were not numbers (the first few).
        for _entry, message in pasted.invalid[:20]:
            check_form.add_error(None, message)
        return _page(request, form=check_form, status=422)
    return redirect("porting:check_job", pk=created.value.pk)


def _single(
    request: AuthenticatedHttpRequest, check_form: PortabilityCheckForm, tn: str
) -> HttpResponse:
    asked = attempt(
        lambda: services.portability_check(tn=tn, actor=request.user, source=Source.STAFF),
        expected=services.EXPECTED_ERRORS,
    )
    return _page(request, form=check_form, answer=asked.value, error=asked.error)


def _job_or_404(pk: int) -> PortabilityJob:
    job_ = selectors.portability_job_get(pk=pk)
    if job_ is None:
        raise Http404("No such portability check.")
    return job_


@require_GET
def job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job_ = _job_or_404(pk)
    context = {
        "job": job_,
        "rows": list(job_.rows.order_by("position")),
        "counts": selectors.portability_counts(job=job_),
        "section": "check",
        "waiting_for": _waiting_for(job_),
    }
    return render(request, "porting/check_job.html", context)


def _waiting_for(job_: PortabilityJob) -> str:
    """A queued check says which worker it waits for (a few numbers: the one for short jobs)."""
    if job_.status != job_.Status.QUEUED:
        return ""
    return queues.waiting_for("porting.tasks.check_portability", size=job_.progress_total)


@write_view(CHECK, fallback="porting:check_job")
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Stop a running check; what was checked stays recorded (and in results.csv)."""
    services.portability_job_cancel(job=_job_or_404(pk), actor=request.user, source=Source.STAFF)
    return redirect("porting:check_job", pk=pk)


@require_GET
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress bar, re-rendered; once finished it tells the page to reload the rows."""
    job_ = _job_or_404(pk)
    response = render(
        request, "porting/_check_progress.html", {"job": job_, "waiting_for": _waiting_for(job_)}
    )
    if job_.is_finished:
        trigger_client_event(response, "portability-finished")
    return response


@require_GET
def results_csv(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    job_ = _job_or_404(pk)
    return csv_response(
        selectors.portability_results_csv(job=job_), filename=f"portability-{job_.pk}.csv"
    )
