"""Forms of the messaging pages. Choices VI owns come from the cached lists (services)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import phonenumbers
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from dids.numbers import normalize_tns

from . import words
from .lint import Failure
from .models import CAMPAIGN_FLAGS, Brand, Campaign, DestinationType
from .records import Choice, UsecaseOption


def _set_choices(form: forms.BaseForm, name: str, choices: list[tuple[str, str]]) -> None:
    """Choices known only when the form is made (VI's lists, the account's campaigns)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # declared a ChoiceField on the form class
    field.choices = choices


PROBLEMS = [
    ("", "Any"),
    ("no_campaign", "SMS on, no campaign (will be blocked)"),
    ("rejected_campaign", "On a rejected campaign"),
]


class NumberFilterForm(forms.Form):
    q = forms.CharField(label="Number", required=False)
    enabled = forms.ChoiceField(
        label="SMS", required=False, choices=[("", "Any"), ("on", "On"), ("off", "Off")]
    )
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

    def __init__(self, *args: Any, campaigns: Sequence[Campaign] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "campaign", [("", "—")] + [(c.campaign_id, str(c)) for c in campaigns])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("remove") and not data.get("campaign"):
            self.add_error("campaign", "Choose an approved campaign.")
        return data


class NumberCampaignForm(forms.Form):
    campaign = forms.ChoiceField(label="Campaign", required=False)
    remove = forms.BooleanField(required=False)

    def __init__(self, *args: Any, campaigns: Sequence[Campaign] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "campaign", [("", "—")] + [(c.campaign_id, str(c)) for c in campaigns])


class SendMessageForm(forms.Form):
    recipient = forms.CharField(
        label="To", max_length=32, help_text="10 digits, or + and the country code"
    )
    message = forms.CharField(
        label="Message", required=False, max_length=1600, widget=forms.Textarea(attrs={"rows": 2})
    )
    image = forms.FileField(label="Image (MMS)", required=False)

    def clean_image(self):
        # Refused by its declared size, before a byte is read into memory: a 300 MB picture
        # read whole took a worker from 105 to 411 MB (issue 12). Django has it on disk.
        from .services import MAX_MMS_BYTES

        upload = self.cleaned_data.get("image")
        if upload and upload.size > MAX_MMS_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; VI takes at most {MAX_MMS_BYTES // 1024} KB per MMS.",
                code="file_size",
            )
        return upload

    def files_for_vi(self) -> list[dict]:
        upload = self.cleaned_data.get("image")
        if not upload:
            return []
        return [
            {
                "file_name": upload.name,
                "content_type": (upload.content_type or "").lower(),
                "content": upload.read(),
            }
        ]


# --- 10DLC registration ------------------------------------------------------------------------
#
# Every brand and campaign VI sends to The Campaign Registry is charged, and TCR refuses (or its
# vetting fails) a brand with a phone like "abc-not-phone" or an EIN like "-12" after the money
# is spent. So the forms check every field the way TCR does before VI is called. Our choices,
# from TCR's CSP API as we read it (where our mirror column is shorter, the column wins):
# * Lengths: display name and company name 200 (TCR 255; our columns), EIN 21, phone 20,
#   e-mail 100, website 100, street 100, city 100, state 20, postal code 10, country 2,
#   stock symbol 10, first and last name 100, tag 100.
# * Phone: a real, dialable number for the brand's country (phonenumbers' is_valid_number),
#   sent to VI in E.164 (+18015550111) as TCR stores it.
# * EIN by entity type: private and public for-profit companies, non-profits and government
#   bodies need one; sole proprietors have none (they verify by a one-time password
#   texted to them instead), so an EIN given for one is refused rather than sent.
#   A US EIN is 9 digits written NN-NNNNNNN (we accept it with or without the hyphen and send
#   it hyphenated); nine identical digits (000000000, 999999999) are placeholders vetting
#   always fails, so they are refused. A tax id issued elsewhere is 1-21 letters, digits
#   or hyphens.
# * Publicly traded companies also need the stock symbol (1-10 letters, digits, "." or "-")
#   and an exchange other than "not listed".
# * Website: http(s) only; "example.com" is read as https://example.com.
# * Country and EIN country: two-letter ISO codes. US addresses: a USPS state or territory
#   code and a ZIP code (12345 or 12345-6789).
# * Campaigns: description 40-4,096 characters, how people opt in 40-2,048, sample messages
#   20-1,024, HELP and STOP answers 20-255 (TCR's limits); the use case and sub use cases
#   are checked against VI's list for the brand by the service.

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC "
    "ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP".split()
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_US_EIN = re.compile(r"^(\d{2})-?(\d{7})$")
_FOREIGN_TAX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,20}$")
_STOCK_SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,9}$")
_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_POSTAL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,9}$")

