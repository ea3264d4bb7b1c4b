from django import forms

from . import selectors
from .services import MAX_NUMBERS_PER_CHECK


class PortabilityCheckForm(forms.Form):
    numbers = forms.CharField(
        label="Numbers",
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "class": "form-control form-control-sm font-monospace",
                "placeholder": "One number per line, or separated by commas: 435-215-4006, (212) 555-0100, +1 303 555 0199",
            }
        ),  # fmt: skip
        help_text=f"Up to {MAX_NUMBERS_PER_CHECK:,} numbers, in any common format. Repeats are checked once.",
        max_length=100_000,
    )


class PortFilterForm(forms.Form):
    """The active ports list's filters; the query string is the filter."""

    status = forms.ChoiceField(required=False)
    foc = forms.ChoiceField(required=False, choices=selectors.FOC_CHOICES, label="FOC date")
    changed = forms.BooleanField(required=False, label="FOC changed since I last looked")
    following = forms.BooleanField(required=False, label="Ports I follow")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", "Any status")] + [
            (s, s.title()) for s in selectors.port_status_choices()
        ]
        for name in ("status", "foc"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("changed", "following"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def filters(self) -> selectors.PortFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.PortFilters(
            status=data.get("status", ""), foc=data.get("foc", ""), changed=bool(data.get("changed")),
            following=bool(data.get("following")),
        )  # fmt: skip
