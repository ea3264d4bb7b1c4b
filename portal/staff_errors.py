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

from portal.voipinnovations import codes
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

T = TypeVar("T")
Kind = Literal["invalid", "refused", "unreachable"]

UNREACHABLE_MESSAGE = "VI could not be reached. Nothing was changed."
_UNREACHABLE_FRAME = "VI could not be reached"


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

    @property
    def shown_code(self) -> str:
        """VI's code as printed beside a refusal: none for VI's "success" (a 100 beside a
        refusal reads as a contradiction), the same rule as the component's."""
        code = self.code.strip()
        return "" if not code or codes.describe(code).is_success else code

    @property
    def words(self) -> str:
        """The plain words of the failure, without the frame ("VI said", "Nothing was changed")."""
        if self.kind == "refused" and not self.message and self.code:
            return codes.describe(self.code).message
        if self.kind == "invalid":
            return " ".join(self.problems) or self.message
        return self.message

    def __str__(self) -> str:
        # The same sentences as templates/components/staff_error.html renders.
        if self.kind == "unreachable":
            detail = f": {self.message}" if self.message else ""
            return f"VI could not be reached{detail}. Nothing was changed."
        if self.kind == "refused":
            code = f" (code {self.shown_code})" if self.shown_code else ""
            return f"VI said: {self.words}{code}"
        return self.words


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
        return StaffError(kind="unreachable", message=_unreachable_detail(failure.message))
    if isinstance(failure, ProviderRejected):
        return StaffError(kind="refused", message=failure.message, code=failure.code)
    if isinstance(failure, ValidationError):
        return StaffError(kind="invalid", problems=tuple(failure.messages))
    if isinstance(failure, tuple(expected)):
        words = getattr(failure, "message", None) or str(failure)
        return StaffError(kind="invalid", message=words, problems=(words,))
    return None


def _unreachable_detail(message: str) -> str:
    """The client's own "VI could not be reached (connection failed)" -> "connection failed",
    so the frame ("VI could not be reached: ... Nothing was changed.") is not said twice; a
    closing full stop is the frame's too."""
    text = (message or "").strip()
    if text.startswith(_UNREACHABLE_FRAME):
        text = text[len(_UNREACHABLE_FRAME) :].strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        text = text.lstrip(":;,.- ").strip()
    return text.rstrip(". ")


def attempt(action: Callable[[], T], *, expected: Iterable[type[Exception]] = ()) -> Attempt[T]:
    """Run `action`; an expected failure becomes `Attempt.error`, anything else propagates."""
    expected = tuple(expected)
    caught: tuple[type[Exception], ...] = (
        ProviderUnavailable,
        ProviderRejected,
        ValidationError,
        *expected,
    )
    try:
        return Attempt(value=action())
    except caught as failure:
        error = staff_error(failure, expected=expected)
        assert error is not None  # every class caught above has its words
        validation = failure if isinstance(failure, ValidationError) else None
        return Attempt(error=error, validation=validation)


def attempt_on_form(
    form: forms.BaseForm, action: Callable[[], T], *, expected: Iterable[type[Exception]] = ()
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
