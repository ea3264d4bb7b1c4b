"""`{{ brand.entity_type|plain:"entity_type" }}`: VI's enumeration values as plain words."""

from django import template

from messaging import words

register = template.Library()


@register.filter
def plain(value, kind: str) -> str:
    return words.plain(kind, value)


@register.filter
def plain_list(value, kind: str) -> str:
    return words.plain_list(kind, value)


@register.filter
def field_words(shown, name) -> str:
    """`{{ item.after|field_words:item.name }}`: a history value of one of VI's lists, in words."""
    return words.field_value(str(name), str(shown))
