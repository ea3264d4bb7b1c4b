"""A number's port history on its page (the numbers app's `porting/_number_panel.html` slot)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from porting import selectors, services


def panel_context(*, tn: str, error: dict | None = None) -> dict:
    return {
        "tn": tn,
        "known": selectors.number_history_known(tn=tn),
        "entries": selectors.number_port_history(tn=tn),
        "ports": selectors.number_ports(tn=tn),
        "error": error,
    }


def history(request: HttpRequest, tn: str) -> HttpResponse:
    """The panel; asks VI (GetPortHistory) the first time, or again with ?refresh=1.

    Only reads VI and keeps what it said, so anyone who may see the number may ask.
    """
    error: dict | None = None  # for templates/components/vi_alert.html
    if request.GET.get("refresh") == "1" or not selectors.number_history_known(tn=tn):
        try:
            services.number_history_fetch(tn=tn, actor=request.user)
        except ProviderUnavailable as failure:
            error = {"unavailable": True, "message": failure.message}
        except ProviderRejected as refusal:
            error = {"message": refusal.message, "code": refusal.code}
    return render(request, "porting/_panel.html", panel_context(tn=tn, error=error))
