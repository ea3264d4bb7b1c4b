"""The Sync page: who may do what, "Sync now" with live progress, confirming a held shrink."""

import pytest
from django.urls import reverse

from tests.portal.sync_testapp import install

install()

from portal.models import SyncRun  # noqa: E402
from portal.sync import sync_execute  # noqa: E402
from tests.portal.sync_testapp.fixtures import KIND, audit_of, gadgets_kind, ghost_kind  # noqa: E402,F401
from tests.portal.sync_testapp.models import Gadget  # noqa: E402

pytestmark = pytest.mark.django_db

Status = SyncRun.Status


def test_every_kind_is_listed_with_its_recent_runs(viewer_client, gadgets_kind, ghost_kind):
    gadgets_kind(audit_of(3))
    run = sync_execute(kind=KIND, trigger=SyncRun.Trigger.SCHEDULE)

    page = viewer_client.get(reverse("sync:index"))

    assert page.status_code == 200
    html = page.content.decode()
    for kind in ("dids", "e911", "messaging", "porting", KIND, ghost_kind):
        assert f'data-testid="sync-panel-{kind}"' in html
    assert f'data-testid="sync-run-{run.pk}"' in html
    assert "Succeeded" in html
    assert "Sync now" not in html  # a viewer may look, not trigger
    ghost_panel = html[html.index('data-testid="sync-panel-ghost"') :]
    assert "not available yet" in ghost_panel


def test_a_viewer_cannot_trigger_or_confirm(viewer_client, gadgets_kind):
    held = SyncRun.objects.create(kind=KIND, trigger="schedule", status=Status.NEEDS_CONFIRMATION)

    assert viewer_client.post(reverse("sync:run", args=[KIND])).status_code == 403
    assert viewer_client.post(reverse("sync:confirm", args=[held.pk])).status_code == 403
    assert SyncRun.objects.count() == 1


def test_an_operator_syncs_now_and_watches_it_finish(
    operator, operator_client, gadgets_kind, django_capture_on_commit_callbacks
):
    gadgets_kind(audit_of(3))

    with django_capture_on_commit_callbacks() as enqueued:
        response = operator_client.post(reverse("sync:run", args=[KIND]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    run = SyncRun.objects.get()
    assert (run.status, run.trigger, run.requested_by) == (Status.QUEUED, "staff", operator)
    assert len(enqueued) == 1  # the task goes out only once the run is committed
    html = response.content.decode()
    assert f"{KIND}/panel/" in html and 'hx-trigger="every 1s"' in html
    assert f"sync queued (run #{run.pk})" in html

    # The worker picks it up and reports progress; the polled panel shows it.
    SyncRun.objects.filter(pk=run.pk).update(
        status=Status.RUNNING, progress_done=1200, progress_label="gadgets: read 1,200 records"
    )
    polled = operator_client.get(
        reverse("sync:panel", args=[KIND]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "read 1,200 records" in polled and 'hx-trigger="every 1s"' in polled
    SyncRun.objects.filter(pk=run.pk).update(status=Status.QUEUED)

    sync_execute(kind=KIND, trigger="staff", run_id=run.pk)
    finished = operator_client.get(
        reverse("sync:panel", args=[KIND]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "hx-trigger" not in finished  # polling stops
    assert "Succeeded" in finished and "by otto.operator" in finished
    assert Gadget.objects.count() == 3


def test_an_operator_sees_a_held_run_but_only_an_administrator_confirms_it(
    operator_client,
    administrator,
    administrator_client,
    gadgets_kind,
    django_capture_on_commit_callbacks,
):
    gadgets_kind(audit_of(10))
    sync_execute(kind=KIND, trigger="schedule")
    gadgets_kind(audit_of(1))
    held = sync_execute(kind=KIND, trigger="schedule")
    assert held.status == Status.NEEDS_CONFIRMATION

    operator_page = operator_client.get(reverse("sync:index")).content.decode()
    assert "9 of 10" in operator_page
    assert "Apply anyway" not in operator_page
    assert "An administrator can confirm it here." in operator_page
    assert operator_client.post(reverse("sync:confirm", args=[held.pk])).status_code == 403

    admin_page = administrator_client.get(reverse("sync:index")).content.decode()
    assert "Apply anyway" in admin_page
    with django_capture_on_commit_callbacks():
        response = administrator_client.post(reverse("sync:confirm", args=[held.pk]))
    assert response.status_code == 302

    confirmation = SyncRun.objects.filter(kind=KIND).first()
    assert (confirmation.status, confirmation.confirmed_by) == (Status.QUEUED, administrator)
    sync_execute(kind=KIND, trigger="staff", run_id=confirmation.pk)
    confirmation.refresh_from_db()
    assert confirmation.status == Status.SUCCEEDED
    assert Gadget.objects.filter(gone_at__isnull=True).count() == 1

    # Confirming the same held run again is refused: a newer run has settled it.
    again = administrator_client.post(reverse("sync:confirm", args=[held.pk]), follow=True)
    assert "A newer sync of this kind has run since" in again.content.decode()


def test_sync_now_for_a_kind_that_is_not_available_says_so(operator_client, ghost_kind):
    response = operator_client.post(reverse("sync:run", args=[ghost_kind]), follow=True)

    assert "The Ghost sync is not available yet." in response.content.decode()
    assert not SyncRun.objects.exists()


def test_an_unknown_kind_is_not_found(operator_client):
    assert operator_client.get(reverse("sync:panel", args=["nonsense"])).status_code == 404
