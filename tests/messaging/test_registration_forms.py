"""The brand and campaign forms check every field as TCR does, before VI is called.

Each 10DLC submission is charged: a bad phone or EIN must be refused here, in plain words
next to the field, and never reach VI. Hostile input (NUL, huge, HTML, wrong type) is a
form error, never a server error.
"""

import re

import pytest

from messaging.forms import BrandForm, CampaignEditForm, CampaignForm, brand_ein, brand_phone
from messaging.models import Brand
from messaging.records import Choice, UsecaseOption
from portal.models import ProviderCall

ENTITY_TYPES = [
    Choice(value, value.title())
    for value in ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR")
]
VERTICALS = [Choice("RETAIL", "Retail"), Choice("HEALTHCARE", "Healthcare")]
EXCHANGES = [Choice("NASDAQ", "NASDAQ"), Choice("NONE", "Not listed")]

COMPANY = {
    "display_name": "Bakery", "entity_type": "PRIVATE_PROFIT", "company_name": "Bakery LLC", "ein": "12-3456789",
    "ein_country": "US", "vertical": "RETAIL", "email": "sms@bakery.example", "phone": "801-555-0111",
    "country": "US", "website": "bakery.example", "state": "ut", "postal_code": "84101",
}  # fmt: skip
SOLE = {
    "display_name": "Jo's cakes", "entity_type": "SOLE_PROPRIETOR", "first_name": "Jo", "last_name": "Baker",
    "email": "jo@cakes.example", "phone": "+1 801 555 0122", "country": "US",
}  # fmt: skip

HOSTILE = {
    "nul": "abc\x00def",
    "huge": "x" * 10_000,
    "html": '<script>alert("x")</script><b>bold</b>',
}


def brand_form(**values) -> BrandForm:
    return BrandForm(
        values, entity_types=ENTITY_TYPES, verticals=VERTICALS, stock_exchanges=EXCHANGES
    )


def errors_of(form) -> dict[str, str]:
    form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


# --- brand rules -----------------------------------------------------------------------------


def test_a_well_formed_company_is_accepted_and_written_as_tcr_stores_it():
    form = brand_form(**COMPANY)
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["phone"], data["ein"], data["website"], data["state"]) == (
        "+18015550111",
        "12-3456789",
        "https://bakery.example",
        "UT",
    )


def test_a_sole_proprietor_needs_names_and_no_ein():
    assert brand_form(**SOLE).is_valid()
    errors = errors_of(brand_form(**{**SOLE, "ein": "12-3456789", "first_name": ""}))
    assert "Sole proprietors have no EIN" in errors["ein"]
    assert "first and last name" in errors["first_name"]


@pytest.mark.parametrize(
    "phone", ["abc-not-phone", "1801", "555-0111", "+1 800", "12345678901234567890"]
)
def test_a_phone_that_is_not_a_phone_is_refused(phone):
    assert (
        "This is not a phone number"
        in errors_of(brand_form(**{**COMPANY, "phone": phone}))["phone"]
    )


def test_a_phone_abroad_is_read_in_its_country():
    assert brand_phone("020 7183 8750", country="GB") == "+442071838750"


@pytest.mark.parametrize(
    "ein", ["-12", "12-345678", "1234567890", "12-345678A", "12--3456789", "ein"]
)
def test_a_us_ein_is_nine_digits(ein):
    assert "A US EIN is 9 digits" in errors_of(brand_form(**{**COMPANY, "ein": ein}))["ein"]


@pytest.mark.parametrize("entity", ["PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT"])
def test_every_kind_of_organisation_needs_an_ein(entity):
    assert (
        "needs its EIN"
        in errors_of(brand_form(**{**COMPANY, "entity_type": entity, "ein": ""}))["ein"]
    )


def test_ein_forms_and_placeholders():
    assert brand_ein("123456789") == "12-3456789"
    with pytest.raises(Exception, match="placeholder"):
        brand_ein("111111111")
    assert brand_ein("DE-123456789", country="DE") == "DE-123456789"


