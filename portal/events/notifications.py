"""A person's notifications: what they subscribed to, unread count for the bell, e-mail once."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.events.models import Notification, Subscription
from portal.events.types import EventType
from portal.models import Source


def for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("event").order_by("-id")


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# A person's own inbox, subscriptions and follows: they act for themselves (the actor, a
# signed-in User: never None); `source` says from where, as for every service.


def mark_read(*, actor: User, source: Source) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def subscriptions_of(*, user) -> dict[str, Subscription]:
    return {s.type: s for s in Subscription.objects.filter(user=user)}


def subscriptions_set(
    *, actor: User, source: Source, types: Iterable[str], followed_only: bool, by_email: bool
) -> int:
    """Replace a person's subscriptions; unknown types are ignored."""
    wanted = [t for t in dict.fromkeys(types) if t in EventType.values]
    scope = Subscription.Scope.FOLLOWED if followed_only else Subscription.Scope.ALL
    with transaction.atomic():
        Subscription.objects.filter(user=actor).delete()
        Subscription.objects.bulk_create(
            Subscription(user=actor, type=t, scope=scope, by_email=by_email) for t in wanted
        )
    return len(wanted)


def email_pending(*, limit: int = 200) -> int:
    """E-mail notifications whose subscriber asked for it, each at most once (emailed_at claimed first)."""
    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(
                emailed_at__isnull=True,
                read_at__isnull=True,
                user__event_subscriptions__by_email=True,
                user__event_subscriptions__type=models_type_ref(),
            )
            .select_related("event", "user")
            .select_for_update(skip_locked=True, of=("self",))[:limit]
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
    for note in rows:
        if note.user.email and note.user.is_active:
            send_mail(
                subject=f"{note.event.get_type_display()}: {note.event.subject_key}",
                message=_mail_text(note),
                from_email=None,
                recipient_list=[note.user.email],
                fail_silently=True,
            )
            sent += 1
    return sent


def models_type_ref():
    from django.db.models import F

    return F("event__type")


def _mail_text(note: Notification) -> str:
    event = note.event
    lines = [
        f"{event.get_type_display()} — {event.get_subject_kind_display()} {event.subject_key}",
        f"When: {event.occurred_at:%Y-%m-%d %H:%M} UTC",
        f"Source: {event.get_source_display()}",
    ]
    for name, value in (event.after or {}).items():
        lines.append(f"{name.replace('_', ' ')}: {(event.before or {}).get(name)!s} -> {value!s}")
    return "\n".join(lines)


def follow_set(
    *, actor: User, source: Source, subject_kind: str, subject_key: str, follow: bool
) -> bool:
    """Follow (or stop following) a number, client, campaign or port; returns whether followed now."""
    from portal.events.models import Follow
    from portal.events.types import SubjectKind

    if subject_kind not in SubjectKind.values or not subject_key:
        return False
    key = str(subject_key)[:64]
    if follow:
        Follow.objects.get_or_create(user=actor, subject_kind=subject_kind, subject_key=key)
        return True
    Follow.objects.filter(user=actor, subject_kind=subject_kind, subject_key=key).delete()
    return False


def follows(*, user_ids) -> set[tuple[int, str, str]]:
    """(user id, kind, key) each of these people follows — here, and ports followed on the Porting pages."""
    from portal.events.models import Follow
    from porting.models import (
        PortFollow,  # read-only: a port followed there is followed for notifications too
    )

    found = {
        (f.user_id, f.subject_kind, f.subject_key)
        for f in Follow.objects.filter(user_id__in=user_ids)
    }
    found |= {
        (user_id, "port", str(vi_id))
        for user_id, vi_id in PortFollow.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "port__vi_id"
        )
    }
    return found
