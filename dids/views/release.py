"""Releasing numbers back to VI: Administrators only, after a confirmation that lists
what each number still has attached and asks for the count to be typed."""

import importlib
from dataclasses import dataclass, field

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render

from dids import selectors, services
from dids.forms import ReleaseForm, TNListField
from dids.models import DID
from e911 import selectors as e911_selectors
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.staff_errors import attempt_on_form


@dataclass
class Attachments:
    """What goes away with a number, in words a person checks before releasing it."""

    tn: str
    did: DID | None
    items: list[str] = field(default_factory=list)


def _other_app_attachments(tn: str) -> list[str]:
    """Ask the 911 and messaging apps what they hold for `tn`, if they can say (guarded)."""
    found: list[str] = []
    for module_name, function_name in (
        ("e911.selectors", "attachments_for_tn"),
        ("messaging.selectors", "attachments_for_tn"),
        ("porting.selectors", "attachments_for_tn"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        describe = getattr(module, function_name, None)
        if describe is not None:
            found.extend(describe(tn=tn))
    return found


def _attachments(tn: str) -> Attachments:
    did = selectors.did_get(tn=tn)
    items: list[str] = []
    if did is not None:
        if did.has911:
            items.append("911 location")
        if did.forward:
            items.append(f"forward to {did.forward}")
        if did.failover:
            items.append(f"failover to {did.failover}")
        if did.conference_line:
            items.append("conference line")
        if did.fax_to_email:
            items.append(f"fax to {did.fax_to_email}")
        if did.email_to_fax:
            items.append("email to fax")
        if did.script_id:
            items.append(f"script {did.script_id}")
        if did.did_group_id:
            items.append(f"DID group {did.did_group_id}")
    items.extend(item for item in _other_app_attachments(tn) if item not in items)
    return Attachments(tn=tn, did=did, items=items)


@permission_required("portal.release_numbers", raise_exception=True)
def release_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The confirmation page: nothing is released from here.

    Reached by POST from the numbers list's bulk form (the ticked numbers and the CSRF token
    in the body, never in an address), or by GET ?tns=… from a number's page and from the
    911 check (numbers only). Either way it only reads.
    """
    field_ = TNListField(required=False)
    chosen = request.POST if request.method == "POST" else request.GET
    try:
        tns = field_.clean(chosen.getlist("tns"))
    except Exception as error:  # a bad number in the URL: say which
        return render(
            request,
            "dids/release.html",
            {"errors": getattr(error, "messages", [str(error)]), "rows": []},
        )
    rows = [_attachments(tn) for tn in tns]
    form = ReleaseForm(initial={"tns": tns})
    return render(
        request,
        "dids/release.html",
        {"rows": rows, "form": form, "tns": tns, "with_911": _with_911(tns, rows)},
    )


def _with_911(tns: list[str], rows: list[Attachments]) -> list[str]:
    """Numbers that still have a 911 location: the e911 mirror's record, or VI's has911 flag.

    VI keeps the 911 record of a released number (billed, off-net), so the page offers to
    remove it first rather than only listing it.
    """
    located = set(e911_selectors.locations_for_tns(tns=tns))
    located.update(row.tn for row in rows if row.did is not None and row.did.has911)
    return [tn for tn in tns if tn in located]


@write_view("portal.release_numbers")
def release_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReleaseForm(request.POST)
    outcomes = None
    if form.is_valid():
        outcomes = attempt_on_form(
            form,
            lambda: services.dids_release(
                tns=form.cleaned_data["tns"], actor=request.user, source=Source.STAFF
            ),
            expected=services.EXPECTED_ERRORS,
        ).value
    tns: list[str] = (form.cleaned_data.get("tns") or []) if hasattr(form, "cleaned_data") else []
    rows = [_attachments(tn) for tn in tns] if outcomes is None else []
    context = {
        "form": form,
        "outcomes": outcomes,
        "tns": tns,
        "rows": rows,
        "with_911": _with_911(tns, rows) if rows else [],
    }
    return render(request, "dids/release.html", context)
