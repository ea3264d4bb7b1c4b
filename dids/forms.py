"""Forms of the numbers pages: every value is checked here, before any call to VI.

A form that does not validate is shown again with its errors and nothing is sent to VI.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from dids.numbers import normalize_tn, normalize_tns

# VI's rule for an outbound caller-ID name (UpdateCNAMDisplay, code 934; 15 characters per
# WIRE-FORMAT.md): one limit and one sentence for the panel's hint and this form's error
# (dids.services.cnam_name_validate checks the same rule for the admin and other callers).
CNAM_NAME_MAX = 15
CNAM_NAME_PATTERN = re.compile(rf"^[A-Za-z0-9 ]{{1,{CNAM_NAME_MAX}}}$")
CNAM_NAME_RULE = f"1 to {CNAM_NAME_MAX} letters, digits or spaces"
PIN_PATTERN = re.compile(r"^\d{8}$")


class TNListField(forms.Field):
    """Numbers from checkboxes (many values of one name) or a pasted block of text."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, label: str = "Numbers", **kwargs):
        super().__init__(label=label, **kwargs)

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        # Checkbox values and a pasted block (one textarea value) both end up as one text.
        text = value if isinstance(value, str) else "\n".join(str(item) for item in value)
        return normalize_tns(text) if text.strip() else []

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError("Select at least one number.", code="required")


class TNField(forms.CharField):
    """One telephone number in any common form, cleaned to VI's 10 digits."""

    def to_python(self, value) -> str:
        text = super().to_python(value)
        return normalize_tn(text) if text else ""


class EndpointGroupField(forms.TypedChoiceField):
    """An endpoint group picked from the mirror's list (VI's numeric id)."""

    def __init__(self, *, groups=(), **kwargs):
        kwargs.setdefault("label", "Endpoint group")
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.set_groups(groups)

    def set_groups(self, groups) -> None:
        self.choices = [("", "— choose —")] + [
            (group.vi_id, endpoint_group_choice_label(group)) for group in groups
        ]


def endpoint_group_choice_label(group) -> str:
    """ "Trunk 2 (8675)": the name staff know, VI's id after it, and a warning if VI has it off."""
    label = f"{group.name} ({group.vi_id})" if group.name else f"Endpoint group {group.vi_id}"
    return label if getattr(group, "active", True) else f"{label} — inactive at VI"


class _WithEndpointGroups(forms.Form):
    """A form with an endpoint group picker filled from the groups the caller passes in."""

    def __init__(self, *args, endpoint_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, EndpointGroupField):
                field.set_groups(endpoint_groups)


def clean_cnam_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not CNAM_NAME_PATTERN.match(name):
        raise ValidationError(f"A caller-ID name is {CNAM_NAME_RULE}.", code="invalid_cnam_name")
    return name


# --- list: bulk actions ---------------------------------------------------------------


class BulkConfigureForm(_WithEndpointGroups):
    tns = TNListField()
    endpoint_group = EndpointGroupField()
    cnam = forms.BooleanField(label="Inbound CNAM dip", required=False)


