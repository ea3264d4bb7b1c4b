"""A real Celery worker (in a thread) with the Redis broker runs a sync queued from the page.

Eager mode would prove nothing about serialisation, routing, commit timing or the worker's
own database connection; this does. Each test run uses its own queue so engineers running
tests at once on one Redis never take each other's messages.
"""

import os
import time

import pytest
from django.urls import reverse

from tests.portal.sync_testapp import install

install()

from portal.models import SyncRun  # noqa: E402
from portal.voipinnovations.errors import ProviderUnavailable  # noqa: E402
from tests.portal.sync_testapp.fixtures import KIND, audit_of, gadgets_kind  # noqa: E402,F401
from tests.portal.sync_testapp.models import Gadget  # noqa: E402

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER_URL.startswith("redis://"):
    BROKER_URL = "redis://127.0.0.1:6379/15"


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator_client(django_user_model):
    """An operator made here, not from the Operator group: an earlier transactional test's
    flush removes the groups the data migration made (permissions come back by post_migrate)."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = django_user_model.objects.create_user(username="otto.operator")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal", codename__in=["view_portal", "run_sync"]
        )
    )
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def wait_until_finished(run: SyncRun, *, seconds: float = 30) -> SyncRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.finished_at is not None:
            return run
        time.sleep(0.1)
    raise AssertionError(f"run #{run.pk} still {run.status} after {seconds} s")


def test_a_sync_queued_from_the_page_runs_on_the_worker(
    celery_worker, gadgets_kind, operator_client
):
    gadgets_kind(audit_of(2500))

    response = operator_client.post(reverse("sync:run", args=[KIND]))
    assert response.status_code == 302

    run = wait_until_finished(SyncRun.objects.get(kind=KIND))
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.requested_by == operator_client.user
    assert run.counts["created"] == 2500
    assert Gadget.objects.count() == 2500


def test_an_unreachable_vi_is_retried_as_a_fresh_run(celery_worker, gadgets_kind, monkeypatch):
    from portal.tasks import run_sync

    attempts = []

    def flaky_audit():
        attempts.append(1)
        if len(attempts) == 1:
            raise ProviderUnavailable("VI did not answer within 60 s")
        return iter(audit_of(3))

    gadgets_kind(flaky_audit)
    monkeypatch.setattr(run_sync, "retry_backoff", False)  # retry at once: tests never sleep
    monkeypatch.setattr(run_sync, "default_retry_delay", 0)

    run_sync.delay(kind=KIND, trigger="schedule")

    deadline = time.monotonic() + 30
    while (
        time.monotonic() < deadline
        and not SyncRun.objects.filter(status=SyncRun.Status.SUCCEEDED).exists()
    ):
        time.sleep(0.1)
    runs = list(SyncRun.objects.filter(kind=KIND).order_by("pk").values_list("status", "error"))
    assert runs == [
        (SyncRun.Status.FAILED, "VI unreachable: VI did not answer within 60 s"),
        (SyncRun.Status.SUCCEEDED, ""),
    ]
    assert Gadget.objects.count() == 3


def test_the_numbers_sync_runs_on_the_worker_against_the_sandbox(
    celery_worker, sandbox, operator_client
):
    """The whole path: page -> Redis -> worker -> dids service -> sandbox over HTTP -> mirror."""
    from dids.models import DID

    operator_client.post(reverse("sync:run", args=["dids"]))
    run = wait_until_finished(SyncRun.objects.get(kind="dids"), seconds=60)

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["dids"]["created"] > 0
    assert DID.objects.filter(gone_at__isnull=True).count() == run.counts["dids"]["seen"]


def test_a_sandbox_outage_fails_the_run_and_the_retry_succeeds(celery_worker, sandbox, monkeypatch):
    from dids.models import DID
    from portal.tasks import run_sync

    sandbox.control.fault("http500", operation="auditDIDs", times=1)
    monkeypatch.setattr(run_sync, "retry_backoff", False)
    monkeypatch.setattr(run_sync, "default_retry_delay", 0)

    run_sync.delay(kind="dids", trigger="schedule")

    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline
        and not SyncRun.objects.filter(finished_at__isnull=False).count() >= 2
    ):
        time.sleep(0.2)
    runs = list(SyncRun.objects.filter(kind="dids").order_by("pk"))
    assert [run.status for run in runs] == [SyncRun.Status.FAILED, SyncRun.Status.SUCCEEDED]
    assert runs[0].error.startswith("VI unreachable")
    assert sandbox.secret not in runs[0].error
    assert DID.objects.count() == runs[1].counts["dids"]["seen"]
