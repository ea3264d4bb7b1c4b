"""The dashboard's messaging panel: the numbers carriers will block, campaigns to act on."""

from django.http import HttpRequest

from messaging import selectors
from portal import dashboard


@dashboard.panel(title="Messaging (10DLC)", order=40, name="messaging.attention", width=6)
def messaging_attention(request: HttpRequest) -> tuple[str, dict]:
    return "messaging/panels/attention.html", {"attention": selectors.messaging_attention()}
