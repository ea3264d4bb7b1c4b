from django import template

from portal.events import drift
from portal.events.models import Follow

register = template.Library()


@register.inclusion_tag("events/_number_drift.html", takes_context=True)
def number_drift(context, tn):
    events = drift.number_drift(tn=str(tn))
    for event in events:
        event.pairs = [
            (name.replace("_", " "), (event.before or {}).get(name), value)
            for name, value in (event.after or {}).items()
        ]
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
