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
        label="Move to",
        coerce=int,
        empty_value=None,
        error_messages={
            "required": "Choose the client (and its endpoint group) to move the numbers to.",
            "invalid_choice": "Choose one of the clients' endpoint groups.",
        },
    )

    def __init__(self, *args, targets: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field = self.fields["target_group"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [("", "— choose —"), *targets]


class BillingForm(forms.Form):
    """Which month (YYYY-MM) and which client (all when empty) to export."""

    month = forms.CharField(
        label="Month",
        max_length=7,
        required=True,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    client = forms.CharField(label="Client", max_length=64, required=False)

    def clean_month(self):
        from .billing import Month

        try:
            return Month.parse(self.cleaned_data["month"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_client(self):
        from dids.models import Client

        vi_id = (self.cleaned_data.get("client") or "").strip()
        if not vi_id:
            return None
        client = Client.objects.filter(vi_id=vi_id).first()
        if client is None:
            raise forms.ValidationError("There is no such client.")
        return client


class ReferenceUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file", error_messages={"required": "Choose a CSV file to check."}
    )


class BulkReferenceForm(forms.Form):
    """One reference for the numbers selected in the list (empty clears it)."""

    tns = TNListField()
    reference = forms.CharField(label="Reference", required=False, max_length=100, strip=True)

    def clean_reference(self) -> str:
        from dids.services import reference_clean

        return reference_clean(self.cleaned_data.get("reference") or "")
