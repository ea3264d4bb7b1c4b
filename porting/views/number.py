"""A number's port history on its page (the numbers app's `porting/_number_panel.html` slot)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.staff_errors import StaffError, attempt
from porting import selectors, services


def panel_context(*, tn: str, error: StaffError | None = None) -> dict[str, Any]:
    return {
        "tn": tn,
        "known": selectors.number_history_known(tn=tn),
        "entries": selectors.number_port_history(tn=tn),
        "ports": selectors.number_ports(tn=tn),
        "error": error,  # for templates/components/staff_error.html
    }


@require_GET
def history(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """The panel; asks VI (GetPortHistory) the first time, or again with ?refresh=1.

    Only reads VI and keeps what it said, so anyone who may see the number may ask.
    """
    error: StaffError | None = None
    if request.GET.get("refresh") == "1" or not selectors.number_history_known(tn=tn):
        fetched = attempt(
            lambda: services.number_history_fetch(tn=tn, actor=request.user, source=Source.STAFF),
            expected=services.EXPECTED_ERRORS,
        )
        error = fetched.error
    return render(request, "porting/_panel.html", panel_context(tn=tn, error=error))
