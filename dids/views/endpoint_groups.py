"""Endpoint groups (where calls go), international numbers, and the account panel."""

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dids import selectors, services
from dids.forms import EndpointGroupStateForm, ReleaseIntlForm
from dids.models import EndpointGroup
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt, attempt_on_form


@require_GET
def endpoint_group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.endpoint_group_list()
    counts = selectors.endpoint_group_did_counts()
    rows = [(group, counts.get(group.vi_id, 0)) for group in groups]
    return render(request, "dids/endpoint_groups.html", {"rows": rows})


def _group_or_404(vi_id: int) -> EndpointGroup:
    group = selectors.endpoint_group_get(vi_id=vi_id)
    if group is None:
        raise Http404("No such endpoint group in the portal's list.")
    return group


@require_GET
def endpoint_group_detail(request: AuthenticatedHttpRequest, vi_id: int) -> HttpResponse:
    _group_or_404(vi_id)
    # AuditEndpointGroup, live; the mirror (last sync) when VI cannot answer, and the page says so.
    audit = attempt(
        lambda: services.endpoint_group_audit(
            group_id=vi_id, actor=request.user, source=Source.STAFF
        ),
        expected=services.EXPECTED_ERRORS,
    )
    # Read after the live call: it may have corrected the mirror row (name, active …).
    group = _group_or_404(vi_id)
    return render(
        request,
        "dids/endpoint_group_detail.html",
        {
            "group": group,
            "live": audit.value,
            "error": audit.error,
            "routed": selectors.endpoint_group_did_counts().get(vi_id, 0),
            "form": EndpointGroupStateForm(initial={"active": "0" if group.active else "1"}),
        },
    )


@write_view("portal.manage_endpoint_groups")
def endpoint_group_state(request: AuthenticatedHttpRequest, vi_id: int) -> HttpResponse:
    group = _group_or_404(vi_id)
    form = EndpointGroupStateForm(request.POST)
    done = False
    if form.is_valid():
        change: Callable[..., EndpointGroup] = (
            services.endpoint_group_activate
            if form.cleaned_data["active"]
            else services.endpoint_group_deactivate
        )
        done = attempt_on_form(
            form,
            lambda: change(group_id=vi_id, actor=request.user, source=Source.STAFF),
            expected=services.EXPECTED_ERRORS,
        ).ok
    group = _group_or_404(vi_id)
    return render(
        request,
        "dids/endpoint_group_detail.html#state",
        {
            "group": group,
            "form": form,
            "done": done,
            "routed": selectors.endpoint_group_did_counts().get(vi_id, 0),
        },
    )


@require_GET
def intl_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dids/intl.html",
        {"intl_dids": selectors.intl_did_list(), "form": ReleaseIntlForm()},
    )


@write_view("portal.release_numbers")
def intl_release(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReleaseIntlForm(request.POST)
    done = False
    if form.is_valid():
        done = attempt_on_form(
            form,
            lambda: services.intl_did_release(
                tn=form.cleaned_data["tn"], actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        ).ok
    return render(request, "dids/intl.html#release_result", {"form": form, "done": done})


def low_balance_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "LOW_BALANCE_WARNING", "50.00")))


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    reading = selectors.prepaid_balance_latest()
    return render(
        request,
        "dids/account.html",
        {
            "reading": reading,
            "threshold": low_balance_threshold(),
            "low": reading is not None and reading.amount < low_balance_threshold(),
            "clients": selectors.client_list(),
        },
    )
