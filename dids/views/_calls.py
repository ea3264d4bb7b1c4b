"""How the numbers views call a service and turn its expected failures into words.

A VI refusal is an expected outcome: it is shown next to the form the person used, in
plain words plus VI's code. A transport failure means nothing is known to have changed,
and the service changed nothing locally, so that is what the page says.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

UNREACHABLE_MESSAGE = "VI is unreachable — nothing was changed."


@dataclass(frozen=True)
class ViError:
    """What to show next to a form when VI refused or could not be reached."""

    message: str
    code: str = ""
    unavailable: bool = False

    def __str__(self) -> str:
        if self.unavailable:
            return UNREACHABLE_MESSAGE
        return f"VI said: {self.message} (code {self.code})"


@dataclass(frozen=True)
class Called:
    ok: bool
    value: Any = None


def expected_failures() -> tuple[type[Exception], ...]:
    """The exception classes the numbers services raise for a person to read.

    `dids.services` may define its own (e.g. a number not on the account); whatever it
    lists in `EXPECTED_ERRORS` is shown as a form error instead of a server error.
    """
    from dids import services

    return (ValidationError, *getattr(services, "EXPECTED_ERRORS", ()))


def call_service(form: forms.Form, action: Callable[[], Any]) -> Called:
    """Run `action`; on an expected failure attach it to `form` and report not ok.

    The VI answer goes on `form.vi_error` (rendered with the shared "VI said" alert);
    any other expected failure becomes a form-wide error.
    """
    try:
        return Called(ok=True, value=action())
    except ProviderUnavailable:
        form.vi_error = ViError(message=UNREACHABLE_MESSAGE, unavailable=True)  # type: ignore[attr-defined]
    except ProviderRejected as refusal:
        form.vi_error = ViError(message=refusal.message, code=refusal.code)  # type: ignore[attr-defined]
    except expected_failures() as failure:
        form.add_error(None, failure if isinstance(failure, ValidationError) else str(failure))
    return Called(ok=False)
