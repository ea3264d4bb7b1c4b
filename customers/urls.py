from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export.csv", views.customer_export, name="export"),
    path("move/", views.move_numbers, name="move"),
    path("<str:vi_id>/", views.customer_detail, name="detail"),
]
