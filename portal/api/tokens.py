"""Creating, finding and revoking API tokens. Only this module writes ApiToken rows."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "vip_"  # tells a leaked token apart in a log or a secret scanner
MANAGE_USERS = "portal.manage_users"
# last_used_at is written at most this often per token: not a write on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _may_manage(*, actor, owner) -> bool:
    return actor.pk == owner.pk or actor.has_perm(MANAGE_USERS)


def token_create(*, owner, name: str, actor) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns the row and the token itself, which is never kept."""
    if not _may_manage(actor=actor, owner=owner):
        raise PermissionDenied("Only Administrators create tokens for someone else.")
    name = (name or "").strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise ValidationError(
            "Give the token a name of at most 100 characters.", code="invalid_name"
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=owner, name=name, prefix=raw[:12], digest=_digest(raw), created_by=actor
    )
    return token, raw


def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if not _may_manage(actor=actor, owner=token.user):
        raise PermissionDenied("Only Administrators revoke someone else's tokens.")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        token.refresh_from_db()
    return token


def token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token `raw` is, with its user, or None. Marks it used (coarsely)."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(*, owner) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=owner).select_related("created_by", "revoked_by")


def tokens_all() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user", "created_by", "revoked_by").order_by(
        "user__username", "-created_at"
    )
