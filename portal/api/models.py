"""API tokens and the asynchronous jobs API writes run as.

A token is shown once, when it is created; only its SHA-256 is stored (a token is 32 random
bytes, so a fast hash is enough: there is nothing to guess). A job row is what a client polls
and what makes a retried POST with the same Idempotency-Key find the first attempt.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The first characters of the token, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["user_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiJob(models.Model):
    """One asynchronous API write (an order, a release), with a result per number."""

    class Kind(models.TextChoices):
        ORDER = "order", "Order (reserve and assign)"
        RELEASE = "release", "Release"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What was asked, normalised (10-digit numbers): the runner reads it, the key compares it.
    request = models.JSONField(default=dict)
    request_digest = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=255, blank=True)
    # [{"tn": "4352154006", "ok": true, "step": "assign", "code": "100", "message": "..."}]
    results = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One job per user and key: a retried POST finds the first one, even when both
            # arrive at once (the second insert fails and reads the first).
            models.UniqueConstraint(
                fields=["created_by", "kind", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="api_job_one_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)
