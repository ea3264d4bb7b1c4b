"""Queues by kind of work, bounded VI concurrency, and a sync that does not wait behind a bulk job.

The last test runs real workers (one per queue, as `make run` and docker-compose.yml do) on
the real broker — Redis, or RabbitMQ when CELERY_BROKER_URL is amqp:// (.ci/run does both).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import bounded, queues
from portal.celery import app


def _portal_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_task_of_the_portal_is_routed_to_its_queue_by_name():
    tasks = _portal_tasks()
    assert "portal.tasks.run_sync" in tasks and "e911.tasks.apply_bulk_job" in tasks
    # No task falls through to the default silently: each is named in the table.
    assert [name for name in tasks if name not in queues.TASK_QUEUES] == []
    assert queues.route_task("portal.tasks.run_sync", (), {"kind": "dids"}, {}) == {"queue": "sync"}
    assert queues.route_task("e911.tasks.apply_bulk_job", (), {"job_id": 1}, {}) == {
        "queue": "bulk"
    }
    assert queues.route_task("e911.tasks.check_bulk_job", (), {"job_id": 1}, {}) == {
        "queue": "bulk"
    }
    assert app.amqp.router.route({}, "portal.tasks.run_sync")["queue"].name.endswith("sync")


@pytest.mark.parametrize(
    ("size", "queue"),
    [
        (3, "interactive"),
        (25, "interactive"),
        (26, "bulk"),
        (1000, "bulk"),
        (None, "bulk"),
        ("<b>3</b>", "bulk"),
    ],
)
def test_a_small_portability_check_is_interactive_and_a_large_one_bulk(size, queue):
    kwargs = {"job_id": 1} if size is None else {"job_id": 1, "size": size}
    try:
        routed = queues.route_task("porting.tasks.check_portability", (), kwargs, {})
    except TypeError:  # a hostile size: the router must not crash the sender
        pytest.fail("the router raised on a hostile size")
    assert routed == {"queue": queue}


def test_never_more_vi_calls_in_flight_than_the_setting_across_jobs(settings):
    settings.VI_MAX_CONCURRENCY = 3
    lock, in_flight, peak = threading.Lock(), [0], [0]

    def call(_item) -> bool:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.02)
        with lock:
            in_flight[0] -= 1
        return False

    # Two "jobs" at once in one process: together still at most three calls in flight.
    jobs = [threading.Thread(target=bounded.run_bounded, args=(range(30), call)) for _ in range(2)]
    started = time.monotonic()
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    assert peak[0] == 3
    assert time.monotonic() - started < 60 * 0.02  # and they did run side by side


def test_transport_errors_make_the_next_calls_wait_and_a_success_clears_it(settings):
    settings.VI_MAX_CONCURRENCY = 1
    bounded.backoff.succeeded()
    moments: list[float] = []

    def call(item) -> bool:
        moments.append(time.monotonic())
        return item < 2  # the first two calls meet an unreachable VI

    bounded.run_bounded(range(4), call)
    gaps = [later - earlier for earlier, later in zip(moments, moments[1:], strict=False)]
    assert gaps[0] >= bounded.FIRST_PAUSE * 0.9 and gaps[1] >= 2 * bounded.FIRST_PAUSE * 0.9
    assert gaps[2] < bounded.FIRST_PAUSE  # the third call succeeded: no pause after it
    assert bounded.backoff.pause == 0


def test_a_stop_asked_between_items_leaves_the_rest_untouched(settings):
    settings.VI_MAX_CONCURRENCY = 2
    done: list[int] = []
    ran = bounded.run_bounded(
        range(50), lambda item: done.append(item) or False, stop=lambda: len(done) >= 5
    )
    assert 5 <= ran < 50 and len(done) == ran


# --- real workers ------------------------------------------------------------------------


def _wait(predicate, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"still waiting for {what} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_sync_starts_and_finishes_while_a_bulk_job_is_still_running(
    queue_workers, operator_client, sandbox, settings
):
    from dids.models import DID
    from e911.models import BulkJob, Location
    from portal.models import ProviderCall, SyncRun
    from portal.sync import sync_execute

    for kind in ("dids", "e911"):
        assert (
            sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND).status
            == SyncRun.Status.SUCCEEDED
        )
    settings.VI_MAX_CONCURRENCY = 2
    without = Location.objects.filter(gone_at__isnull=True).values("tn")
    tns = list(
        DID.objects.filter(gone_at__isnull=True)
        .exclude(tn__in=without)
        .order_by("tn")
        .values_list("tn", flat=True)[:8]
    )
    assert len(tns) == 8
    content = "tn,address1,city,state,zip,caller_name\n" + "".join(
        f"{tn},350 S 200 E,Salt Lake City,UT,84111,Desk {index}\n" for index, tn in enumerate(tns)
    )
    operator_client.post(
        "/e911/bulk/upload/",
        {"file": SimpleUploadedFile("a.csv", content.encode(), content_type="text/csv")},
    )
    job = BulkJob.objects.get()
    _wait(
        lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.CHECKED,
        seconds=30,
        what="the check",
    )

    # VI slow to provision: each insert takes 1.5 s, so the job runs for several seconds.
    sandbox.control.fault("latency", operation="insert911", times=len(tns), seconds=1.5)
    operator_client.post(f"/e911/bulk/{job.pk}/apply/")
    _wait(
        lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.RUNNING,
        seconds=15,
        what="the apply to start",
    )

    asked = time.monotonic()
    assert operator_client.post(reverse("sync:run", args=["dids"])).status_code == 302
    run = _wait(
        lambda: SyncRun.objects.filter(
            kind="dids", trigger=SyncRun.Trigger.STAFF, finished_at__isnull=False
        ).first(),
        seconds=30,
        what="the sync",
    )
    waited = time.monotonic() - asked
    job.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert job.status == BulkJob.Status.RUNNING, (
        f"the sync only ran once the bulk job was {job.status}"
    )
    assert waited < 10

    _wait(lambda: BulkJob.objects.get(pk=job.pk).is_finished, seconds=60, what="the bulk job")
    job.refresh_from_db()
    # Per-number outcomes as one at a time would give, each call logged in the operator's name.
    assert job.status == BulkJob.Status.FINISHED and job.progress_done == len(tns)
    assert sorted(job.rows.values_list("result", flat=True)) == ["provisioned"] * len(tns)
    inserts = ProviderCall.objects.filter(operation="insert911")
    assert inserts.count() == len(tns) and set(
        inserts.values_list("actor__username", flat=True)
    ) == {"otto.operator"}


@pytest.mark.django_db
def test_a_queued_portability_check_says_which_worker_it_waits_for(
    operator, operator_client, monkeypatch
):
    from portal.models import Source
    from porting import services as porting
    from porting.models import PortabilityJob

    monkeypatch.setattr("porting.tasks.check_portability.delay", lambda **kwargs: None)
    small = porting.portability_job_create(
        text="3032340100\n2122340199", actor=operator, source=Source.STAFF
    )
    page = operator_client.get(reverse("porting:check_job", args=[small.pk])).content.decode()
    assert "Queued: waiting for a free worker for short jobs" in page
    large = porting.portability_job_create(
        text="\n".join(f"30323401{index:02d}" for index in range(40)),
        actor=operator,
        source=Source.STAFF,
    )
    progress = operator_client.get(
        reverse("porting:check_progress", args=[large.pk])
    ).content.decode()
    assert "Queued: waiting for the bulk worker" in progress
    PortabilityJob.objects.filter(pk=large.pk).update(status=PortabilityJob.Status.RUNNING)
    assert (
        "waiting for"
        not in operator_client.get(
            reverse("porting:check_progress", args=[large.pk])
        ).content.decode()
    )


def test_make_run_and_docker_compose_serve_every_queue():
    """A queue nobody consumes fills up silently: make run and compose each serve them all."""
    import ast
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    # Read from the source (whatever its layout or annotation), not by running make run.
    found = next(
        (
            node.value
            for node in ast.walk(ast.parse((root / "portal" / "devrun.py").read_text()))
            if isinstance(node, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(target, ast.Name) and target.id == "workers"
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
        ),
        None,
    )
    assert found is not None, "portal/devrun.py no longer names its workers as `workers = (...)`"
    served_by_make_run = {
        queue for _, served, _ in ast.literal_eval(found) for queue in served.split(",")
    }
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    served_by_compose = set()
    for service in compose["services"].values():
        command = str(service.get("command", ""))
        if " worker " in f"{command} ":
            served_by_compose |= set(re.search(r"--queues (\S+)", command).group(1).split(","))
    assert served_by_make_run == set(queues.ALL)
    assert served_by_compose == set(queues.ALL)
