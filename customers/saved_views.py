"""Saved views of the numbers list: a name for a set of filters, private or shared.

A saved view is the list's query string, kept to the filters the list knows (never a page
position), so opening it later shows the numbers matching those filters then. Anyone may keep
private views; shared ones are seen by everyone and managed by holders of
`customers.manage_shared_views` (Administrators).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from portal.actor import Actor
from portal.models import Source

from .models import SavedView

MANAGE_SHARED = "customers.manage_shared_views"
# The numbers list's filters (dids.filters.DIDFilterForm) and its sort; paging is left out.
FILTER_KEYS = (
    "q",
    "show",
    "state",
    "rate_center",
    "endpoint_id",
    "client",
    "reference",
    "did_group_id",
    "tier",
    "e911",
    "features",
    "sort",
)
MAX_PER_USER = 100

# What these services raise for a person to read (invalid input is a ValidationError).
EXPECTED_ERRORS: tuple[type[Exception], ...] = (PermissionDenied,)


def clean_query(raw: str) -> str:
    """The filters of a list query string, in a stable order; anything else dropped."""
    pairs = [
        (key, value)
        for key, value in parse_qsl(raw or "", keep_blank_values=False)
        if key in FILTER_KEYS
    ]
    pairs = [(key, value) for key, value in pairs if value.strip() and "\x00" not in value]
    query = urlencode(sorted(pairs, key=lambda pair: FILTER_KEYS.index(pair[0])))
    if len(query) > 2000:
        raise ValidationError("These filters are too long to save.")
    return query


def clean_name(raw: Any) -> str:
    name = (raw if isinstance(raw, str) else "").strip()
    if not name:
        raise ValidationError("Give the view a name.")
    if len(name) > 80:
        raise ValidationError("A name can be at most 80 characters.")
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise ValidationError("A name cannot hold control characters.")
    return name


def saved_views_for(*, user: Actor | AnonymousUser) -> list[SavedView]:
    """The user's own views and every shared one."""
    if user is None or not user.is_authenticated:
        return []
    return list(SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner"))


def _person(actor: Actor) -> User:
    """Saved views belong to a person: a sync or the system keeps none."""
    if actor is None:
        raise PermissionDenied("Only a signed-in person keeps saved views.")
    return actor


def saved_view_create(
    *, name: Any, query: str, shared: bool, actor: Actor, source: Source
) -> SavedView:
    """Keep the list's filters under a name. `source` is taken like every service's; a saved
    view is the person's own bookmark, not a mirror row, so it has no history to carry it."""
    user = _person(actor)
    if shared and not user.has_perm(MANAGE_SHARED):
        raise PermissionDenied("Only Administrators save shared views.")
    name, query = clean_name(name), clean_query(query)
    if not shared and SavedView.objects.filter(owner=user, shared=False).count() >= MAX_PER_USER:
        raise ValidationError(f"You have {MAX_PER_USER} saved views: delete one first.")
    return SavedView.objects.create(name=name, query=query, shared=shared, owner=user)


def saved_view_delete(*, pk: int, actor: Actor, source: Source) -> None:
    user = _person(actor)
    view = SavedView.objects.filter(pk=pk).first()
    if view is None:
        return
    allowed = user.has_perm(MANAGE_SHARED) if view.shared else view.owner_id == user.pk
    if not allowed:
        raise PermissionDenied("This view is not yours to delete.")
    view.delete()
