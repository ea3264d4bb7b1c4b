"""/messaging/campaigns/: 10DLC campaigns: create, edit, register/resubmit external, delete."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from compliance.services import lint_override_record
from messaging import selectors, services
from messaging.forms import CampaignEditForm, CampaignForm, ExternalCampaignForm, TagSearchForm
from messaging.models import CampaignStatus
from messaging.views._calls import call_service
from portal.permissions import write_view
from portal.voipinnovations.errors import ProviderError


def campaign_list(request: HttpRequest) -> HttpResponse:
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


def _campaign_page(request: HttpRequest, *, brand_id: str, data=None) -> tuple[CampaignForm, dict]:
    """The form for the chosen brand, with VI's use cases for it (cached; asked of VI the first time).

    Only a verified brand from the list can be chosen: anything else (a stale link, a typed
    id) says so instead of asking VI about it.
    """
    brands = selectors.brands_verified()
    brand_id = (brand_id or "").strip()
    options, note = [], ""
    if brand_id and brand_id not in {brand.customer_id for brand in brands}:
        note = "That brand is not one of the verified brands below: choose one from the list."
        brand_id = ""
    elif brand_id:
        try:
            options = services.usecase_options(customer_id=brand_id, actor=request.user)
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


def campaign_new(request: HttpRequest) -> HttpResponse:
    _, context = _campaign_page(request, brand_id=request.GET.get(BRAND_PARAMETER, ""))
    return render(request, "messaging/campaign_form.html", context)


@write_view("portal.operate_messaging", fallback="messaging:campaign_new")
def campaign_create(request: HttpRequest) -> HttpResponse:
    form, context = _campaign_page(
        request, brand_id=request.POST.get("customer_id", ""), data=request.POST
    )
    if context["brand_id"] and form.is_valid():
        data = form.cleaned_data
        called = call_service(form, lambda: services.campaign_create(
            customer_id=data["customer_id"], display_name=data["display_name"], description=data["description"],
            usecase_id=data["usecase_id"], sub_usecase_ids=data["sub_usecase_ids"], sample_msg1=data["sample_msg1"],
            sample_msg2=data["sample_msg2"], message_flow=data["message_flow"], flags=form.flags(),
            actor=request.user,
        ))  # fmt: skip
        if called.ok:
            lint_override_record(
                campaign_id=called.value.campaign_id,
                failures=form.lint_overridden,
                actor=request.user,
            )
            messages.success(
                request, f"Campaign “{called.value.display_name}” sent to VI for review."
            )
            return redirect("messaging:campaign", campaign_id=called.value.campaign_id)
    return render(request, "messaging/campaign_form.html", context)


@write_view("portal.operate_messaging", fallback="messaging:campaigns")
def campaign_register(request: HttpRequest) -> HttpResponse:
    form = ExternalCampaignForm(request.POST)
    if form.is_valid():
        called = call_service(form, lambda: services.external_campaign_register(
            campaign_id=form.cleaned_data["campaign_id"], display_name=form.cleaned_data["display_name"],
            actor=request.user,
        ))  # fmt: skip
        if called.ok:
            messages.success(
                request, f"External campaign {called.value.campaign_id} registered; VI reviews it."
            )
            return redirect("messaging:campaign", campaign_id=called.value.campaign_id)
    return render(request, "messaging/campaigns.html", {
        "campaigns": selectors.campaign_list(), "status": "", "statuses": CampaignStatus.choices,
        "brands": {brand.customer_id: brand for brand in selectors.brand_list()}, "external_form": form,
    })  # fmt: skip


def _campaign_or_404(campaign_id: str):
    campaign = selectors.campaign_get(campaign_id=campaign_id)
    if campaign is None:
        raise Http404("No such campaign in the portal. Sync messaging, or check the id.")
    return campaign


def _detail(request: HttpRequest, campaign, *, edit_form=None, action_form=None) -> HttpResponse:
    return render(request, "messaging/campaign_detail.html", {
        "campaign": campaign,
        "brand": selectors.brand_get(customer_id=campaign.customer_id) if campaign.customer_id else None,
        "numbers": selectors.campaign_numbers(campaign=campaign),
        "edit_form": edit_form or CampaignEditForm(initial={
            name: getattr(campaign, name) for name in services.UPDATABLE_TEXTS}, **_lint_context(request, campaign)),
        "action_form": action_form,
        "history": selectors.history_for(model="messaging.campaign", key=campaign.campaign_id),
    })  # fmt: skip


def _lint_context(request: HttpRequest, campaign) -> dict:
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


def campaign_detail(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _detail(request, _campaign_or_404(campaign_id))


@write_view("portal.operate_messaging")
def campaign_edit(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = _campaign_or_404(campaign_id)
    form = CampaignEditForm(request.POST, **_lint_context(request, campaign))
    if form.is_valid():
        texts = {
            name: value for name, value in form.cleaned_data.items() if name != "override_lint"
        }
        called = call_service(
            form,
            lambda: services.campaign_update(
                campaign_id=campaign_id, texts=texts, actor=request.user
            ),
        )
        if called.ok:
            lint_override_record(
                campaign_id=campaign_id, failures=form.lint_overridden, actor=request.user
            )
            messages.success(request, "Saved at VI; the campaign is back in review.")
            return redirect("messaging:campaign", campaign_id=campaign_id)
    return _detail(request, campaign, edit_form=form)


def _campaign_action(
    request, campaign_id: str, action, success: str, *, then: str = "messaging:campaign"
):
    campaign = _campaign_or_404(campaign_id)
    form = TagSearchForm()  # a carrier for VI's answer
    called = call_service(form, action)
    if called.ok:
        messages.success(request, success if isinstance(success, str) else success(called.value))
        return (
            redirect(then, campaign_id=campaign_id)
            if then == "messaging:campaign"
            else redirect(then)
        )
    return _detail(request, campaign, action_form=form)


@write_view("portal.operate_messaging")
def campaign_resubmit(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _campaign_action(
        request,
        campaign_id,
        lambda: services.external_campaign_resubmit(campaign_id=campaign_id, actor=request.user),
        "Resubmitted; VI reviews it again.",
    )


@write_view("portal.operate_messaging")
def campaign_reasons(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _campaign_action(
        request,
        campaign_id,
        lambda: services.rejection_reasons_refresh(campaign_id=campaign_id, actor=request.user),
        "Rejection reasons read from VI.",
    )


@write_view("portal.delete_messaging")
def campaign_delete(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _campaign_action(
        request,
        campaign_id,
        lambda: services.campaign_delete(campaign_id=campaign_id, actor=request.user),
        lambda freed: (
            f"Campaign {campaign_id} deleted at VI; {len(freed)} number(s) lost messaging on it."
        ),
        then="messaging:campaigns",
    )