# Registration texts are plain text read by TCR's reviewers and carriers: markup or invisible
# control characters (often pasted from another program) are refused rather than sent.
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str) -> None:
    if _MARKUP.search(value or ""):
        raise ValidationError(
            "Plain text only: take out the HTML (anything like <b> or <script>).", code="markup"
        )
    if _CONTROL.search(value or ""):
        raise ValidationError(
            "Take out the invisible control characters (pasted from another program?).",
            code="control",
        )


SOLE_PROPRIETOR = "SOLE_PROPRIETOR"
PUBLIC_PROFIT = "PUBLIC_PROFIT"


def _plain_choices(kind: str, items: Sequence[Choice]) -> list[tuple[str, str]]:
    """VI's list with our plain words for each value (VI's own label when we have none)."""
    return [
        ("", "—"),
        *((item.value, words.plain(kind, item.value, fallback=item.label)) for item in items),
    ]


def _country_code(value: str, *, label: str) -> str:
    code = (value or "").strip().upper()
    if code and not _COUNTRY.match(code):
        raise ValidationError(f"{label} is a two-letter country code, e.g. US.", code="invalid")
    return code


def brand_phone(value: str, *, country: str = "US") -> str:
    """The brand's phone as TCR stores it (E.164), or a ValidationError in plain words."""
    text = (value or "").strip()
    region = country if _COUNTRY.match(country or "") else "US"
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            "This is not a phone number. Give the brand's number with its area code, e.g. 801-555-0111, "
            "or + and the country code for a number outside North America.",
            code="invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def brand_ein(value: str, *, country: str = "US") -> str:
    """A US EIN as NN-NNNNNNN, or another country's tax id, or a ValidationError."""
    text = (value or "").strip()
    if (country or "US") == "US":
        match = _US_EIN.match(text)
        if not match:
            raise ValidationError(
                "A US EIN is 9 digits, written 12-3456789 (as on the IRS letter).", code="invalid"
            )
        digits = match.group(1) + match.group(2)
        if len(set(digits)) == 1:
            raise ValidationError(
                "This EIN is a placeholder (nine identical digits); vetting fails it. Give the real EIN.",
                code="placeholder",
            )
        return f"{digits[:2]}-{digits[2:]}"
    if not _FOREIGN_TAX_ID.match(text):
        raise ValidationError("A tax id is 1 to 21 letters, digits or hyphens.", code="invalid")
    return text


