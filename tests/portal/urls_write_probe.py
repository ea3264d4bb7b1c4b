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
