"""/numbers/<tn>/: everything about one number, with one small HTMX form per feature.

Each panel is a form that posts to its own URL, validates on its own, calls one service
and re-renders itself in place with VI's answer; on success it also tells the page
(the `did-changed` event) so the summary and the history refresh. Each panel is a partial
of the page named after it (`dids/detail.html#panel_<name>`), rendered by that name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from dids import forms as did_forms
from dids import number_summary, selectors, services
from dids.models import DID
from messaging import services as messaging_services
from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import StaffError, attempt_on_form
from portal.voipinnovations.errors import ProviderError

HISTORY_LIMIT = 50
PROVIDER_CALL_LIMIT = 25

# Fragments of the page a GET may ask for by name (?part=…), e.g. after a change.
PAGE_PARTS = {"summary", "history", "provider_calls"}


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    form_class: type[forms.Form]
    # (request, did, cleaned data) -> whatever the service returned; raises expected errors.
    submit: Callable[[AuthenticatedHttpRequest, DID, dict[str, Any]], Any]
    initial: Callable[[DID], dict[str, Any]] = lambda did: {}
    # Extra form arguments the panel needs from selectors (endpoint groups, scripts).
    needs: tuple[str, ...] = field(default=())
    success: str = "Saved at VI."

    @property
    def template(self) -> str:
        """The page's partial that draws this panel, by name."""
        return f"dids/detail.html#panel_{self.name}"


Data = dict[str, Any]


