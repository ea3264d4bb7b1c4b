"""The porting pages against the sandbox: who may do what, the list and its filters, a port's
page, following, "what changed", the number panel, the dashboard and the admin."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.models import ProviderCall
from porting import services
from porting.models import Port, PortabilityJob, PortEvent, PortFollow, PortHistoryEntry
from tests.porting.conftest import run_sync, sandbox_port

pytestmark = pytest.mark.django_db
DAY = 24 * 3600


def test_a_viewer_may_look_but_not_check_portability_or_refresh(ports_synced, viewer_client):
    assert viewer_client.get(reverse("porting:check")).status_code == 200
    assert (
        viewer_client.post(reverse("porting:check_submit"), {"numbers": "3032340100"}).status_code
        == 403
    )
    port = Port.objects.first()
    assert viewer_client.post(reverse("porting:refresh", args=[port.vi_id])).status_code == 403
    assert not ProviderCall.objects.filter(operation__in=["isPortable", "getPortDetails"]).exists()


def test_one_number_is_answered_on_the_page(sandbox, operator_client):
    response = operator_client.post(reverse("porting:check_submit"), {"numbers": "(303) 234-0100"})
    assert response.status_code == 200
    assert response.context["answer"].portable is True
    assert b'data-portable="yes"' in response.content
    assert not PortabilityJob.objects.exists()  # inline, no job


def test_a_list_becomes_a_job_page_with_progress(sandbox, operator_client, monkeypatch):
    monkeypatch.setattr("porting.tasks.check_portability.delay", lambda **kwargs: None)
    response = operator_client.post(
        reverse("porting:check_submit"), {"numbers": "3032340100\n3032390100\nnonsense"}
    )
    job = PortabilityJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "porting:check_job", args=[job.pk]
    )
    page = operator_client.get(response["Location"])
    assert b"check-progress" in page.content and b'data-verdict="invalid"' in page.content
    services.portability_job_run(job_id=job.pk)
    progress = operator_client.get(
        reverse("porting:check_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert json.loads(progress["HX-Trigger"]) == {"portability-finished": {}}
    page = operator_client.get(reverse("porting:check_job", args=[job.pk]))
    assert (
        b'data-verdict="portable"' in page.content
        and b'data-verdict="not_portable"' in page.content
    )


def test_nothing_valid_is_a_form_error(sandbox, operator_client):
    response = operator_client.post(reverse("porting:check_submit"), {"numbers": "12, hello"})
    assert response.status_code == 422
    assert "Enter at least one valid telephone number." in response.content.decode()
    assert not ProviderCall.objects.exists()


def test_vi_unreachable_on_one_number_says_so(sandbox, operator_client):
    sandbox.control.fault("timeout", operation="isPortable", seconds=0.1, times=3)
    sandbox.control.fault("http500", operation="isPortable", times=3)
    response = operator_client.post(reverse("porting:check_submit"), {"numbers": "3032340100"})
    assert response.status_code == 200 and b"VI could not be reached" in response.content


def test_the_active_list_shows_foc_days_left_and_filters(ports_synced, viewer_client):
    response = viewer_client.get(reverse("porting:index"))
    ports = response.context["ports"]
    assert {port.status for port in ports} <= {"PENDING SIGNATURE", "SUBMITTED", "FOC RECEIVED"}
    with_foc = [port for port in ports if port.foc_at]
    assert with_foc and all(port.days_left is not None and port.days_left >= 0 for port in with_foc)
    assert all(port.number_count >= 1 for port in ports)

    only = viewer_client.get(reverse("porting:index"), {"status": "SUBMITTED"}).context["ports"]
    assert only and {port.status for port in only} == {"SUBMITTED"}
    week = viewer_client.get(reverse("porting:index"), {"foc": "week"}).context["ports"]
    assert {port.vi_id for port in week} == {port.vi_id for port in with_foc}
    assert viewer_client.get(reverse("porting:index"), {"foc": "overdue"}).context["ports"] == []
    # The filter form's htmx request gets the table alone.
    partial = viewer_client.get(
        reverse("porting:index"),
        {"status": "SUBMITTED"},
        headers={"HX-Request": "true", "HX-Target": "port-table"},
    )
    assert partial.content.lstrip().startswith(b'<div id="port-table">')


def test_foc_changed_since_i_last_looked(ports_synced, viewer_client, viewer):
    sandbox = ports_synced
    start = timezone.now()
    with time_machine.travel(start, tick=True):
        viewer_client.get(reverse("porting:index"))  # a first look
    sandbox.control.advance(1.05 * DAY)
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=True):
        run_sync()
    changed_ports = set(
        PortEvent.objects.filter(kind__in=["foc_set", "foc_changed"]).values_list(
            "port__vi_id", flat=True
        )
    )
    assert changed_ports
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=True):  # a new visit
        response = viewer_client.get(reverse("porting:index"), {"changed": "on"})
    assert {port.vi_id for port in response.context["ports"]} == changed_ports
    assert b'data-testid="foc-changed"' in response.content

    with time_machine.travel(start + datetime.timedelta(hours=3), tick=True):
        viewer_client.post(reverse("porting:mark_seen"))
    with time_machine.travel(start + datetime.timedelta(hours=5), tick=True):
        response = viewer_client.get(reverse("porting:index"), {"changed": "on"})
    assert response.context["ports"] == []


def test_a_port_page_shows_numbers_details_and_timeline_and_can_be_followed(
    ports_synced, viewer_client, viewer
):
    sandbox = ports_synced
    port_id = sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")["id"]
    sandbox.control.advance(1.05 * DAY)
    run_sync()
    port = Port.objects.get(vi_id=port_id)
    response = viewer_client.get(reverse("porting:detail", args=[port_id]))
    assert response.status_code == 200
    content = response.content.decode()
    for number in port.numbers.all():
        assert f'data-tn="{number.tn}"' in content
    kinds = [item.kind for item in response.context["timeline"]]
    assert "event" in kinds and "vi" in kinds
    assert "FOC date changed" in content and port.foc_at.strftime("%Y-%m-%d") in content

    viewer_client.post(reverse("porting:follow", args=[port_id]))
    assert PortFollow.objects.filter(port=port, user=viewer).exists()
    answer = viewer_client.post(
        reverse("porting:unfollow", args=[port_id]), headers={"HX-Request": "true"}
    )
    assert b'data-testid="follow"' in answer.content
    assert not PortFollow.objects.filter(port=port, user=viewer).exists()


def test_an_operator_refreshes_a_port_from_vi(ports_synced, operator_client):
    port = Port.objects.filter(status="FOC RECEIVED").first()
    ports_synced.control.other("port_foc", portId=port.vi_id, focDate="2031-01-02T10:00:00")
    response = operator_client.post(reverse("porting:refresh", args=[port.vi_id]))
    assert response.status_code == 302
    port.refresh_from_db()
    assert port.foc_at.date() == datetime.date(2031, 1, 2)


def test_what_changed_lists_the_events_people_are_told_about(ports_synced, viewer_client):
    ports_synced.control.advance(2.1 * DAY)
    run_sync()
    response = viewer_client.get(reverse("porting:changes"))
    kinds = {event.kind for event in response.context["events"]}
    assert {"completed", "cancelled", "rejected"} <= kinds and "status_changed" not in kinds


def test_the_dashboard_shows_the_porting_panel(ports_synced, viewer_client):
    ports_synced.control.advance(2.1 * DAY)
    run_sync()
    content = viewer_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="porting-dashboard"' in content and "completed" in content


def test_a_number_page_shows_its_port_history(ports_synced, viewer_client):
    # A number that came in by a port completed before the portal existed: the sync never saw
    # its port; the panel asks VI once.
    from tests.dids.conftest import run_dids_sync

    run_dids_sync()
    completed = sandbox_port(ports_synced, status="COMPLETED")
    tn = completed["dids"][0]["tn"]
    page = viewer_client.get(reverse("dids:detail", args=[tn]))
    assert b'data-testid="porting-panel"' in page.content
    panel = viewer_client.get(
        reverse("porting:number_history", args=[tn]), headers={"HX-Request": "true"}
    )
    assert b"COMPLETED" in panel.content
    assert PortHistoryEntry.objects.filter(tn=tn, status="COMPLETED").exists()
    calls = ProviderCall.objects.filter(operation="GetPortHistory").count()
    viewer_client.get(reverse("dids:detail", args=[tn]))
    assert (
        ProviderCall.objects.filter(operation="GetPortHistory").count() == calls
    )  # kept, not asked again


def test_the_admin_is_read_only_and_refreshes_selected_ports(
    ports_synced, administrator_client, viewer_client
):
    port = Port.objects.filter(status="FOC RECEIVED").first()
    changelist = reverse("admin:porting_port_changelist")
    assert administrator_client.get(changelist, {"q": port.end_user.split()[0]}).status_code == 200
    assert administrator_client.get(changelist, {"status": "FOC RECEIVED"}).status_code == 200
    assert (
        administrator_client.get(reverse("admin:porting_port_change", args=[port.pk])).status_code
        == 200
    )
    assert administrator_client.get(reverse("admin:porting_port_add")).status_code == 403
    ports_synced.control.other("port_foc", portId=port.vi_id, focDate="2031-07-08T10:00:00")
    response = administrator_client.post(
        changelist, {"action": "refresh_from_vi", "_selected_action": [port.pk]}, follow=True
    )
    assert "1 port(s) refreshed from VI." in response.content.decode()
    port.refresh_from_db()
    assert port.foc_at.date() == datetime.date(2031, 7, 8)
    assert PortEvent.objects.get(port=port).source == "admin"
