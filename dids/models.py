"""Mirror rows of what VI holds for the account's numbers, and the few local facts about them.

VI is the source of truth: these rows are written only by `dids.services` (a staff or admin
write after VI accepted it, or a sync from VI's audits). Field names follow VI's where a
person would search VI's documentation for them; the VI element each comes from is noted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.mirror import MirrorModel


class DID(MirrorModel):
    """One number the account holds (auditDIDs / queryDID, plus the feature audits)."""

    natural_key_field = "tn"

    # VI's `tn`: 10 digits exactly as VI sends them; the natural key.
    tn = models.CharField("number", max_length=10, unique=True)

    # --- auditDIDs / queryDID ------------------------------------------------------------
    availability = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=300, blank=True)
    status_code = models.CharField(max_length=16, blank=True)
    tier = models.CharField(max_length=16, blank=True)
    rate_center = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=8, blank=True)
    network = models.CharField(max_length=64, blank=True)
    # VI's `endpointId`: the endpoint group (SIP trunk) calls route to. A plain number, not a
    # foreign key: VI can route to a group our mirror has not synced yet.
    endpoint_id = models.IntegerField("endpoint group", null=True, blank=True)
    ref_id = models.CharField("reference", max_length=100, blank=True)
    rewrite = models.CharField(max_length=32, blank=True)
    # VI sends 1900-01-01 for "no expiry"; stored as NULL.
    expire_date = models.DateTimeField(null=True, blank=True)
    has911 = models.BooleanField("911", default=False)
    has411 = models.BooleanField("411", default=False)
    cnam = models.BooleanField("inbound CNAM dip", default=False)
    cnam_storage_active = models.BooleanField("outbound CNAM active", default=False)
    cnam_storage_available = models.BooleanField("outbound CNAM available", default=False)
    t38 = models.BooleanField("T.38", default=False)
    # VI's `didGroupId` (a string on the wire); NULL when the number is in no DID group.
    did_group_id = models.IntegerField("DID group", null=True, blank=True)

    # --- feature getters and audits ------------------------------------------------------
    cnam_name = models.CharField("outbound CNAM name", max_length=15, blank=True)
    forward = models.CharField("forward to", max_length=10, blank=True)
    failover = models.CharField("failover to", max_length=10, blank=True)
    # The conference PIN is a secret: only whether the line is on is kept.
    conference_line = models.BooleanField("conference line", default=False)
    fax_to_email = models.CharField("fax to email", max_length=150, blank=True)
    fax_failure_notifications = models.BooleanField(default=False)
    email_to_fax = models.JSONField("email to fax addresses", default=list, blank=True)
    script_id = models.CharField("programmable telco script", max_length=64, blank=True)

    # "Last seen" is not stored per row: every active row was in the last complete audit,
    # so it is that sync's start (dids.selectors.did_last_seen_at). Writing it to 100,000
    # rows on every sync would cost seconds and bloat the table for no information.

    # Fields VI's audits report (auditDIDs merged with the feature audits and GetScripts);
    # a sync compares and writes only these.
    vi_fields = (
        "availability", "status", "status_code", "tier", "rate_center", "state", "network",
        "endpoint_id", "ref_id", "rewrite", "expire_date", "has911", "has411", "cnam",
        "cnam_storage_active", "cnam_storage_available", "t38", "did_group_id", "cnam_name",
        "forward", "failover", "conference_line", "fax_to_email", "fax_failure_notifications",
        "script_id",
    )  # fmt: skip
    # No audit lists email-to-fax addresses (only GetEmailToFax per number): services and
    # "refresh from VI" keep this field, syncs leave it alone.

    class Meta:
        verbose_name = "DID"
        verbose_name_plural = "DIDs"
        ordering = ["tn"]
        indexes = [
            models.Index(fields=["state", "tn"], name="did_state"),
            models.Index(fields=["rate_center", "tn"], name="did_rate_center"),
            models.Index(fields=["endpoint_id", "tn"], name="did_endpoint"),
            models.Index(fields=["did_group_id", "tn"], name="did_group"),
            models.Index(fields=["tier", "tn"], name="did_tier"),
            models.Index(fields=["gone_at", "tn"], name="did_gone"),
        ]

    def __str__(self) -> str:
        return self.tn


class EndpointGroup(MirrorModel):
    """A SIP trunk: where VI sends calls (AuditEndpointGroups / AuditEndpointGroup)."""

    natural_key_field = "vi_id"

    vi_id = models.IntegerField("endpoint group id", unique=True)
    name = models.CharField(max_length=200, blank=True)
    client = models.CharField(max_length=200, blank=True)
    port = models.CharField(max_length=16, blank=True)
    prepend = models.CharField(max_length=32, blank=True)
    rate_deck = models.CharField(max_length=100, blank=True)
    strip_plus = models.BooleanField(default=False)
    strip_country_code = models.BooleanField(default=False)
    international = models.BooleanField(default=False)
    month_to_date_usage = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    ip_addresses = models.JSONField("IP addresses", default=list, blank=True)
    active = models.BooleanField(default=True)

    vi_fields = (
        "name", "client", "port", "prepend", "rate_deck", "strip_plus", "strip_country_code",
        "international", "month_to_date_usage", "ip_addresses", "active",
    )  # fmt: skip

    class Meta:
        ordering = ["vi_id"]

    def __str__(self) -> str:
        # Staff know groups by name; VI's id follows for when they talk to VI.
        return f"{self.name} ({self.vi_id})" if self.name else str(self.vi_id)


class DIDGroup(MirrorModel):
    """A named set of numbers (GetDIDGroups, AuditDIDGroup)."""

    natural_key_field = "vi_id"

    vi_id = models.IntegerField("DID group id", unique=True)
    name = models.CharField(max_length=200, blank=True)

    vi_fields = ("name",)

    class Meta:
        verbose_name = "DID group"
        ordering = ["vi_id"]

    def __str__(self) -> str:
        # Staff know groups by name; VI's id follows for when they talk to VI.
        return f"{self.name} ({self.vi_id})" if self.name else str(self.vi_id)


class Client(MirrorModel):
    """A client (the reseller's customer) set up in VI's Back Office (AuditClients).

    A client owns endpoint groups and DID groups; its numbers are the numbers routed to its
    endpoint groups, so moving a number to another client's group moves it to that client.
    The relations are kept as VI's ids (like `DID.endpoint_id`): VI can name a group the
    mirror has not synced yet, and a client is never lost for it.
    """

    natural_key_field = "vi_id"

    vi_id = models.CharField("client id", max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    # VI's monthToDateUsage: the sum of its endpoint groups' usage this month.
    month_to_date_usage = models.DecimalField(
        "usage this month", max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Ids of its EndpointGroups and DIDGroups, ascending.
    endpoint_group_ids = models.JSONField("endpoint groups", default=list, blank=True)
    did_group_ids = models.JSONField("DID groups", default=list, blank=True)
    # E911Groups and HostedBillingCustomers: names as VI lists them.
    e911_groups = models.JSONField("911 groups", default=list, blank=True)
    billing_customers = models.JSONField("Hosted Billing customers", default=list, blank=True)
    # How many of its numbers have each feature (DIDFailovers, DIDForwards, ConferenceLines,
    # FaxToEmails). The settings themselves live on the numbers; the PINs are never kept.
    failover_count = models.PositiveIntegerField("numbers with a failover", default=0)
    forward_count = models.PositiveIntegerField("numbers with a forward", default=0)
    conference_line_count = models.PositiveIntegerField("conference lines", default=0)
    fax_to_email_count = models.PositiveIntegerField("fax-to-email numbers", default=0)

    vi_fields = (
        "name", "month_to_date_usage", "endpoint_group_ids", "did_group_ids", "e911_groups",
        "billing_customers", "failover_count", "forward_count", "conference_line_count",
        "fax_to_email_count",
    )  # fmt: skip

    class Meta:
        ordering = ["name", "vi_id"]

    def __str__(self) -> str:
        return self.name or self.vi_id


class IntlDID(MirrorModel):
    """An international number (AuditIntlDIDs)."""

    natural_key_field = "tn"

    tn = models.CharField("number", max_length=32, unique=True)
    country = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    tier = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=100, blank=True)

    vi_fields = ("country", "city", "tier", "status")

    class Meta:
        verbose_name = "international DID"
        verbose_name_plural = "international DIDs"
        ordering = ["tn"]

    def __str__(self) -> str:
        return self.tn


class InventoryTN(MirrorModel):
    """A number parked in the account's personal inventory (GetInventoryTNs)."""

    natural_key_field = "tn"

    tn = models.CharField("number", max_length=32, unique=True)

    vi_fields = ()

    class Meta:
        verbose_name = "inventory number"
        ordering = ["tn"]

    def __str__(self) -> str:
        return self.tn


class UnconfiguredTN(MirrorModel):
    """A number on the account with no routing yet (GetUnconfiguredTNs)."""

    natural_key_field = "tn"

    tn = models.CharField("number", max_length=32, unique=True)

    vi_fields = ()

    class Meta:
        verbose_name = "unconfigured number"
        ordering = ["tn"]

    def __str__(self) -> str:
        return self.tn


class PrepaidBalanceReading(models.Model):
    """The account's prepaid balance as VI reported it at one moment (GetPrepaidBalance).

    A time series, not a mirror: every sync adds a reading so the balance can be charted.
    """

    read_at = models.DateTimeField(default=timezone.now, db_index=True)
    amount = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["-read_at", "-id"]
        get_latest_by = "read_at"

    def __str__(self) -> str:
        return f"{self.amount} at {self.read_at:%Y-%m-%d %H:%M}"


class Reservation(models.Model):
    """A number VI holds for the account after reserveDID, until it is bought or 30 minutes pass.

    A local record, not a mirror: VI has no call that lists reservations, so this is the only
    place a person can find a number reserved and left behind. Written by `dids.services` only.
    """

    tn = models.CharField("number", max_length=10)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reserved_at = models.DateTimeField(default=timezone.now)
    # Counted from before the call, so the portal never promises more time than VI gives.
    expires_at = models.DateTimeField(db_index=True)
    ref_id = models.CharField("reference", max_length=100, blank=True)
    # Set when the reservation stops mattering: bought, let go, or replaced by a newer one.
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["expires_at", "tn"]
        constraints = [
            models.UniqueConstraint(
                fields=["tn"],
                condition=models.Q(ended_at__isnull=True),
                name="reservation_one_open_per_tn",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tn} until {self.expires_at:%H:%M}"
