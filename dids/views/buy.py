"""/numbers/buy/: search VI's inventory, reserve, assign; and the personal inventory.

Searching is a read at VI (getDIDs, getDIDsExtended, getDIDCount and the coverage
pickers); reserving, assigning and parking in inventory are writes, each answered with a
result per number. Their answers go to the reservation tray above the results (never below
a long table), which also lists every reservation still outstanding, so a number reserved
and left behind can be found again and bought.
"""

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dids import selectors, services
from dids.forms import AssignForm, InventoryForm, InventorySearchForm, ReserveForm
from dids.models import Reservation
from dids.reservations import reservations_outstanding
from dids.views._calls import UNREACHABLE_MESSAGE, ViError, call_service
from portal.permissions import write_view
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable


def _read_vi(form: forms.Form, read, default):
    """A VI read for the page; its failure is shown on `form` instead of breaking the page."""
    try:
        return read()
    except ProviderUnavailable:
        form.vi_error = ViError(message=UNREACHABLE_MESSAGE, unavailable=True)
    except ProviderRejected as refusal:
        form.vi_error = ViError(message=refusal.message, code=refusal.code)
    return default


def buy(request: HttpRequest) -> HttpResponse:
    search_form = InventorySearchForm(request.GET or None)
    if search_form.is_bound and request.htmx and request.htmx.target == "buy-results":
        context = {"search_form": search_form, **_search(search_form, actor=request.user)}
        return render(request, "dids/buy.html#results", context)
    states = _read_vi(search_form, lambda: services.available_states_list(actor=request.user), [])
    context = {"search_form": search_form, "states": states, **_tray_context(request)}
    if search_form.is_bound:
        context.update(_search(search_form, actor=request.user))
    return render(request, "dids/buy.html", context)


def _search(form: InventorySearchForm, *, actor) -> dict:
    if not form.is_valid():
        return {"searched": False}
    criteria = services.SearchCriteria(**form.criteria())
    extended = bool(form.cleaned_data.get("extended"))
    locators = _read_vi(
        form, lambda: services.dids_search(criteria=criteria, extended=extended, actor=actor), []
    )
    counts = []
    if not getattr(form, "vi_error", None):
        counts = _read_vi(
            form, lambda: services.dids_count(criteria=criteria, order_by="rc", actor=actor), []
        )
    highest = max((row.count for row in counts), default=0) or 1
    # Heat: each rate center's share of the busiest one, as the cell's shade.
    heat = [(row, round(0.08 + 0.6 * row.count / highest, 2)) for row in counts]
    return {"searched": True, "locators": locators, "counts": heat}


def rate_centers(request: HttpRequest) -> HttpResponse:
    """The rate-center picker's options for a state (htmx cascading select)."""
    state = (request.GET.get("state") or "").strip().upper()
    form = forms.Form()
    options = (
        _read_vi(
            form, lambda: services.available_rate_centers_list(state=state, actor=request.user), []
        )
        if state
        else []
    )
    return render(request, "dids/buy.html#rate_center_options", {"options": options, "form": form})


def npas(request: HttpRequest) -> HttpResponse:
    state = (request.GET.get("state") or "").strip().upper()
    rate_center = (request.GET.get("rate_center") or "").strip()
    form = forms.Form()
    options = (
        _read_vi(
            form,
            lambda: services.available_npas_list(
                state=state, rate_center=rate_center, actor=request.user
            ),
            [],
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


def _tray_rows(user) -> list[TrayRow]:
    now = timezone.now()
    return [
        TrayRow(
            reservation=row,
            seconds_left=max(0, int((row.expires_at - now).total_seconds())),
            mine=row.reserved_by_id == getattr(user, "pk", None),
        )
        for row in reservations_outstanding(now=now)
    ]


def _tray_context(request: HttpRequest, **notice) -> dict:
    """The reservation tray: what was just done (`notice`), then every outstanding reservation."""
    return {
        "tray_rows": _tray_rows(request.user),
        "assign_form": notice.pop("assign_form", None)
        or AssignForm(endpoint_groups=selectors.endpoint_group_list()),
        "reservation_minutes": services.RESERVATION_MINUTES,
        **notice,
    }


def _tray(request: HttpRequest, **notice) -> HttpResponse:
    return render(request, "dids/buy.html#tray", _tray_context(request, **notice))


@write_view("portal.operate_numbers")
def reserve(request: HttpRequest) -> HttpResponse:
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
            outcomes = call_service(
                form,
                lambda: services.dids_reserve(tns=form.cleaned_data["tns"], actor=request.user),
            ).value
    return _tray(
        request,
        notice_form=form,
        outcomes=outcomes,
        title="Reserved",
        extended_picked=extended_picked,
    )


@write_view("portal.operate_numbers")
def assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(request.POST, endpoint_groups=selectors.endpoint_group_list())
    outcomes = None
    extended_picked: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        outcomes = call_service(
            form,
            lambda: services.dids_assign(
                tns=data["tns"],
                endpoint_id=data["endpoint_group"],
                cnam=data["cnam"],
                ref_id=data["ref_id"] or None,
                extended=data["extended"],
                actor=request.user,
            ),
        ).value
    elif form.data.get("extended"):
        # Keep the extended numbers' form on screen, so the person can correct and resend it.
        extended_picked = form.cleaned_data.get("tns") or []
    response = _tray(
        request, notice_form=form, outcomes=outcomes, title="Bought", linked=True, extended_picked=extended_picked,
        assign_form=form if outcomes is None else None,
    )  # fmt: skip
    if outcomes:
        response["HX-Trigger"] = "dids-changed"
    return response


def inventory(request: HttpRequest) -> HttpResponse:
    """The personal inventory as VI lists it now (GetInventoryTNs)."""
    form = InventoryForm()
    tns = _read_vi(form, lambda: services.inventory_tns_list(actor=request.user), [])
    return render(request, "dids/inventory.html", {"inventory": tns, "form": form})


@write_view("portal.operate_numbers")
def inventory_add(request: HttpRequest) -> HttpResponse:
    """Park numbers in the account's personal inventory (InventoryDIDs)."""
    form = InventoryForm(request.POST)
    outcomes = None
    if form.is_valid():
        outcomes = call_service(
            form,
            lambda: services.inventory_dids_list(tns=form.cleaned_data["tns"], actor=request.user),
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
