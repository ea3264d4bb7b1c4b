from django.urls import path

from portal import sync_views

app_name = "sync"

urlpatterns = [
    path("", sync_views.index, name="index"),
    path("<slug:kind>/panel/", sync_views.panel, name="panel"),
    path("<slug:kind>/run/", sync_views.sync_now, name="run"),
    path("runs/<int:pk>/confirm/", sync_views.confirm, name="confirm"),
]
