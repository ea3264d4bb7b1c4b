"""Reads for the messaging pages, the number panel and the dashboard (mirror only: no VI call)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dids.numbers import digits_only
from portal.models import ChangeRecord

from .models import Brand, Campaign, CampaignStatus, SentMessage, SMSNumber


@dataclass(frozen=True)
class NumberFilters:
    q: str = ""
    enabled: str = ""  # "on" | "off" | ""
    destination_type: str = ""
    campaign: str = ""
    problem: str = ""  # "no_campaign" | "rejected_campaign" | ""


def _rejected_campaign_ids() -> QuerySet:
    return Campaign.objects.filter(status=CampaignStatus.REJECTED, gone_at__isnull=True).values(
        "campaign_id"
    )


def sms_number_list(*, filters: NumberFilters) -> QuerySet[SMSNumber]:
    rows = SMSNumber.objects.filter(gone_at__isnull=True)
    if digits := digits_only(filters.q):
        rows = rows.filter(tn__contains=digits)
    if filters.enabled in ("on", "off"):
        rows = rows.filter(enabled=filters.enabled == "on")
    if filters.destination_type:
        rows = rows.filter(destination_type=filters.destination_type)
    if filters.campaign:
        rows = rows.filter(campaign_id=filters.campaign.strip().upper())
    if filters.problem == "no_campaign":
        rows = rows.filter(enabled=True, campaign_id="")
    elif filters.problem == "rejected_campaign":
        rows = rows.filter(campaign_id__in=_rejected_campaign_ids())
    return rows.order_by("tn")


def sms_number_get(*, tn: str) -> SMSNumber | None:
    return SMSNumber.objects.filter(tn=tn).first()


def campaign_names() -> dict[str, Campaign]:
    return {campaign.campaign_id: campaign for campaign in Campaign.objects.all()}


def campaign_list(*, status: str = "", include_gone: bool = False) -> QuerySet[Campaign]:
    rows = Campaign.objects.all() if include_gone else Campaign.objects.filter(gone_at__isnull=True)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("display_name", "campaign_id")


def campaigns_assignable() -> list[Campaign]:
    """Campaigns numbers may be put on: approved at VI."""
    return list(campaign_list(status=CampaignStatus.ACTIVE))


def campaign_get(*, campaign_id: str) -> Campaign | None:
    return Campaign.objects.filter(campaign_id=campaign_id).first()


def campaign_numbers(*, campaign: Campaign) -> list[str]:
    """The numbers on a campaign as VI lists them, plus any the number mirror puts on it."""
    on_it = set(
        SMSNumber.objects.filter(
            campaign_id=campaign.campaign_id, gone_at__isnull=True
        ).values_list("tn", flat=True)
    )
    return sorted(on_it | set(campaign.tns))


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.filter(gone_at__isnull=True).order_by("display_name", "customer_id")


def brands_verified() -> list[Brand]:
    return list(brand_list().filter(verification_status="VERIFIED"))


def brand_get(*, customer_id: str) -> Brand | None:
    return Brand.objects.filter(customer_id=customer_id).first()


def brand_campaigns(*, customer_id: str) -> QuerySet[Campaign]:
    return campaign_list().filter(customer_id=customer_id).exclude(status=CampaignStatus.DELETED)


def history_for(*, model: str, key: str, limit: int = 30) -> list[ChangeRecord]:
    return list(
        ChangeRecord.objects.filter(model=model, object_key=key)
        .select_related("actor")
        .order_by("-at")[:limit]
    )


def sent_messages(*, tn: str | None = None, limit: int = 10) -> list[SentMessage]:
    rows = SentMessage.objects.select_related("actor")
    if tn:
        rows = rows.filter(sender=f"1{tn}")
    return list(rows[:limit])


@dataclass(frozen=True)
class MessagingAttention:
    """What the dashboard shows: the numbers carriers will block, and campaigns to act on."""

    enabled_without_campaign: int
    on_rejected_campaign: int
    awaiting_review: list[Campaign]
    rejected: list[Campaign]


def messaging_attention() -> MessagingAttention:
    live = SMSNumber.objects.filter(gone_at__isnull=True)
    return MessagingAttention(
        enabled_without_campaign=live.filter(enabled=True, campaign_id="").count(),
        on_rejected_campaign=live.filter(campaign_id__in=_rejected_campaign_ids()).count(),
        awaiting_review=list(campaign_list(status=CampaignStatus.PENDING)[:10]),
        rejected=list(campaign_list(status=CampaignStatus.REJECTED)[:10]),
    )


def campaigns_matching(*, query: str) -> QuerySet[Campaign]:
    return campaign_list().filter(
        Q(campaign_id__icontains=query) | Q(display_name__icontains=query)
    )


# --- for other apps ------------------------------------------------------------------------


def sms_enabled_tns() -> QuerySet:
    """The numbers with SMS enabled in the mirror (AuditSMS), as a lazy queryset of TNs.

    The numbers list's "SMS" feature filter restricts itself to these.
    """
    return SMSNumber.objects.filter(gone_at__isnull=True, enabled=True).values_list("tn", flat=True)
