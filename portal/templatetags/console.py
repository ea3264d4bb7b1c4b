"""How the console writes figures, money, dates and names: the same way on every page.

`{% load console %}` then:
  {{ count|number }}            3,217        (None -> "—")
  {{ amount|money }}            $2,500.00    (negative: -$12.50)
  {{ share|percent }}           92.4 %       (a 0-100 value; None -> "—")
  {{ moment|when }}             <time title="3 hours ago">Nov 30, 2026 09:15 EST</time>
  {{ run.kind|kind_words }}     Numbers      (sync kinds and app names in staff's words)
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

EMPTY = "—"

# Internal names that reach a page (sync kinds, app labels, model names) -> staff's words.
_WORDS = {
    "dids": "Numbers",
    "did": "Number",
    "dids.did": "Number",
    "e911": "911",
    "e911.location": "911 location",
    "messaging": "Messaging",
    "porting": "Porting",
    "porting.port": "Port",
    "messaging.smsnumber": "SMS settings",
    "messaging.brand": "10DLC brand",
    "messaging.campaign": "10DLC campaign",
    "dids.endpointgroup": "Endpoint group",
    "dids.didgroup": "DID group",
    "dids.client": "Client",
}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def number(value: Any) -> str:
    """A count with thousands separators; decimals kept only when there are any."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY if value in (None, "") else str(value)
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount.normalize():,f}"


@register.filter
def money(value: Any, currency: str = "$") -> str:
    """Dollars and cents with thousands separators: $2,500.00, -$12.50."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency}{abs(amount):,.2f}"


@register.filter
def percent(value: Any, places: int = 1) -> str:
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    text = f"{amount:.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"


@register.filter
def when(value: Any) -> str:
    """A moment in the portal's time zone (TIME_ZONE), with "how long ago" on hover."""
    if not isinstance(value, datetime.datetime):
        return EMPTY if value in (None, "") else str(value)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    shown = moment.strftime("%b %-d, %Y %H:%M %Z").strip()
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', moment.isoformat(), naturaltime(value), shown
    )


@register.filter
def kind_words(value: Any) -> str:
    """An internal name (a sync kind, an app or model label) in staff's words."""
    text = str(value or "")
    return _WORDS.get(text.lower(), text.replace("_", " ").capitalize() if text.islower() else text)
