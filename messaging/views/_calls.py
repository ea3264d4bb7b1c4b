"""How the messaging views call a service and turn its expected failures into words.

The same rules as the numbers pages (dids/views/_calls.py): VI's refusal is shown next to
the form in plain words with VI's code; VI unreachable says nothing was changed; bad input
lands on the field it belongs to.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dids.views._calls import UNREACHABLE_MESSAGE, Called, ViError
from messaging.services import EXPECTED_ERRORS
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

__all__ = ["Called", "UNREACHABLE_MESSAGE", "ViError", "call_service"]


def _attach(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service(form: forms.Form, action: Callable[[], Any]) -> Called:
    """Run `action`; on an expected failure attach it to `form` and report not ok."""
    if not hasattr(form, "cleaned_data"):
        # An unbound form used only to carry VI's answer (the brand and campaign buttons).
        form.cleaned_data = {}
    try:
        return Called(ok=True, value=action())
    except ProviderUnavailable:
        form.vi_error = ViError(message=UNREACHABLE_MESSAGE, unavailable=True)
    except ProviderRejected as refusal:
        form.vi_error = ViError(message=refusal.message, code=refusal.code)
    except ValidationError as error:
        _attach(form, error)
    except EXPECTED_ERRORS as failure:
        form.add_error(None, str(failure))
    return Called(ok=False)
