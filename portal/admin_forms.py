"""Admin change forms that send each change to VI while they are cleaned.

Django's admin runs a change form's POST inside one transaction (`changeform_view`), but VI
is never called inside a transaction (portal/voipinnovations/transactions.py): a rollback
would leave the mirror forgetting what VI did, and the call would hold row locks for as long
as VI takes. Such a form calls its service from `clean()`, the service writes the mirror and
its history in one atomic block of its own after VI answers, and `save_model` writes
nothing — so the outer transaction has nothing to hold together, and is left out.
"""

from typing import Any

from django.contrib.admin.options import csrf_protect_m
from django.http import HttpRequest, HttpResponse


class AsksViWhileCleaning:
    """Mix in before `admin.ModelAdmin`: Django's own change view, minus its transaction."""

    @csrf_protect_m
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # `_changeform_view` is the body Django wraps in `transaction.atomic`; private, so
        # django-stubs do not declare it.
        view = self._changeform_view  # type: ignore[attr-defined]
        response: HttpResponse = view(request, object_id, form_url, extra_context)
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The service has already stored what VI accepted, with its history."""
