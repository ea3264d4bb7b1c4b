"""The /numbers/ list as a logged-in person sees it: server time and queries per request."""

from __future__ import annotations

import time

from benchmarks.measure import median, percentile

USERNAME = "bench.viewer"


def viewer_client():
    """A Django test Client logged in as a Viewer (the least privileged role that sees the list)."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    # No setup_test_environment(): its template instrumentation copies every context and
    # would be measured too. run.py allows the test client's host ("testserver") instead.
    user, created = User.objects.get_or_create(username=USERNAME)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Viewer"))
    client = Client()
    client.force_login(user)
    return client


def list_views() -> dict[str, dict[str, str]]:
    """The three views measured: no filter; state + endpoint group; digits search.

    Values are taken from the data (the busiest state and endpoint group, digits from the
    middle of a number) so the filters match real rows at any size.
    """
    from django.db.models import Count

    from dids.models import DID

    active = DID.objects.filter(gone_at__isnull=True)
    busiest = (
        active.values("state", "endpoint_id").annotate(total=Count("pk")).order_by("-total").first()
    )
    assert busiest is not None, "the list page is measured on a synced mirror"
    middle = active.order_by("tn").values_list("tn", flat=True)[active.count() // 2]
    return {
        "no_filter": {},
        "state_and_endpoint_group": {
            "state": busiest["state"],
            "endpoint_id": str(busiest["endpoint_id"]),
        },
        "digits_search": {"q": middle[3:8]},
    }


def measure_list(*, requests: int) -> dict:
    """Median and p95 milliseconds and queries per request for each view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = viewer_client()
    figures = {}
    for name, params in list_views().items():
        client.get("/numbers/", params)  # warm caches and the connection, not counted
        timings, queries = [], []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/numbers/", params)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"/numbers/ {params} answered {response.status_code}")
            queries.append(len(captured))
        figures[name] = {
            "params": params,
            "median_ms": median(timings),
            "p95_ms": percentile(timings, 0.95),
            "queries": max(queries),
        }
    return figures
