"""Every write the API offers, for every role: refused (403, before VI is asked) exactly when the
role lacks the permission the matching page needs, and never refused when it holds it."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver

from dids.models import DID
from portal.api.permissions import permission_of
from portal.models import ProviderCall
from tests.api.conftest import api_for

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")

# The permission each write needs, as its page needs it (docs/contracts.md's role table).
EXPECTED = {
    ("numbers/<str:tn>/", "patch"): "portal.operate_numbers",
    ("orders/", "post"): "portal.operate_numbers",
    ("releases/", "post"): "portal.release_numbers",
    ("numbers/<str:tn>/911/", "put"): "portal.operate_e911",
    ("numbers/<str:tn>/911/", "delete"): "portal.operate_e911",
    ("numbers/<str:tn>/911/validate/", "post"): "portal.operate_e911",
    ("numbers/<str:tn>/911/alerts/", "post"): "portal.operate_e911",
    ("numbers/<str:tn>/911/alerts/", "delete"): "portal.operate_e911",
    ("numbers/<str:tn>/sms/", "put"): "portal.operate_messaging",
    ("numbers/<str:tn>/sms/campaign/", "put"): "portal.operate_messaging",
    ("brands/", "post"): "portal.operate_messaging",
    ("campaigns/", "post"): "portal.operate_messaging",
    ("portability-checks/", "post"): "portal.check_portability",
    ("sync-runs/", "post"): "portal.run_sync",
}


def api_writes() -> list[tuple[str, str, type]]:
    """(route, method, view class) for every write method of every /api/v1/ route."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith(
                "api/v1/"
            ):
                view_class = getattr(pattern.callback, "view_class", None) or getattr(
                    pattern.callback, "cls", None
                )
                for method in WRITE_METHODS:
                    if view_class is not None and hasattr(view_class, method):
                        found.append((str(pattern.pattern), method, view_class))

    walk(get_resolver().url_patterns)
    return found


WRITES = api_writes()


def test_every_write_is_known_and_declares_the_pages_permission():
    assert {(route, method) for route, method, _ in WRITES} == set(EXPECTED)
    codenames = set(
        Permission.objects.filter(content_type__app_label="portal").values_list(
            "codename", flat=True
        )
    )
    for route, method, view_class in WRITES:
        permission = permission_of(view_class(), method)
        assert permission == EXPECTED[(route, method)], route
        assert permission.split(".")[1] in codenames


def _path(route: str, tn: str) -> str:
    path = route.replace("<str:tn>", f"+1{tn}")
    return "/api/v1/" + re.sub(r"<[^>]+>", "1", path)


@pytest.mark.parametrize(
    ("route", "method"), [(route, method) for route, method, _ in WRITES], ids=lambda v: str(v)
)
def test_each_role_is_refused_exactly_when_its_page_would_refuse(
    route, method, viewer, operator, administrator, synced
):
    tn = DID.objects.filter(gone_at__isnull=True).order_by("tn").values_list("tn", flat=True)[0]
    needed = EXPECTED[(route, method)]
    for user in (viewer, operator, administrator):
        api = api_for(user)
        before = ProviderCall.objects.count()
        response = getattr(api, method)(_path(route, tn), {})
        if user.has_perm(needed):
            assert response.status_code != 403, (
                user.username,
                route,
                method,
                response.content[:200],
            )
        else:
            assert response.status_code == 403, (user.username, route, method, response.status_code)
            assert response["Content-Type"] == "application/problem+json"
            assert ProviderCall.objects.count() == before
