"""/e911/: what must be fixed (owned numbers without, or with a broken, 911 record), every
911 record, and the step before releasing numbers that still have a 911 location."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dids.numbers import normalize_tns
from e911 import selectors, services
from portal.csv_export import csv_response
from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt

PAGE_SIZE = 50
# The search boxes' maxlength; a longer value (typed past the page) is cut, never a 414 or 500.
SEARCH_MAX = 100


def _search(request: HttpRequest, name: str = "q") -> str:
    return request.GET.get(name, "")[:SEARCH_MAX]


def _problem(request: HttpRequest) -> str:
    problem = request.GET.get("problem", "missing")
    return problem if problem in selectors.PROBLEMS else "missing"


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    problem = _problem(request)
    q = _search(request)
    rows = selectors.compliance_rows(problem=problem, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "counts": selectors.compliance_counts(),
        "problem": problem,
        "problems": selectors.PROBLEMS,
        "q": q,
        "page": page,
        "search_max": SEARCH_MAX,
    }
    template = "e911/index.html#results" if request.htmx else "e911/index.html"
    return render(request, template, context)


@require_GET
def export(request: HttpRequest) -> StreamingHttpResponse:
    problem = _problem(request)
    return csv_response(
        selectors.compliance_csv(problem=problem, q=_search(request)), filename=f"911-{problem}.csv"
    )


def _off_net(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@require_GET
def records(request: HtmxHttpRequest) -> HttpResponse:
    q = _search(request)
    status = request.GET.get("status", "")
    off_net = request.GET.get("off_net", "")
    rows = selectors.location_search(
        q=q, status=status, city=_search(request, "city"), off_net=_off_net(off_net)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "status": status,
        "off_net": off_net,
        "statuses": selectors.STATUS_CHOICES,
        "city": _search(request, "city"),
        "search_max": SEARCH_MAX,
    }
    template = "e911/records.html#results" if request.htmx else "e911/records.html"
    return render(request, template, context)


def _tns(values: list[str]) -> tuple[list[str], list[str]]:
    try:
        return normalize_tns(values), []
    except ValidationError as error:
        return [], error.messages


@require_GET
def release_check(request: HttpRequest) -> HttpResponse:
    """Before releasing: which of these numbers still have 911, with an offer to remove it."""
    tns, errors = _tns(request.GET.getlist("tns"))
    locations = selectors.locations_for_tns(tns=tns)
    return render(
        request, "e911/release.html", {"tns": tns, "errors": errors, "locations": locations}
    )


@write_view("portal.operate_e911")
def release_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    tns, errors = _tns(request.POST.getlist("tns"))
    with_911 = [tn for tn in tns if tn in selectors.locations_for_tns(tns=tns)]
    outcome = attempt(
        lambda: services.locations_remove(tns=with_911, actor=request.user, source=Source.STAFF),
        expected=services.EXPECTED_ERRORS,
    )
    context = {
        "tns": tns, "errors": errors, "locations": selectors.locations_for_tns(tns=tns),
        "removed": outcome.value or {}, "outcome": outcome,
    }  # fmt: skip
    return render(request, "e911/release.html", context)
