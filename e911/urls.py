from django.urls import path, re_path

from e911.views import bulk, compliance, number

app_name = "e911"

# VI's 10 digits; anything else is not a number and gets a 404.
_TN = r"^numbers/(?P<tn>[2-9][0-9]{2}[2-9][0-9]{6})/"

urlpatterns = [
    path("", compliance.index, name="index"),
    path("export.csv", compliance.export, name="export"),
    path("records/", compliance.records, name="records"),
    path("release/", compliance.release_check, name="release_check"),
    path("release/remove/", compliance.release_remove, name="release_remove"),
    path("bulk/", bulk.upload, name="bulk"),
    path("bulk/upload/", bulk.upload_submit, name="bulk_upload"),
    path("bulk/<int:pk>/", bulk.job, name="bulk_job"),
    path("bulk/<int:pk>/apply/", bulk.apply, name="bulk_apply"),
    path("bulk/<int:pk>/cancel/", bulk.cancel, name="bulk_cancel"),
    path("bulk/<int:pk>/progress/", bulk.progress, name="bulk_progress"),
    path("bulk/<int:pk>/results.csv", bulk.results_csv, name="bulk_results"),
    re_path(_TN + r"$", number.number_panel, name="panel"),
    re_path(_TN + r"check/$", number.address_check, name="check"),
    re_path(_TN + r"provision/$", number.address_provision, name="provision"),
    re_path(_TN + r"remove/$", number.location_remove, name="remove"),
    re_path(_TN + r"alerts/add/$", number.alert_add, name="alert_add"),
    re_path(_TN + r"alerts/remove/$", number.alert_remove, name="alert_remove"),
    re_path(_TN + r"stored/provision/$", number.stored_provision, name="stored_provision"),
    re_path(_TN + r"stored/remove/$", number.stored_remove, name="stored_remove"),
]
