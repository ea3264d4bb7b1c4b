"""What every page's layout needs: the navigation and who is signed in."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from portal.auth_backends import role_names

# (label, URL name). An entry shows only once its app has wired the URL, so the menu
# grows as the domain apps land and never links to a 404.
NAVIGATION = [
    ("Dashboard", "dashboard"),
    ("Numbers", "dids:list"),
    ("Customers", "customers:list"),
    ("911", "e911:index"),
    ("Messaging", "messaging:index"),
    ("Porting", "porting:index"),
    ("Compliance", "compliance:index"),
    ("Sync", "sync:index"),
    ("Provider log", "provider_log"),
]


@dataclass(frozen=True)
class NavigationEntry:
    label: str
    url: str
    active: bool


def _current_section(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    # "dids:detail" belongs to the "dids:list" entry: compare namespaces when there is one.
    return match.namespace or match.view_name


def _entry_section(url_name: str) -> str:
    return url_name.split(":", 1)[0] if ":" in url_name else url_name


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = _current_section(request)
    entries = []
    for label, url_name in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        entries.append(
            NavigationEntry(label=label, url=url, active=current == _entry_section(url_name))
        )
    if user.is_staff:
        entries.append(NavigationEntry(label="Admin", url=reverse("admin:index"), active=False))
    roles = role_names(user)
    if user.is_superuser:
        roles = ["Superuser", *roles]
    return {"navigation": entries, "user_roles": roles}
