"""The shared components domain pages include: what they render for a user."""

from django.template.loader import render_to_string


def test_progress_polls_every_second_until_finished():
    running = render_to_string(
        "components/progress.html",
        {"url": "/sync/runs/7/progress/", "done": 250, "total": 1000, "label": "Reading auditDIDs"},
    )
    assert 'hx-get="/sync/runs/7/progress/"' in running
    assert 'hx-trigger="every 1s"' in running
    assert "width: 25%" in running and "250 / 1000" in running
    finished = render_to_string(
        "components/progress.html",
        {"url": "/sync/runs/7/progress/", "done": 1000, "total": 1000, "finished": True},
    )
    assert "hx-trigger" not in finished
    assert "width: 100%" in finished


def test_progress_without_a_total_is_indeterminate():
    html = render_to_string("components/progress.html", {"url": "/x/", "done": 12, "total": None})
    assert "progress-bar-animated" in html and "12" in html and " / " not in html


def test_vi_alert_says_what_vi_said_with_its_code():
    html = render_to_string(
        "components/vi_alert.html", {"message": "Number is not reserved by you", "code": 104235}
    )
    assert "VI said: Number is not reserved by you" in html
    assert "(code 104235)" in html


def test_vi_alert_for_an_unreachable_vi_says_nothing_changed():
    html = render_to_string(
        "components/vi_alert.html", {"unavailable": True, "message": "timed out after 60 s"}
    )
    assert "VI could not be reached: timed out after 60 s. Nothing was changed." in " ".join(
        html.split()
    )
    assert "code" not in html.split("</div>")[0].split(">", 1)[1]


def test_status_badge_colours():
    assert "text-bg-success" in render_to_string(
        "components/status_badge.html", {"status": "succeeded"}
    )
    assert "text-bg-danger" in render_to_string(
        "components/status_badge.html", {"status": "unavailable"}
    )
    assert "text-bg-warning" in render_to_string(
        "components/status_badge.html", {"status": "refused", "label": "Refused by VI"}
    )
