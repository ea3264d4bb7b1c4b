"""Small measuring tools: SQL statements through Django, and percentiles."""

from __future__ import annotations

import math
import statistics


class StatementCounter:
    """A `connection.execute_wrapper` that counts what reaches the database.

    `executemany` counts once per parameter set: each is a statement PostgreSQL runs.
    """

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        if many:
            params = list(params)
            self.statements += len(params)
        else:
            self.statements += 1
        return execute(sql, params, many, context)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95: share=0.95)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered))) - 1
    return ordered[min(rank, len(ordered) - 1)]