class BrandForm(forms.Form):
    display_name = forms.CharField(validators=[plain_text], label="Display name", max_length=200)
    entity_type = forms.ChoiceField(label="Entity type")
    company_name = forms.CharField(
        label="Company name (legal)", required=False, max_length=200, validators=[plain_text]
    )
    ein = forms.CharField(
        label="EIN (tax id)", required=False, max_length=21,
        help_text="US: 9 digits, 12-3456789. Not for sole proprietors.",
    )  # fmt: skip
    ein_country = forms.CharField(label="EIN country", required=False, max_length=2, initial="US")
    vertical = forms.ChoiceField(label="Industry", required=False)
    stock_symbol = forms.CharField(label="Stock symbol", required=False, max_length=10)
    stock_exchange = forms.ChoiceField(label="Stock exchange", required=False)
    first_name = forms.CharField(
        label="First name (sole proprietor)",
        required=False,
        max_length=100,
        validators=[plain_text],
    )
    last_name = forms.CharField(
        label="Last name (sole proprietor)", required=False, max_length=100, validators=[plain_text]
    )
    email = forms.EmailField(label="Email", max_length=100)
    phone = forms.CharField(
        label="Phone", max_length=20, help_text="With the area code, e.g. 801-555-0111."
    )
    website = forms.CharField(label="Website", required=False, max_length=100)
    street = forms.CharField(
        validators=[plain_text], label="Street", required=False, max_length=100
    )
    city = forms.CharField(validators=[plain_text], label="City", required=False, max_length=100)
    state = forms.CharField(
        label="State", required=False, max_length=20, help_text="US: two letters, e.g. UT."
    )
    postal_code = forms.CharField(label="Postal code", required=False, max_length=10)
    country = forms.CharField(
        label="Country", max_length=2, initial="US", help_text="Two letters, e.g. US."
    )
    tag = forms.CharField(
        label="Tag",
        required=False,
        max_length=100,
        validators=[plain_text],
        help_text="Your own label, to find brands by",
    )

    def __init__(
        self,
        *args: Any,
        entity_types: Sequence[Choice] = (),
        verticals: Sequence[Choice] = (),
        stock_exchanges: Sequence[Choice] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "entity_type", _plain_choices("entity_type", entity_types))
        _set_choices(self, "vertical", _plain_choices("vertical", verticals))
        _set_choices(self, "stock_exchange", _plain_choices("stock_exchange", stock_exchanges))

    def clean_country(self) -> str:
        return _country_code(self.cleaned_data["country"], label="Country")

    def clean_ein_country(self) -> str:
        return _country_code(self.cleaned_data["ein_country"], label="EIN country")

    def clean_website(self) -> str:
        text = self.cleaned_data["website"].strip()
        if not text:
            return ""
        if "://" not in text:
            text = f"https://{text}"
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(
                "This is not a website address, e.g. https://example.com.", code="invalid"
            ) from None
        if len(text) > 100:
            raise ValidationError("A website address is at most 100 characters.", code="max_length")
        return text

    def clean_stock_symbol(self) -> str:
        symbol = self.cleaned_data["stock_symbol"].strip().upper()
        if symbol and not _STOCK_SYMBOL.match(symbol):
            raise ValidationError(
                "A stock symbol is 1 to 10 letters or digits, e.g. ACME.", code="invalid"
            )
        return symbol

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        entity = data.get("entity_type")
        country = data.get("country") or "US"
        if data.get("phone"):
            try:
                data["phone"] = brand_phone(data["phone"], country=country)
            except ValidationError as error:
                self.add_error("phone", error)
        if country == "US":
            state = (data.get("state") or "").strip().upper()
            if state and state not in US_STATES:
                self.add_error("state", "A US state is its two-letter postal code, e.g. UT.")
            else:
                data["state"] = state
            postal = (data.get("postal_code") or "").strip()
            if postal and not _US_ZIP.match(postal):
                self.add_error(
                    "postal_code", "A ZIP code is 5 digits, or 5 and 4: 84101 or 84101-1234."
                )
        elif data.get("postal_code") and not _POSTAL_CODE.match(data["postal_code"].strip()):
            self.add_error("postal_code", "A postal code is letters, digits, spaces or hyphens.")
        if entity == SOLE_PROPRIETOR:
            self._require(
                data,
                ("first_name", "last_name"),
                "A sole proprietor's first and last name are needed.",
            )
            if data.get("ein"):
                self.add_error(
                    "ein",
                    "Sole proprietors have no EIN: leave it empty (they verify by a texted password).",
                )
        elif entity:
            self._require(data, ("company_name",), "The company's legal name is needed.")
            self._require(data, ("vertical",), "Choose the industry.")
            if not data.get("ein"):
                self.add_error("ein", "This kind of brand needs its EIN (tax id).")
            else:
                try:
                    data["ein"] = brand_ein(data["ein"], country=data.get("ein_country") or "US")
                except ValidationError as error:
                    self.add_error("ein", error)
                if not data.get("ein_country"):
                    data["ein_country"] = "US"
        if entity == PUBLIC_PROFIT:
            self._require(
                data, ("stock_symbol",), "A publicly traded company needs its stock symbol."
            )
            if data.get("stock_exchange") in ("", None, "NONE"):
                self.add_error("stock_exchange", "Choose the exchange the company is listed on.")
        return data

    def _require(self, data: dict[str, Any], names: tuple[str, ...], message: str) -> None:
        for name in names:
            if not (data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, message)


def _texts(value: str | None) -> str:
    return (value or "").strip()


class CampaignTextsMixin(forms.Form):
    """TCR's lengths for a campaign's texts, the same on create and edit."""

    LIMITS = {
        "description": (40, 4096),
        "message_flow": (40, 2048),
        "sample_msg1": (20, 1024),
        "sample_msg2": (20, 1024),
        "help_message": (20, 255),
        "opt_out_message": (20, 255),
    }

    def _check_lengths(self, data: dict[str, Any]) -> None:
        for name, (shortest, longest) in self.LIMITS.items():
            if name not in self.fields or name in self.errors:
                continue
            text = _texts(data.get(name))
            data[name] = text
            if text and len(text) < shortest:
                self.add_error(name, f"At least {shortest} characters (this has {len(text)}).")
            elif len(text) > longest:
                self.add_error(name, f"At most {longest:,} characters (this has {len(text):,}).")


OVERRIDE_PERMISSION = "compliance.override_10dlc_lint"


class LintedCampaignMixin(forms.Form):
    """Blocks a submission the 10DLC pre-submission check (messaging/lint.py) fails, field by
    field, each with its fix; an Administrator may tick "send anyway" (the view records it).

    `lint_overridden` holds the failures sent anyway, for the history entry.
    """

    lint_answers = True

    def _init_lint(self, user: User | None, brand_name: str, flags: dict[str, bool] | None) -> None:
        self.may_override = bool(user is not None and user.has_perm(OVERRIDE_PERMISSION))
        self.lint_brand_name = brand_name
        self.lint_flags = flags
        self.lint_failures: list[Failure] = []
        self.lint_overridden: list[Failure] = []
        if self.may_override:
            self.fields["override_lint"] = forms.BooleanField(
                label="Send anyway (Administrator): I have read every problem above", required=False
            )

    def _apply_lint(self, data: dict[str, Any]) -> None:
        from .lint import lint_campaign

        if self.errors:
            return  # fix what the fields say first; the lint reads complete texts
        failures = lint_campaign(
            data, brand_name=self.lint_brand_name, flags=self.lint_flags, answers=self.lint_answers
        )
        if not failures:
            return
        if self.may_override and data.get("override_lint"):
            self.lint_overridden = failures
            return
        self.lint_failures = failures
        for failure in failures:
            self.add_error(failure.field if failure.field in self.fields else None, str(failure))


