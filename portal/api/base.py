"""What every API view shares: a GenericAPIView with the role permission and helpers that
turn a Django form (the same form the page validates with) into a 400 problem."""

from django import forms
from rest_framework import serializers
from rest_framework.views import APIView

from .errors import Problem


class ApiView(APIView):
    # `read_permission` / `write_permission` name the same permissions as the pages
    # (portal.api.permissions); a view's docstring would become its OpenAPI description.

    def actor(self):
        return self.request.user


def validated(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def form_or_400(form: forms.Form) -> forms.Form:
    """The page's form, validated; its errors become a 400 problem with the same words."""
    if not form.is_valid():
        errors = {
            field: [str(message) for message in messages] for field, messages in form.errors.items()
        }
        errors = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in errors.items()
        }
        first = next(iter(errors.values()))[0]
        raise Problem(
            status_code=400,
            kind="invalid-request",
            title="Invalid request",
            detail=first,
            errors=errors,
        )
    return form


def not_found(what: str) -> Problem:
    return Problem(status_code=404, kind="not-found", title="Not found", detail=f"No such {what}.")


def gone_number() -> Problem:
    # As on the page: refused here, not at VI (whose answer, 944, reads as "invalid number").
    return Problem(
        status_code=409, kind="number-gone", title="Number not on the account",
        detail="This number is no longer on the account; nothing was sent to VI.",
    )  # fmt: skip


def number_from_path(tn_text: str, *, for_write: bool = False):
    """The mirror row of the number in an API path (E.164), as the number page finds it:
    404 for anything that is not a number the portal knows, 409 for a write on a gone one."""
    from dids import (
        selectors as dids_selectors,  # every domain's API addresses numbers the dids mirror holds
    )

    from .fields import from_e164

    try:
        tn = from_e164(tn_text)
    except serializers.ValidationError:
        raise not_found("number") from None
    did = dids_selectors.did_get(tn=tn)
    if did is None:
        raise not_found("number")
    if for_write and did.is_gone:
        raise gone_number()
    return did
