"""/numbers/buy/: search VI's inventory, reserve, assign; and the personal inventory.

Searching is a read at VI (getDIDs, getDIDsExtended, getDIDCount and the coverage
pickers); reserving, assigning and parking in inventory are writes, each answered with a
result per number.
"""

from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dids import selectors, services
from dids.forms import AssignForm, InventoryForm, InventorySearchForm, ReserveForm
from dids.records import NumberOutcome
from dids.views._calls import UNREACHABLE_MESSAGE, ViError, call_service
from portal.permissions import write_view
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

# VI holds a reservation for 30 minutes (API 3.0 §3.7).
RESERVATION_MINUTES = 30


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
    states = _read_vi(search_form, lambda: services.list_available_states(actor=request.user), [])
    context = {
        "search_form": search_form,
        "states": states,
        "assign_form": AssignForm(endpoint_groups=selectors.endpoint_group_list()),
        "reservation_minutes": RESERVATION_MINUTES,
    }
    if search_form.is_bound:
        context.update(_search(search_form, actor=request.user))
        if request.htmx and request.htmx.target == "buy-results":
            return render(request, "dids/buy.html#results", context)
    return render(request, "dids/buy.html", context)


def _search(form: InventorySearchForm, *, actor) -> dict:
    if not form.is_valid():
        return {"searched": False}
    criteria = services.SearchCriteria(**form.criteria())
    extended = bool(form.cleaned_data.get("extended"))
    locators = _read_vi(form, lambda: services.search_dids(criteria=criteria, extended=extended, actor=actor), [])
    counts = []
    if not getattr(form, "vi_error", None):
        counts = _read_vi(form, lambda: services.count_dids(criteria=criteria, order_by="rc", actor=actor), [])
    highest = max((row.count for row in counts), default=0) or 1
    # Heat: each rate center's share of the busiest one, as the cell's shade.
    heat = [(row, round(0.08 + 0.6 * row.count / highest, 2)) for row in counts]
    return {"searched": True, "locators": locators, "counts": heat}


def rate_centers(request: HttpRequest) -> HttpResponse:
    """The rate-center picker's options for a state (htmx cascading select)."""
    state = (request.GET.get("state") or "").strip().upper()
    form = forms.Form()
    options = _read_vi(form, lambda: services.list_available_rate_centers(state=state, actor=request.user), []) if state else []
    return render(request, "dids/buy.html#rate_center_options", {"options": options, "form": form})


def npas(request: HttpRequest) -> HttpResponse:
    state = (request.GET.get("state") or "").strip().upper()
    rate_center = (request.GET.get("rate_center") or "").strip()
    form = forms.Form()
    options = (
        _read_vi(form, lambda: services.list_available_npas(state=state, rate_center=rate_center, actor=request.user), [])
        if state or rate_center
        else []
    )
    return render(request, "dids/buy.html#npa_options", {"options": options, "form": form})


@write_view("portal.operate_numbers")
def reserve(request: HttpRequest) -> HttpResponse:
    form = ReserveForm(request.POST)
    outcomes = None
    reserved: list[NumberOutcome] = []
    extended = False
    if form.is_valid():
        extended = form.cleaned_data["extended"]
        if extended:
            # VI holds only its standard inventory for a customer (reserveDID answers "could not
            # find number" for an extended one), so picked extended numbers go straight to the
            # assign form, which buys them with assignDIDExtended.
            reserved = [
                NumberOutcome(tn=tn, code="", ok=True, message="Extended inventory: not held, assign now.")
                for tn in form.cleaned_data["tns"]
            ]
        else:
            outcomes = call_service(
                form, lambda: services.reserve_dids(tns=form.cleaned_data["tns"], actor=request.user)
            ).value
            reserved = [outcome for outcome in outcomes or () if outcome.ok]
    return render(
        request,
        "dids/buy.html#reservations",
        {
            "form": form,
            "outcomes": outcomes,
            "reserved": reserved,
            "extended": extended,
            "expires_in_seconds": int(timedelta(minutes=RESERVATION_MINUTES).total_seconds()),
            "assign_form": AssignForm(endpoint_groups=selectors.endpoint_group_list()),
        },
    )


@write_view("portal.operate_numbers")
def assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(request.POST, endpoint_groups=selectors.endpoint_group_list())
    outcomes = None
    if form.is_valid():
        data = form.cleaned_data
        outcomes = call_service(
            form,
            lambda: services.assign_dids(
                tns=data["tns"],
                endpoint_id=data["endpoint_group"],
                cnam=data["cnam"],
                ref_id=data["ref_id"] or None,
                extended=data["extended"],
                actor=request.user,
            ),
        ).value
    response = render(
        request, "dids/buy.html#assign_result", {"form": form, "outcomes": outcomes, "title": "Assigned"}
    )
    if outcomes:
        response["HX-Trigger"] = "dids-changed"
    return response


def inventory(request: HttpRequest) -> HttpResponse:
    """The personal inventory as VI lists it now (GetInventoryTNs)."""
    form = InventoryForm()
    tns = _read_vi(form, lambda: services.list_inventory_tns(actor=request.user), [])
    return render(request, "dids/inventory.html", {"inventory": tns, "form": form})


@write_view("portal.operate_numbers")
def inventory_add(request: HttpRequest) -> HttpResponse:
    """Park numbers in the account's personal inventory (InventoryDIDs)."""
    form = InventoryForm(request.POST)
    outcomes = None
    if form.is_valid():
        outcomes = call_service(
            form, lambda: services.inventory_dids(tns=form.cleaned_data["tns"], actor=request.user)
        ).value
    return render(
        request,
        "dids/buy.html#assign_result",
        {"form": form, "outcomes": outcomes, "title": "Moved to personal inventory"},
    )
