"""One path from a service's expected failure to what a page shows staff.

A service fails in three expected ways, and each reads the same on every page:

- **invalid**: the input was refused before VI was asked (a Django `ValidationError`, or
  one of the exception classes the services module lists in its `EXPECTED_ERRORS`);
- **refused**: VI answered and said no (`ProviderRejected`): VI's words, its code in small
  print;
- **unreachable**: VI could not be asked or gave no usable answer (`ProviderUnavailable`):
  nothing is known to have changed, and the portal changed nothing.

Anything else is a bug and reaches the error page. Views call `attempt` (or
`attempt_on_form` to put the failure next to the form used) and render the one component,
`templates/components/staff_error.html`, with `error=`; a redirecting view uses `flash`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

T = TypeVar("T")
Kind = Literal["invalid", "refused", "unreachable"]

UNREACHABLE_MESSAGE = "VI could not be reached. Nothing was changed."


@dataclass(frozen=True)
class StaffError:
    """An expected failure, in the words a person reads."""

    kind: Kind
    message: str = ""
    code: str = ""  # VI's responseCode or statusCode, for a refusal
    problems: tuple[str, ...] = ()  # one line per problem, for invalid input

    @property
    def unavailable(self) -> bool:
        return self.kind == "unreachable"

    def __str__(self) -> str:
        if self.kind == "unreachable":
            detail = f" ({self.message})" if self.message else ""
            return f"VI could not be reached{detail}. Nothing was changed."
        if self.kind == "refused":
            return (
                f"VI said: {self.message} (code {self.code})"
                if self.code
                else f"VI said: {self.message}"
            )
        return " ".join(self.problems) or self.message


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What a service call came to: its value, or the error to show."""

    value: T | None = None
    error: StaffError | None = None
    validation: ValidationError | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def failed(self) -> bool:
        return self.error is not None


def staff_error(
    failure: BaseException, *, expected: Iterable[type[Exception]] = ()
) -> StaffError | None:
    """The words for `failure`, or None when it is not an expected one (a bug)."""
    if isinstance(failure, ProviderUnavailable):
        return StaffError(kind="unreachable", message=failure.message)
    if isinstance(failure, ProviderRejected):
        return StaffError(kind="refused", message=failure.message, code=failure.code)
    if isinstance(failure, ValidationError):
        return StaffError(kind="invalid", problems=tuple(failure.messages))
    if isinstance(failure, tuple(expected)):
        words = getattr(failure, "message", None) or str(failure)
        return StaffError(kind="invalid", message=words, problems=(words,))
    return None


def attempt(action: Callable[[], T], *, expected: Iterable[type[Exception]] = ()) -> Attempt[T]:
    """Run `action`; an expected failure becomes `Attempt.error`, anything else propagates."""
    expected = tuple(expected)
    try:
        return Attempt(value=action())
    except (ProviderUnavailable, ProviderRejected, ValidationError, *expected) as failure:
        validation = failure if isinstance(failure, ValidationError) else None
        return Attempt(error=staff_error(failure, expected=expected), validation=validation)


def attempt_on_form(
    form: forms.Form, action: Callable[[], T], *, expected: Iterable[type[Exception]] = ()
) -> Attempt[T]:
    """`attempt`, with the failure put on `form`: VI's answer as `form.staff_error` (shown by
    the form's error block), invalid input on the field it names or form-wide."""
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}  # an unbound form used only to carry VI's answer
    outcome = attempt(action, expected=expected)
    if outcome.error is None:
        return outcome
    if outcome.error.kind != "invalid":
        form.staff_error = outcome.error  # type: ignore[attr-defined]
    elif outcome.validation is not None and hasattr(outcome.validation, "error_dict"):
        for name, errors in outcome.validation.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif outcome.validation is not None:
        form.add_error(None, outcome.validation)
    else:
        form.add_error(None, outcome.error.message)
    return outcome


def flash(request: HttpRequest, error: StaffError) -> None:
    """For a view that redirects: the same words, on the next page's message area."""
    level = messages.WARNING if error.kind == "unreachable" else messages.ERROR
    messages.add_message(request, level, str(error))
