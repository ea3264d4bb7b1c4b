from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", {})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
