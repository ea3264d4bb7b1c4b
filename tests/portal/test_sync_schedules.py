"""The beat schedules the data migration creates, and that they call the task correctly."""

import json

import pytest
from django_celery_beat.models import PeriodicTask

from portal.tasks import run_sync

pytestmark = pytest.mark.django_db


def test_each_domain_sync_is_scheduled_at_its_interval():
    schedules = {
        json.loads(task.kwargs)["kind"]: (task.interval.every, task.interval.period, task.enabled)
        for task in PeriodicTask.objects.filter(task="portal.tasks.run_sync").select_related(
            "interval"
        )
    }

    assert schedules == {
        "dids": (15, "minutes", True),
        "e911": (30, "minutes", True),
        "messaging": (30, "minutes", True),
        "porting": (10, "minutes", True),
    }


def test_the_scheduled_arguments_fit_the_task(monkeypatch):
    from portal.sync import SYNC_KINDS

    task = PeriodicTask.objects.get(name="Sync porting from VI")
    monkeypatch.setitem(SYNC_KINDS, "porting", "tests.portal.sync_testapp.nowhere.sync_porting")

    # An unavailable kind is skipped quietly: the schedule exists before the domain app.
    assert run_sync.apply(kwargs=json.loads(task.kwargs)).get() is None