class CampaignForm(LintedCampaignMixin, CampaignTextsMixin, forms.Form):
    customer_id = forms.ChoiceField(label="Brand")
    display_name = forms.CharField(validators=[plain_text], label="Name", max_length=200)
    usecase_id = forms.ChoiceField(label="Use case")
    sub_usecase_ids = forms.MultipleChoiceField(
        label="Sub use cases", required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(validators=[plain_text],
        label="Description", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who sends the messages and why: 40 to 4,096 characters.",
    )  # fmt: skip
    message_flow = forms.CharField(validators=[plain_text],
        label="How people opt in", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where and how a person agrees to get these texts: 40 to 2,048 characters.",
    )  # fmt: skip
    sample_msg1 = forms.CharField(validators=[plain_text],
        label="Sample message 1", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="20 to 1,024 characters. Include opt-out language, e.g. “Reply STOP to unsubscribe”.",
    )  # fmt: skip
    sample_msg2 = forms.CharField(validators=[plain_text],
        label="Sample message 2", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="20 to 1,024 characters; reviewers expect two samples.",
    )  # fmt: skip
    sub_opt_in = forms.BooleanField(label="Subscribers opt in", required=False, initial=True)
    sub_opt_out = forms.BooleanField(
        label="Subscribers can opt out (STOP)", required=False, initial=True
    )
    sub_help = forms.BooleanField(label="Answers HELP", required=False, initial=True)
    num_pooling = forms.BooleanField(label="Number pooling", required=False)
    direct_lending = forms.BooleanField(label="Direct lending or loans", required=False)
    embedded_link = forms.BooleanField(label="Messages carry links", required=False)
    embedded_phone = forms.BooleanField(label="Messages carry phone numbers", required=False)
    aff_marketing = forms.BooleanField(label="Affiliate marketing", required=False)
    age_gated = forms.BooleanField(label="Age-gated content", required=False)

    lint_answers = False  # the create call takes no HELP/STOP answers: they are added on edit

    def __init__(
        self,
        *args: Any,
        brands: Sequence[Brand] = (),
        options: Sequence[UsecaseOption] = (),
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "customer_id", [("", "—")] + [(b.customer_id, str(b)) for b in brands])
        chosen = self.data.get("customer_id") if self.is_bound else None
        brand_name = next(
            (getattr(b, "display_name", "") for b in brands if b.customer_id == chosen), ""
        )
        self._init_lint(user, brand_name, None)
        _set_choices(self, "usecase_id", [("", "—")] + [
            (o.usecase_id, words.plain("usecase", o.usecase_id, fallback=o.name)) for o in options
        ])  # fmt: skip
        subs = sorted({sub for option in options for sub in option.sub_usecases})
        _set_choices(self, "sub_usecase_ids", [(sub, words.plain("usecase", sub)) for sub in subs])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._check_lengths(data)
        self._apply_lint(data)
        return data

    def flags(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in CAMPAIGN_FLAGS}


def _text_area(label: str, hint: str, *, rows: int = 2, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        validators=[plain_text],
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CampaignEditForm(LintedCampaignMixin, CampaignTextsMixin, forms.Form):
    description = _text_area("Description", "40 to 4,096 characters.", rows=3)
    message_flow = _text_area("How people opt in", "40 to 2,048 characters.")
    help_message = _text_area("HELP answer", "20 to 255 characters.")
    opt_out_message = _text_area("STOP answer", "20 to 255 characters.")
    sample_msg1 = _text_area("Sample message 1", "20 to 1,024 characters.")
    sample_msg2 = _text_area("Sample message 2", "20 to 1,024 characters.")

    def __init__(
        self,
        *args: Any,
        user: User | None = None,
        brand_name: str = "",
        flags: dict[str, bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Without the campaign's flags (an unbound display form) the link/phone boxes are not judged.
        self._init_lint(user, brand_name, flags)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._check_lengths(data)
        if self.lint_flags is not None:
            self._apply_lint(data)
        return data


class ExternalCampaignForm(forms.Form):
    campaign_id = forms.CharField(label="TCR campaign ID", max_length=16)
    display_name = forms.CharField(label="Name", required=False, max_length=200)


class TagSearchForm(forms.Form):
    tag = forms.CharField(label="Find by tag", required=False, max_length=100)
