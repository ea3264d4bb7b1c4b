"""The closed list of event types, each with the words history and pages show.

One small writer per type (`writers`): services and the classifier build events only through
them, so a type cannot be misspelt and its subject kind is always the same.
"""

from __future__ import annotations

from django.db import models


class EventType(models.TextChoices):
    NUMBER_BOUGHT = "number.bought", "Number bought"
    NUMBER_RELEASED = "number.released", "Number released"
    NUMBER_RETURNED = "number.returned", "Number back at VI"
    NUMBER_MOVED = "number.moved", "Number moved to another endpoint group"
    NUMBER_FEATURES_CHANGED = "number.features_changed", "Number features changed"
    E911_PROVISIONED = "e911.provisioned", "911 address provisioned"
    E911_REMOVED = "e911.removed", "911 address removed"
    E911_INVALID = "e911.invalid", "911 address refused as invalid"
    SMS_DESTINATION_CHANGED = "sms.destination_changed", "SMS destination changed"
    SMS_CAMPAIGN_CHANGED = "sms.campaign_changed", "Number's SMS campaign changed"
    CAMPAIGN_CHANGED = "campaign.changed", "Campaign changed"
    CAMPAIGN_APPROVED = "campaign.approved", "Campaign approved"
    CAMPAIGN_REJECTED = "campaign.rejected", "Campaign rejected"
    BRAND_CHANGED = "brand.changed", "Brand changed"
    BRAND_VETTED = "brand.vetted", "Brand vetted"
    PORT_CHANGED = "port.changed", "Port changed"
    PORT_FOC_SET = "port.foc_set", "Port FOC date set"
    PORT_FOC_CHANGED = "port.foc_changed", "Port FOC date changed"
    PORT_COMPLETED = "port.completed", "Port completed"
    PORT_CANCELLED = "port.cancelled", "Port cancelled"
    PORT_REJECTED = "port.rejected", "Port rejected"
    CLIENT_CHANGED = "client.changed", "Client changed"
    RECORD_CHANGED = "record.changed", "Record changed"
    SYNC_HELD = "sync.held", "Sync held for confirmation"
    SYNC_FAILED = "sync.failed", "Sync failed"
    SYNC_SET_ASIDE = "sync.set_aside", "Record set aside by a sync"


class EventSource(models.TextChoices):
    STAFF = "staff", "Staff (portal)"
    ADMIN = "admin", "Admin site"
    SYNC = "sync", "Sync"
    VI = "vi", "Changed at VI, outside the portal"
    SYSTEM = "system", "System"


class SubjectKind(models.TextChoices):
    NUMBER = "number", "Number"
    CLIENT = "client", "Client"
    CAMPAIGN = "campaign", "Campaign"
    BRAND = "brand", "Brand"
    PORT = "port", "Port"
    SYNC = "sync", "Sync run"
    RECORD = "record", "Record"


# The subject kind each type is about: fixed per type.
SUBJECT_OF = {
    **{
        t: SubjectKind.NUMBER
        for t in EventType
        if t.value.split(".")[0] in {"number", "e911", "sms"}
    },
    **{t: SubjectKind.CAMPAIGN for t in EventType if t.value.startswith("campaign.")},
    **{t: SubjectKind.BRAND for t in EventType if t.value.startswith("brand.")},
    **{t: SubjectKind.PORT for t in EventType if t.value.startswith("port.")},
    **{t: SubjectKind.SYNC for t in EventType if t.value.startswith("sync.")},
    EventType.CLIENT_CHANGED: SubjectKind.CLIENT,
    EventType.RECORD_CHANGED: SubjectKind.RECORD,
}
