"""The numbers app's dashboard panel: prepaid balance with a low-balance warning."""

from django.http import HttpRequest

from dids import selectors
from dids.views.endpoint_groups import low_balance_threshold
from portal import dashboard


# Same name as the portal's placeholder balance panel: this one replaces it.
@dashboard.panel(title="Prepaid balance", order=20, name="portal.prepaid_balance", width=6)
def prepaid_balance(request: HttpRequest) -> tuple[str, dict]:
    reading = selectors.prepaid_balance_latest()
    threshold = low_balance_threshold()
    return "dids/panels/balance.html", {
        "reading": reading,
        "threshold": threshold,
        "low": reading is not None and reading.amount < threshold,
    }
