"""Forms of the messaging pages. Choices VI owns come from the cached lists (services)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from dids.numbers import normalize_tns

from .models import CAMPAIGN_FLAGS, Campaign, DestinationType
from .records import Choice, UsecaseOption

PROBLEMS = [
    ("", "Any"),
    ("no_campaign", "SMS on, no campaign (will be blocked)"),
    ("rejected_campaign", "On a rejected campaign"),
]


def _choices(items: list[Choice], *, blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank), *((item.value, item.label) for item in items)]


class NumberFilterForm(forms.Form):
    q = forms.CharField(label="Number", required=False)
    enabled = forms.ChoiceField(label="SMS", required=False, choices=[("", "Any"), ("on", "On"), ("off", "Off")])
    destination_type = forms.ChoiceField(
        label="Destination", required=False, choices=[("", "Any"), *DestinationType.choices]
    )
    campaign = forms.CharField(label="Campaign", required=False)
    problem = forms.ChoiceField(label="Problem", required=False, choices=PROBLEMS)


class TNsField(forms.Field):
    """A pasted block or ticked boxes of numbers -> unique 10-digit strings."""

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            value = [item for item in value if str(item).strip()]
        if not value:
            raise ValidationError("Choose at least one number.", code="required")
        return normalize_tns(value)


class MultipleTNsInput(forms.SelectMultiple):
    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return values


class DestinationForm(forms.Form):
    destination_type = forms.ChoiceField(label="Destination type", choices=DestinationType.choices)
    destination = forms.CharField(
        label="Destination", required=False, max_length=500,
        help_text="EMAIL: addresses separated by ;  FORWARD: a 10-digit number  POST/GET: the webhook URL  "
        "SIP/PROGTELCO: optional",
    )  # fmt: skip
    auth_token = forms.CharField(
        label="Webhook auth token", required=False, max_length=200, widget=forms.PasswordInput,
        help_text="POST and GET only; never shown again.",
    )  # fmt: skip


class BulkDestinationForm(DestinationForm):
    tns = TNsField(widget=MultipleTNsInput)


class BulkCampaignForm(forms.Form):
    tns = TNsField(widget=MultipleTNsInput)
    campaign = forms.ChoiceField(label="Campaign", required=False)
    remove = forms.BooleanField(required=False)

    def __init__(self, *args, campaigns: list[Campaign] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "—")] + [(c.campaign_id, str(c)) for c in campaigns]

    def clean(self):
        data = super().clean()
        if not data.get("remove") and not data.get("campaign"):
            self.add_error("campaign", "Choose an approved campaign.")
        return data


class NumberCampaignForm(forms.Form):
    campaign = forms.ChoiceField(label="Campaign", required=False)
    remove = forms.BooleanField(required=False)

    def __init__(self, *args, campaigns: list[Campaign] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "—")] + [(c.campaign_id, str(c)) for c in campaigns]


class SendMessageForm(forms.Form):
    recipient = forms.CharField(label="To", max_length=32, help_text="10 digits, or + and the country code")
    message = forms.CharField(label="Message", required=False, max_length=1600, widget=forms.Textarea(attrs={"rows": 2}))
    image = forms.FileField(label="Image (MMS)", required=False)

    def files_for_vi(self) -> list[dict]:
        upload = self.cleaned_data.get("image")
        if not upload:
            return []
        return [{"file_name": upload.name, "content_type": (upload.content_type or "").lower(), "content": upload.read()}]


class BrandForm(forms.Form):
    display_name = forms.CharField(label="Display name", max_length=200)
    entity_type = forms.ChoiceField(label="Entity type")
    company_name = forms.CharField(label="Company name", required=False, max_length=200)
    ein = forms.CharField(label="EIN (tax id)", required=False, max_length=32)
    ein_country = forms.CharField(label="EIN country", required=False, max_length=8, initial="US")
    vertical = forms.ChoiceField(label="Vertical", required=False)
    stock_symbol = forms.CharField(label="Stock symbol", required=False, max_length=16)
    stock_exchange = forms.ChoiceField(label="Stock exchange", required=False)
    first_name = forms.CharField(label="First name (sole proprietor)", required=False, max_length=100)
    last_name = forms.CharField(label="Last name (sole proprietor)", required=False, max_length=100)
    email = forms.EmailField(label="Email", max_length=254)
    phone = forms.CharField(label="Phone", max_length=32)
    website = forms.CharField(label="Website", required=False, max_length=300)
    street = forms.CharField(label="Street", required=False, max_length=200)
    city = forms.CharField(label="City", required=False, max_length=100)
    state = forms.CharField(label="State", required=False, max_length=32)
    postal_code = forms.CharField(label="Postal code", required=False, max_length=16)
    country = forms.CharField(label="Country", max_length=8, initial="US")
    tag = forms.CharField(label="Tag", required=False, max_length=100, help_text="Your own label, to find brands by")

    def __init__(self, *args, entity_types: list[Choice] = (), verticals: list[Choice] = (),
                 stock_exchanges: list[Choice] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].choices = _choices(list(entity_types))
        self.fields["vertical"].choices = _choices(list(verticals))
        self.fields["stock_exchange"].choices = _choices(list(stock_exchanges))


class CampaignForm(forms.Form):
    customer_id = forms.ChoiceField(label="Brand")
    display_name = forms.CharField(label="Name", max_length=200)
    usecase_id = forms.ChoiceField(label="Use case")
    sub_usecase_ids = forms.MultipleChoiceField(label="Sub use cases", required=False, widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who sends the messages and why (reviewers reject fewer than 40 characters).",
    )  # fmt: skip
    message_flow = forms.CharField(label="How people opt in", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sample_msg1 = forms.CharField(
        label="Sample message 1", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Include opt-out language, e.g. “Reply STOP to unsubscribe”.",
    )  # fmt: skip
    sample_msg2 = forms.CharField(label="Sample message 2", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sub_opt_in = forms.BooleanField(label="Subscribers opt in", required=False, initial=True)
    sub_opt_out = forms.BooleanField(label="Subscribers can opt out (STOP)", required=False, initial=True)
    sub_help = forms.BooleanField(label="Answers HELP", required=False, initial=True)
    num_pooling = forms.BooleanField(label="Number pooling", required=False)
    direct_lending = forms.BooleanField(label="Direct lending or loans", required=False)
    embedded_link = forms.BooleanField(label="Messages carry links", required=False)
    embedded_phone = forms.BooleanField(label="Messages carry phone numbers", required=False)
    aff_marketing = forms.BooleanField(label="Affiliate marketing", required=False)
    age_gated = forms.BooleanField(label="Age-gated content", required=False)

    def __init__(self, *args, brands=(), options: list[UsecaseOption] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_id"].choices = [("", "—")] + [(b.customer_id, str(b)) for b in brands]
        self.fields["usecase_id"].choices = [("", "—")] + [(o.usecase_id, o.name) for o in options]
        subs = sorted({sub for option in options for sub in option.sub_usecases})
        self.fields["sub_usecase_ids"].choices = [(sub, sub.replace("_", " ").capitalize()) for sub in subs]

    def flags(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in CAMPAIGN_FLAGS}


class CampaignEditForm(forms.Form):
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    message_flow = forms.CharField(label="How people opt in", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    help_message = forms.CharField(label="HELP answer", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opt_out_message = forms.CharField(label="STOP answer", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sample_msg1 = forms.CharField(label="Sample message 1", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sample_msg2 = forms.CharField(label="Sample message 2", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExternalCampaignForm(forms.Form):
    campaign_id = forms.CharField(label="TCR campaign ID", max_length=16)
    display_name = forms.CharField(label="Name", required=False, max_length=200)


class TagSearchForm(forms.Form):
    tag = forms.CharField(label="Find by tag", required=False, max_length=100)
