from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.index, name="index"),
    path("alerts/add/", views.alerts_add, name="alerts_add"),
    path("<str:key>.csv", views.export, name="export"),
]
