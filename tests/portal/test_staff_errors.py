"""portal/staff_errors.py and its component: a service's expected failure reads the same on
every page — VI refused (its words, its code), VI unreachable (nothing was changed), invalid
input (one line per problem) — and anything else is a bug that reaches the error page.

The failures are real: VI's refusal and VI being unreachable come from the provider client
talking to the sandbox (or to a port nothing listens on), invalid input from Django's own
validation of a portal model.
"""

import re

import pytest
from django import forms
from django.contrib.messages import ERROR, WARNING, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from dids import gateway as dids_gateway
from e911.records import Address
from e911.services import AddressInvalid
from portal import staff_errors
from portal.api.models import ApiToken
from portal.staff_errors import StaffError, attempt, attempt_on_form, flash, staff_error
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

pytestmark = pytest.mark.django_db

UNKNOWN_GROUP = 999_999  # no endpoint group of the sandbox's account has this id


def _vi_refuses() -> object:
    """A real refusal: VI's AuditEndpointGroup for a group of another account (code 948)."""
    return dids_gateway.audit_endpoint_group(group_id=UNKNOWN_GROUP)


def _invalid_token() -> None:
    """A real ValidationError with an error_dict: a token name longer than its column."""
    ApiToken(name="x" * 101, prefix="p", digest="d").full_clean(
        exclude=["user"], validate_unique=False
    )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _component(error: StaffError | None, **context) -> str:
    return render_to_string("components/staff_error.html", {"error": error, **context})


class TokenForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def _address() -> Address:
    return Address(address1="1 Nowhere Way", city="Springfield", state="IL", zip_code="62701")


# --- the three kinds, from real failures -------------------------------------------------


def test_a_refusal_keeps_vis_words_and_code(sandbox):
    outcome = attempt(_vi_refuses)
    assert outcome.failed and not outcome.ok and outcome.value is None
    error = outcome.error
    assert error is not None and error.kind == "refused" and not error.unavailable
    assert error.code == "948"
    assert "endpoint group does not belong to this account" in error.message
    assert str(error) == f"VI said: {error.message} (code 948)"


def test_unreachable_says_nothing_was_changed_once(settings, closed_port_url):
    settings.VI_API_URL = closed_port_url
    outcome = attempt(_vi_refuses)
    error = outcome.error
    assert error is not None and error.kind == "unreachable" and error.unavailable
    # The client's own "VI could not be reached (connection failed)" is not said twice.
    assert str(error) == "VI could not be reached: connection failed. Nothing was changed."
    assert str(error).count("could not be reached") == 1


def test_a_validation_error_lists_each_problem():
    outcome = attempt(_invalid_token)
    error = outcome.error
    assert error is not None and error.kind == "invalid"
    assert error.problems == ("Ensure this value has at most 100 characters (it has 101).",)
    assert str(error) == error.problems[0]
    assert isinstance(outcome.validation, ValidationError)


def test_an_expected_class_of_the_service_is_invalid_input_in_its_own_words():
    def provision():
        raise AddressInvalid(_address())

    outcome = attempt(provision, expected=(AddressInvalid,))
    error = outcome.error
    assert error is not None and error.kind == "invalid"
    assert "cannot place 1 Nowhere Way" in str(error)
    assert error.problems == (str(error),)
    assert outcome.validation is None


def test_a_success_is_the_value():
    outcome = attempt(lambda: 42)
    assert outcome.ok and outcome.value == 42 and outcome.error is None


def test_an_unexpected_exception_propagates():
    def broken():
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        attempt(broken)
    # A service's expected class is expected only where the caller says so.
    with pytest.raises(AddressInvalid):
        attempt(lambda: (_ for _ in ()).throw(AddressInvalid(_address())))
    assert staff_error(KeyError("a bug")) is None


def test_a_refusal_without_words_uses_the_codes_plain_words_and_never_prints_success():
    silent = staff_error(ProviderRejected("909", ""))
    assert silent is not None and str(silent).startswith("VI said: The number does not belong")
    assert str(silent).endswith("(code 909)")
    # VI's "success" code beside a refusal ("not portable") would read as a contradiction.
    answered = staff_error(ProviderRejected(100, "The number is not portable."))
    assert answered is not None and str(answered) == "VI said: The number is not portable."
    unreachable = staff_error(ProviderUnavailable("VI created a DID group but did not say which."))
    assert str(unreachable) == (
        "VI could not be reached: VI created a DID group but did not say which. "
        "Nothing was changed."
    )


# --- on a form -----------------------------------------------------------------------------


def test_an_error_dict_lands_on_the_field_it_names():
    form = TokenForm({"name": "x" * 101})
    assert form.is_valid()
    outcome = attempt_on_form(form, _invalid_token)
    assert outcome.failed and not form.is_valid()
    assert form.errors["name"] == ["Ensure this value has at most 100 characters (it has 101)."]
    assert not form.non_field_errors()
    assert not hasattr(form, "staff_error")


