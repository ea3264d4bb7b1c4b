"""/customers/: every client with what it holds; one client's page; moving numbers between
clients from the numbers list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from dids import services as dids_services
from dids.models import DID
from dids.selectors import client_move_targets, clients_by_endpoint_group
from portal.csv_export import csv_lines, csv_response
from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt, attempt_on_form, flash

from . import references, saved_views, selectors, services
from .billing import Month, billing_rows
from .forms import (
    BillingForm,
    BulkReferenceForm,
    CustomerFilterForm,
    MoveNumbersForm,
    ReferenceUploadForm,
)
from .models import ReferenceJob

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


@require_GET
def customer_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET)
    summaries = selectors.client_summaries(q=form.query(), sort=form.chosen_sort())
    context = {"form": form, "summaries": summaries, "columns": COLUMNS, "sort": form.chosen_sort()}
    if request.htmx and request.htmx.target == "customer-results":
        return render(request, "customers/list.html#results", context)
    return render(request, "customers/list.html", context)


@require_GET
def customer_export(request: HttpRequest) -> StreamingHttpResponse:
    form = CustomerFilterForm(request.GET)
    summaries = selectors.client_summaries(q=form.query(), sort=form.chosen_sort())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(
        csv_lines(selectors.client_csv_rows(summaries=summaries)), filename=f"customers-{stamp}.csv"
    )


@require_GET
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
    groups: dict[str, int | None] = dict(
        DID.objects.filter(tn__in=tns).values_list("tn", "endpoint_id")
    )
    rows = []
    for tn in tns:
        group_id = groups.get(tn)
        client = owners.get(group_id) if group_id is not None else None
        rows.append((tn, str(client or "no client")))
    return rows


@write_view("portal.operate_numbers", fallback="dids:list")
def move_numbers(request: AuthenticatedHttpRequest) -> HttpResponse:
    """First post: a confirmation naming both clients. Second post (confirm): the move."""
    form = MoveNumbersForm(request.POST, targets=client_move_targets())
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        tns, group_id = form.cleaned_data["tns"], form.cleaned_data["target_group"]
        target = clients_by_endpoint_group().get(group_id)
        context.update(
            tns=tns,
            target=target,
            target_group=group_id,
            current=_current_clients(tns),
            from_clients=sorted({name for _, name in _current_clients(tns)}),
        )
        if request.POST.get("confirm") == "yes":
            called = attempt_on_form(
                form,
                lambda: services.numbers_move_to_client(
                    tns=tns, endpoint_id=group_id, actor=request.user, source=Source.STAFF
                ),
                expected=services.EXPECTED_ERRORS,
            )
            if called.value is not None:
                context["outcomes"] = called.value[1]
    response = render(request, "customers/_move.html", context)
    if context.get("outcomes"):
        trigger_client_event(response, "dids-changed")
    return response


# --- billing export ------------------------------------------------------------------------------


@require_GET
def billing(request: HttpRequest) -> HttpResponse:
    """The billing export's form; the CSV is `billing_export` with the same query."""
    data = request.GET if request.GET else None
    form = BillingForm(data, initial={"month": str(Month.of(timezone.now()))})
    if data is not None:
        form.is_valid()
    return render(
        request, "customers/billing.html", {"form": form, "clients": selectors.client_list()}
    )


@require_GET
def billing_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = BillingForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "customers/billing.html",
            {"form": form, "clients": selectors.client_list()},
            status=400,
        )
    month, client = form.cleaned_data["month"], form.cleaned_data["client"]
    name = f"billing-{month}-{client.vi_id if client else 'all'}.csv"
    return csv_response(csv_lines(billing_rows(month=month, client=client)), filename=name)


# --- references ------------------------------------------------------------------------------------


