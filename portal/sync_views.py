"""The Sync page: each kind's recent runs, "Sync now", live progress, confirming a held shrink."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from portal.http import HtmxHttpRequest
from portal.models import SetAsideRecord, SyncRun
from portal.permissions import write_view
from portal.staff_errors import StaffError, attempt, flash
from portal.sync import (
    SYNC_KINDS,
    SyncKindUnavailable,
    SyncNotConfirmable,
    kind_is_available,
    kind_label,
    sync_confirm,
    sync_request,
    total_counts,
)
from portal.sync.runs import ACTIVE_STATUSES, runs_mark_stale

RECENT_RUNS = 8
# (count name, column heading)
FIGURES = (
    ("seen", "Seen"),
    ("created", "New"),
    ("updated", "Changed"),
    ("returned", "Back"),
    ("gone", "Gone"),
    ("unchanged", "Same"),
    ("kept_local", "Kept local"),
)


# How many set-aside records the Sync page lists for one run (all are kept, up to 1,000).
SET_ASIDE_SHOWN = 50


@dataclass(frozen=True)
class SetAsideProblem:
    label: str  # the field in plain words ("endpoint group")
    raw: str  # VI's value, escaped and cut short
    reason: str


@dataclass(frozen=True)
class SetAsideRow:
    what: str  # "number 4352150001"
    problems: list[SetAsideProblem]
    values: dict


@dataclass(frozen=True)
class RunRow:
    run: SyncRun
    figures: list[int | None]  # in FIGURES order; None when the run did not get that far
    confirmable: bool
    set_aside: int = 0  # records (or single values) VI sent that the portal could not store
    set_aside_rows: list[SetAsideRow] = field(default_factory=list)


@dataclass(frozen=True)
class KindPanel:
    kind: str
    label: str
    available: bool
    active: SyncRun | None
    rows: list[RunRow]


def _panel(kind: str) -> KindPanel:
    runs = list(
        SyncRun.objects.filter(kind=kind).select_related("requested_by", "confirmed_by")[
            :RECENT_RUNS
        ]
    )
    active = next((run for run in runs if run.status in ACTIVE_STATUSES), None)
    # Only the newest held run can be confirmed: a later run makes it obsolete.
    latest_relevant = next((run for run in runs if run.status != SyncRun.Status.SKIPPED), None)
    kept = dict(
        SetAsideRecord.objects.filter(sync_run__in=runs)
        .order_by()
        .values("sync_run")
        .annotate(n=Count("id"))
        .values_list("sync_run", "n")
    )
    rows = [
        RunRow(
            run=run,
            figures=_figures(run),
            confirmable=run.status == SyncRun.Status.NEEDS_CONFIRMATION and run is latest_relevant,
            set_aside=max(total_counts(run.counts).get("set_aside", 0), kept.get(run.pk, 0)),
            # Only the newest run lists its records: older ones were settled or repeated since.
            set_aside_rows=_set_aside_rows(run) if run is runs[0] and kept.get(run.pk) else [],
        )
        for run in runs
    ]
    return KindPanel(
        kind=kind,
        label=kind_label(kind),
        available=kind_is_available(kind),
        active=active,
        rows=rows,
    )


def _set_aside_rows(run: SyncRun) -> list[SetAsideRow]:
    rows = []
    for record in SetAsideRecord.objects.filter(sync_run=run)[:SET_ASIDE_SHOWN]:
        model = _model_or_none(record.model)
        noun = str(model._meta.verbose_name) if model else "value"
        rows.append(
            SetAsideRow(
                what=f"{noun} {record.object_key}".strip(),
                problems=[
                    SetAsideProblem(
                        label=_field_label(model, problem.get("field", "")),
                        raw=str(problem.get("raw", "")),
                        reason=str(problem.get("reason", "")),
                    )
                    for problem in record.problems
                ],
                values={_field_label(model, name): value for name, value in record.values.items()},
            )
        )
    return rows


def _model_or_none(label: str):
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def _field_label(model, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a field since renamed: show its stored name
            pass
    return {"Amount": "prepaid balance"}.get(name, name.replace("_", " "))


def _figures(run: SyncRun) -> list[int | None]:
    totals = total_counts(run.counts)
    return [totals.get(name) for name, _ in FIGURES]


def _known_kind(kind: str) -> str:
    if kind not in SYNC_KINDS:
        raise Http404("No such sync kind.")
    return kind


def _panel_response(request: HttpRequest, kind: str) -> HttpResponse:
    return render(
        request, "sync/index.html#kind-panel", {"panel": _panel(kind), "figures": FIGURES}
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # A page visit is a cheap moment to release runs whose worker died.
    runs_mark_stale()
    panels = [_panel(kind) for kind in SYNC_KINDS]
    return render(request, "sync/index.html", {"panels": panels, "figures": FIGURES})


@require_GET
def panel(request: HttpRequest, kind: str) -> HttpResponse:
    """One kind's panel; polled every second while a run is queued or running."""
    return _panel_response(request, _known_kind(kind))


@write_view("portal.run_sync")
def sync_now(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    kind = _known_kind(kind)
    try:
        run = sync_request(kind=kind, actor=request.user)
    except SyncKindUnavailable:
        # The kind's label, not the exception's dotted path to a service that does not exist.
        words = f"The {kind_label(kind)} sync is not available yet."
        flash(request, StaffError(kind="invalid", message=words, problems=(words,)))
    else:
        messages.info(request, f"{kind_label(kind)} sync queued (run #{run.pk}).")
    if request.htmx:
        return _panel_response(request, kind)
    return redirect("sync:index")


@write_view("portal.confirm_sync")
def confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    held = get_object_or_404(SyncRun, pk=pk)
    outcome = attempt(
        lambda: sync_confirm(run=held, actor=request.user),
        expected=(SyncNotConfirmable, SyncKindUnavailable),
    )
    if outcome.error is not None:
        flash(request, outcome.error)
    else:
        assert outcome.value is not None
        messages.warning(
            request,
            f"Confirmed: run #{outcome.value.pk} will apply the {kind_label(held.kind)} audit "
            "as VI sent it.",
        )
    if request.htmx:
        return _panel_response(request, held.kind)
    return redirect("sync:index")
