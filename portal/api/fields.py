"""Telephone numbers at the edge: E.164 (+1 and ten digits) in and out; VI's ten digits inside."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dids.numbers import normalize_tn

E164_PATTERN = r"^\+1[2-9][0-9]{2}[2-9][0-9]{6}$"
_E164 = re.compile(E164_PATTERN)


def to_e164(tn: str | None) -> str | None:
    return f"+1{tn}" if tn else None


def from_e164(value) -> str:
    """'+14352154006' -> '4352154006'; anything else is refused with plain words."""
    if not isinstance(value, str) or not _E164.match(value):
        raise serializers.ValidationError(
            "Give the number in E.164 form: +1 and ten digits, e.g. +14352154006."
        )
    try:
        return normalize_tn(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None


@extend_schema_field({"type": "string", "pattern": E164_PATTERN, "example": "+14352154006"})
class E164Field(serializers.Field):
    def to_internal_value(self, data) -> str:
        return from_e164(data)

    def to_representation(self, value) -> str | None:
        return to_e164(value)


def e164_or_none(tn: str | None) -> str | None:
    return to_e164(tn)


__all__ = ["E164Field", "E164_PATTERN", "from_e164", "to_e164", "OpenApiTypes"]
