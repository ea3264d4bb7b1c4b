from django import template

from portal.events import drift

register = template.Library()


@register.inclusion_tag("events/_number_drift.html")
def number_drift(tn, request_path=""):
    events = drift.number_drift(tn=str(tn))
    for event in events:
        event.pairs = [(name.replace("_", " "), (event.before or {}).get(name), value)
                       for name, value in (event.after or {}).items()]
    return {"events": events, "tn": tn, "next": request_path}
