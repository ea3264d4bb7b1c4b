"""/messaging/campaigns/: 10DLC campaigns: create, edit, register/resubmit external, delete."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from compliance.services import lint_override_record
from messaging import selectors, services
from messaging.forms import CampaignEditForm, CampaignForm, ExternalCampaignForm
from messaging.models import Campaign, CampaignStatus
from messaging.records import UsecaseOption
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import StaffError, attempt, attempt_on_form
from portal.voipinnovations.errors import ProviderError


@require_GET
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    return render(request, "messaging/campaigns.html", {
        "campaigns": selectors.campaign_list(status=status if status in CampaignStatus.values else ""),
        "status": status,
        "statuses": CampaignStatus.choices,
        "brands": {brand.customer_id: brand for brand in selectors.brand_list()},
        "external_form": ExternalCampaignForm(),
    })  # fmt: skip


# The brand picker (a GET form) and the brand page's "New campaign" link both name the brand
# with this one parameter; the create form carries it on as its `customer_id` field.
BRAND_PARAMETER = "brand"


def _campaign_page(
    request: AuthenticatedHttpRequest, *, brand_id: str, data: Any = None
) -> tuple[CampaignForm, dict[str, Any]]:
    """The form for the chosen brand, with VI's use cases for it (cached; asked of VI the first time).

    Only a verified brand from the list can be chosen: anything else (a stale link, a typed
    id) says so instead of asking VI about it.
    """
    brands = selectors.brands_verified()
    brand_id = (brand_id or "").strip()
    options: list[UsecaseOption] = []
    note = ""
    if brand_id and brand_id not in {brand.customer_id for brand in brands}:
        note = "That brand is not one of the verified brands below: choose one from the list."
        brand_id = ""
    elif brand_id:
        try:
            options = services.usecase_options(
                customer_id=brand_id, actor=request.user, source=Source.STAFF
            )
        except ProviderError:
            note = "VI's use cases for this brand could not be loaded just now: choose the brand again in a minute."
    form = CampaignForm(
        data, initial={"customer_id": brand_id}, brands=brands, options=options, user=request.user
    )
    context = {
        "form": form,
        "note": note,
        "brand_id": brand_id if options else "",
        "options": options,
        "brands": brands,
        "brand_parameter": BRAND_PARAMETER,
    }
    return form, context


@require_GET
def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _, context = _campaign_page(request, brand_id=request.GET.get(BRAND_PARAMETER, ""))
    return render(request, "messaging/campaign_form.html", context)


@write_view("portal.operate_messaging", fallback="messaging:campaign_new")
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, context = _campaign_page(
        request, brand_id=request.POST.get("customer_id", ""), data=request.POST
    )
    if context["brand_id"] and form.is_valid():
        data = form.cleaned_data
        created = attempt_on_form(form, lambda: services.campaign_create(
            customer_id=data["customer_id"], display_name=data["display_name"], description=data["description"],
            usecase_id=data["usecase_id"], sub_usecase_ids=data["sub_usecase_ids"], sample_msg1=data["sample_msg1"],
            sample_msg2=data["sample_msg2"], message_flow=data["message_flow"], flags=form.flags(),
            actor=request.user, source=Source.STAFF,
        ), expected=services.EXPECTED_ERRORS).value  # fmt: skip
        if created is not None:
            lint_override_record(
                campaign_id=created.campaign_id,
                failures=form.lint_overridden,
                actor=request.user,
                source=Source.STAFF,
            )
            messages.success(request, f"Campaign “{created.display_name}” sent to VI for review.")
            return redirect("messaging:campaign", campaign_id=created.campaign_id)
    return render(request, "messaging/campaign_form.html", context)


@write_view("portal.operate_messaging", fallback="messaging:campaigns")
def campaign_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExternalCampaignForm(request.POST)
    if form.is_valid():
        registered = attempt_on_form(form, lambda: services.external_campaign_register(
            campaign_id=form.cleaned_data["campaign_id"], display_name=form.cleaned_data["display_name"],
            actor=request.user, source=Source.STAFF,
        ), expected=services.EXPECTED_ERRORS).value  # fmt: skip
        if registered is not None:
            messages.success(
                request, f"External campaign {registered.campaign_id} registered; VI reviews it."
            )
            return redirect("messaging:campaign", campaign_id=registered.campaign_id)
    return render(request, "messaging/campaigns.html", {
        "campaigns": selectors.campaign_list(), "status": "", "statuses": CampaignStatus.choices,
        "brands": {brand.customer_id: brand for brand in selectors.brand_list()}, "external_form": form,
    })  # fmt: skip


def _campaign_or_404(campaign_id: str) -> Campaign:
    campaign = selectors.campaign_get(campaign_id=campaign_id)
    if campaign is None:
        raise Http404("No such campaign in the portal. Sync messaging, or check the id.")
    return campaign


def _detail(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    *,
    edit_form: CampaignEditForm | None = None,
    action_error: StaffError | None = None,
) -> HttpResponse:
    return render(request, "messaging/campaign_detail.html", {
        "campaign": campaign,
        "brand": selectors.brand_get(customer_id=campaign.customer_id) if campaign.customer_id else None,
        "numbers": selectors.campaign_numbers(campaign=campaign),
        "edit_form": edit_form or CampaignEditForm(initial={
            name: getattr(campaign, name) for name in services.UPDATABLE_TEXTS}, **_lint_context(request, campaign)),
        "action_error": action_error,
        "history": selectors.history_for(model="messaging.campaign", key=campaign.campaign_id),
    })  # fmt: skip


def _lint_context(request: AuthenticatedHttpRequest, campaign: Campaign) -> dict[str, Any]:
    """What the 10DLC check needs to judge an edit: the brand's name and the declared flags."""
    brand = selectors.brand_get(customer_id=campaign.customer_id) if campaign.customer_id else None
    return {
        "user": request.user,
        "brand_name": brand.display_name if brand else "",
        "flags": {
            "embedded_link": campaign.embedded_link,
            "embedded_phone": campaign.embedded_phone,
        },
    }


