"""The port history panel rendered straight into the number page."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def porting_number_panel(context, tn: str):
    from porting.views.number import panel_context

    return render_to_string(
        "porting/_panel.html", panel_context(tn=tn), request=context.get("request")
    )


@register.filter
def port_status_colour(status: str | None) -> str:
    return {
        "PENDING SIGNATURE": "secondary", "SUBMITTED": "info", "FOC RECEIVED": "primary",
        "COMPLETED": "success", "CANCELLED": "dark", "REJECTED": "danger",
    }.get((status or "").upper(), "secondary")  # fmt: skip


@register.filter
def verdict_colour(verdict: str | None) -> str:
    return {
        "portable": "success",
        "not_portable": "warning",
        "invalid": "danger",
        "error": "danger",
    }.get(verdict or "", "secondary")
