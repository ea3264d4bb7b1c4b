"""/numbers/buy/: search VI's inventory, reserve, assign; and the personal inventory.

Searching is a read at VI (getDIDs, getDIDsExtended, getDIDCount and the coverage
pickers); reserving, assigning and parking in inventory are writes, each answered with a
result per number. Their answers go to the reservation tray above the results (never below
a long table), which also lists every reservation still outstanding, so a number reserved
and left behind can be found again and bought.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from dids import selectors, services
from dids.forms import AssignForm, InventoryForm, InventorySearchForm, ReserveForm
from dids.models import Reservation
from dids.reservations import reservations_outstanding
from portal.actor import Actor
from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt_on_form

T = TypeVar("T")


def _read_vi(form: forms.Form, read: Callable[[], list[T]]) -> list[T]:
    """A VI read for the page; its failure is shown on `form` (and nothing listed) instead of
    breaking the page."""
    outcome = attempt_on_form(form, read, expected=services.EXPECTED_ERRORS)
    return outcome.value if outcome.value is not None else []


@require_GET
def buy(request: HtmxHttpRequest) -> HttpResponse:
    search_form = InventorySearchForm(request.GET or None)
    if search_form.is_bound and request.htmx and request.htmx.target == "buy-results":
        context = {"search_form": search_form, **_search(search_form, actor=request.user)}
        return render(request, "dids/buy.html#results", context)
    states = _read_vi(
        search_form, lambda: services.available_states_list(actor=request.user, source=Source.STAFF)
    )
    context = {"search_form": search_form, "states": states, **_tray_context(request)}
    if search_form.is_bound:
        context.update(_search(search_form, actor=request.user))
    return render(request, "dids/buy.html", context)


def _search(form: InventorySearchForm, *, actor: Actor) -> dict[str, Any]:
    if not form.is_valid():
        return {"searched": False}
    criteria = services.SearchCriteria(**form.criteria())
    extended = bool(form.cleaned_data.get("extended"))
    locators = _read_vi(
        form,
        lambda: services.dids_search(
            criteria=criteria, extended=extended, actor=actor, source=Source.STAFF
        ),
    )
    counts = []
    if not getattr(form, "staff_error", None):
        counts = _read_vi(
            form,
            lambda: services.dids_count(
                criteria=criteria, order_by="rc", actor=actor, source=Source.STAFF
            ),
        )
    highest = max((row.count for row in counts), default=0) or 1
    # Heat: each rate center's share of the busiest one, as the cell's shade.
    heat = [(row, round(0.08 + 0.6 * row.count / highest, 2)) for row in counts]
    return {"searched": True, "locators": locators, "counts": heat}


@require_GET
def rate_centers(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rate-center picker's options for a state (htmx cascading select)."""
    state = (request.GET.get("state") or "").strip().upper()
    form = forms.Form()
    options = (
        _read_vi(
            form,
            lambda: services.available_rate_centers_list(
                state=state, actor=request.user, source=Source.STAFF
            ),
        )
        if state
        else []
    )
    return render(request, "dids/buy.html#rate_center_options", {"options": options, "form": form})


@require_GET
def npas(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = (request.GET.get("state") or "").strip().upper()
    rate_center = (request.GET.get("rate_center") or "").strip()
    form = forms.Form()
    options = (
        _read_vi(
            form,
            lambda: services.available_npas_list(
                state=state, rate_center=rate_center, actor=request.user, source=Source.STAFF
            ),
        )
        if state or rate_center
        else []
    )
    return render(request, "dids/buy.html#npa_options", {"options": options, "form": form})


@dataclass(frozen=True)
class TrayRow:
    """One outstanding reservation as the tray shows it."""

    reservation: Reservation
    seconds_left: int
    mine: bool


def _tray_rows(user: Actor) -> list[TrayRow]:
    now = timezone.now()
    return [
        TrayRow(
            reservation=row,
            seconds_left=max(0, int((row.expires_at - now).total_seconds())),
            mine=row.reserved_by_id == getattr(user, "pk", None),
        )
        for row in reservations_outstanding(now=now)
    ]


def _tray_context(request: AuthenticatedHttpRequest, **notice: Any) -> dict[str, Any]:
    """The reservation tray: what was just done (`notice`), then every outstanding reservation."""
    return {
        "tray_rows": _tray_rows(request.user),
        "assign_form": notice.pop("assign_form", None)
        or AssignForm(endpoint_groups=selectors.endpoint_group_list()),
        "reservation_minutes": services.RESERVATION_MINUTES,
        **notice,
    }


def _tray(request: AuthenticatedHttpRequest, **notice: Any) -> HttpResponse:
    return render(request, "dids/buy.html#tray", _tray_context(request, **notice))


@write_view("portal.operate_numbers")
def reserve(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReserveForm(request.POST)
    outcomes = None
    extended_picked: list[str] = []
    if form.is_valid():
        if form.cleaned_data["extended"]:
            # VI holds only its standard inventory for a customer (reserveDID answers "could not
            # find number" for an extended one), so picked extended numbers go straight to an
            # assign form, which buys them with assignDIDExtended.
            extended_picked = form.cleaned_data["tns"]
        else:
            outcomes = attempt_on_form(
                form,
                lambda: services.dids_reserve(
                    tns=form.cleaned_data["tns"], actor=request.user, source=Source.STAFF
                ),
                expected=services.EXPECTED_ERRORS,
            ).value
    return _tray(
        request,
        notice_form=form,
        outcomes=outcomes,
        title="Reserved",
        extended_picked=extended_picked,
    )


@write_view("portal.operate_numbers")
def assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AssignForm(request.POST, endpoint_groups=selectors.endpoint_group_list())
    outcomes = None
    extended_picked: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        outcomes = attempt_on_form(
            form,
            lambda: services.dids_assign(
                tns=data["tns"],
                endpoint_id=data["endpoint_group"],
                cnam=data["cnam"],
                ref_id=data["ref_id"] or None,
                extended=data["extended"],
                actor=request.user,
                source=Source.STAFF,
            ),
            expected=services.EXPECTED_ERRORS,
        ).value
    elif form.data.get("extended"):
        # Keep the extended numbers' form on screen, so the person can correct and resend it.
        extended_picked = form.cleaned_data.get("tns") or []
    response = _tray(
        request, notice_form=form, outcomes=outcomes, title="Bought", linked=True, extended_picked=extended_picked,
        assign_form=form if outcomes is None else None,
    )  # fmt: skip
    if outcomes:
        trigger_client_event(response, "dids-changed")
    return response


@require_GET
def inventory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The personal inventory as VI lists it now (GetInventoryTNs)."""
    form = InventoryForm()
    tns = _read_vi(
        form, lambda: services.inventory_tns_list(actor=request.user, source=Source.STAFF)
    )
    return render(request, "dids/inventory.html", {"inventory": tns, "form": form})


@write_view("portal.operate_numbers")
def inventory_add(request: HtmxHttpRequest) -> HttpResponse:
    """Park numbers in the account's personal inventory (InventoryDIDs)."""
    form = InventoryForm(request.POST)
    outcomes = None
    if form.is_valid():
        outcomes = attempt_on_form(
            form,
            lambda: services.dids_move_to_inventory(
                tns=form.cleaned_data["tns"], actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        ).value
    if request.htmx and request.htmx.target == "reservation-tray":
        return _tray(
            request, notice_form=form, outcomes=outcomes, title="Moved to personal inventory"
        )
    return render(
        request,
        "dids/buy.html#assign_result",
        {"form": form, "outcomes": outcomes, "title": "Moved to personal inventory"},
    )
