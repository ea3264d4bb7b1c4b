"""What a domain sync service receives: the run it works for, and ways to report on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.models import SyncRun
from portal.sync.runs import run_heartbeat


class SyncAbandoned(Exception):
    """The run was declared stale by another process while still working: stop now."""


@dataclass
class SyncContext:
    """Passed to every domain service as `run`.

    `counts` ends up in SyncRun.counts: flat when a kind reconciles once, keyed by step
    ("dids", "endpoint_groups", ...) when it has several.
    """

    run: SyncRun
    confirmed: bool = False
    counts: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.run.kind

    @property
    def actor(self):
        """The person who asked for the sync (None for the schedule)."""
        return self.run.requested_by

    def heartbeat(
        self, *, done: int | None = None, total: int | None = None, label: str | None = None
    ) -> None:
        if not run_heartbeat(
            run=self.run, done=done, total=total, label=label[:200] if label else None
        ):
            raise SyncAbandoned(f"Run #{self.run.pk} is no longer running.")

    def set_counts(self, figures: Mapping[str, Any], *, step: str | None = None) -> None:
        if step is None:
            self.counts.update(figures)
        else:
            self.counts[step] = dict(figures)
        # Written as it goes, so a held or failed run still shows what it saw.
        SyncRun.objects.filter(pk=self.run.pk).update(counts=self.counts)
        self.run.counts = self.counts


def total_counts(counts: dict[str, Any]) -> dict[str, int]:
    """Flat figures for display, summing the steps of a multi-step run."""
    totals: dict[str, int] = {}
    for name, value in counts.items():
        if isinstance(value, dict):
            for figure, number in value.items():
                if isinstance(number, int):
                    totals[figure] = totals.get(figure, 0) + number
        elif isinstance(value, int):
            totals[name] = totals.get(name, 0) + value
    return totals
