"""Pages of the outbox: changed outside the portal (drift), notifications, webhooks."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from portal.events import drift, notifications, webhooks
from portal.events.models import WebhookDelivery, WebhookEndpoint
from portal.events.types import EventType, SubjectKind
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.redirects import safe_next
from portal.staff_errors import attempt

ACKNOWLEDGE = "portal.operate_numbers"
MANAGE_WEBHOOKS = "portal.manage_users"  # Administrators


@require_GET
def drift_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = drift.drift_filters(request.GET)
    return render(
        request,
        "events/drift.html",
        {
            "filters": filters,
            "groups": drift.drift_groups(filters=filters),
            "kinds": SubjectKind.choices,
            "types": EventType.choices,
            "can_acknowledge": request.user.has_perm(ACKNOWLEDGE),
        },
    )


@require_GET
def bell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bell's unread count, loaded by htmx after each page (no polling: it would keep an idle session alive)."""
    unread = notifications.unread_count(user=request.user)
    return render(request, "events/_bell.html", {"unread": unread})


@write_view(ACKNOWLEDGE)
def drift_acknowledge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One group (kind, key, type) or every open item matching the filters the page shows."""
    if request.POST.get("scope") == "filtered":
        filters = drift.drift_filters(request.POST)
        count = drift.drift_acknowledge(filters=filters, actor=request.user, source=Source.STAFF)
    else:
        count = drift.acknowledge_group(
            subject_kind=request.POST.get("kind", ""),
            subject_key=request.POST.get("key", ""),
            type=request.POST.get("type", ""),
            actor=request.user,
            source=Source.STAFF,
        )
    messages.success(request, f"Acknowledged {count} change{'s' if count != 1 else ''}.")
    return redirect(safe_next(request, reverse("events:drift")))


@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(notifications.for_user(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/notifications.html",
        {
            "page": page,
            "subscriptions": notifications.subscriptions_of(user=request.user),
            "types": EventType.choices,
        },
    )


@require_POST  # a person's own inbox: anyone signed in (a Viewer too), nothing at VI
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications.mark_read(actor=request.user, source=Source.STAFF)
    return redirect("events:notifications")


@require_POST  # a person's own choices, as above
def subscriptions_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications.subscriptions_set(
        actor=request.user,
        source=Source.STAFF,
        types=request.POST.getlist("type"),
        followed_only=request.POST.get("scope") == "followed",
        by_email=request.POST.get("by_email") == "1",
    )
    messages.success(request, "Notification choices saved.")
    return redirect("events:notifications")


@require_POST  # a person's own choice, as above
def follow(request: AuthenticatedHttpRequest) -> HttpResponse:
    followed = notifications.follow_set(
        actor=request.user,
        source=Source.STAFF,
        subject_kind=request.POST.get("kind", ""),
        subject_key=request.POST.get("key", ""),
        follow=request.POST.get("follow") == "1",
    )
    messages.success(request, "You follow it now." if followed else "You no longer follow it.")
    return redirect(safe_next(request, reverse("events:notifications")))


@require_GET
def webhook_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm(MANAGE_WEBHOOKS):
        return HttpResponse("Only Administrators manage webhooks.", status=403)
    return render(
        request,
        "events/webhooks.html",
        {
            "endpoints": WebhookEndpoint.objects.order_by("name"),
            "types": EventType.choices,
        },
    )


@write_view(MANAGE_WEBHOOKS)
def webhook_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    created = attempt(
        lambda: webhooks.endpoint_create(
            name=str(request.POST.get("name", ""))[:100],
            url=request.POST.get("url", ""),
            event_types=request.POST.getlist("type"),
            actor=request.user,
            source=Source.STAFF,
        ),
        expected=webhooks.EXPECTED_ERRORS,
    )
    if created.value is None:
        return render(
            request,
            "events/webhooks.html",
            {
                "endpoints": WebhookEndpoint.objects.order_by("name"),
                "types": EventType.choices,
                "error": created.error,
                "url": str(request.POST.get("url", ""))[:500],
            },
            status=422,
        )
    endpoint, secret = created.value
    return render(request, "events/webhook_created.html", {"endpoint": endpoint, "secret": secret})


@require_GET
def webhook_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MANAGE_WEBHOOKS):
        return HttpResponse("Only Administrators manage webhooks.", status=403)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .order_by("-id")[:100]
    )
    return render(
        request, "events/webhook_detail.html", {"endpoint": endpoint, "deliveries": deliveries}
    )


@write_view(MANAGE_WEBHOOKS)
def webhook_resend(request: AuthenticatedHttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_pk, endpoint_id=pk)
    webhooks.delivery_resend(delivery=delivery, actor=request.user, source=Source.STAFF)
    messages.success(request, f"Event {delivery.event_id} will be sent again.")
    return redirect("events:webhook", pk=pk)


@write_view(MANAGE_WEBHOOKS)
def webhook_enable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    webhooks.endpoint_enable(
        endpoint=get_object_or_404(WebhookEndpoint, pk=pk), actor=request.user, source=Source.STAFF
    )
    return redirect("events:webhook", pk=pk)
