"""/porting/: the active ports, one port's page (numbers, details, timeline), following, and
the per-person "what changed" list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from portal.http import AuthenticatedHttpRequest, HtmxHttpRequest
from portal.models import Source
from portal.permissions import write_view
from portal.redirects import safe_next
from portal.staff_errors import attempt, flash
from porting import selectors, services
from porting.forms import PortFilterForm
from porting.models import Port

PORTS_PER_PAGE = 50


def _port_or_404(vi_id: int) -> Port:
    port = selectors.port_get(vi_id=vi_id)
    if port is None:
        raise Http404("No such port in the mirror.")
    return port


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    viewer = services.viewer_visit(actor=request.user, source=Source.STAFF, now=now)
    form = PortFilterForm(request.GET or None)
    ports = selectors.port_list(
        filters=form.filters(), user=request.user, baseline=viewer.baseline_at, now=now
    )
    page = Paginator(ports, PORTS_PER_PAGE).get_page(request.GET.get("page"))
    for port in page:
        port.days_left = selectors.days_until(port.foc_at, now=now)
    context = {
        "form": form,
        "ports": list(page.object_list),
        "page": page,
        "baseline": viewer.baseline_at,
        "counts": selectors.porting_counts(now=now),
        "section": "ports",
    }
    template = (
        "porting/index.html#port-table"
        if request.htmx and request.htmx.target == "port-table"
        else "porting/index.html"
    )
    return render(request, template, context)


@require_POST
def mark_seen(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Personal bookkeeping only: nothing at VI or in the mirror changes, so any viewer may."""
    services.viewer_mark_seen(actor=request.user, source=Source.STAFF)
    messages.info(request, "Marked everything as seen.")
    return redirect(safe_next(request, "porting:index"))


@require_GET
def changes(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = selectors.viewer_get(user=request.user)
    baseline = viewer.baseline_at if viewer else None
    following = request.GET.get("following") == "1"
    events = selectors.events_recent(user=request.user, following=following, limit=200)
    return render(request, "porting/changes.html", {
        "events": events, "baseline": baseline, "following": following, "section": "changes",
    })  # fmt: skip


@require_GET
def detail(request: HtmxHttpRequest, vi_id: int) -> HttpResponse:
    port = _port_or_404(vi_id)
    context = {
        "port": port,
        "numbers": selectors.port_numbers(port=port),
        "timeline": selectors.port_timeline(port=port),
        "followed": selectors.port_is_followed(port=port, user=request.user),
        "days_left": selectors.days_until(port.foc_at),
        "section": "ports",
    }
    if request.htmx and request.GET.get("part") == "follow":
        return render(request, "porting/detail.html#follow", context)
    return render(request, "porting/detail.html", context)


def _follow_answer(request: HtmxHttpRequest, port: Port) -> HttpResponse:
    if request.htmx:
        context = {
            "port": port,
            "followed": selectors.port_is_followed(port=port, user=request.user),
        }
        return render(request, "porting/detail.html#follow", context)
    return redirect("porting:detail", vi_id=port.vi_id)


@require_POST
def follow(request: HtmxHttpRequest, vi_id: int) -> HttpResponse:
    """Following is the person's own choice of e-mails: any viewer may."""
    port = _port_or_404(vi_id)
    services.port_follow(port=port, actor=request.user, source=Source.STAFF)
    return _follow_answer(request, port)


@require_POST
def unfollow(request: HtmxHttpRequest, vi_id: int) -> HttpResponse:
    port = _port_or_404(vi_id)
    services.port_unfollow(port=port, actor=request.user, source=Source.STAFF)
    return _follow_answer(request, port)


@write_view("portal.run_sync", fallback="porting:detail")
def refresh(request: AuthenticatedHttpRequest, vi_id: int) -> HttpResponse:
    refreshed = attempt(
        lambda: services.port_refresh(vi_id=vi_id, actor=request.user, source=Source.STAFF),
        expected=services.EXPECTED_ERRORS,
    )
    if refreshed.error is not None:
        flash(request, refreshed.error)
        return (
            redirect("porting:detail", vi_id=vi_id)
            if selectors.port_get(vi_id=vi_id)
            else redirect("porting:index")
        )
    if refreshed.value is None:
        raise Http404("VI has no such port.")
    messages.success(request, f"Port {vi_id} refreshed from VI.")
    return redirect("porting:detail", vi_id=vi_id)
