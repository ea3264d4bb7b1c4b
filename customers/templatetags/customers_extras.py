from django import template

from customers.saved_views import saved_views_for

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_views(context) -> list:
    """The signed-in person's saved views of the numbers list (own and shared)."""
    request = context.get("request")
    return saved_views_for(user=getattr(request, "user", None))