class BulkDIDGroupForm(forms.Form):
    tns = TNListField()
    did_group = forms.IntegerField(label="DID group id", min_value=1, required=False)
    remove = forms.BooleanField(label="Remove from their DID group", required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("remove") and not data.get("did_group"):
            raise ValidationError("Pick a DID group, or choose to remove the numbers from theirs.")
        return data


class ReleaseForm(forms.Form):
    tns = TNListField()
    confirm_count = forms.IntegerField(
        label="Type the number of numbers to release", min_value=0, required=True
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        tns = data.get("tns") or []
        if tns and data.get("confirm_count") is not None and data["confirm_count"] != len(tns):
            self.add_error(
                "confirm_count", f"Type {len(tns)} to confirm releasing {len(tns)} number(s)."
            )
        return data


# --- detail: one form per panel ----------------------------------------------------------


class ConfigureForm(_WithEndpointGroups):
    endpoint_group = EndpointGroupField()
    cnam = forms.BooleanField(label="Inbound CNAM dip", required=False)


class CNAMNameForm(forms.Form):
    # No max_length here: Django's own "at most N characters" would be a second, different
    # message; clean_cnam_name gives VI's rule in one sentence whatever was typed.
    name = forms.CharField(label="Caller-ID name", required=False, strip=True)
    hint = f"{CNAM_NAME_RULE[0].upper()}{CNAM_NAME_RULE[1:]}."
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        if self.data.get("remove"):
            return ""
        return clean_cnam_name(self.cleaned_data["name"])


class ForwardForm(_WithEndpointGroups):
    forward = TNField(label="Forward to", required=False)
    endpoint_group = EndpointGroupField(required=False, label="Back to endpoint group")
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("remove"):
            if not data.get("endpoint_group"):
                self.add_error("endpoint_group", "Pick the endpoint group calls go to instead.")
        elif not data.get("forward") and "forward" not in self.errors:
            self.add_error("forward", "Enter the number to forward to.")
        return data


class FailoverForm(forms.Form):
    failover = TNField(label="Failover to (blank removes)", required=False)


NEW_DID_GROUP = "new"
DID_GROUP_NAME_MAX = 200


class DIDGroupForm(forms.Form):
    """Pick one of the account's DID groups by name, or choose "a new group" and name it.

    There is no id box: a person knows groups by name. A name typed while an existing group
    is picked is an error, never silently ignored (issue 11: it used to save the old id and
    report success).
    """

    did_group = forms.ChoiceField(label="DID group", required=False)
    new_group_name = forms.CharField(label="New group's name", required=False, strip=True)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, did_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field = self.fields["did_group"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = (
            [("", "— choose —")]
            + [(str(group.vi_id), f"{group.name} ({group.vi_id})" if group.name else f"DID group {group.vi_id}")
               for group in did_groups]
            + [(NEW_DID_GROUP, "A new group, named below…")]
        )  # fmt: skip

    def clean_new_group_name(self) -> str:
        name = " ".join((self.cleaned_data.get("new_group_name") or "").split())
        if len(name) > DID_GROUP_NAME_MAX:
            raise ValidationError(
                f"A DID group's name is at most {DID_GROUP_NAME_MAX} characters.", code="too_long"
            )
        return name

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("remove"):
            return data
        choice, name = data.get("did_group") or "", data.get("new_group_name") or ""
        if "did_group" in self.errors or "new_group_name" in self.errors:
            return data
        if choice == NEW_DID_GROUP:
            if not name:
                self.add_error("new_group_name", "Type the new group's name.")
        elif not choice:
            self.add_error("did_group", "Pick a DID group, or “A new group” and type its name.")
        elif name:
            self.add_error(
                "new_group_name",
                "To create a group, pick “A new group” in the list; to use the picked group, clear this name.",
            )
        else:
            data["group_id"] = int(choice)
        return data


class ConferenceLineForm(forms.Form):
    pin = forms.CharField(
        label="PIN (8 digits)",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_pin(self) -> str:
        if self.data.get("remove"):
            return ""
        pin = self.cleaned_data["pin"].strip()
        if not PIN_PATTERN.match(pin):
            raise ValidationError("The PIN is exactly 8 digits.", code="invalid_pin")
        return pin


class FaxToEmailForm(forms.Form):
    email = forms.EmailField(label="Send faxes to", required=False)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("remove") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter the email address faxes go to.")
        return data


class FaxNotificationsForm(forms.Form):
    enabled = forms.BooleanField(label="Send failure notifications", required=False)


class EmailToFaxForm(forms.Form):
    email = forms.EmailField(label="Sender address")
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ProgramForm(_WithEndpointGroups):
    script = forms.ChoiceField(label="Script", required=False)
    endpoint_group = EndpointGroupField(required=False, label="Back to endpoint group")
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, scripts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field = self.fields["script"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [("", "— choose —")] + [
            (str(script.script_id), script.name or str(script.script_id)) for script in scripts
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("remove"):
            if not data.get("endpoint_group"):
                self.add_error("endpoint_group", "Pick the endpoint group calls go to instead.")
        elif not data.get("script") and "script" not in self.errors:
            self.add_error("script", "Pick a script.")
        return data


# --- buy ----------------------------------------------------------------------------------

_FLAG_CHOICES = [("", "Any"), ("1", "Yes"), ("0", "No")]


class InventorySearchForm(forms.Form):
    state = forms.CharField(label="State", max_length=2, required=False)
    rate_center = forms.CharField(label="Rate center", max_length=64, required=False)
    npa = forms.RegexField(label="NPA", regex=r"^[2-9]\d{2}$", required=False)
    nxx = forms.RegexField(label="NXX", regex=r"^[2-9]\d{2}$", required=False)
    lata = forms.RegexField(label="LATA", regex=r"^\d{1,5}$", required=False)
    tier = forms.RegexField(label="Tier", regex=r"^\d{1,3}$", required=False)
    t38 = forms.ChoiceField(label="T.38", choices=_FLAG_CHOICES, required=False)
    cnam = forms.ChoiceField(label="CNAM", choices=_FLAG_CHOICES, required=False)
    sms = forms.ChoiceField(label="SMS", choices=_FLAG_CHOICES, required=False)
    network = forms.CharField(label="Network", max_length=64, required=False)
    toll_free = forms.BooleanField(label="Toll-free", required=False)
    extended = forms.BooleanField(label="Extended inventory", required=False)

    criteria_fields = ("state", "rate_center", "npa", "nxx", "lata", "tier", "network")

    def clean_state(self) -> str:
        return self.cleaned_data["state"].strip().upper()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("toll_free"):
            data["state"] = "TF"
        if not any(data.get(name) for name in self.criteria_fields):
            raise ValidationError("Choose at least a state, rate center, NPA, NXX, LATA or tier.")
        return data

    def criteria(self) -> dict:
        """The search as keyword arguments for VI's SearchCriteria (blank = not searched)."""
        data = self.cleaned_data

        def flag(name: str) -> bool | None:
            return {"1": True, "0": False}.get(data.get(name) or "")

        return {
            "state": data.get("state") or "",
            "rate_center": data.get("rate_center") or "",
            "npa": data.get("npa") or "",
            "nxx": data.get("nxx") or "",
            "lata": data.get("lata") or "",
            "tier": data.get("tier") or "",
            "t38": flag("t38"),
            "cnam": flag("cnam"),
            "sms": flag("sms"),
            "network": data.get("network") or "",
        }


class ReserveForm(forms.Form):
    tns = TNListField()
    # Numbers found in VI's extended inventory (getDIDsExtended) travel with this flag to the
    # assign form: VI buys them only with assignDIDExtended.
    extended = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AssignForm(_WithEndpointGroups):
    tns = TNListField()
    endpoint_group = EndpointGroupField()
    cnam = forms.BooleanField(label="Inbound CNAM dip", required=False)
    ref_id = forms.CharField(label="Reference", max_length=100, required=False)
    extended = forms.BooleanField(required=False, widget=forms.HiddenInput)


class InventoryForm(forms.Form):
    tns = TNListField()


class EndpointGroupStateForm(forms.Form):
    """Activate or deactivate: the person confirms having read how many numbers route there."""

    active = forms.TypedChoiceField(
        choices=[("1", "Activate"), ("0", "Deactivate")], coerce=lambda v: v == "1"
    )
    confirm = forms.BooleanField(label="I understand calls to these numbers are affected")


class BuyBackForm(_WithEndpointGroups):
    endpoint_group = EndpointGroupField(label="Route it to")


class ReleaseIntlForm(forms.Form):
    tn = forms.RegexField(label="International number", regex=r"^\+?\d{6,20}$")
    confirm = forms.BooleanField(label="Release this international number")
