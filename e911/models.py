"""The 911 side of the account: one location per number as VI's audit911 reports it, the
alert recipients VI notifies when 911 is dialled, provisioning history, and bulk jobs.

VI is the source of truth: mirror rows are written only by `e911.services`. A location is
linked to the numbers mirror by TN, not by a foreign key: audit911 also lists numbers the
account no longer owns ("off-net"), and those must be kept (and cleaned up) all the same.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.mirror import MirrorModel
from portal.models import Source

PROVISIONED = "PROVISIONED"
GEOCODED = "GEOCODED"
INVALID = "INVALID"
ARCHIVED = "ARCHIVED"


class Location(MirrorModel):
    """The location that speaks for one number at VI (audit911 / query911: a DID911)."""

    natural_key_field = "tn"

    tn = models.CharField("number", max_length=10, unique=True)

    # --- audit911 / query911 (DID911) ------------------------------------------------------
    location_id = models.CharField("location id", max_length=32, blank=True)
    caller_name = models.CharField(max_length=100, blank=True)
    address1 = models.CharField("address", max_length=200, blank=True)
    address2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=8, blank=True)
    zip_code = models.CharField("ZIP", max_length=10, blank=True)
    latitude = models.CharField(max_length=32, blank=True)
    longitude = models.CharField(max_length=32, blank=True)
    # GEOCODED / PROVISIONED / INVALID (VI's words, strings not numbers).
    status_code = models.CharField("status", max_length=32, blank=True, db_index=True)
    status_description = models.CharField(max_length=300, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(null=True, blank=True)

    # --- local / query911 only ------------------------------------------------------------
    # DID911 has no plusFour; query911's VILocation does. Services fill it, syncs leave it.
    plus_four = models.CharField("ZIP+4", max_length=4, blank=True)
    # When the alert recipients were last read from VI (Query911Alert), if ever.
    alerts_fetched_at = models.DateTimeField(null=True, blank=True)
    history_fetched_at = models.DateTimeField(null=True, blank=True)

    vi_fields = (
        "location_id", "caller_name", "address1", "address2", "city", "state", "zip_code",
        "latitude", "longitude", "status_code", "status_description", "activated_at", "added_at",
    )  # fmt: skip

    class Meta:
        verbose_name = "911 location"
        ordering = ["tn"]
        indexes = [
            models.Index(fields=["status_code", "tn"], name="e911_location_status"),
            models.Index(fields=["city", "tn"], name="e911_location_city"),
            models.Index(fields=["gone_at", "tn"], name="e911_location_gone"),
        ]

    def __str__(self) -> str:
        return f"{self.tn} {self.one_line}".strip()

    @property
    def is_provisioned(self) -> bool:
        return self.status_code == PROVISIONED and self.gone_at is None

    @property
    def zip_display(self) -> str:
        return f"{self.zip_code}-{self.plus_four}" if self.plus_four else self.zip_code

    @property
    def one_line(self) -> str:
        street = ", ".join(part for part in (self.address1, self.address2) if part)
        place = " ".join(part for part in (self.state, self.zip_display) if part)
        return ", ".join(part for part in (street, self.city, place) if part)


class AlertRecipient(models.Model):
    """One address VI alerts when 911 is dialled from the number (Query911Alert).

    Kept per number (by TN): VI keeps a number's alert emails across remove911, and they
    apply again once a location is provisioned.
    """

    tn = models.CharField("number", max_length=10, db_index=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="alert_recipients"
    )
    email = models.CharField(max_length=150)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tn", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tn", "email"], name="e911_alert_unique_email_per_tn")
        ]

    def __str__(self) -> str:
        return f"{self.tn} → {self.email}"


class ProvisioningEntry(models.Model):
    """One location a number ever had (getProvisioningHistory), fetched on demand and kept."""

    tn = models.CharField("number", max_length=10, db_index=True)
    location_id = models.CharField(max_length=32)
    address1 = models.CharField(max_length=200, blank=True)
    address2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=8, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    plus_four = models.CharField(max_length=4, blank=True)
    caller_name = models.CharField(max_length=100, blank=True)
    status_code = models.CharField(max_length=32, blank=True)
    status_description = models.CharField(max_length=300, blank=True)
    order_id = models.CharField(max_length=32, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "provisioning history"
        ordering = ["tn", "updated_at", "location_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tn", "location_id"], name="e911_history_unique_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tn} {self.location_id} {self.status_code}"


class BulkJob(models.Model):
    """An uploaded CSV of 911 addresses: checked row by row, then applied by a worker."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked, not applied"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Applying"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the check (then the apply) was asked from: the worker's VI calls and the history
    # it writes carry it, with created_by (then applied_by) as the actor.
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"911 bulk job #{self.pk} ({self.file_name})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED, self.Status.CANCELLED)

    @property
    def is_working(self) -> bool:
        """Being checked or applied by a worker (or waiting for one): it can be cancelled."""
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING)


class BulkRow(models.Model):
    """One line of a bulk file, its verdict before applying, and its result after."""

    class Verdict(models.TextChoices):
        PENDING = "pending", "Not checked yet"
        READY = "ready", "Valid, will be provisioned"
        UNCHANGED = "unchanged", "Already provisioned at this address (skipped)"
        DUPLICATE = "duplicate", "Duplicate of an earlier row (skipped)"
        INVALID = "invalid", "Refused"

    class Result(models.TextChoices):
        PENDING = "", "Not applied"
        PROVISIONED = "provisioned", "Provisioned"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    tn = models.CharField(max_length=32, blank=True)
    caller_name = models.CharField(max_length=100, blank=True)
    address1 = models.CharField(max_length=200, blank=True)
    address2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=8, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    plus_four = models.CharField(max_length=4, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    message = models.CharField(max_length=500, blank=True)
    result = models.CharField(
        max_length=16, choices=Result.choices, default=Result.PENDING, blank=True
    )
    result_message = models.CharField(max_length=500, blank=True)
    result_code = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["job", "line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="e911_bulk_row_line")]

    def __str__(self) -> str:
        return f"line {self.line}: {self.tn} {self.verdict}"
