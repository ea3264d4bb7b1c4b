"""Ports: numbers on their way to the account from another carrier, as VI reports them, and
what the portal keeps about them (events seen between syncs, followers, portability checks).

VI only lets the API read ports; these rows are written by `porting.services` alone.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.mirror import MirrorModel
from portal.models import Source

# VI's port statuses (the sandbox's lifecycle; "PENDING SIGNATURE" is VI's own word).
PENDING_SIGNATURE = "PENDING SIGNATURE"
SUBMITTED = "SUBMITTED"
FOC_RECEIVED = "FOC RECEIVED"
COMPLETED = "COMPLETED"
CANCELLED = "CANCELLED"
REJECTED = "REJECTED"
FINISHED_STATUSES = frozenset({COMPLETED, CANCELLED, REJECTED})
KNOWN_STATUSES = (PENDING_SIGNATURE, SUBMITTED, FOC_RECEIVED, COMPLETED, CANCELLED, REJECTED)


def calendar_day(moment: datetime.datetime | None) -> datetime.date | None:
    """The day VI named: FOC dates are days, sent as a zoneless midnight on VI's UTC clock.

    Shown in the portal's time zone, UTC midnight falls on the evening before in the
    Americas, so every FOC date would read one day early; the day is taken in UTC instead.
    """
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).date() if moment.tzinfo else moment.date()


class Port(MirrorModel):
    """One port order (getActivePorts / getPortDetails)."""

    natural_key_field = "vi_id"

    vi_id = models.IntegerField("port id", unique=True)
    status = models.CharField(max_length=64, blank=True, db_index=True)
    end_user = models.CharField(max_length=200, blank=True)
    billing_tn = models.CharField("billing number", max_length=32, blank=True)
    porting_from = models.CharField("porting from", max_length=200, blank=True)
    sales_rep = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField("submitted", null=True, blank=True)
    foc_at = models.DateTimeField("FOC date", null=True, blank=True, db_index=True)
    requested_foc_at = models.DateTimeField("requested FOC date", null=True, blank=True)
    default_endpoint_group = models.IntegerField(null=True, blank=True)

    # --- local only ----------------------------------------------------------------------
    # When a sync last found the port in VI's active list, and when it saw it end.
    last_seen_active_at = models.DateTimeField(null=True, blank=True)
    finished_seen_at = models.DateTimeField(null=True, blank=True)
    # When the port's numbers' history was last fetched (GetPortHistory).
    history_fetched_at = models.DateTimeField(null=True, blank=True)

    vi_fields = (
        "status", "end_user", "billing_tn", "porting_from", "sales_rep", "submitted_at", "foc_at",
        "requested_foc_at", "default_endpoint_group",
    )  # fmt: skip

    # Not a column: whole days to the FOC date, set on each row of the ports list for its page.
    days_left: int | None

    class Meta:
        ordering = ["foc_at", "vi_id"]

    def __str__(self) -> str:
        return f"Port {self.vi_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def foc_day(self) -> datetime.date | None:
        return calendar_day(self.foc_at)

    @property
    def requested_foc_day(self) -> datetime.date | None:
        return calendar_day(self.requested_foc_at)

    @property
    def foc_differs_from_requested(self) -> bool:
        return bool(
            self.foc_day and self.requested_foc_day and self.foc_day != self.requested_foc_day
        )


class PortNumber(models.Model):
    """One number of a port (VI's PortDID), linked to the numbers mirror once it is ours."""

    port = models.ForeignKey(Port, on_delete=models.CASCADE, related_name="numbers")
    tn = models.CharField("number", max_length=32, db_index=True)
    tier = models.CharField(max_length=16, blank=True)
    rate_center = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=8, blank=True)
    lata = models.CharField("LATA", max_length=16, blank=True)
    endpoint_group = models.IntegerField(null=True, blank=True)
    cnam = models.BooleanField("CNAM", default=False)
    e911 = models.BooleanField("911", default=False)
    # Set by the sync once the numbers mirror holds the number (after the port completed).
    did = models.ForeignKey(
        "dids.DID", null=True, blank=True, on_delete=models.SET_NULL, related_name="port_numbers"
    )

    VI_FIELDS = ("tier", "rate_center", "state", "lata", "endpoint_group", "cnam", "e911")

    class Meta:
        ordering = ["port", "tn"]
        constraints = [
            models.UniqueConstraint(fields=["port", "tn"], name="one_row_per_number_per_port")
        ]

    def __str__(self) -> str:
        return self.tn