@write_view("portal.operate_numbers", fallback="dids:list")
def references_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One reference for the numbers selected in the list; a result per number."""
    form = BulkReferenceForm(request.POST)
    outcomes = None
    if form.is_valid():
        references_wanted = {tn: form.cleaned_data["reference"] for tn in form.cleaned_data["tns"]}
        outcomes = attempt_on_form(
            form,
            lambda: dids_services.references_set(
                references=references_wanted, actor=request.user, source=Source.STAFF
            ),
            expected=dids_services.EXPECTED_ERRORS,
        ).value
    response = render(
        request,
        "dids/list.html#bulk_result",
        {"form": form, "outcomes": outcomes, "title": "Reference"},
    )
    if outcomes:
        trigger_client_event(response, "dids-changed")
    return response


@require_GET
def reference_upload_page(request: HttpRequest) -> HttpResponse:
    jobs = ReferenceJob.objects.select_related("created_by")[:10]
    return render(
        request, "customers/references.html", {"form": ReferenceUploadForm(), "jobs": jobs}
    )


@write_view("portal.operate_numbers", fallback="customers:references")
def reference_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReferenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > references.MAX_FILE_BYTES:
            form.add_error(
                "file", f"The file is larger than {references.MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        else:
            checked = attempt(
                lambda: references.reference_job_check(
                    data=upload.read(),
                    file_name=upload.name,
                    actor=request.user,
                    source=Source.STAFF,
                ),
                expected=references.EXPECTED_ERRORS,
            )
            if checked.error is not None:
                # The file's problem belongs next to the file field, in the shared words.
                form.add_error("file", str(checked.error))
            elif checked.value is not None:
                return redirect("customers:reference_job", pk=checked.value.pk)
    jobs = ReferenceJob.objects.select_related("created_by")[:10]
    return render(request, "customers/references.html", {"form": form, "jobs": jobs})


@require_GET
def reference_job(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    job = ReferenceJob.objects.filter(pk=pk).select_related("created_by", "applied_by").first()
    if job is None:
        raise Http404("No such upload")
    paginator = Paginator(job.rows.order_by("line"), 100)
    page = paginator.get_page(request.GET.get("page"))
    context = {"job": job, "page": page, "counts": references.reference_job_counts(job=job)}
    if request.htmx and request.GET.get("part") == "status":
        return render(request, "customers/reference_job.html#status", context)
    return render(request, "customers/reference_job.html", context)


@write_view("portal.operate_numbers", fallback="customers:references")
def reference_job_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        queued = attempt(
            lambda: references.reference_job_queue(
                job_id=pk, actor=request.user, source=Source.STAFF
            ),
            expected=references.EXPECTED_ERRORS,
        )
    except ReferenceJob.DoesNotExist:
        raise Http404("No such upload") from None
    if queued.error is not None:
        flash(request, queued.error)
    return redirect("customers:reference_job", pk=pk)


# --- saved views of the numbers list ------------------------------------------------------------


def _back_to_list(query: str) -> HttpResponse:
    return redirect(f"{reverse('dids:list')}?{query}" if query else reverse("dids:list"))


# Saving a view is not a write_view: every role, Viewer included, may keep private bookmarks
# of the list (nothing at VI or in the mirror changes, so "Viewer reads only" holds). It is
# POST-only with CSRF like any form; who may touch a shared view is the service's check.
@require_POST
def saved_view_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the list's current filters under a name (private, or shared by an Administrator)."""
    query = request.POST.get("query", "")
    saved = attempt(
        lambda: saved_views.saved_view_create(
            name=request.POST.get("name"),
            query=query,
            shared=bool(request.POST.get("shared")),
            actor=request.user,
            source=Source.STAFF,
        ),
        expected=saved_views.EXPECTED_ERRORS,
    )
    if saved.error is not None:
        flash(request, saved.error)
        if saved.validation is not None:
            return redirect("dids:list")
        # Refused (a shared view without the right): back to the filters that were on screen.
        return _back_to_list(saved_views.clean_query(query) if len(query) < 4000 else "")
    view = saved.value
    assert view is not None  # no error, so the view was saved
    messages.success(request, f"Saved the view “{view.name}”.")
    return _back_to_list(view.query)


@require_POST
def saved_view_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    deleted = attempt(
        lambda: saved_views.saved_view_delete(pk=pk, actor=request.user, source=Source.STAFF),
        expected=saved_views.EXPECTED_ERRORS,
    )
    if deleted.error is not None:
        flash(request, deleted.error)
    return redirect("dids:list")
