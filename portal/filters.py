"""Filters of the provider log (django-filter); the URL's query string is the filter."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model

from portal import selectors
from portal.models import ProviderCall, Source


def _operation_choices() -> list[tuple[str, str]]:
    return [(operation, operation) for operation in selectors.provider_call_operations()]


class ProviderCallFilter(django_filters.FilterSet):
    operation = django_filters.ChoiceFilter(choices=_operation_choices, empty_label="Any operation")
    outcome = django_filters.ChoiceFilter(
        choices=ProviderCall.Outcome.choices, empty_label="Any outcome"
    )
    source = django_filters.ChoiceFilter(choices=Source.choices, empty_label="Any source")
    actor = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.order_by("username"), empty_label="Anyone"
    )
    response_code = django_filters.NumberFilter(
        label="Code",
        widget=forms.NumberInput(attrs={"style": "width: 7rem", "placeholder": "e.g. 104235"}),
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ProviderCall
        fields = [
            "operation",
            "outcome",
            "source",
            "actor",
            "response_code",
            "date_from",
            "date_to",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
