"""Template helpers for the numbers pages."""

from django import template
from django.template import TemplateDoesNotExist

register = template.Library()


@register.simple_tag(takes_context=True)
def optional_include(context, template_name: str, **extra):
    """Include `template_name` if an installed app provides it, else render nothing.

    The number page leaves slots for the 911, SMS and port panels of other apps; an app
    that is not built yet (or is switched off) must not break the page.
    """
    try:
        included = context.template.engine.get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    with context.push(**extra):
        return included.render(context)


@register.filter
def tn_format(value: str) -> str:
    """4352154006 -> (435) 215-4006; anything that is not 10 digits is shown as is."""
    text = str(value or "")
    if len(text) == 10 and text.isdigit():
        return f"({text[:3]}) {text[3:6]}-{text[6:]}"
    return text


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (sort links, pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (names of endpoint groups by id); "" when absent."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
