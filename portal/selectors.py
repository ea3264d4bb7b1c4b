"""Reads for the portal's own pages: dashboard panels, provider log, health."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

from django.db.models import OuterRef, QuerySet, Subquery

from portal.models import ProviderCall, SyncRun

# The numbers app answers "what is the prepaid balance?" by defining this function
# (keyword-only, no arguments) returning an object with `amount` (Decimal) and `read_at`
# (datetime) — a dids.PrepaidBalanceReading fits — or None when it has no reading yet. Until it exists the dashboard says
# "unknown"; the portal never calls VI itself to render a page.
PREPAID_BALANCE_SELECTOR = ("dids.selectors", "prepaid_balance_latest")


@dataclass(frozen=True)
class BalanceReading:
    amount: Decimal
    read_at: datetime


def sync_runs_latest_per_kind() -> list[SyncRun]:
    """The newest run of each sync kind (running, finished or held), by kind."""
    newest_of_kind = (
        SyncRun.objects.filter(kind=OuterRef("kind"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    # A correlated subquery rather than DISTINCT ON, which SQLite (`make run`) lacks.
    return list(
        SyncRun.objects.filter(pk=Subquery(newest_of_kind))
        .select_related("requested_by")
        .order_by("kind")
    )


def provider_calls_failed_recent(*, limit: int = 10) -> list[ProviderCall]:
    return list(
        ProviderCall.objects.exclude(outcome=ProviderCall.Outcome.OK)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def prepaid_balance_latest() -> BalanceReading | None:
    module_name, function_name = PREPAID_BALANCE_SELECTOR
    try:
        if find_spec(module_name) is None:
            return None
    except ModuleNotFoundError:  # its package is not there either
        return None
    selector = getattr(import_module(module_name), function_name, None)
    if selector is None:
        return None
    reading = selector()
    if reading is None:
        return None
    return BalanceReading(amount=reading.amount, read_at=reading.read_at)


def provider_calls_all() -> QuerySet[ProviderCall]:
    """Base queryset of the provider log; the filter set narrows it."""
    return ProviderCall.objects.select_related("actor").order_by("-created_at", "-id")


def provider_call_operations() -> list[str]:
    """Operations that appear in the log, for the filter's choices."""
    return list(
        ProviderCall.objects.order_by("operation").values_list("operation", flat=True).distinct()
    )
