"""The porting dashboard panel: active ports at a glance and the latest changes a sync saw."""

import datetime

from django.http import HttpRequest
from django.utils import timezone

from portal import dashboard

from . import selectors


@dashboard.panel(title="Ports", order=40, name="porting.recent", width=6)
def recent(request: HttpRequest) -> tuple[str, dict]:
    since = timezone.now() - datetime.timedelta(days=7)
    return "porting/panels/recent.html", {
        "counts": selectors.porting_counts(),
        "events": selectors.events_recent(since=since, limit=8),
    }
