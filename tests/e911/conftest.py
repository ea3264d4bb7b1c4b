"""911 test helpers: a mirror filled from the sandbox by the real syncs, and numbers to use."""

from __future__ import annotations

import pytest

from dids.models import DID
from e911.models import Location
from portal.models import SyncRun
from portal.sync import sync_execute

# An address the sandbox (like VI's provider) can place, and one it cannot (see the
# docstring of portal/sandbox/domains/e911.py: "NOWHERE" streets never geocode).
GOOD = dict(
    address1="350 S 200 E",
    address2="",
    city="Salt Lake City",
    state="UT",
    zip_code="84111",
    caller_name="Front Desk",
)
BAD = dict(
    address1="1 Nowhere Rd",
    address2="",
    city="Salt Lake City",
    state="UT",
    zip_code="84111",
    caller_name="Front Desk",
)


@pytest.fixture
def synced(sandbox, db):
    """Both mirrors as the scheduled syncs would leave them."""
    for kind in ("dids", "e911"):
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


@pytest.fixture
def number_without_911(synced) -> str:
    """An owned number with no 911 location at VI."""
    with_location = Location.objects.filter(gone_at__isnull=True).values("tn")
    return (
        DID.objects.filter(gone_at__isnull=True)
        .exclude(tn__in=with_location)
        .order_by("tn")
        .values_list("tn", flat=True)[0]
    )


@pytest.fixture
def number_with_911(synced) -> str:
    return (
        Location.objects.filter(
            gone_at__isnull=True,
            status_code="PROVISIONED",
            tn__in=DID.objects.filter(gone_at__isnull=True).values("tn"),
        )
        .order_by("tn")
        .values_list("tn", flat=True)[0]
    )
