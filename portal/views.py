"""The portal's own pages: dashboard, provider log, health."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import dashboard as dashboard_registry
from portal import dashboard_figures, health, panels, selectors  # noqa: F401  (panels registers the portal's own)
from portal.filters import ProviderCallFilter
from portal.http import HtmxHttpRequest
from portal.models import ProviderCall

PROVIDER_LOG_PAGE_SIZE = 50


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/dashboard.html",
        {
            "headlines": dashboard_figures.headline_figures(),
            "charts": dashboard_figures.dashboard_charts(),
            "freshness": dashboard_figures.last_sync_words(),
            "panels": dashboard_registry.render_panels(request=request),
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health.run_checks()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)


FAVICON = "portal/favicon.svg"


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico: browsers ask for it on every site whatever the page links; answer with
    the portal's icon (SVG, which browsers accept here) instead of a logged 404."""
    path = finders.find(FAVICON)
    if not path:
        raise Http404("No icon.")
    response = FileResponse(open(path, "rb"), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def provider_log(request: HtmxHttpRequest) -> HttpResponse:
    filterset = ProviderCallFilter(request.GET or None, queryset=selectors.provider_calls_all())
    calls = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if filterset.is_bound and not filterset.is_valid():
        calls = calls.none()
    page = Paginator(calls, PROVIDER_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page}
    # The filter form swaps only the results; a history restore needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "portal/provider_log.html#results", context)
    return render(request, "portal/provider_log.html", context)


@require_GET
def provider_call_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(ProviderCall.objects.select_related("actor"), pk=pk)
    template = (
        "portal/provider_log.html#call_detail" if request.htmx else "portal/provider_call.html"
    )
    return render(request, template, {"call": call})