def test_an_error_dict_naming_no_field_of_the_form_is_form_wide():
    def invalid_prefix():
        ApiToken(name="ok", prefix="p" * 13, digest="d").full_clean(
            exclude=["user"], validate_unique=False
        )

    form = TokenForm({"name": "ok"})
    assert form.is_valid()
    attempt_on_form(form, invalid_prefix)
    assert "name" not in form.errors
    assert form.non_field_errors() == ["Ensure this value has at most 12 characters (it has 13)."]


def test_a_plain_validation_error_and_an_expected_class_are_form_wide():
    form = TokenForm({"name": "ok"})
    assert form.is_valid()

    def refused_name():
        raise ValidationError("Give the token a name of at most 100 characters.")

    attempt_on_form(form, refused_name)
    assert form.non_field_errors() == ["Give the token a name of at most 100 characters."]

    other = TokenForm({"name": "ok"})
    assert other.is_valid()
    attempt_on_form(other, lambda: (_ for _ in ()).throw(AddressInvalid(_address())),
                    expected=(AddressInvalid,))  # fmt: skip
    assert "cannot place 1 Nowhere Way" in other.non_field_errors()[0]


def test_vis_answer_rides_on_the_form_even_an_unbound_one(sandbox):
    form = TokenForm()
    outcome = attempt_on_form(form, _vi_refuses)
    assert form.staff_error is outcome.error
    assert form.staff_error.code == "948"
    assert not form.errors


def test_an_unexpected_exception_on_a_form_propagates():
    form = TokenForm({"name": "ok"})
    with pytest.raises(ZeroDivisionError):
        attempt_on_form(form, lambda: 1 / 0)


# --- for a redirecting view ----------------------------------------------------------------


def _request():
    request = RequestFactory().post("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_flash_puts_the_same_words_on_the_next_page(sandbox, settings, closed_port_url):
    request = _request()
    refused = attempt(_vi_refuses).error
    assert refused is not None
    flash(request, refused)
    settings.VI_API_URL = closed_port_url
    unreachable = attempt(_vi_refuses).error
    assert unreachable is not None
    flash(request, unreachable)
    invalid = attempt(_invalid_token).error
    assert invalid is not None
    flash(request, invalid)

    shown = [(message.level, message.message) for message in get_messages(request)]
    assert shown == [
        (ERROR, str(refused)),
        (WARNING, "VI could not be reached: connection failed. Nothing was changed."),
        (ERROR, "Ensure this value has at most 100 characters (it has 101)."),
    ]
    assert "(code 948)" in shown[0][1]


# --- the one component ---------------------------------------------------------------------


def test_component_shows_a_refusal_with_vis_words_and_code(sandbox):
    error = attempt(_vi_refuses).error
    html = _component(error)
    assert 'class="alert alert-danger' in html and 'data-vi-code="948"' in html
    assert "VI said: The endpoint group does not belong to this account" in _text(html)
    assert '<small class="text-body-secondary vi-code">(code 948)</small>' in html
    assert _text(html) == str(error)  # the page and a flashed message say the same


def test_component_for_unreachable_says_nothing_was_changed(settings, closed_port_url):
    settings.VI_API_URL = closed_port_url
    error = attempt(_vi_refuses).error
    html = _component(error, subject="4352150001")
    assert "alert-warning" in html and 'data-vi-code=""' in html and "(code" not in html
    assert _text(html) == f"4352150001 — {error}"
    assert "Nothing was changed." in _text(html)


def test_component_lists_each_invalid_problem():
    error = StaffError(
        kind="invalid", problems=("The ZIP must be 5 digits.", "The city is required.")
    )
    html = _component(error)
    assert html.count("<li>") == 2
    assert "<li>The ZIP must be 5 digits.</li>" in html
    assert "<li>The city is required.</li>" in html
    single = _component(attempt(_invalid_token).error)
    assert "<li>" not in single
    assert _text(single) == "Ensure this value has at most 100 characters (it has 101)."


def test_component_shows_nothing_without_an_error():
    assert _component(None).strip() == ""


def test_component_is_not_misled_by_the_pages_own_context(sandbox):
    """A page whose context holds `unavailable` or `code` of its own (many do) still shows a
    refusal as a refusal, with VI's code, and an unreachable VI without a code."""
    refused = attempt(_vi_refuses).error
    html = _component(refused, unavailable=True, code="777", message="stale words")
    assert _text(html) == str(refused) and 'data-vi-code="948"' in html
    unreachable = staff_error(ProviderUnavailable("VI did not answer within 30 s"))
    html = _component(unreachable, code="777")
    assert "777" not in html
    assert (
        _text(html)
        == "VI could not be reached: VI did not answer within 30 s. Nothing was changed."
    )


def test_component_escapes_vis_words():
    error = staff_error(ProviderRejected("935", "<script>alert(1)</script>"))
    html = _component(error)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unreachable_message_constant_reads_like_the_component():
    assert str(StaffError(kind="unreachable")) == staff_errors.UNREACHABLE_MESSAGE
