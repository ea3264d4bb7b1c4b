from django.urls import path

from portal.events import views

app_name = "events"

urlpatterns = [
    path("changed-at-vi/", views.drift_list, name="drift"),
    path("changed-at-vi/acknowledge/", views.drift_acknowledge, name="drift_acknowledge"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/subscriptions/", views.subscriptions_save, name="subscriptions"),
    path("follow/", views.follow, name="follow"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/enable/", views.webhook_enable, name="webhook_enable"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/resend/",
        views.webhook_resend,
        name="webhook_resend",
    ),
]
