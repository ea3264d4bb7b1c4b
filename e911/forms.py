"""Forms of the 911 pages. Format checks live in `e911.addresses`; VI's verdict in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from dids.numbers import normalize_tn

from .addresses import TidyAddress, clean_address
from .services import MAX_ALERT_LENGTH, alert_email_validate

# Carrier email-to-SMS gateways VI lists for 911 alerts (API-3.0-METHODS §3.27).
CARRIER_GATEWAYS = {
    "alltel": ("Alltel", "message.alltel.com"),
    "att": ("AT&T", "txt.att.net"),
    "nextel": ("Nextel", "messaging.nextel.com"),
    "sprint": ("Sprint", "messaging.sprintpcs.com"),
    "suncom": ("SunCom", "tms.suncom.com"),
    "tmobile": ("T-Mobile", "tmomail.net"),
    "voicestream": ("VoiceStream", "voicestream.net"),
    "verizon": ("Verizon", "vtext.com"),
}


def _small(widget: forms.Widget) -> forms.Widget:
    widget.attrs.setdefault("class", "form-control form-control-sm")
    return widget


class AddressForm(forms.Form):
    """A 911 address as a person types it; `tidy` holds the checked form after is_valid()."""

    address1 = forms.CharField(
        label="Street address",
        max_length=200,
        widget=_small(
            forms.TextInput(attrs={"placeholder": "123 Main St", "autocomplete": "address-line1"})
        ),
    )
    address2 = forms.CharField(
        label="Suite / apartment",
        max_length=200,
        required=False,
        widget=_small(forms.TextInput(attrs={"autocomplete": "address-line2"})),
    )
    city = forms.CharField(
        max_length=100, widget=_small(forms.TextInput(attrs={"autocomplete": "address-level2"}))
    )
    state = forms.CharField(
        max_length=30,
        widget=_small(
            forms.TextInput(attrs={"placeholder": "UT", "autocomplete": "address-level1"})
        ),
    )
    zip_code = forms.CharField(
        label="ZIP",
        max_length=10,
        widget=_small(
            forms.TextInput(
                attrs={
                    "placeholder": "84101 or 84101-1234",
                    "autocomplete": "postal-code",
                    "inputmode": "numeric",
                }
            )
        ),
    )
    caller_name = forms.CharField(
        label="Caller name", max_length=50, required=False, widget=_small(forms.TextInput())
    )

    tidy: TidyAddress | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if self.errors:
            return data
        try:
            self.tidy = clean_address(
                address1=data.get("address1", ""),
                address2=data.get("address2", ""),
                city=data.get("city", ""),
                state=data.get("state", ""),
                zip_code=data.get("zip_code", ""),
                caller_name=data.get("caller_name", ""),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


class AlertForm(forms.Form):
    """An alert address, or a mobile number plus carrier that makes one (5551234567@vtext.com)."""

    email = forms.CharField(
        label="Email",
        max_length=MAX_ALERT_LENGTH,
        required=False,
        widget=_small(forms.TextInput(attrs={"placeholder": "noc@example.com"})),
    )
    mobile = forms.CharField(
        label="or mobile number",
        required=False,
        widget=_small(forms.TextInput(attrs={"placeholder": "555 123 4567"})),
    )
    carrier = forms.ChoiceField(
        required=False,
        choices=[("", "carrier…"), *((key, label) for key, (label, _) in CARRIER_GATEWAYS.items())],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        email, mobile, carrier = (
            data.get("email", "").strip(),
            data.get("mobile", "").strip(),
            data.get("carrier", ""),
        )
        if not email and mobile:
            if not carrier:
                raise ValidationError("Pick the mobile number's carrier, or type an email address.")
            try:
                digits = normalize_tn(mobile)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
            email = f"{digits}@{CARRIER_GATEWAYS[carrier][1]}"
        if not email:
            raise ValidationError("Type an email address, or a mobile number and its carrier.")
        data["address"] = alert_email_validate(email)
        return data


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": ".csv,text/csv"}
        ),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("The file is larger than 5 MB; split it.")
        return upload
