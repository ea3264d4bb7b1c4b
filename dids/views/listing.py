"""/numbers/: the owned-number list, its CSV export and the bulk actions on a selection."""

from collections.abc import Callable

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from dids import selectors, services
from dids.filters import SORTABLE_COLUMNS, DIDFilterForm
from dids.forms import BulkConfigureForm, BulkDIDGroupForm
from dids.records import NumberOutcome
from portal.csv_export import csv_lines, csv_response
from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import UNREACHABLE_MESSAGE, attempt_on_form
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

PER_PAGE = 50


@require_GET
def did_list(request: HtmxHttpRequest) -> HttpResponse:
    form = DIDFilterForm(request.GET)
    filters = form.filters()
    page = selectors.did_list(
        filters=filters, sort=form.chosen_sort(), cursor=form.chosen_cursor(), page_size=PER_PAGE
    )
    count, more = selectors.did_count(filters=filters)
    choices = selectors.did_filter_choices(state=filters.state)
    group_names = {group.vi_id: group.name for group in choices.endpoint_groups}
    clients = selectors.client_list()
    client_by_group = selectors.clients_by_endpoint_group(clients=clients)
    context = {
        "form": form,
        "page": page,
        "count": count,
        "count_is_capped": more,
        "columns": SORTABLE_COLUMNS,
        "sort": form.chosen_sort(),
        "choices": choices,
        "endpoint_group_names": group_names,
        "did_group_names": {group.vi_id: group.name for group in choices.did_groups},
        "clients": clients,
        "client_by_group": client_by_group,
        "client_move_targets": selectors.client_move_targets(
            owners=client_by_group, names=group_names
        ),
        "configure_form": BulkConfigureForm(endpoint_groups=choices.endpoint_groups),
    }
    # Live filtering swaps only the results; a full load (or a bookmark) gets the page.
    if request.htmx and request.htmx.target == "did-results":
        return render(request, "dids/list.html#results", context)
    return render(request, "dids/list.html", context)


@require_GET
def did_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, streamed: 100,000 numbers never sit in memory at once."""
    form = DIDFilterForm(request.GET)
    rows = selectors.did_csv_rows(filters=form.filters(), sort=form.chosen_sort())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(csv_lines(rows), filename=f"numbers-{stamp}.csv")


def _bulk_result(
    request: AuthenticatedHttpRequest,
    *,
    form: forms.Form,
    outcomes: list[NumberOutcome] | None,
    title: str,
) -> HttpResponse:
    response = render(
        request,
        "dids/list.html#bulk_result",
        {"form": form, "outcomes": outcomes, "title": title},
    )
    if outcomes:
        trigger_client_event(response, "dids-changed")
    return response


@write_view("portal.operate_numbers")
def bulk_configure(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One configDID for many numbers: endpoint group and inbound CNAM dip."""
    form = BulkConfigureForm(request.POST, endpoint_groups=selectors.endpoint_group_list())
    outcomes = None
    if form.is_valid():
        outcomes = attempt_on_form(
            form,
            lambda: services.dids_configure(
                tns=form.cleaned_data["tns"],
                endpoint_id=form.cleaned_data["endpoint_group"],
                cnam=form.cleaned_data["cnam"],
                actor=request.user,
                source=Source.STAFF,
            ),
            expected=services.EXPECTED_ERRORS,
        ).value
    return _bulk_result(request, form=form, outcomes=outcomes, title="Endpoint group and CNAM dip")


def _each_number(tns: list[str], write: Callable[[str], NumberOutcome]) -> list[NumberOutcome]:
    """VI's DID-group calls take one number each: call per number, a result per number.

    A refusal stops only that number. VI becoming unreachable stops the rest, and the
    numbers not tried say so (what was done before stays done, as at VI).
    """
    outcomes: list[NumberOutcome] = []
    for index, tn in enumerate(tns):
        try:
            outcomes.append(write(tn))
        except ProviderRejected as refusal:
            outcomes.append(
                NumberOutcome(tn=tn, code=refusal.code, ok=False, message=refusal.message)
            )
        except ProviderUnavailable:
            outcomes.extend(
                NumberOutcome(tn=rest, code="", ok=False, message=UNREACHABLE_MESSAGE)
                for rest in tns[index:]
            )
            break
    return outcomes


@write_view("portal.operate_numbers")
def bulk_did_group(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkDIDGroupForm(request.POST)
    outcomes = None
    if form.is_valid():
        data = form.cleaned_data

        def write(tn: str) -> NumberOutcome:
            if data["remove"]:
                return services.did_group_remove(tn=tn, actor=request.user, source=Source.STAFF)
            return services.did_group_set(
                tn=tn, group_id=data["did_group"], actor=request.user, source=Source.STAFF
            )

        outcomes = attempt_on_form(
            form, lambda: _each_number(data["tns"], write), expected=services.EXPECTED_ERRORS
        ).value
    return _bulk_result(request, form=form, outcomes=outcomes, title="DID group")
