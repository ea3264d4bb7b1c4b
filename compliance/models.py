"""The compliance app's own records (not mirrors of VI): daily score snapshots for the trend,
and the verdict of each scheduled 911 re-validation."""

from django.db import models
from django.utils import timezone


class Snapshot(models.Model):
    """The readiness score of the whole account (and of each client) on one day."""

    taken_on = models.DateField(unique=True)
    taken_at = models.DateTimeField(default=timezone.now)
    score = models.FloatField(null=True, blank=True)
    numbers = models.PositiveIntegerField(default=0)
    # check key -> failing numbers; client VI id -> score.
    failing = models.JSONField(default=dict, blank=True)
    clients = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-taken_on"]
        get_latest_by = "taken_on"
        permissions = [
            (
                "override_10dlc_lint",
                "Send a 10DLC brand or campaign to VI despite the pre-submission check",
            ),
        ]

    def __str__(self) -> str:
        return f"Compliance {self.taken_on}: {self.score if self.score is not None else '—'}%"


class Revalidation(models.Model):
    """The last scheduled validate911 of a number's provisioned address, and whether it changed."""

    tn = models.CharField("number", max_length=10, unique=True)
    address = models.CharField(max_length=600, blank=True)
    valid = models.BooleanField()
    previous_valid = models.BooleanField(null=True, blank=True)
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When the verdict last differed from the one before it.
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tn"]

    def __str__(self) -> str:
        return f"{self.tn} {'valid' if self.valid else 'INVALID'} at {self.checked_at:%Y-%m-%d}"

    @property
    def verdict_changed(self) -> bool:
        return self.previous_valid is not None and self.previous_valid != self.valid
