"""How the 911 views call a service and turn its expected failures into words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from e911.services import AddressInvalid
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable


@dataclass
class Outcome:
    """What a service call came to: its value, or what to tell the person."""

    ok: bool = False
    value: Any = None
    # Shown with templates/components/vi_alert.html.
    vi_message: str = ""
    vi_code: str = ""
    unavailable: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.ok


def attempt(action: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(ok=True, value=action())
    except ProviderUnavailable as error:
        return Outcome(unavailable=True, vi_message=error.message)
    except ProviderRejected as refusal:
        return Outcome(vi_message=refusal.message, vi_code=refusal.code)
    except AddressInvalid as invalid:
        return Outcome(errors=[invalid.message])
    except ValidationError as error:
        return Outcome(errors=list(error.messages))
