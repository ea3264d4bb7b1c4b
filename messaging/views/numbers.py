"""/messaging/: numbers with their SMS state, filters, bulk changes; the number page's SMS panel."""

import json
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from messaging import selectors, services
from messaging.forms import (
    BulkCampaignForm,
    BulkDestinationForm,
    DestinationForm,
    NumberCampaignForm,
    NumberFilterForm,
    SendMessageForm,
)
from messaging.models import WEBHOOK_TYPES
from messaging.records import NumberOutcome
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt, attempt_on_form

PER_PAGE = 100


def _index_context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    filter_form = NumberFilterForm(request.GET)
    filter_form.is_valid()
    filters = selectors.NumberFilters(
        **{name: filter_form.cleaned_data.get(name) or "" for name in filter_form.fields}
    )
    page = Paginator(selectors.sms_number_list(filters=filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    campaigns = selectors.campaign_names()
    context = {
        "filter_form": filter_form,
        "page": page,
        "campaigns": campaigns,
        "destination_form": BulkDestinationForm(),
        "campaign_form": BulkCampaignForm(campaigns=selectors.campaigns_assignable()),
        "attention": selectors.messaging_attention(),
    }
    context.update(extra)
    return context


@require_GET
def messaging_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "messaging/index.html", _index_context(request))


@write_view("portal.operate_messaging")
def bulk_destination(request: AuthenticatedHttpRequest) -> HttpResponse:
    """SMS on/off and where messages go, for many numbers (ConfigSMSDestination each)."""
    form = BulkDestinationForm(request.POST)
    outcomes = None
    if form.is_valid():
        data = form.cleaned_data
        outcomes = attempt_on_form(form, lambda: services.destinations_configure(
            tns=data["tns"], destination_type=data["destination_type"], destination=data["destination"],
            auth_token=data["auth_token"], actor=request.user, source=Source.STAFF,
        ), expected=services.EXPECTED_ERRORS).value  # fmt: skip
    context = _index_context(
        request, destination_form=form, outcomes=outcomes, outcomes_title="SMS destination"
    )
    return render(request, "messaging/index.html", context)


@write_view("portal.operate_messaging")
def bulk_campaign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Assign many numbers to a campaign, or take them off theirs; a result per number."""
    form = BulkCampaignForm(request.POST, campaigns=selectors.campaigns_assignable())
    outcomes = None
    if form.is_valid():
        data = form.cleaned_data

        def action() -> list[NumberOutcome]:
            if data["remove"]:
                return services.campaign_numbers_remove(
                    tns=data["tns"], actor=request.user, source=Source.STAFF
                )
            return services.campaign_numbers_assign(
                tns=data["tns"], campaign_id=data["campaign"], actor=request.user,
                source=Source.STAFF,
            )  # fmt: skip

        outcomes = attempt_on_form(form, action, expected=services.EXPECTED_ERRORS).value
    title = "Removed from campaign" if form.cleaned_data.get("remove") else "Campaign assignment"
    context = _index_context(request, campaign_form=form, outcomes=outcomes, outcomes_title=title)
    return render(request, "messaging/index.html", context)


# --- the number page's panel ------------------------------------------------------------------


def _ten_digits(tn: str) -> str:
    if len(tn) != 10 or not tn.isdigit():
        raise Http404("Not a number.")
    return tn


def _panel(request: AuthenticatedHttpRequest, tn: str, **extra: Any) -> HttpResponse:
    sms = selectors.sms_number_get(tn=tn)
    campaign = (
        selectors.campaign_get(campaign_id=sms.campaign_id) if sms and sms.campaign_id else None
    )
    context = {
        "tn": tn,
        "sms": sms,
        "campaign": campaign,
        "destination_form": DestinationForm(
            initial={"destination_type": sms.destination_type, "destination": sms.destination}
            if sms
            else {}
        ),
        "campaign_form": NumberCampaignForm(
            initial={"campaign": sms.campaign_id if sms else ""},
            campaigns=selectors.campaigns_assignable(),
        ),
        "send_form": SendMessageForm(),
        "sent": selectors.sent_messages(tn=tn, limit=5),
        "webhook_types": json.dumps(sorted(str(kind) for kind in WEBHOOK_TYPES)),
        "enable_error": None,
    }
    context.update(extra)
    return render(request, "messaging/_number_panel_body.html", context)


@require_GET
def number_panel(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    return _panel(request, _ten_digits(tn))


@write_view("portal.operate_messaging")
def number_enable(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """Turn SMS on (to the endpoint group); VI's refusal for a number that cannot have SMS is said plainly."""
    tn = _ten_digits(tn)
    enabled = attempt(
        lambda: services.sms_enable(tn=tn, actor=request.user, source=Source.STAFF),
        expected=services.EXPECTED_ERRORS,
    )
    return _panel(request, tn, enable_error=enabled.error, enable_outcome=enabled.value)


@write_view("portal.operate_messaging")
def number_destination(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _ten_digits(tn)
    form = DestinationForm(request.POST)
    outcome = None
    if form.is_valid():
        data = form.cleaned_data
        outcomes = attempt_on_form(form, lambda: services.destinations_configure(
            tns=[tn], destination_type=data["destination_type"], destination=data["destination"],
            auth_token=data["auth_token"], actor=request.user, source=Source.STAFF,
        ), expected=services.EXPECTED_ERRORS).value  # fmt: skip
        outcome = outcomes[0] if outcomes else None
    return _panel(request, tn, destination_form=form, destination_outcome=outcome)


@write_view("portal.operate_messaging")
def number_campaign(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    tn = _ten_digits(tn)
    form = NumberCampaignForm(request.POST, campaigns=selectors.campaigns_assignable())
    outcome = None
    if form.is_valid():
        data = form.cleaned_data

        def action() -> list[NumberOutcome]:
            if data["remove"]:
                return services.campaign_numbers_remove(
                    tns=[tn], actor=request.user, source=Source.STAFF
                )
            return services.campaign_numbers_assign(
                tns=[tn], campaign_id=data["campaign"], actor=request.user, source=Source.STAFF
            )

        if not data["remove"] and not data["campaign"]:
            form.add_error("campaign", "Choose an approved campaign.")
        else:
            outcomes = attempt_on_form(form, action, expected=services.EXPECTED_ERRORS).value
            outcome = outcomes[0] if outcomes else None
    return _panel(request, tn, campaign_form=form, campaign_outcome=outcome)


@write_view("portal.operate_messaging")
def number_send(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """A test message from this number (SendSMS, or SendMMS with an image)."""
    tn = _ten_digits(tn)
    form = SendMessageForm(request.POST, request.FILES)
    sent = None
    if form.is_valid():
        data = form.cleaned_data
        sent = attempt_on_form(form, lambda: services.test_message_send(
            sender_tn=tn, recipient=data["recipient"], message=data["message"], files=form.files_for_vi(),
            actor=request.user, source=Source.STAFF,
        ), expected=services.EXPECTED_ERRORS).value  # fmt: skip
    return _panel(
        request, tn, send_form=form if not (sent and sent.ok) else SendMessageForm(), sent_now=sent
    )
