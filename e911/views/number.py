"""The 911 panel on each number's page (/numbers/<tn>/), and the actions inside it.

Every action answers with the whole panel re-rendered (one HTMX target, #e911-panel), so
what the person sees after a click is always what the mirror and VI now say. Editing an
address is two steps on purpose: "Check address" (validate911, nothing provisioned) shows
VI's verdict and suggestions; only a valid address gets a "Provision" button.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from dids.numbers import normalize_tn
from e911 import selectors, services
from e911.forms import AddressForm, AlertForm
from e911.models import Location
from e911.records import Address
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import Attempt, attempt

OPERATE = "portal.operate_e911"
# What the panel words for a person (with VI's refusal and VI unreachable): portal.staff_errors.
EXPECTED = services.EXPECTED_ERRORS


def _number_page(request: HttpRequest, tn: str) -> str:
    """Where the 911 panel's forms live: the number's own page."""
    return reverse("dids:detail", kwargs={"tn": tn})


def _address_initial(tn: str, location: Location | None) -> dict[str, Any]:
    if location is None:
        return {"caller_name": selectors.caller_name_for(tn=tn)}
    return {
        "address1": location.address1, "address2": location.address2, "city": location.city,
        "state": location.state, "zip_code": location.zip_display, "caller_name": location.caller_name,
    }  # fmt: skip


def panel_context(request: AuthenticatedHttpRequest, tn: str, **extra: Any) -> dict[str, Any]:
    location = selectors.location_for_tn(tn=tn)
    context = {
        "tn": tn,
        "location": location,
        "alerts": selectors.alert_recipients(tn=tn),
        "history": selectors.provisioning_history(tn=tn),
        "can_operate": request.user.has_perm(OPERATE),
        "address_form": AddressForm(initial=_address_initial(tn, location), prefix=f"e911-{tn}"),
        "alert_form": AlertForm(prefix=f"alert-{tn}"),
        "max_alerts": services.MAX_ALERTS,
        "request": request,
    }
    context.update(extra)
    return context


def auto_fetch_alerts(request: AuthenticatedHttpRequest, tn: str) -> None:
    """Read a provisioned number's alert recipients from VI the first time its panel shows.

    VI has no audit of alert emails, so until then the portal cannot know them. A failure
    here is not worth an error on the number page: the panel offers "read from VI".
    """
    location = selectors.location_for_tn(tn=tn)
    if location is not None and location.is_provisioned and location.alerts_fetched_at is None:
        attempt(
            lambda: services.alerts_refresh(tn=tn, actor=request.user, source=Source.STAFF),
            expected=EXPECTED,
        )


def _panel(
    request: AuthenticatedHttpRequest,
    tn: str,
    *,
    status: int = 200,
    trigger: bool = False,
    **extra: Any,
) -> HttpResponse:
    response = render(
        request, "e911/_panel.html", panel_context(request, tn, **extra), status=status
    )
    if trigger:
        # The number page refreshes its summary and history; the 911 counts follow.
        trigger_client_event(response, "did-changed")
        trigger_client_event(response, "e911-changed")
    return response


def _tn(raw: str) -> str:
    return normalize_tn(raw)


@require_GET
def number_panel(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """GET: the panel. ?fetch=history|alerts|stored reads that part afresh from VI first."""
    tn = _tn(tn)
    fetch = request.GET.get("fetch", "")
    actor, source = request.user, Source.STAFF
    extra: dict[str, Any] = {}
    if fetch == "history":
        extra["history_outcome"] = attempt(
            lambda: services.provisioning_history_fetch(tn=tn, actor=actor, source=source),
            expected=EXPECTED,
        )
    elif fetch == "alerts":
        extra["alert_outcome"] = attempt(
            lambda: services.alerts_refresh(tn=tn, actor=actor, source=source), expected=EXPECTED
        )
    elif fetch == "stored":
        stored = attempt(
            lambda: services.stored_locations_list(tn=tn, actor=actor, source=source),
            expected=EXPECTED,
        )
        extra["stored_outcome"] = stored
        extra["stored"] = stored.value if stored.ok else None
    elif fetch == "location":
        extra["location_outcome"] = attempt(
            lambda: services.location_refresh(tn=tn, actor=actor, source=source), expected=EXPECTED
        )
    else:
        auto_fetch_alerts(request, tn)
    return _panel(request, tn, **extra)


def _address_from_post(request: HttpRequest, tn: str) -> AddressForm:
    return AddressForm(request.POST, prefix=f"e911-{tn}")


@write_view(OPERATE, fallback=_number_page)
def address_check(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """validate911 on the typed address (and its USPS form): the verdict, nothing provisioned."""
    tn = _tn(tn)
    form = _address_from_post(request, tn)
    if not form.is_valid():
        return _panel(request, tn, status=422, address_form=form, editing=True)
    tidy = form.tidy
    assert tidy is not None  # a valid form holds the checked address
    outcome = attempt(
        lambda: services.address_check(tidy=tidy, actor=request.user, source=Source.STAFF),
        expected=EXPECTED,
    )
    return _panel(
        request, tn, address_form=form, editing=True, check_outcome=outcome, verdict=outcome.value
    )


def _checked_address(request: HttpRequest) -> Address:
    """The address the person saw validated, sent back in hidden fields."""
    post = request.POST
    return Address(
        address1=post.get("address1", ""), address2=post.get("address2", ""), city=post.get("city", ""),
        state=post.get("state", ""), zip_code=post.get("zip_code", ""), plus_four=post.get("plus_four", ""),
        caller_name=post.get("caller_name", ""),
    )  # fmt: skip


@write_view(OPERATE, fallback=_number_page)
def address_provision(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """Provision the checked address (the service validates it again before sending it)."""
    tn = _tn(tn)
    address = _checked_address(request)
    actor, source = request.user, Source.STAFF
    outcome: Attempt[Any]
    if request.POST.get("store_only"):
        outcome = attempt(
            lambda: services.stored_location_add(
                tn=tn, address=address, actor=actor, source=source
            ),
            expected=EXPECTED,
        )
        message = (
            "Address stored at VI, not provisioned. Provision it from the stored locations."
            if outcome.ok
            else ""
        )
    else:
        provisioned = attempt(
            lambda: services.location_provision(tn=tn, address=address, actor=actor, source=source),
            expected=EXPECTED,
        )
        message = provisioned.value.message if provisioned.value is not None else ""
        outcome = provisioned
    return _panel(
        request,
        tn,
        status=200 if outcome.ok else 422,
        trigger=outcome.ok,
        action_outcome=outcome,
        message=message,
        editing=not outcome.ok,
    )


@write_view(OPERATE, fallback=_number_page)
def location_remove(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _tn(tn)
    outcome = attempt(
        lambda: services.location_remove(tn=tn, actor=request.user, source=Source.STAFF),
        expected=EXPECTED,
    )
    message = "911 location removed: this number now has no 911 service." if outcome.ok else ""
    return _panel(request, tn, trigger=outcome.ok, action_outcome=outcome, message=message)


@write_view(OPERATE, fallback=_number_page)
def alert_add(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _tn(tn)
    form = AlertForm(request.POST, prefix=f"alert-{tn}")
    if not form.is_valid():
        return _panel(request, tn, status=422, alert_form=form)
    email = form.cleaned_data["address"]
    outcome = attempt(
        lambda: services.alert_add(tn=tn, email=email, actor=request.user, source=Source.STAFF),
        expected=EXPECTED,
    )
    return _panel(
        request, tn, status=200 if outcome.ok else 422, trigger=outcome.ok, alert_outcome=outcome,
        alert_form=AlertForm(prefix=f"alert-{tn}") if outcome.ok else form,
        alert_message=f"{email} will be alerted when 911 is dialled." if outcome.ok else "",
    )  # fmt: skip


@write_view(OPERATE, fallback=_number_page)
def alert_remove(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _tn(tn)
    email = request.POST.get("email", "")
    outcome = attempt(
        lambda: services.alert_remove(tn=tn, email=email, actor=request.user, source=Source.STAFF),
        expected=EXPECTED,
    )
    return _panel(
        request,
        tn,
        trigger=outcome.ok,
        alert_outcome=outcome,
        alert_message=f"{email} removed." if outcome.ok else "",
    )


@write_view(OPERATE, fallback=_number_page)
def stored_provision(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _tn(tn)
    location_id = request.POST.get("location_id", "")
    outcome = attempt(
        lambda: services.stored_location_provision(
            tn=tn, location_id=location_id, actor=request.user, source=Source.STAFF
        ),
        expected=EXPECTED,
    )
    message = f"Stored location {location_id} is now the one 911 calls reach." if outcome.ok else ""
    return _panel(request, tn, trigger=outcome.ok, action_outcome=outcome, message=message)


@write_view(OPERATE, fallback=_number_page)
def stored_remove(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _tn(tn)
    location_id = request.POST.get("location_id", "")
    outcome = attempt(
        lambda: services.stored_location_remove(
            tn=tn, location_id=location_id, actor=request.user, source=Source.STAFF
        ),
        expected=EXPECTED,
    )
    message = f"Stored location {location_id} removed." if outcome.ok else ""
    return _panel(request, tn, trigger=outcome.ok, action_outcome=outcome, message=message)
