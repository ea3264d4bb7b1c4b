"""/porting/check/: is a list of numbers portable to VI? One number is asked inline; a list is
a background job with a progress bar and a CSV of the results."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from portal import queues
from portal.csv_export import csv_response
from portal.permissions import write_view
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from porting import selectors, services
from porting.forms import PortabilityCheckForm
from porting.pasted import parse_pasted

CHECK = "portal.check_portability"


def _page(
    request: HttpRequest, *, form: PortabilityCheckForm, status: int = 200, **extra
) -> HttpResponse:
    context = {
        "form": form,
        "jobs": selectors.portability_jobs_recent(user=request.user),
        "section": "check",
        **extra,
    }
    return render(request, "porting/check.html", context, status=status)


def form(request: HttpRequest) -> HttpResponse:
    return _page(request, form=PortabilityCheckForm())


@write_view(CHECK, fallback="porting:check")
def submit(request: HttpRequest) -> HttpResponse:
    check_form = PortabilityCheckForm(request.POST)
    if not check_form.is_valid():
        return _page(request, form=check_form, status=422)
    text = check_form.cleaned_data["numbers"]
    pasted = parse_pasted(text)
    if len(pasted.tns) == 1 and not pasted.invalid:
        return _single(request, check_form, pasted.tns[0])
    try:
        job_ = services.portability_job_create(text=text, actor=request.user)
    except (services.NothingToCheck, services.TooManyNumbers) as problem:
        check_form.add_error("numbers", str(problem))
        for _entry, message in pasted.invalid[:20]:
            check_form.add_error("numbers", message)
        return _page(request, form=check_form, status=422)
    return redirect("porting:check_job", pk=job_.pk)


def _single(request: HttpRequest, check_form: PortabilityCheckForm, tn: str) -> HttpResponse:
    try:
        answer = services.portability_check(tn=tn, actor=request.user)
    except ProviderUnavailable as error:
        return _page(
            request, form=check_form, vi_error={"unavailable": True, "message": error.message}
        )
    except ProviderRejected as refusal:
        return _page(
            request, form=check_form, vi_error={"message": refusal.message, "code": refusal.code}
        )
    return _page(request, form=check_form, answer=answer)


def _job_or_404(pk: int):
    job_ = selectors.portability_job_get(pk=pk)
    if job_ is None:
        raise Http404("No such portability check.")
    return job_


def job(request: HttpRequest, pk: int) -> HttpResponse:
    job_ = _job_or_404(pk)
    context = {
        "job": job_,
        "rows": list(job_.rows.order_by("position")),
        "counts": selectors.portability_counts(job=job_),
        "section": "check",
        "waiting_for": _waiting_for(job_),
    }
    return render(request, "porting/check_job.html", context)


def _waiting_for(job_) -> str:
    """A queued check says which worker it waits for (a few numbers: the one for short jobs)."""
    if job_.status != job_.Status.QUEUED:
        return ""
    return queues.waiting_for("porting.tasks.check_portability", size=job_.progress_total)


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, re-rendered; once finished it tells the page to reload the rows."""
    job_ = _job_or_404(pk)
    response = render(
        request, "porting/_check_progress.html", {"job": job_, "waiting_for": _waiting_for(job_)}
    )
    if job_.is_finished:
        response["HX-Trigger"] = "portability-finished"
    return response


def results_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job_ = _job_or_404(pk)
    return csv_response(
        selectors.portability_results_csv(job=job_), filename=f"portability-{job_.pk}.csv"
    )
