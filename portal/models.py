"""Records the portal keeps about its own work: provider calls, sync runs, change history.

Domain mirror rows live in their own apps; these three are shared by all of them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Source(models.TextChoices):
    """Who or what caused a provider call or a change."""

    STAFF = "staff", "Staff (portal)"
    ADMIN = "admin", "Admin site"
    SYNC = "sync", "Sync"
    SYSTEM = "system", "System"


class ProviderCall(models.Model):
    """One SOAP call to VI, written by the client for every call, whatever its outcome.

    `parameters` is a redacted copy: the secret and conference PINs never reach it.
    """

    class Outcome(models.TextChoices):
        OK = "ok", "Success"
        REFUSED = "refused", "Refused by VI"
        UNAVAILABLE = "unavailable", "VI unreachable"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    operation = models.CharField(max_length=64, db_index=True)
    parameters = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, db_index=True)
    response_code = models.IntegerField(null=True, blank=True)
    response_message = models.CharField(max_length=500, blank=True)
    # Per-number codes inside bulk answers, counted: {"100": 998, "104235": 2}.
    item_codes = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        max_length=16, choices=Source.choices, default=Source.SYSTEM, db_index=True
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["operation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.outcome} ({self.created_at:%Y-%m-%d %H:%M:%S})"


class SyncRun(models.Model):
    """One reconcile of a mirror against a VI audit (see portal/sync.py)."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        STAFF = "staff", "Staff"
        COMMAND = "command", "Command"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        NEEDS_CONFIRMATION = "needs_confirmation", "Needs confirmation"
        SKIPPED = "skipped", "Skipped (another run in progress)"
        STALE = "stale", "Abandoned (worker died)"

    kind = models.CharField(max_length=32, db_index=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {"seen": n, "created": n, "updated": n, "gone": n, "unchanged": n}, per step if several.
    counts = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    progress_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one run per kind at a time, across every process and machine.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status="running"), name="one_running_sync_per_kind"
            )
        ]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} sync #{self.pk} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class ChangeRecord(models.Model):
    """History of one change to one mirror row, whoever caused it.

    Written in bulk by the services and the sync engine themselves (signal-based history
    apps miss bulk writes). `changes` maps field -> [before, after].
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        GONE = "gone", "Gone from VI"
        RETURNED = "returned", "Returned"
        EVENT = "event", "Event"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    model = models.CharField(max_length=64)  # "dids.did", "e911.location", ...
    object_key = models.CharField(max_length=64)  # natural key: a TN, a port id, ...
    action = models.CharField(max_length=16, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    sync_run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_key", "-at"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_key} {self.action}"


class AccessPolicy(models.Model):
    """Holds the portal's permissions; no table. Views check these, never group names.

    The roles (Viewer, Operator, Administrator) are groups created by a data migration;
    docs/contracts.md has the table of who holds what.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_portal", "Can view the portal"),
            ("operate_numbers", "Can reserve, assign and configure numbers"),
            ("operate_e911", "Can validate and provision 911 records"),
            ("operate_messaging", "Can change SMS settings, campaigns and brands"),
            ("check_portability", "Can check portability"),
            ("run_sync", "Can start a sync"),
            ("release_numbers", "Can release numbers"),
            ("manage_endpoint_groups", "Can activate and deactivate endpoint groups"),
            ("delete_messaging", "Can delete brands and campaigns"),
            ("confirm_sync", "Can apply a held, shrunken audit"),
            ("edit_sync_schedules", "Can edit sync schedules"),
            ("manage_users", "Can manage users"),
        ]


class SetAsideRecord(models.Model):
    """A record from a VI audit that the sync could not store, kept to be looked at.

    One unfit value (a caller-ID name longer than its column, an endpoint id of 10^30, a
    field that did not parse) used to fail the whole sync of its kind. Now that record alone
    is set aside here with VI's raw values, every other record is applied, and the mirror
    keeps the record's last good values until VI sends a usable one. Shown on the Sync page.
    """

    sync_run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="set_aside")
    created_at = models.DateTimeField(default=timezone.now)
    step = models.CharField(max_length=64, blank=True)  # "dids", "locations", ...
    model = models.CharField(max_length=64)  # "dids.did", as in ChangeRecord
    object_key = models.CharField(max_length=220, blank=True)  # shown raw; may not be a valid key
    # [{"field": name, "raw": VI's value (escaped, cut short), "reason": plain words}]
    problems = models.JSONField(default=list, blank=True)
    # {field: VI's value, escaped and cut short}: the whole record as VI sent it
    values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["sync_run", "id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_key} set aside in run #{self.sync_run_id}"
