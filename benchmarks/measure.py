"""Small measuring tools: SQL statements through Django, and percentiles."""

from __future__ import annotations

import math
import statistics
import time


class StatementCounter:
    """A `connection.execute_wrapper` that counts what reaches the database.

    `executemany` counts once per parameter set: each is a statement PostgreSQL runs.
    """

    def __init__(self) -> None:
        self.statements = 0
        self.seconds: dict[str, float] = {}  # the first 120 characters of a statement -> time

    def __call__(self, execute, sql, params, many, context):
        if many:
            params = list(params)
            self.statements += len(params)
        else:
            self.statements += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            head = " ".join(str(sql).split())[:120]
            self.seconds[head] = self.seconds.get(head, 0.0) + time.perf_counter() - started

    def slowest(self, count: int = 8) -> list[tuple[str, float]]:
        return sorted(self.seconds.items(), key=lambda item: -item[1])[:count]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95: share=0.95)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered))) - 1
    return ordered[min(rank, len(ordered) - 1)]
