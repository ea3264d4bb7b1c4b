from django.urls import path, re_path

from porting.views import check, number, ports

app_name = "porting"

urlpatterns = [
    path("", ports.index, name="index"),
    path("seen/", ports.mark_seen, name="mark_seen"),
    path("changes/", ports.changes, name="changes"),
    path("<int:vi_id>/", ports.detail, name="detail"),
    path("<int:vi_id>/follow/", ports.follow, name="follow"),
    path("<int:vi_id>/unfollow/", ports.unfollow, name="unfollow"),
    path("<int:vi_id>/refresh/", ports.refresh, name="refresh"),
    path("check/", check.form, name="check"),
    path("check/submit/", check.submit, name="check_submit"),
    path("check/<int:pk>/", check.job, name="check_job"),
    path("check/<int:pk>/progress/", check.progress, name="check_progress"),
    path("check/<int:pk>/cancel/", check.cancel, name="check_cancel"),
    path("check/<int:pk>/results.csv", check.results_csv, name="check_results"),
    re_path(
        r"^numbers/(?P<tn>[2-9][0-9]{2}[2-9][0-9]{6})/history/$",
        number.history,
        name="number_history",
    ),
]
