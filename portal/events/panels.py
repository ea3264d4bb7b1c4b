"""The dashboard panel: open changes made at VI outside the portal, by kind."""

from typing import Any

from django.http import HttpRequest

from portal import dashboard
from portal.events import drift


@dashboard.panel(title="Changed outside the portal", order=35, name="events.drift")
def drift_panel(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    counts = drift.drift_counts()
    return "events/panels/drift.html", {
        "counts": counts,
        "total": sum(count for _label, count in counts),
    }
