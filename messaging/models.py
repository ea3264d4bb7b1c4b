"""Mirror rows of what VI holds for SMS/MMS and 10DLC, and the portal's own record of sends.

VI is the source of truth: mirror rows are written only by `messaging.services` (after VI
accepted a staff or admin write, or from a sync). Field names follow the portal's style; the
VI element each comes from is noted where it differs.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.mirror import MirrorModel


class DestinationType(models.TextChoices):
    """Where VI delivers a number's inbound messages (ConfigSMSDestination's destinationType)."""

    NONE = "NONE", "None (SMS off)"
    SIP = "SIP", "SIP (the number's endpoint group)"
    EMAIL = "EMAIL", "Email"
    FORWARD = "FORWARD", "Forward to a number"
    POST = "POST", "Webhook (HTTP POST)"
    GET = "GET", "Webhook (HTTP GET)"
    PROGTELCO = "PROGTELCO", "Programmable telco"


# Types whose destination is a webhook; only these take VI's authToken.
WEBHOOK_TYPES = frozenset({DestinationType.POST, DestinationType.GET})


class CampaignStatus(models.TextChoices):
    PENDING = "PENDING", "In review"
    ACTIVE = "ACTIVE", "Approved"
    REJECTED = "REJECTED", "Rejected"
    EXPIRED = "EXPIRED", "Expired"
    DELETED = "DELETED", "Deleted"


class SMSNumber(MirrorModel):
    """One owned number's SMS settings (AuditSMS's SMSDID)."""

    natural_key_field = "tn"

    tn = models.CharField("number", max_length=10, unique=True)
    enabled = models.BooleanField("SMS enabled", default=False)
    destination_type = models.CharField(
        max_length=16, choices=DestinationType.choices, default=DestinationType.NONE
    )
    destination = models.CharField(max_length=500, blank=True)
    forward = models.CharField(max_length=500, blank=True)
    dlr = models.BooleanField("delivery receipts", default=False)
    # VI's `campaignId`; a plain string: the campaign may not be mirrored yet.
    campaign_id = models.CharField("campaign", max_length=32, blank=True, db_index=True)

    vi_fields = ("enabled", "destination_type", "destination", "forward", "dlr", "campaign_id")

    class Meta:
        verbose_name = "SMS number"
        ordering = ["tn"]
        indexes = [
            models.Index(fields=["enabled", "campaign_id"], name="sms_enabled_campaign"),
            models.Index(fields=["destination_type", "tn"], name="sms_destination_type"),
        ]

    def __str__(self) -> str:
        return self.tn


class Brand(MirrorModel):
    """A 10DLC customer, "brand" in The Campaign Registry's words (GetSMSCustomers)."""

    natural_key_field = "customer_id"

    customer_id = models.CharField("customer id", max_length=32, unique=True)
    tag = models.CharField(max_length=100, blank=True, db_index=True)
    company_name = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    entity_type = models.CharField(max_length=32, blank=True)
    vertical = models.CharField(max_length=32, blank=True)
    ein = models.CharField("EIN", max_length=32, blank=True)
    ein_country = models.CharField("EIN country", max_length=8, blank=True)
    website = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=32, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=8, blank=True)
    stock_symbol = models.CharField(max_length=16, blank=True)
    stock_exchange = models.CharField(max_length=16, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=32, blank=True)
    verification_status = models.CharField(max_length=32, blank=True)
    created_date = models.DateTimeField(null=True, blank=True)

    vi_fields = (
        "tag", "company_name", "display_name", "entity_type", "vertical", "ein", "ein_country",
        "website", "email", "phone", "street", "city", "state", "postal_code", "country",
        "stock_symbol", "stock_exchange", "first_name", "last_name", "status",
        "verification_status", "created_date",
    )  # fmt: skip

    class Meta:
        ordering = ["display_name", "customer_id"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.customer_id})"

    @property
    def is_verified(self) -> bool:
        return self.verification_status == "VERIFIED"