class PortHistoryEntry(models.Model):
    """One step of a number's port history as VI reports it (GetPortHistory), kept as fetched."""

    tn = models.CharField("number", max_length=32)
    port_vi_id = models.IntegerField("port id")
    status = models.CharField(max_length=64)
    at = models.DateTimeField(null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tn", "at", "id"]
        verbose_name_plural = "port history entries"
        indexes = [models.Index(fields=["tn", "at"]), models.Index(fields=["port_vi_id", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["tn", "port_vi_id", "status", "at", "description"], name="one_history_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tn} port {self.port_vi_id} {self.status}"


class PortHistoryLookup(models.Model):
    """That a number's port history was asked of VI, and when (so a number page asks once)."""

    tn = models.CharField("number", max_length=32, unique=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.tn


class PortEvent(models.Model):
    """A change a sync saw between two looks at a port: what changed, from what, to what, when seen."""

    class Kind(models.TextChoices):
        FOC_SET = "foc_set", "FOC date set"
        FOC_CHANGED = "foc_changed", "FOC date changed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        REJECTED = "rejected", "Rejected"
        STATUS_CHANGED = "status_changed", "Status changed"

    # The kinds people are told about (dashboard, "what changed", e-mail to followers).
    NOTIFY_KINDS = frozenset(
        {Kind.FOC_SET, Kind.FOC_CHANGED, Kind.COMPLETED, Kind.CANCELLED, Kind.REJECTED}
    )

    port = models.ForeignKey(Port, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    before = models.CharField(max_length=64, blank=True)
    after = models.CharField(max_length=64, blank=True)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=16, default="sync")
    sync_run = models.ForeignKey(
        "portal.SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claimed (set) once, before the followers' e-mails go out: the mark of "sent exactly once".
    notified_at = models.DateTimeField(null=True, blank=True)
    notified_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-seen_at", "-id"]

    def __str__(self) -> str:
        return f"Port {self.port.vi_id}: {self.get_kind_display()}"

    @property
    def summary(self) -> str:
        if self.kind in (self.Kind.FOC_SET, self.Kind.FOC_CHANGED):
            return f"FOC date {self.before + ' → ' if self.before else ''}{self.after}"
        return f"{self.before or '—'} → {self.after}"


class PortFollow(models.Model):
    """A person who wants an e-mail when this port's FOC date or fate changes."""

    port = models.ForeignKey(Port, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="port_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["port", "user"], name="follow_a_port_once")]


class PortingViewer(models.Model):
    """When a person last looked at the ports, so "changed since I last looked" means something.

    `last_viewed_at` moves on every visit; `baseline_at` is what the visit compares against:
    the previous visit's time, kept while the person keeps clicking around (see selectors).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="porting_viewer"
    )
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    baseline_at = models.DateTimeField(null=True, blank=True)


class PortabilityJob(models.Model):
    """A pasted list of numbers checked with isPortable in the background, one row per number,
    a chunk of rows per task (porting.services.portability_job_run)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Checking"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the check was asked from: the worker's isPortable calls are logged with it.
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Who stopped the check (finished_at is when); None for a job nobody cancelled.
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Portability check #{self.pk}"

    @property
    def is_finished(self) -> bool:
        """Over, one way or another: nothing more will be asked of VI."""
        return self.status in (self.Status.FINISHED, self.Status.FAILED, self.Status.CANCELLED)

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# A chunk's claim on its rows older than this is its task's death, not its work: the rows may
# be taken again (a chunk of porting.services.CHUNK_NUMBERS calls takes seconds; minutes only
# if VI is very slow).
CLAIM_LIFETIME = datetime.timedelta(minutes=10)


class PortabilityRow(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "pending", "Not checked yet"
        PORTABLE = "portable", "Portable"
        NOT_PORTABLE = "not_portable", "Not portable"
        INVALID = "invalid", "Invalid number"
        ERROR = "error", "Could not check"
        CANCELLED = "cancelled", "Not checked (cancelled)"

    job = models.ForeignKey(PortabilityJob, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    entry = models.CharField("as pasted", max_length=100)
    tn = models.CharField(max_length=10, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, default=Verdict.PENDING)
    code = models.CharField("VI code", max_length=16, blank=True)
    message = models.CharField(max_length=300, blank=True)
    # Taken by one chunk task (a token and when) while it asks VI outside any transaction, so a
    # redelivered copy of that task skips the row; a claim older than CLAIM_LIFETIME (its task
    # died) may be taken again.
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
