"""/compliance/: the readiness score, the failing checks with counts, the trend, and for one
check the failing numbers with the bulk fix VI allows."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dids.numbers import normalize_tns
from portal.csv_export import csv_response
from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import StaffError, attempt_on_form

from . import selectors, services
from .checks import CHECKS, CHECKS_BY_KEY

PAGE_SIZE = 50
# The last bulk fix's result per number, shown once on the page the fix redirects to.
OUTCOMES_SESSION_KEY = "compliance_bulk_outcomes"
SEARCH_MAX = 100
# Checks whose fix the page can apply to many numbers at once.
BULK_FIXES = {
    "kari_alert": "alerts",
    "location_valid": "csv",
    "dispatchable_unit": "csv",
    "revalidation": "csv",
}


class AlertRecipientsForm(forms.Form):
    email = forms.CharField(label="Alert recipient e-mail", max_length=150)
    tns = forms.CharField(required=False)

    def __init__(self, *args: Any, tns_list: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tns_list = tns_list or []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if not self.tns_list:
            raise ValidationError("Tick at least one number.")
        try:
            data["numbers"] = normalize_tns(self.tns_list)
        except ValidationError:
            raise ValidationError("Those are not numbers of this account.") from None
        if len(data["numbers"]) > services.MAX_BULK_ALERTS:
            raise ValidationError(f"At most {services.MAX_BULK_ALERTS} numbers at once.")
        return data


def _check_key(request: HttpRequest) -> str:
    key = request.GET.get("check", "")
    return key if key in CHECKS_BY_KEY else ""


def _outcome_shown(stored: dict[str, Any]) -> dict[str, Any]:
    """A bulk fix's result per number as kept in the session, with its failure a StaffError
    again for the one component."""
    kept = stored.get("error")
    error = StaffError(**{**kept, "problems": tuple(kept.get("problems") or ())}) if kept else None
    if error is None and not stored.get("ok"):  # kept before failures carried their error
        message = stored.get("message", "")
        error = StaffError(kind="invalid", message=message, problems=(message,))
    return {**stored, "error": error}


def _context(
    request: HttpRequest,
    *,
    key: str,
    form: AlertRecipientsForm | None = None,
    outcomes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    judged = selectors.verdicts()
    overview = selectors.overview(judged=judged)
    q = request.GET.get("q", "")[:SEARCH_MAX]
    context = {
        "overview": overview, "checks": CHECKS, "key": key, "q": q, "search_max": SEARCH_MAX,
        "trend": [{"day": s.taken_on.isoformat(), "score": s.score} for s in selectors.snapshots()],
        "form": form or AlertRecipientsForm(), "outcomes": outcomes or [],
        "clients": selectors.client_names(), "bulk_fix": BULK_FIXES.get(key, ""),
        "campaign_lint": selectors.campaigns_failing_lint(),
    }  # fmt: skip
    if key:
        rows = selectors.failing_for_check(key=key, q=q, judged=judged)
        context["check"] = CHECKS_BY_KEY[key]
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return context


@require_GET
def export(request: HttpRequest, key: str) -> StreamingHttpResponse:
    if key not in CHECKS_BY_KEY:
        raise Http404("No such check.")
    q = request.GET.get("q", "")[:SEARCH_MAX]
    return csv_response(selectors.check_csv(key=key, q=q), filename=f"compliance-{key}.csv")


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    key = _check_key(request)
    stored = request.session.pop(OUTCOMES_SESSION_KEY, []) if key else []
    outcomes = [_outcome_shown(outcome) for outcome in stored]
    template = "compliance/index.html#results" if request.htmx and key else "compliance/index.html"
    return render(request, template, _context(request, key=key, outcomes=outcomes))


@write_view("portal.operate_e911", fallback="compliance:index")
def alerts_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AlertRecipientsForm(request.POST, tns_list=request.POST.getlist("tns"))
    outcomes = []
    if form.is_valid():
        outcomes = (
            attempt_on_form(
                form,
                lambda: services.alert_recipient_add_many(
                    tns=form.cleaned_data["numbers"],
                    email=form.cleaned_data["email"],
                    actor=request.user,
                    source=Source.STAFF,
                ),
                expected=services.EXPECTED_ERRORS,
            ).value
            or []
        )
    if outcomes:
        # Post/redirect/get: a reload shows the list again instead of adding the recipient twice.
        request.session[OUTCOMES_SESSION_KEY] = [asdict(outcome) for outcome in outcomes]
        return redirect(f"{reverse('compliance:index')}?check=kari_alert#check-list")
    return render(request, "compliance/index.html", _context(request, key="kari_alert", form=form))
