"""/customers/: every client with what it holds; one client's page; moving numbers between
clients from the numbers list."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from dids.models import DID
from dids.selectors import client_move_targets, clients_by_endpoint_group
from dids.views._calls import call_service
from portal.csv_export import csv_lines, csv_response
from portal.permissions import write_view

from . import selectors, services
from .billing import Month, billing_rows
from .forms import BillingForm, CustomerFilterForm, MoveNumbersForm

COLUMNS = {
    "name": "Client",
    "owned": "Numbers",
    "added": "Added this month",
    "released": "Released this month",
    "coverage": "911 coverage",
    "sms": "SMS-ready",
    "campaigns": "Campaigns",
    "ports": "Ports in flight",
    "usage": "Usage this month",
}


def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET)
    summaries = selectors.client_summaries(q=form.query(), sort=form.chosen_sort())
    context = {"form": form, "summaries": summaries, "columns": COLUMNS, "sort": form.chosen_sort()}
    if request.htmx and request.htmx.target == "customer-results":
        return render(request, "customers/list.html#results", context)
    return render(request, "customers/list.html", context)


def customer_export(request: HttpRequest) -> StreamingHttpResponse:
    form = CustomerFilterForm(request.GET)
    summaries = selectors.client_summaries(q=form.query(), sort=form.chosen_sort())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(csv_lines(selectors.client_csv_rows(summaries=summaries)), filename=f"customers-{stamp}.csv")


def customer_detail(request: HttpRequest, vi_id: str) -> HttpResponse:
    client = selectors.client_get(vi_id=vi_id)
    if client is None:
        raise Http404("No such client")
    context = {
        "client": client,
        "summary": selectors.client_summary(client=client),
        "endpoint_groups": selectors.client_endpoint_groups(client=client),
        "did_groups": selectors.client_did_groups(client=client),
        "problems": selectors.client_problems(client=client),
        "ports": selectors.client_ports(client=client),
        "campaigns": selectors.client_campaigns(client=client),
        "history": selectors.client_history(client=client),
    }
    return render(request, "customers/detail.html", context)


# --- moving numbers between clients -----------------------------------------------------------


def _current_clients(tns: list[str]) -> list[tuple[str, str]]:
    """(number, the client it is with now, or a dash) for the confirmation."""
    owners = clients_by_endpoint_group()
    groups = dict(DID.objects.filter(tn__in=tns).values_list("tn", "endpoint_id"))
    return [(tn, str(owners.get(groups.get(tn)) or "no client")) for tn in tns]


@write_view("portal.operate_numbers", fallback="dids:list")
def move_numbers(request: HttpRequest) -> HttpResponse:
    """First post: a confirmation naming both clients. Second post (confirm): the move."""
    form = MoveNumbersForm(request.POST, targets=client_move_targets())
    context = {"form": form}
    if form.is_valid():
        tns, group_id = form.cleaned_data["tns"], form.cleaned_data["target_group"]
        target = clients_by_endpoint_group().get(group_id)
        context.update(tns=tns, target=target, target_group=group_id, current=_current_clients(tns),
                       from_clients=sorted({name for _, name in _current_clients(tns)}))
        if request.POST.get("confirm") == "yes":
            called = call_service(
                form, lambda: services.numbers_move_to_client(tns=tns, endpoint_id=group_id, actor=request.user)
            )
            if called.ok:
                context["outcomes"] = called.value[1]
    response = render(request, "customers/_move.html", context)
    if context.get("outcomes"):
        response["HX-Trigger"] = "dids-changed"
    return response


# --- billing export ------------------------------------------------------------------------------


def billing(request: HttpRequest) -> HttpResponse:
    """The billing export's form; the CSV is `billing_export` with the same query."""
    data = request.GET if request.GET else None
    form = BillingForm(data, initial={"month": str(Month.of(timezone.now()))})
    if data is not None:
        form.is_valid()
    return render(request, "customers/billing.html", {"form": form, "clients": selectors.client_list()})


def billing_export(request: HttpRequest) -> HttpResponse:
    form = BillingForm(request.GET)
    if not form.is_valid():
        return render(request, "customers/billing.html", {"form": form, "clients": selectors.client_list()}, status=400)
    month, client = form.cleaned_data["month"], form.cleaned_data["client"]
    name = f"billing-{month}-{client.vi_id if client else 'all'}.csv"
    return csv_response(csv_lines(billing_rows(month=month, client=client)), filename=name)
