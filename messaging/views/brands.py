"""/messaging/brands/: 10DLC brands (VI's SMS customers): create, edit, verify, delete, find by tag."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dids.numbers import digits_only
from messaging import selectors, services
from messaging.forms import BrandForm, TagSearchForm
from messaging.models import Brand
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import StaffError, attempt, attempt_on_form

BRAND_FIELDS = list(BrandForm.base_fields)


def _brand_form(
    request: AuthenticatedHttpRequest, data: Any = None, *, initial: dict[str, Any] | None = None
) -> BrandForm:
    def choices(kind: str) -> list:
        # Cached lists; VI is asked (on this person's behalf) only the first time.
        return services.enumeration_choices(kind=kind, actor=request.user, source=Source.STAFF)

    return BrandForm(
        data,
        initial=initial,
        entity_types=choices("ENTITY_TYPE"),
        verticals=choices("VERTICAL"),
        stock_exchanges=choices("STOCK_EXCHANGE"),
    )


@require_GET
def brand_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tag_form = TagSearchForm(request.GET)
    found = None
    if tag_form.is_valid() and tag_form.cleaned_data["tag"]:
        # A live question to VI (GetSMSCustomersByTag): VI may know brands the mirror does not yet.
        found = attempt_on_form(
            tag_form,
            lambda: services.brands_find_by_tag(
                tag=tag_form.cleaned_data["tag"], actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        ).value
    return render(request, "messaging/brands.html", {
        "brands": selectors.brand_list(), "tag_form": tag_form, "found": found,
    })  # fmt: skip


@require_GET
def brand_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "messaging/brand_form.html", {"form": _brand_form(request), "brand": None}
    )


@write_view("portal.operate_messaging", fallback="messaging:brand_new")
def brand_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _brand_form(request, request.POST)
    if form.is_valid():
        created = attempt_on_form(
            form,
            lambda: services.brand_create(
                values=form.cleaned_data, actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        ).value
        if created is not None:
            messages.success(request, f"Brand {created.customer_id} created at VI.")
            return redirect("messaging:brand", customer_id=created.customer_id)
    return render(request, "messaging/brand_form.html", {"form": form, "brand": None})


def _brand_or_404(customer_id: str) -> Brand:
    brand = selectors.brand_get(customer_id=customer_id)
    if brand is None:
        raise Http404("No such brand in the portal. Sync messaging, or check the id.")
    return brand


def _detail(
    request: AuthenticatedHttpRequest,
    brand: Brand,
    *,
    form: BrandForm | None = None,
    action_error: StaffError | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {name: getattr(brand, name) for name in BRAND_FIELDS}
    return render(request, "messaging/brand_detail.html", {
        "brand": brand,
        "form": form or _brand_form(request, initial=initial),
        "action_error": action_error,
        "campaigns": selectors.brand_campaigns(customer_id=brand.customer_id),
        "history": selectors.history_for(model="messaging.brand", key=brand.customer_id),
    }, status=status)  # fmt: skip


@require_GET
def brand_detail(request: AuthenticatedHttpRequest, customer_id: str) -> HttpResponse:
    return _detail(request, _brand_or_404(customer_id))


def _digits(name: str, value: object) -> str:
    digits = digits_only(str(value or ""))
    # A North American phone with or without its country code is the same phone.
    return (
        digits[1:] if name == "phone" and len(digits) == 11 and digits.startswith("1") else digits
    )


def _same(name: str, new: object, old: object) -> bool:
    """Whether a form value says what the mirror already holds.

    The form writes phones in E.164 and EINs hyphenated; a brand VI holds as "18015550111"
    or "123456789" is not changed by that, and sending it would send the brand back to
    (paid) vetting for nothing.
    """
    if name in ("phone", "ein"):
        return _digits(name, new) == _digits(name, old)
    return new == old


@write_view("portal.operate_messaging")
def brand_edit(request: AuthenticatedHttpRequest, customer_id: str) -> HttpResponse:
    brand = _brand_or_404(customer_id)
    form = _brand_form(request, request.POST)
    if form.is_valid():
        changed = {
            name: value
            for name, value in form.cleaned_data.items()
            if not _same(name, value, getattr(brand, name))
        }
        if not changed:
            messages.info(request, "Nothing changed.")
            return redirect("messaging:brand", customer_id=customer_id)
        saved = attempt_on_form(
            form,
            lambda: services.brand_update(
                customer_id=customer_id, values=changed, actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        )
        if saved.ok:
            messages.success(request, "Saved at VI.")
            return redirect("messaging:brand", customer_id=customer_id)
    return _detail(request, brand, form=form)


def _brand_action(
    request: AuthenticatedHttpRequest, customer_id: str, action: Callable[[], Any], success: str
) -> HttpResponse:
    brand = _brand_or_404(customer_id)
    done = attempt(action, expected=services.EXPECTED_ERRORS)
    if done.error is None:
        messages.success(request, success)
        return redirect("messaging:brand", customer_id=customer_id)
    return _detail(request, brand, action_error=done.error)


@write_view("portal.operate_messaging")
def brand_otp(request: AuthenticatedHttpRequest, customer_id: str) -> HttpResponse:
    return _brand_action(
        request,
        customer_id,
        lambda: services.brand_otp_trigger(
            customer_id=customer_id, actor=request.user, source=Source.STAFF
        ),
        "VI has texted a one-time password to the owner's mobile.",
    )


@write_view("portal.operate_messaging")
def brand_check(request: AuthenticatedHttpRequest, customer_id: str) -> HttpResponse:
    return _brand_action(
        request,
        customer_id,
        lambda: services.brand_status_check(
            customer_id=customer_id, actor=request.user, source=Source.STAFF
        ),
        "Verification status read from VI.",
    )


@write_view("portal.delete_messaging")
def brand_delete(request: AuthenticatedHttpRequest, customer_id: str) -> HttpResponse:
    brand = _brand_or_404(customer_id)
    deleted = attempt(
        lambda: services.brand_delete(
            customer_id=customer_id, actor=request.user, source=Source.STAFF
        ),
        expected=services.EXPECTED_ERRORS,
    )
    if deleted.error is None:
        messages.success(request, f"Brand {brand.display_name} deleted at VI.")
        return redirect("messaging:brands")
    return _detail(request, brand, action_error=deleted.error)
