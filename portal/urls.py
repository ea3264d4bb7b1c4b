from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path  # noqa: F401  (domain apps add include()s here)

from portal import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("provider-log/", views.provider_log, name="provider_log"),
    path("provider-log/<int:pk>/", views.provider_call_detail, name="provider_call_detail"),
    path("numbers/", include("dids.urls")),
    path("e911/", include("e911.urls")),
    path("porting/", include("porting.urls")),
    path("messaging/", include("messaging.urls")),
    path("customers/", include("customers.urls")),
    path("compliance/", include("compliance.urls")),
    path("sync/", include("portal.sync_urls", namespace="sync")),
    path("events/", include("portal.events.urls", namespace="events")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("api/", include("portal.api.urls")),
    path("admin/", admin.site.urls),
]