def test_a_public_company_needs_a_symbol_and_an_exchange_it_is_listed_on():
    errors = errors_of(
        brand_form(**{**COMPANY, "entity_type": "PUBLIC_PROFIT", "stock_exchange": "NONE"})
    )
    assert "stock symbol" in errors["stock_symbol"] and "exchange" in errors["stock_exchange"]
    errors = errors_of(
        brand_form(
            **{
                **COMPANY,
                "entity_type": "PUBLIC_PROFIT",
                "stock_symbol": "AC ME!",
                "stock_exchange": "NASDAQ",
            }
        )
    )
    assert "1 to 10 letters" in errors["stock_symbol"]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("website", "not a site", "not a website"),
    ("website", "javascript:alert(1)", "not a website"),
    ("website", "https://" + "a" * 95 + ".example", "at most 100"),
    ("email", "nobody", "email"),
    ("state", "Utah", "two-letter"),
    ("postal_code", "8410", "ZIP"),
    ("country", "USA", "at most 2"),
    ("country", "1!", "two-letter country code"),
    ("display_name", "x" * 201, "at most 200"),
])  # fmt: skip
def test_each_field_is_checked_in_plain_words(field, value, words):
    assert words.lower() in errors_of(brand_form(**{**COMPANY, field: value}))[field].lower()


def test_entity_types_read_as_words_in_the_form():
    labels = dict(brand_form().fields["entity_type"].choices)
    assert labels["PRIVATE_PROFIT"] == "Private for-profit company"
    assert labels["SOLE_PROPRIETOR"] == "Sole proprietor"


# --- campaign rules --------------------------------------------------------------------------

OPTIONS = [
    UsecaseOption("CUSTOMER_CARE", "Customer care"),
    UsecaseOption("MIXED", "Mixed", "", 2, 5, ("2FA", "MARKETING")),
]
CAMPAIGN = {
    "customer_id": "B1", "display_name": "Orders", "usecase_id": "CUSTOMER_CARE",
    "description": "Order-ready notices for customers who ordered at the counter",
    "message_flow": "Customers tick 'text me' on the order slip they sign at the counter",
    "sample_msg1": "Your cake is ready. Reply STOP to opt out.",
    "sample_msg2": "Bakery: your order is ready at the counter.",
}  # fmt: skip


def campaign_form(**values) -> CampaignForm:
    # An unsaved brand with no name: the lint's brand-name check is not under test here.
    return CampaignForm(values, brands=[Brand(customer_id="B1")], options=OPTIONS)


def test_campaign_texts_within_tcrs_lengths():
    assert campaign_form(**CAMPAIGN).is_valid()
    errors = errors_of(
        campaign_form(
            **{
                **CAMPAIGN,
                "description": "x" * 39,
                "message_flow": "y" * 2049,
                "sample_msg1": "Reply STOP",
                "sample_msg2": "z" * 1025,
            }
        )
    )
    assert errors["description"] == "At least 40 characters (this has 39)."
    assert errors["message_flow"] == "At most 2,048 characters (this has 2,049)."
    assert errors["sample_msg1"] == "At least 20 characters (this has 10)."
    assert errors["sample_msg2"] == "At most 1,024 characters (this has 1,025)."


def test_sub_use_cases_and_use_cases_read_as_words():
    form = campaign_form()
    assert dict(form.fields["usecase_id"].choices)["CUSTOMER_CARE"] == "Customer care"
    assert dict(form.fields["sub_usecase_ids"].choices)["2FA"] == "Two-factor authentication"


@pytest.mark.parametrize("form_class", [CampaignForm, CampaignEditForm])
def test_hints_state_the_limits_the_errors_enforce(form_class):
    form = form_class() if form_class is CampaignEditForm else campaign_form()
    for name, (shortest, longest) in form.LIMITS.items():
        if name in form.fields:
            assert f"{shortest} to {longest:,}" in str(form.fields[name].help_text), name


def test_brand_hints_agree_with_the_limits():
    fields = BrandForm.base_fields
    assert fields["country"].max_length == 2 and "Two letters" in fields["country"].help_text
    assert fields["ein"].max_length == 21 and "9 digits" in fields["ein"].help_text
    assert fields["state"].max_length == 20 and "two letters" in fields["state"].help_text


