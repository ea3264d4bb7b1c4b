"""What a reconcile reports, and the judgement both reconcile paths share: hold a shrink."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.conf import settings

from portal.sync.context import SyncContext


class ShrinkHeld(Exception):
    """The audit would remove too much at once; nothing was applied."""

    def __init__(self, message: str, counts: Mapping[str, int]):
        super().__init__(message)
        self.message = message
        self.counts = dict(counts)


@dataclass
class ReconcileCounts:
    seen: int = 0
    created: int = 0
    updated: int = 0
    returned: int = 0
    gone: int = 0
    unchanged: int = 0
    # Rows changed by staff after the audit was requested, left for the next sync.
    kept_local: int = 0
    # Records listed twice in one audit (the first one counts).
    duplicates: int = 0
    # Records with a value the mirror cannot store: kept aside (portal.sync.setaside), not applied.
    set_aside: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def hold_if_shrunk(
    *,
    run: SyncContext,
    counts: ReconcileCounts,
    pending: Mapping[str, int],
    gone: int,
    active: int,
    title: str,
    step: str | None,
) -> None:
    """Raise ShrinkHeld (recording the figures) for an empty or sharply shrunken audit.

    `pending` holds what would be created, updated and returned. A confirmed run, or a
    mirror with no active rows, is never held.
    """
    if run.confirmed or not active:
        return
    limit = settings.SYNC_MAX_GONE_FRACTION
    if counts.seen == 0:
        reason = f"VI's audit listed no {title} while the portal has {active:,} active."
    elif gone > limit * active:
        reason = (
            f"VI's audit would mark {gone:,} of {active:,} active {title} gone "
            f"({gone / active:.0%}, more than the {limit:.0%} allowed at once)."
        )
    else:
        return
    figures = {
        **counts.as_dict(),
        "created": pending["create"],
        "updated": pending["update"],
        "returned": pending["return"],
        "gone": gone,
        "active": active,
    }
    run.set_counts(figures, step=step)
    raise ShrinkHeld(f"{reason} Nothing was applied; a person may confirm it.", figures)
