from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export.csv", views.customer_export, name="export"),
    path("move/", views.move_numbers, name="move"),
    path("billing/", views.billing, name="billing"),
    path("billing.csv", views.billing_export, name="billing_export"),
    path("references/", views.reference_upload_page, name="references"),
    path("references/upload/", views.reference_upload, name="reference_upload"),
    path("references/set/", views.references_bulk, name="references_bulk"),
    path("references/<int:pk>/", views.reference_job, name="reference_job"),
    path("references/<int:pk>/apply/", views.reference_job_apply, name="reference_job_apply"),
    path("views/save/", views.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("<str:vi_id>/", views.customer_detail, name="detail"),
]