CAMPAIGN_FLAGS = (
    "sub_opt_in", "sub_opt_out", "sub_help", "num_pooling", "direct_lending", "embedded_link",
    "embedded_phone", "aff_marketing", "age_gated",
)  # fmt: skip


class Campaign(MirrorModel):
    """A 10DLC campaign (GetSMSCampaigns), with the rejection reasons VI gives for it."""

    natural_key_field = "campaign_id"

    # VI's `CampaignId` (capital C on the wire).
    campaign_id = models.CharField("campaign id", max_length=32, unique=True)
    customer_id = models.CharField("customer id", max_length=32, blank=True, db_index=True)
    display_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    usecase_id = models.CharField("use case", max_length=64, blank=True)
    sub_usecase_ids = models.CharField("sub use cases", max_length=300, blank=True)
    vertical = models.CharField(max_length=32, blank=True)
    message_flow = models.TextField(blank=True)
    help_message = models.TextField(blank=True)
    opt_out_message = models.TextField(blank=True)
    sample_msg1 = models.TextField("sample message 1", blank=True)
    sample_msg2 = models.TextField("sample message 2", blank=True)
    sub_opt_in = models.BooleanField("opt-in", default=False)
    sub_opt_out = models.BooleanField("opt-out", default=False)
    sub_help = models.BooleanField("help", default=False)
    num_pooling = models.BooleanField("number pooling", default=False)
    direct_lending = models.BooleanField("direct lending", default=False)
    embedded_link = models.BooleanField("embedded link", default=False)
    embedded_phone = models.BooleanField("embedded phone", default=False)
    aff_marketing = models.BooleanField("affiliate marketing", default=False)
    age_gated = models.BooleanField("age-gated content", default=False)
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, blank=True, db_index=True
    )
    created_date = models.DateTimeField(null=True, blank=True)
    tns = models.JSONField("numbers", default=list, blank=True)
    external = models.BooleanField(default=False)
    # GetCampaignRejectionReason, read by the sync for rejected campaigns.
    rejection_reasons = models.JSONField(default=list, blank=True)

    vi_fields = (
        "customer_id", "display_name", "description", "usecase_id", "sub_usecase_ids", "vertical",
        "message_flow", "help_message", "opt_out_message", "sample_msg1", "sample_msg2", *CAMPAIGN_FLAGS,
        "status", "created_date", "tns", "external", "rejection_reasons",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_date", "campaign_id"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.campaign_id})"

    @property
    def is_rejected(self) -> bool:
        return self.status == CampaignStatus.REJECTED


class CachedChoices(models.Model):
    """VI's lists for the forms (GetSMSEnumerations per kind, GetSMSUsecaseOptions per brand).

    Not a mirror: a cache refreshed by the sync and on demand, so a form never waits for VI.
    Keys: "ENTITY_TYPE", "VERTICAL", ... and "USECASES:<customer id>".
    """

    key = models.CharField(max_length=100, unique=True)
    values = models.JSONField(default=list)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "cached VI choice list"

    def __str__(self) -> str:
        return self.key


class SentMessage(models.Model):
    """A test message sent from the portal (SendSMS / SendMMS) and VI's answer to it."""

    class Kind(models.TextChoices):
        SMS = "SMS", "SMS"
        MMS = "MMS", "MMS"

    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    sender = models.CharField(max_length=16)
    recipient = models.CharField(max_length=16)
    body = models.TextField(blank=True)
    # Name, content type and size of each file; never the content.
    files = models.JSONField(default=list, blank=True)
    ok = models.BooleanField(default=False)
    response_code = models.CharField(max_length=16, blank=True)
    response_message = models.CharField(max_length=500, blank=True)
    uuid = models.CharField("message id", max_length=64, blank=True)
    status = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sender} → {self.recipient} at {self.sent_at:%Y-%m-%d %H:%M}"