# --- hostile values through the pages: never a 500, never a call to VI -----------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_brand_values_are_form_errors_and_never_reach_vi(synced, operator_client, kind):
    value = HOSTILE[kind]
    for field in [
        "display_name",
        "company_name",
        "ein",
        "phone",
        "email",
        "website",
        "state",
        "postal_code",
        "country",
        "first_name",
        "tag",
        "entity_type",
        "vertical",
        "stock_exchange",
    ]:
        response = operator_client.post("/messaging/brands/create/", {**COMPANY, field: value})
        assert response.status_code in (200, 400, 413), (field, response.status_code)
        body = response.content.decode()
        assert "invalid-feedback" in body or response.status_code != 200, field
        assert "<script>alert" not in body
    assert not ProviderCall.objects.filter(operation="CreateSMSCustomer").exists()


@pytest.mark.django_db
def test_a_brand_field_sent_as_a_list_is_refused_not_a_crash(synced, operator_client):
    response = operator_client.post(
        "/messaging/brands/create/", {**COMPANY, "phone": ["801-555-0111", "abc"]}
    )
    assert response.status_code == 200 and "This is not a phone number" in response.content.decode()
    assert not ProviderCall.objects.filter(operation="CreateSMSCustomer").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_campaign_values_are_form_errors_and_never_reach_vi(synced, operator_client, kind):
    value = HOSTILE[kind]
    brand = Brand.objects.filter(verification_status="VERIFIED").first()
    good = {**CAMPAIGN, "customer_id": brand.customer_id}
    for field in [
        "display_name",
        "description",
        "message_flow",
        "sample_msg1",
        "sample_msg2",
        "usecase_id",
        "sub_usecase_ids",
    ]:
        response = operator_client.post("/messaging/campaigns/create/", {**good, field: value})
        assert response.status_code in (200, 400, 413), (field, response.status_code)
        body = response.content.decode()
        assert response.status_code != 200 or "invalid-feedback" in body or "text-danger" in body, (
            field
        )
        assert "<script>alert" not in body
    edit = operator_client.post(
        f"/messaging/campaigns/{_some_campaign(synced)}/edit/", {"description": value}
    )
    assert edit.status_code in (200, 400, 413) and "<script>alert" not in edit.content.decode()
    assert not ProviderCall.objects.filter(
        operation__in=["CreateSMSCampaign", "UpdateSMSCampaign"]
    ).exists()


def _some_campaign(sandbox) -> str:
    return next(
        c["CampaignId"] for c in sandbox.control.state("messaging/campaigns") if not c["external"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("brand", ["<script>alert(1)</script>", "x" * 10_000, "B\x00", "NOPE123"])
def test_a_brand_the_picker_does_not_offer_is_refused_without_asking_vi(
    synced, operator_client, brand
):
    asked = ProviderCall.objects.filter(operation="GetSMSUsecaseOptions").count()
    response = operator_client.get("/messaging/campaigns/new/", {"brand": brand})
    body = response.content.decode()
    if "\x00" in brand:  # refused for the whole portal before any view runs
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert 'data-testid="picker-note"' in body and 'data-testid="campaign-form"' not in body
    assert "<script>alert" not in body
    assert ProviderCall.objects.filter(operation="GetSMSUsecaseOptions").count() == asked


@pytest.mark.django_db
def test_the_picker_names_the_brand_with_the_parameter_the_page_reads(synced, operator_client):
    picker = operator_client.get("/messaging/campaigns/new/").content.decode()
    form = re.search(r'<form method="get"[^>]*id="brand-picker">(.*?)</form>', picker, re.S).group(
        1
    )
    names = set(re.findall(r'name="([^"]+)"', form))
    brand = Brand.objects.filter(verification_status="VERIFIED").first()
    chosen = operator_client.get(
        "/messaging/campaigns/new/", {name: brand.customer_id for name in names}
    )
    assert 'data-testid="campaign-form"' in chosen.content.decode()
