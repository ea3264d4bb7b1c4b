from typing import Any

from django import template
from django.template.context import Context

from portal.events import drift
from portal.events.models import Event, Follow

register = template.Library()


def _pairs(event: Event) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field the change touched, named in words."""
    return [
        (name.replace("_", " "), (event.before or {}).get(name), value)
        for name, value in (event.after or {}).items()
    ]


@register.inclusion_tag("events/_number_drift.html", takes_context=True)
def number_drift(context: Context, tn: str) -> dict[str, Any]:
    events = [(event, _pairs(event)) for event in drift.number_drift(tn=str(tn))]
    request = context.get("request")
    user = getattr(request, "user", None)
    followed = bool(
        user
        and user.is_authenticated
        and Follow.objects.filter(user=user, subject_kind="number", subject_key=str(tn)).exists()
    )
    return {
        "events": events,
        "tn": tn,
        "followed": followed,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
    }
