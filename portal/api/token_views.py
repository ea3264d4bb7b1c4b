"""Account → API tokens: a person creates (the token is shown once) and revokes their own;
Administrators (manage users) see everyone's and create or revoke them for others."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.http import AuthenticatedHttpRequest

from . import tokens
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="What uses it, e.g. “Billing sync”."
    )
    owner = forms.ModelChoiceField(
        label="For", queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, may_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field, forms.ModelChoiceField)
                else "form-control form-control-sm"
            )
        if may_manage:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        else:
            del self.fields["owner"]


def _may_manage(user) -> bool:
    return user.has_perm(tokens.MANAGE_USERS)


def _page(
    request: AuthenticatedHttpRequest,
    *,
    form: TokenForm | None = None,
    created: str = "",
    created_token=None,
    status: int = 200,
):
    may_manage = _may_manage(request.user)
    rows = tokens.tokens_all() if may_manage else tokens.tokens_of(owner=request.user)
    context = {
        "tokens": rows,
        "form": form or TokenForm(may_manage=may_manage, initial={"owner": request.user.pk}),
        "may_manage": may_manage,
        "created": created,
        "created_token": created_token,
    }
    return render(request, "api/tokens.html", context, status=status)


@require_GET
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request)


# Not a write_view: every role, Viewers included, may hold tokens (a read-only integration).
@require_POST
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, may_manage=_may_manage(request.user))
    if not form.is_valid():
        return _page(request, form=form)
    owner = form.cleaned_data.get("owner") or request.user
    try:
        token, raw = tokens.token_create(
            owner=owner, name=form.cleaned_data["name"], actor=request.user
        )
    except ValidationError as error:
        form.add_error("name", error)
        return _page(request, form=form)
    # Rendered, not redirected: the token is in this one answer and nowhere else.
    return _page(request, created=raw, created_token=token)


# Not a write_view: every role, Viewers included, may hold tokens (a read-only integration).
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not (token.user_id == request.user.pk or _may_manage(request.user)):
        raise Http404("No such token.")
    try:
        tokens.token_revoke(token=token, actor=request.user)
    except PermissionDenied:
        raise Http404("No such token.") from None
    messages.success(request, f"Token “{token.name}” revoked: it no longer opens the API.")
    return redirect("api-tokens")
