"""The project's URLs plus one write view and one read view, to test write_view itself
and that the URL walker finds write views (before any domain app has one)."""

from django.http import HttpResponse
from django.urls import path

from portal.permissions import write_view
from portal.urls import urlpatterns as project_urlpatterns


@write_view("portal.release_numbers")
def release_probe(request, tn):
    return HttpResponse(f"released {tn}")


def read_probe(request):
    return HttpResponse("read")


urlpatterns = [
    *project_urlpatterns,
    path("probe/<str:tn>/release/", release_probe, name="release_probe"),
    path("probe/", read_probe, name="read_probe"),
]


# A page using the shared components, to drive them in a browser.
PROBE_PAGE = """{% extends "base.html" %}
{% block content %}
<div id="release-result">
{% include "components/confirm.html" with action="/probe/4352154006/release/" label="Release" question="Release 4352154006 back to VI?" target="#release-result" swap="innerHTML" %}
</div>
{% include "components/vi_alert.html" with message="Number is not reserved by you" code=104235 subject="4352154006" %}
{% endblock %}
"""


def components_probe(request):
    from django.template import engines

    return HttpResponse(engines["django"].from_string(PROBE_PAGE).render({}, request))


urlpatterns.append(path("probe/components/", components_probe, name="components_probe"))
