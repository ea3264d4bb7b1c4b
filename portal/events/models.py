"""The outbox and what consumes it: events, drift acknowledgements, notifications, webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.events.types import EventSource, EventType, SubjectKind


class Event(models.Model):
    """One change, described once. `id` only grows: consumers and the API page by it."""

    id = models.BigAutoField(primary_key=True)
    type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=16, choices=EventSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_key = models.CharField(max_length=64)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # The history row it was derived from (sync-found changes), kept to derive each once.
    change_record_id = models.BigIntegerField(null=True, blank=True)
    sync_run = models.ForeignKey(
        "portal.SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Drift: found by a sync, made by no one through the portal. Acknowledged by a person.
    drift = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Fanned out to notifications and webhook deliveries (consumers' own rows are unique per event).
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["subject_kind", "subject_key", "-id"]),
            models.Index(fields=["sync_run", "change_record_id"]),
            models.Index(
                fields=["id"],
                condition=Q(drift=True, acknowledged_at__isnull=True),
                name="events_open_drift",
            ),
            models.Index(
                fields=["id"], condition=Q(dispatched_at__isnull=True), name="events_undispatched"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["change_record_id", "type"], name="events_once_per_history_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} — {self.subject_key}"


class Subscription(models.Model):
    """A person's wish to hear about an event type: about everything, or only what they follow."""

    class Scope(models.TextChoices):
        ALL = "all", "Everything"
        FOLLOWED = "followed", "Only what I follow"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_subscriptions"
    )
    type = models.CharField(max_length=40, choices=EventType.choices)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.ALL)
    by_email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "type"], name="events_one_subscription_per_type"
            )
        ]


class Follow(models.Model):
    """A person follows a subject (a number, client, port, campaign)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_follows"
    )
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject_kind", "subject_key"], name="events_one_follow"
            ),
        ]


class Notification(models.Model):
    """One event for one person: at most one, however many times the outbox is dispatched."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="events_one_notification")
        ]
        indexes = [
            models.Index(
                fields=["user", "id"], condition=Q(read_at__isnull=True), name="events_unread"
            )
        ]


class WebhookEndpoint(models.Model):
    """A receiver of signed event deliveries, registered by an Administrator."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    event_types = models.JSONField(default=list, blank=True)  # empty: every type
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    failure_streak = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event for one endpoint, with each attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        RETRYING = "retrying", "Failed, will retry"
        FAILED = "failed", "Failed, gave up"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.IntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="events_one_delivery")
        ]


class Consumed(models.Model):
    """One consumer has handled one event (port e-mails, ...): the mark of "exactly once".

    Claimed with an INSERT in the consumer's own transaction: a second consumer process waits on
    the unique index, then finds the row and skips the event.
    """

    consumer = models.CharField(max_length=32)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consumer", "event"], name="events_consumed_once")
        ]
