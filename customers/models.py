"""What the Customers pages keep of their own (nothing here mirrors VI): reference uploads
checked row by row before a background apply, and saved views of the numbers list."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReferenceJob(models.Model):
    """A CSV of (number, reference) rows: checked at upload, applied in the background."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked: waiting for someone to apply it"
        QUEUED = "queued", "Applying"
        FINISHED = "finished", "Finished"

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED


class ReferenceRow(models.Model):
    class Verdict(models.TextChoices):
        READY = "ready", "Will be set"
        UNCHANGED = "unchanged", "Already this reference (skipped)"
        INVALID = "invalid", "Not valid (skipped)"
        NOT_ON_ACCOUNT = "not_on_account", "Not on the account (skipped)"
        NO_GROUP = "no_group", "No endpoint group (skipped)"
        DUPLICATE = "duplicate", "Number listed again (skipped)"

    class Result(models.TextChoices):
        SET = "set", "Set"
        REFUSED = "refused", "Refused"

    job = models.ForeignKey(ReferenceJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    # As written in the file (shown back), and the 10-digit number when it parsed.
    entry = models.CharField(max_length=100, blank=True)
    tn = models.CharField(max_length=10, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    current = models.CharField("reference now", max_length=100, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    message = models.CharField(max_length=300, blank=True)
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    result_message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["job", "line"]
        indexes = [models.Index(fields=["job", "verdict", "result"], name="reference_row_pending")]


class SavedView(models.Model):
    """A named set of numbers-list filters (its query string). Private to its owner, or shared
    with everyone; shared views are managed by Administrators (customers.manage_shared_views)."""

    name = models.CharField(max_length=80)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared = models.BooleanField(default=False)
    # The list's query string without paging ("state=UT&client=2&features=sms").
    query = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        permissions = [
            ("manage_shared_views", "Can save, change and delete shared views of the numbers list")
        ]

    def __str__(self) -> str:
        return self.name
