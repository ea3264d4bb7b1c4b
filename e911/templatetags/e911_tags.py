"""The 911 panel rendered straight into the number page (no second request to load it)."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def e911_number_panel(context, tn: str):
    from e911.views.number import auto_fetch_alerts, panel_context

    request = context["request"]
    auto_fetch_alerts(request, tn)
    return render_to_string("e911/_panel.html", panel_context(request, tn), request=request)


@register.filter
def e911_status_colour(status: str | None) -> str:
    return {
        "PROVISIONED": "success",
        "GEOCODED": "warning",
        "INVALID": "danger",
        "ARCHIVED": "secondary",
    }.get((status or "").upper(), "secondary")


@register.filter
def e911_status_words(status: str | None) -> str:
    """VI's 911 status as a sentence for staff (e911.words), not VI's own sentence."""
    from e911.words import status_words

    return status_words(status)
