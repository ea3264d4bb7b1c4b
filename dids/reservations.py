"""Reads of the portal's record of reservations: the buy page's tray of numbers VI holds.

Kept apart from `selectors.py` (the numbers list) because it answers one question for one
page: which reservations are still worth showing. Writes are in `dids.services`.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import DID, Reservation


def reservations_outstanding(*, now: datetime.datetime | None = None) -> list[Reservation]:
    """Reservations not bought, not let go and not expired, soonest to expire first.

    A number the mirror already holds is left out even if its reservation was never closed
    (bought at VI's own portal, or by a call the portal did not make).
    """
    now = now or timezone.now()
    owned = DID.objects.filter(tn=OuterRef("tn"), gone_at__isnull=True)
    return list(
        Reservation.objects.filter(ended_at__isnull=True, expires_at__gt=now)
        .exclude(Exists(owned))
        .select_related("reserved_by")
        .order_by("expires_at", "tn")
    )