def _configure(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    return services.dids_configure(
        tns=[did.tn],
        endpoint_id=data["endpoint_group"],
        cnam=data["cnam"],
        actor=request.user,
        source=Source.STAFF,
    )


def _cnam_name(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.cnam_name_remove(tn=did.tn, actor=request.user, source=Source.STAFF)
    return services.cnam_name_update(
        tn=did.tn, name=data["name"], actor=request.user, source=Source.STAFF
    )


def _forward(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.forward_remove(
            tn=did.tn, endpoint_id=data["endpoint_group"], actor=request.user, source=Source.STAFF
        )
    return services.forward_set(
        tn=did.tn, forward=data["forward"], actor=request.user, source=Source.STAFF
    )


def _failover(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    return services.failover_update(
        tn=did.tn, failover=data["failover"], actor=request.user, source=Source.STAFF
    )


def _did_group(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.did_group_remove(tn=did.tn, actor=request.user, source=Source.STAFF)
    group_id = data.get("group_id")
    if group_id is None:
        # "A new group" with a name: created at VI (or the existing group of that name).
        group, _ = services.did_group_by_name(
            name=data["new_group_name"], actor=request.user, source=Source.STAFF
        )
        group_id = group.vi_id
    return services.did_group_set(
        tn=did.tn, group_id=group_id, actor=request.user, source=Source.STAFF
    )


def _conference(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.conference_line_remove(tn=did.tn, actor=request.user, source=Source.STAFF)
    return services.conference_line_set(
        tn=did.tn, pin=data["pin"], actor=request.user, source=Source.STAFF
    )


def _fax_to_email(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.fax_to_email_remove(tn=did.tn, actor=request.user, source=Source.STAFF)
    return services.fax_to_email_set(
        tn=did.tn, email=data["email"], actor=request.user, source=Source.STAFF
    )


def _fax_notifications(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    return services.fax_notifications_configure(
        tn=did.tn, enabled=data["enabled"], actor=request.user, source=Source.STAFF
    )


def _email_to_fax(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.email_to_fax_remove(
            tn=did.tn, email=data["email"], actor=request.user, source=Source.STAFF
        )
    return services.email_to_fax_add(
        tn=did.tn, email=data["email"], actor=request.user, source=Source.STAFF
    )


def _program(request: AuthenticatedHttpRequest, did: DID, data: Data) -> Any:
    if data.get("remove"):
        return services.did_unprogram(
            tn=did.tn, endpoint_id=data["endpoint_group"], actor=request.user, source=Source.STAFF
        )
    return services.did_program(
        tn=did.tn, script_id=data["script"], actor=request.user, source=Source.STAFF
    )


PANELS: dict[str, Panel] = {
    panel.name: panel
    for panel in [
        Panel(
            "configure", "Endpoint group and CNAM dip", did_forms.ConfigureForm, _configure,
            initial=lambda did: {"endpoint_group": did.endpoint_id, "cnam": did.cnam},
            needs=("endpoint_groups",),
        ),
        Panel("cnam_name", "Outbound caller-ID name", did_forms.CNAMNameForm, _cnam_name,
              initial=lambda did: {"name": did.cnam_name}),
        Panel("forward", "Forward", did_forms.ForwardForm, _forward,
              initial=lambda did: {"forward": did.forward, "endpoint_group": did.endpoint_id},
              needs=("endpoint_groups",)),
        Panel("failover", "Failover", did_forms.FailoverForm, _failover,
              initial=lambda did: {"failover": did.failover}),
        Panel("did_group", "DID group", did_forms.DIDGroupForm, _did_group,
              initial=lambda did: {"did_group": "" if did.did_group_id is None else str(did.did_group_id)},
              needs=("did_groups",)),
        Panel("conference", "Conference line", did_forms.ConferenceLineForm, _conference),
        Panel("fax_to_email", "Fax to email", did_forms.FaxToEmailForm, _fax_to_email,
              initial=lambda did: {"email": did.fax_to_email}),
        Panel("fax_notifications", "Fax failure notifications", did_forms.FaxNotificationsForm,
              _fax_notifications, initial=lambda did: {"enabled": did.fax_failure_notifications}),
        Panel("email_to_fax", "Email to fax", did_forms.EmailToFaxForm, _email_to_fax),
        Panel("program", "Programmable telco", did_forms.ProgramForm, _program,
              initial=lambda did: {"script": did.script_id, "endpoint_group": did.endpoint_id},
              needs=("endpoint_groups", "scripts")),
    ]
}  # fmt: skip


def _did_or_404(tn: str) -> DID:
    did = selectors.did_get(tn=tn)
    if did is None:
        raise Http404(
            "This number is not in the portal's list. Refresh from VI, or check the number."
        )
    return did


def _form_kwargs(request: AuthenticatedHttpRequest, panel: Panel) -> tuple[dict[str, Any], str]:
    """The selector-fed choices a panel's form needs, and a note if VI could not give them."""
    kwargs: dict[str, Any] = {}
    note = ""
    if "endpoint_groups" in panel.needs:
        kwargs["endpoint_groups"] = selectors.endpoint_group_list()
    if "did_groups" in panel.needs:
        kwargs["did_groups"] = selectors.did_group_list()
    if "scripts" in panel.needs:
        try:
            kwargs["scripts"] = services.scripts_list(actor=request.user, source=Source.STAFF)
        except ProviderError:
            kwargs["scripts"] = []
            note = "VI's script list could not be loaded just now."
    return kwargs, note


def _panel_context(
    panel: Panel,
    did: DID,
    form: forms.Form,
    *,
    note: str = "",
    saved: bool = False,
    result: Any = None,
) -> dict[str, Any]:
    return {
        "panel": panel, "did": did, "form": form, "note": note, "saved": saved, "result": result,
        "value": number_summary.panel_value(name=panel.name, did=did),
    }  # fmt: skip


def _render_panel(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, context["panel"].template, context)


def _page_context(did: DID) -> dict[str, Any]:
    return {
        "did": did,
        "summary": selectors.did_summary(did=did),
        "client": selectors.client_of_number(did=did),
        "history": selectors.did_history_rows(tn=did.tn, limit=HISTORY_LIMIT),
        "provider_calls": selectors.did_provider_calls(tn=did.tn, limit=PROVIDER_CALL_LIMIT),
        "badges": [] if did.is_gone else number_summary.number_badges(did=did),
    }


@require_GET
def did_detail(request: HtmxHttpRequest, tn: str) -> HttpResponse:
    did = _did_or_404(tn)
    part = request.GET.get("part")
    context = _page_context(did)
    if request.htmx and part in PAGE_PARTS:
        return render(request, f"dids/detail.html#{part}", context)
    if did.is_gone:
        # A number that left the account reads as gone: no edit panels (VI would only answer
        # "invalid number"), and an offer to buy it back, loaded from VI after the page.
        return render(request, "dids/detail.html", context)
    panels = []
    for panel in PANELS.values():
        if panel.name == "program":
            continue  # loads itself (it asks VI for the script list)
        kwargs, note = _form_kwargs(request, panel)
        panels.append(
            _panel_context(
                panel, did, panel.form_class(initial=panel.initial(did), **kwargs), note=note
            )
        )
    context["panels"] = {item["panel"].name: item for item in panels}
    context["program_panel"] = PANELS["program"]
    return render(request, "dids/detail.html", context)


@require_GET
def did_panel(request: AuthenticatedHttpRequest, tn: str, panel: str) -> HttpResponse:
    """One panel, freshly rendered (lazy-loaded panels, or "cancel" after an edit)."""
    if panel not in PANELS:
        raise Http404("No such panel.")
    did = _did_or_404(tn)
    spec = PANELS[panel]
    if did.is_gone:
        return _render_gone_panel(request, spec, did)
    kwargs, note = _form_kwargs(request, spec)
    if panel == "email_to_fax" and request.GET.get("fetch") == "vi":
        # The sender list as VI holds it now (GetEmailToFax); the service corrects the mirror.
        try:
            services.email_to_fax_list(tn=did.tn, actor=request.user, source=Source.STAFF)
        except ProviderError:
            note = "VI could not be asked just now; this is the portal's copy from the last sync."
        did = _did_or_404(tn)
    form = spec.form_class(initial=spec.initial(did), **kwargs)
    return _render_panel(request, _panel_context(spec, did, form, note=note))


@write_view("portal.operate_numbers")
def did_panel_submit(request: AuthenticatedHttpRequest, tn: str, panel: str) -> HttpResponse:
    if panel not in PANELS:
        raise Http404("No such panel.")
    did = _did_or_404(tn)
    spec = PANELS[panel]
    if did.is_gone:
        # Refused here, not at VI: VI's answer for a number off the account is "invalid
        # number" (944), which reads as if the digits were wrong.
        return _render_gone_panel(request, spec, did)
    kwargs, note = _form_kwargs(request, spec)
    form = spec.form_class(request.POST, **kwargs)
    if not form.is_valid():
        # Bad input never reaches VI; htmx swaps a 200, so the errors show in place.
        return _render_panel(request, _panel_context(spec, did, form, note=note))
    called = attempt_on_form(
        form,
        lambda: spec.submit(request, did, form.cleaned_data),
        expected=services.EXPECTED_ERRORS,
    )
    if called.failed:
        return _render_panel(request, _panel_context(spec, did, form, note=note))
    result = called.value
    outcome = _first_outcome(result)
    if outcome is not None and not outcome.ok:
        # A per-number refusal inside a bulk-shaped answer: show it as VI's word on this form.
        _refused_on(form, outcome.message, outcome.code)
        return _render_panel(request, _panel_context(spec, did, form, note=note))
    did = _did_or_404(tn)
    if "did_groups" in spec.needs:
        kwargs["did_groups"] = selectors.did_group_list()  # a group created just now is in the list
    fresh = spec.form_class(initial=spec.initial(did), **kwargs)
    response = _render_panel(request, _panel_context(spec, did, fresh, saved=True, result=result))
    # The status rows change with the panel, in the same answer (out of band); the event
    # refreshes the history and the calls.
    summary = render(
        request,
        "dids/detail.html#summary",
        {"did": did, "summary": selectors.did_summary(did=did), "oob": True},
    )
    response.content += summary.content
    return trigger_client_event(response, "did-changed")


def _refused_on(form: forms.Form, message: str, code: str) -> None:
    """VI's refusal of this one number, shown on the form like a refusal of the whole call."""
    # Set like attempt_on_form sets it: a plain attribute the form's error block reads.
    form.staff_error = StaffError(kind="refused", message=message, code=code)  # type: ignore[attr-defined]


def _render_gone_panel(request: AuthenticatedHttpRequest, spec: Panel, did: DID) -> HttpResponse:
    return render(
        request,
        "dids/detail.html#panel_gone",
        {"panel": spec, "did": did, "departure": selectors.did_departure(did=did)},
    )


def _first_outcome(result: Any) -> Any:
    """A single NumberOutcome from a service answer (one, or a list of one), if it is one."""
    if isinstance(result, (list, tuple)):
        result = result[0] if len(result) == 1 else None
    return result if hasattr(result, "ok") and hasattr(result, "code") else None


@write_view("portal.operate_numbers")
def did_refresh(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """Ask VI about this number now (queryDID and the feature getters) and show the result."""
    form = forms.Form(request.POST)
    form.is_valid()
    called = attempt_on_form(
        form,
        lambda: services.did_refresh(tn=tn, actor=request.user, source=Source.STAFF),
        expected=services.EXPECTED_ERRORS,
    )
    did = selectors.did_get(tn=tn)
    sms_refreshed = None
    if called.ok and called.value is not None:
        # The number's SMS settings live in the messaging mirror; a person asking for "the
        # number as VI has it now" means those too (AuditSMS for this one number).
        try:
            sms_refreshed = (
                messaging_services.sms_number_refresh(
                    tn=tn, actor=request.user, source=Source.STAFF
                )
                is not None
            )
        except ProviderError:
            sms_refreshed = False
    response = render(
        request,
        "dids/detail.html#refresh_result",
        {"form": form, "did": did, "refreshed": called.ok, "sms_refreshed": sms_refreshed},
    )
    if called.ok:
        trigger_client_event(response, "did-changed")
    return response


# --- a gone number: buy it back ----------------------------------------------------------------


def _buy_back_context(
    request: AuthenticatedHttpRequest, did: DID, form: forms.Form | None = None
) -> dict[str, Any]:
    """Whether VI offers the number now, and the form to buy it, for the gone banner."""
    context: dict[str, Any] = {"did": did, "available": None, "unreachable": False}
    try:
        context["available"] = services.did_buy_back_available(
            tn=did.tn, actor=request.user, source=Source.STAFF
        )
    except ProviderError:
        context["unreachable"] = True
    context["form"] = form or did_forms.BuyBackForm(
        initial={"endpoint_group": did.endpoint_id or None},
        endpoint_groups=selectors.endpoint_group_list(),
    )
    return context


@require_GET
def did_buy_back(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    """The banner's "buy it back" part: asks VI's inventory whether the number is for sale."""
    did = _did_or_404(tn)
    if not did.is_gone:
        return render(request, "dids/detail.html#buy_back", {"did": did, "still_ours": True})
    return render(request, "dids/detail.html#buy_back", _buy_back_context(request, did))


@write_view("portal.operate_numbers")
def did_buy_back_submit(request: AuthenticatedHttpRequest, tn: str) -> HttpResponse:
    did = _did_or_404(tn)
    form = did_forms.BuyBackForm(request.POST, endpoint_groups=selectors.endpoint_group_list())
    if not did.is_gone:
        return render(request, "dids/detail.html#buy_back", {"did": did, "still_ours": True})
    if not form.is_valid():
        return render(request, "dids/detail.html#buy_back", _buy_back_context(request, did, form))
    called = attempt_on_form(
        form,
        lambda: services.did_buy_back(
            tn=did.tn,
            endpoint_id=form.cleaned_data["endpoint_group"],
            actor=request.user,
            source=Source.STAFF,
        ),
        expected=services.EXPECTED_ERRORS,
    )
    outcome = called.value if called.ok else None
    if outcome is not None and not outcome.ok:
        _refused_on(form, outcome.message, outcome.code)
    if outcome is None or not outcome.ok:
        return render(request, "dids/detail.html#buy_back", _buy_back_context(request, did, form))
    # Bought: the whole page changes (panels come back), so load it afresh.
    return HttpResponseClientRedirect(reverse("dids:detail", args=[did.tn]))
