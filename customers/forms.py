"""The Customers pages' inputs: list filters, and moving numbers to another client."""

from django import forms

from dids.forms import TNListField

from .selectors import SORT_KEYS

SORT_CHOICES = [(key, key) for key in SORT_KEYS] + [(f"-{key}", key) for key in SORT_KEYS]


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "") if self.is_valid() else ""

    def chosen_sort(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or "name"


class MoveNumbersForm(forms.Form):
    """Selected numbers and the endpoint group (of another client) they go to."""

    tns = TNListField()
    target_group = forms.TypedChoiceField(
        label="Move to", coerce=int, empty_value=None,
        error_messages={"required": "Choose the client (and its endpoint group) to move the numbers to.",
                        "invalid_choice": "Choose one of the clients' endpoint groups."},
    )

    def __init__(self, *args, targets: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_group"].choices = [("", "— choose —"), *targets]
