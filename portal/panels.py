"""The portal's own dashboard panels; domain apps add theirs (see portal/dashboard.py)."""

from django.http import HttpRequest

from portal import dashboard, selectors


@dashboard.panel(title="Last sync", order=10, name="portal.last_sync", width=6, padded=False)
def last_sync(request: HttpRequest) -> tuple[str, dict]:
    return "portal/panels/last_sync.html", {"runs": selectors.sync_runs_latest_per_kind()}


@dashboard.panel(title="Prepaid balance", order=20, name="portal.prepaid_balance", width=6)
def prepaid_balance(request: HttpRequest) -> tuple[str, dict]:
    return "portal/panels/prepaid_balance.html", {"reading": selectors.prepaid_balance_latest()}


@dashboard.panel(
    title="Recent provider errors", order=30, name="portal.provider_errors", width=12, padded=False
)
def provider_errors(request: HttpRequest) -> tuple[str, dict]:
    return "portal/panels/provider_errors.html", {
        "calls": selectors.provider_calls_failed_recent(limit=10)
    }
