"""/messaging/brands/: 10DLC brands (VI's SMS customers): create, edit, verify, delete, find by tag."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dids.numbers import digits_only
from messaging import selectors, services
from messaging.forms import BrandForm, TagSearchForm
from messaging.views._calls import call_service
from portal.permissions import write_view

BRAND_FIELDS = list(BrandForm.base_fields)


def _brand_form(data=None, *, initial=None) -> BrandForm:
    return BrandForm(
        data,
        initial=initial,
        entity_types=services.enumeration_choices(kind="ENTITY_TYPE"),
        verticals=services.enumeration_choices(kind="VERTICAL"),
        stock_exchanges=services.enumeration_choices(kind="STOCK_EXCHANGE"),
    )


def brand_list(request: HttpRequest) -> HttpResponse:
    tag_form = TagSearchForm(request.GET)
    found = None
    if tag_form.is_valid() and tag_form.cleaned_data["tag"]:
        # A live question to VI (GetSMSCustomersByTag): VI may know brands the mirror does not yet.
        found = call_service(
            tag_form,
            lambda: services.brands_find_by_tag(
                tag=tag_form.cleaned_data["tag"], actor=request.user
            ),
        ).value
    return render(request, "messaging/brands.html", {
        "brands": selectors.brand_list(), "tag_form": tag_form, "found": found,
    })  # fmt: skip


def brand_new(request: HttpRequest) -> HttpResponse:
    return render(request, "messaging/brand_form.html", {"form": _brand_form(), "brand": None})


@write_view("portal.operate_messaging", fallback="messaging:brand_new")
def brand_create(request: HttpRequest) -> HttpResponse:
    form = _brand_form(request.POST)
    if form.is_valid():
        called = call_service(
            form, lambda: services.brand_create(values=form.cleaned_data, actor=request.user)
        )
        if called.ok:
            messages.success(request, f"Brand {called.value.customer_id} created at VI.")
            return redirect("messaging:brand", customer_id=called.value.customer_id)
    return render(request, "messaging/brand_form.html", {"form": form, "brand": None})


def _brand_or_404(customer_id: str):
    brand = selectors.brand_get(customer_id=customer_id)
    if brand is None:
        raise Http404("No such brand in the portal. Sync messaging, or check the id.")
    return brand


def _detail(
    request: HttpRequest, brand, *, form=None, action_form=None, status: int = 200
) -> HttpResponse:
    return render(request, "messaging/brand_detail.html", {
        "brand": brand,
        "form": form or _brand_form(initial={name: getattr(brand, name) for name in BRAND_FIELDS}),
        "action_form": action_form,
        "campaigns": selectors.brand_campaigns(customer_id=brand.customer_id),
        "history": selectors.history_for(model="messaging.brand", key=brand.customer_id),
    }, status=status)  # fmt: skip


def brand_detail(request: HttpRequest, customer_id: str) -> HttpResponse:
    return _detail(request, _brand_or_404(customer_id))


def _digits(name: str, value) -> str:
    digits = digits_only(str(value or ""))
    # A North American phone with or without its country code is the same phone.
    return (
        digits[1:] if name == "phone" and len(digits) == 11 and digits.startswith("1") else digits
    )


def _same(name: str, new, old) -> bool:
    """Whether a form value says what the mirror already holds.

    The form writes phones in E.164 and EINs hyphenated; a brand VI holds as "18015550111"
    or "123456789" is not changed by that, and sending it would send the brand back to
    (paid) vetting for nothing.
    """
    if name in ("phone", "ein"):
        return _digits(name, new) == _digits(name, old)
    return new == old


@write_view("portal.operate_messaging")
def brand_edit(request: HttpRequest, customer_id: str) -> HttpResponse:
    brand = _brand_or_404(customer_id)
    form = _brand_form(request.POST)
    if form.is_valid():
        changed = {
            name: value
            for name, value in form.cleaned_data.items()
            if not _same(name, value, getattr(brand, name))
        }
        if not changed:
            messages.info(request, "Nothing changed.")
            return redirect("messaging:brand", customer_id=customer_id)
        called = call_service(
            form,
            lambda: services.brand_update(
                customer_id=customer_id, values=changed, actor=request.user
            ),
        )
        if called.ok:
            messages.success(request, "Saved at VI.")
            return redirect("messaging:brand", customer_id=customer_id)
    return _detail(request, brand, form=form)


def _brand_action(request: HttpRequest, customer_id: str, action, success: str) -> HttpResponse:
    brand = _brand_or_404(customer_id)
    form = TagSearchForm()  # a carrier for the VI answer
    called = call_service(form, action)
    if called.ok:
        messages.success(request, success)
        return redirect("messaging:brand", customer_id=customer_id)
    return _detail(request, brand, action_form=form)


@write_view("portal.operate_messaging")
def brand_otp(request: HttpRequest, customer_id: str) -> HttpResponse:
    return _brand_action(
        request,
        customer_id,
        lambda: services.brand_otp_trigger(customer_id=customer_id, actor=request.user),
        "VI has texted a one-time password to the owner's mobile.",
    )


@write_view("portal.operate_messaging")
def brand_check(request: HttpRequest, customer_id: str) -> HttpResponse:
    return _brand_action(
        request,
        customer_id,
        lambda: services.brand_status_check(customer_id=customer_id, actor=request.user),
        "Verification status read from VI.",
    )


@write_view("portal.delete_messaging")
def brand_delete(request: HttpRequest, customer_id: str) -> HttpResponse:
    brand = _brand_or_404(customer_id)
    form = TagSearchForm()
    called = call_service(
        form, lambda: services.brand_delete(customer_id=customer_id, actor=request.user)
    )
    if called.ok:
        messages.success(request, f"Brand {brand.display_name} deleted at VI.")
        return redirect("messaging:brands")
    return _detail(request, brand, action_form=form)
