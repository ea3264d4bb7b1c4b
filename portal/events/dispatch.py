"""Fan new events out to their consumers, once each.

Events not yet dispatched are taken in id order with SKIP LOCKED (two workers never take the
same one); each consumer's row is unique per event (a notification per user, a delivery per
endpoint), so a dispatch repeated after a crash adds nothing twice.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.events.models import Event, Notification, Subscription, WebhookDelivery, WebhookEndpoint

BATCH = 500


def dispatch_pending(*, limit: int = 20) -> int:
    """Dispatch up to `limit` batches of undispatched events; returns how many events."""
    total = 0
    for _ in range(limit):
        done = _dispatch_batch()
        total += done
        if done < BATCH:
            break
    return total


def _dispatch_batch() -> int:
    deliveries: list[int] = []
    with transaction.atomic():
        events = list(
            Event.objects.filter(dispatched_at__isnull=True)
            .order_by("id")
            .select_for_update(skip_locked=True)[:BATCH]
        )
        if not events:
            return 0
        endpoints = list(WebhookEndpoint.objects.filter(active=True))
        new = [
            WebhookDelivery(endpoint=endpoint, event=event)
            for event in events
            for endpoint in endpoints
            if endpoint.wants(event.type)
        ]
        WebhookDelivery.objects.bulk_create(new, ignore_conflicts=True)
        Notification.objects.bulk_create(_notifications(events), ignore_conflicts=True)
        Event.objects.filter(pk__in=[event.pk for event in events]).update(
            dispatched_at=timezone.now()
        )
        deliveries = list(
            WebhookDelivery.objects.filter(
                event__in=events, status=WebhookDelivery.Status.PENDING, attempts=0
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: _send(deliveries))
    return len(events)


def _notifications(events: list[Event]) -> list[Notification]:
    subscriptions = list(
        Subscription.objects.filter(type__in={event.type for event in events}, user__is_active=True)
    )
    if not subscriptions:
        return []
    from portal.events.notifications import follows as followed_by

    follows = followed_by(user_ids={s.user_id for s in subscriptions})
    notes = []
    for event in events:
        for subscription in subscriptions:
            if subscription.type != event.type:
                continue
            if subscription.user_id == event.actor_id:
                continue  # no one needs telling about their own click
            if (
                subscription.scope == Subscription.Scope.FOLLOWED
                and (subscription.user_id, event.subject_kind, event.subject_key) not in follows
            ):
                continue
            notes.append(Notification(user_id=subscription.user_id, event=event))
    return notes


def _send(delivery_ids: list[int]) -> None:
    from portal.events.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        # The bulk queue (portal/queues.py): receivers we do not control must not hold up a person's work.
        deliver_webhook.apply_async(kwargs={"delivery_id": delivery_id})
