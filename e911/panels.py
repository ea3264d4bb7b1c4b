"""The 911 dashboard panel: how many owned numbers need 911 attention, each a link."""

from django.http import HttpRequest

from portal import dashboard

from . import selectors


@dashboard.panel(title="911 compliance", order=25, name="e911.compliance", width=6)
def compliance(request: HttpRequest) -> tuple[str, dict]:
    return "e911/panels/compliance.html", {
        "counts": selectors.compliance_counts(),
        "problems": selectors.PROBLEMS,
    }