@require_GET
def campaign_detail(request: AuthenticatedHttpRequest, campaign_id: str) -> HttpResponse:
    return _detail(request, _campaign_or_404(campaign_id))


@write_view("portal.operate_messaging")
def campaign_edit(request: AuthenticatedHttpRequest, campaign_id: str) -> HttpResponse:
    campaign = _campaign_or_404(campaign_id)
    form = CampaignEditForm(request.POST, **_lint_context(request, campaign))
    if form.is_valid():
        texts = {
            name: value for name, value in form.cleaned_data.items() if name != "override_lint"
        }
        saved = attempt_on_form(
            form,
            lambda: services.campaign_update(
                campaign_id=campaign_id, texts=texts, actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        )
        if saved.ok:
            lint_override_record(
                campaign_id=campaign_id,
                failures=form.lint_overridden,
                actor=request.user,
                source=Source.STAFF,
            )
            messages.success(request, "Saved at VI; the campaign is back in review.")
            return redirect("messaging:campaign", campaign_id=campaign_id)
    return _detail(request, campaign, edit_form=form)


def _campaign_action(
    request: AuthenticatedHttpRequest,
    campaign_id: str,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    *,
    then: str = "messaging:campaign",
) -> HttpResponse:
    campaign = _campaign_or_404(campaign_id)
    done = attempt(action, expected=services.EXPECTED_ERRORS)
    if done.error is None:
        messages.success(request, success if isinstance(success, str) else success(done.value))
        return (
            redirect(then, campaign_id=campaign_id)
            if then == "messaging:campaign"
            else redirect(then)
        )
    return _detail(request, campaign, action_error=done.error)


@write_view("portal.operate_messaging")
def campaign_resubmit(request: AuthenticatedHttpRequest, campaign_id: str) -> HttpResponse:
    return _campaign_action(
        request,
        campaign_id,
        lambda: services.external_campaign_resubmit(
            campaign_id=campaign_id, actor=request.user, source=Source.STAFF
        ),
        "Resubmitted; VI reviews it again.",
    )


@write_view("portal.operate_messaging")
def campaign_reasons(request: AuthenticatedHttpRequest, campaign_id: str) -> HttpResponse:
    return _campaign_action(
        request,
        campaign_id,
        lambda: services.rejection_reasons_refresh(
            campaign_id=campaign_id, actor=request.user, source=Source.STAFF
        ),
        "Rejection reasons read from VI.",
    )


@write_view("portal.delete_messaging")
def campaign_delete(request: AuthenticatedHttpRequest, campaign_id: str) -> HttpResponse:
    return _campaign_action(
        request,
        campaign_id,
        lambda: services.campaign_delete(
            campaign_id=campaign_id, actor=request.user, source=Source.STAFF
        ),
        lambda freed: (
            f"Campaign {campaign_id} deleted at VI; {len(freed)} number(s) lost messaging on it."
        ),
        then="messaging:campaigns",
    )
