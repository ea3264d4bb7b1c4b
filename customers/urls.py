from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export.csv", views.customer_export, name="export"),
    path("move/", views.move_numbers, name="move"),
    path("billing/", views.billing, name="billing"),
    path("billing.csv", views.billing_export, name="billing_export"),
    path("<str:vi_id>/", views.customer_detail, name="detail"),
]
