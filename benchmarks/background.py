"""Background work against real workers: how fast a 911 bulk apply goes, and how long a
"Sync now" and a small portability check wait while a long bulk apply runs.

The workers are real `celery worker` processes, one per queue (interactive, bulk, sync), on
the filesystem broker in a folder of their own — the layout `make run` starts. The jobs are
made the way the pages make them (e911.bulk, porting.services, portal.sync.sync_request).

- bulk_911_rows_per_second: rows of a `--bulk-rows` (1,000) job, each validated, provisioned
  and read back, divided by the seconds from "Provision" to finished.
- baseline_rows_per_second: the same with VI_MAX_CONCURRENCY=1 (one call at a time, as before
  issue 13) on a smaller job, measured in the same run; `speedup` is the ratio.
- sync_wait_seconds: while a `--busy-rows` (3,000) job is applying, from "Sync now" to the
  sync's start. portability_wait_seconds: from pasting 3 numbers to their answers.
The busy job is then cancelled (what it did stays recorded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.devrun import _die_with_parent  # stdlib only: safe to import before Django

# worker name -> the queues it serves, as `make run` starts them (portal/devrun.py)
WORKERS = {"interactive": "interactive,events", "bulk": "bulk", "sync": "sync"}
ADDRESSES = (  # distinct places, so every job's rows are ready (never "already there")
    ("350 S 200 E", "Salt Lake City", "UT", "84111"),
    ("99 W 100 S", "Salt Lake City", "UT", "84101"),
    ("1 Main St", "Provo", "UT", "84601"),
)
PORTABILITY_NUMBERS = "3032340100\n3032390100\n2122340199\n"


class Workers:
    """`celery worker` processes on a private filesystem broker; the parent sends to it too."""

    def __init__(self, *, repo_dir: Path):
        self.repo_dir = repo_dir
        self.folder = Path(tempfile.mkdtemp(prefix="portal-bench-broker-"))
        for name in ("broker/processed", "broker/control"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen] = {}
        self._point_the_app_here()

    def _point_the_app_here(self) -> None:
        from portal.celery import app

        # Celery reads CELERY_BROKER_URL from the environment before its own settings.
        os.environ["CELERY_BROKER_URL"] = "filesystem://"

        broker = self.folder / "broker"
        app.conf.update(
            broker_url="filesystem://",
            broker_transport_options={
                "data_folder_in": str(broker), "data_folder_out": str(broker),
                "processed_folder": str(broker / "processed"), "control_folder": str(broker / "control"),
                "store_processed": False,
            },
        )  # fmt: skip
        for cached in ("default_queue", "queues", "router"):
            app.amqp.__dict__.pop(cached, None)
        # Celery keeps these private caches of the old broker; nothing public resets them.
        app.amqp._producer_pool = None  # type: ignore[attr-defined]  # private, see above
        app._pool = None  # type: ignore[attr-defined]  # private, see above

    def start(self, queue: str, **environment: str) -> None:
        log = open(self.folder / f"{queue}.log", "w")  # noqa: SIM115 - closed with the process
        env = {
            **os.environ,
            "CELERY_BROKER_URL": "filesystem://",
            "PORTAL_VAR_DIR": str(self.folder),
            **environment,
        }
        self.processes[queue] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal.celery", "worker", "--queues", WORKERS[queue],
             "--hostname", f"bench-{queue}@%h", "--concurrency", "1", "--loglevel", "INFO",
             "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=self.repo_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # a benchmark killed outright leaves no worker behind
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while "ready." not in (self.folder / f"{queue}.log").read_text():
            if time.monotonic() > deadline or self.processes[queue].poll() is not None:
                raise RuntimeError(
                    f"the {queue} worker did not start:\n"
                    + (self.folder / f"{queue}.log").read_text()[-2000:]
                )
            time.sleep(0.2)

    def stop(self, queue: str) -> None:
        process = self.processes.pop(queue)
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for queue in list(self.processes):
            self.stop(queue)


def run_background(
    *, repo_dir: Path, bulk_rows: int, busy_rows: int, baseline_rows: int, say
) -> dict:
    from django.conf import settings

    workers = Workers(repo_dir=repo_dir)
    numbers = _numbers(max(bulk_rows, busy_rows, baseline_rows))
    figures: dict = {"vi_max_concurrency": settings.VI_MAX_CONCURRENCY}
    try:
        workers.start("bulk", VI_MAX_CONCURRENCY="1")
        say(f"background: baseline, a {baseline_rows:,}-row 911 bulk apply one call at a time")
        baseline = _timed_apply(numbers[:baseline_rows], address=ADDRESSES[2])
        workers.stop("bulk")
        for queue in WORKERS:
            workers.start(queue)
        say(
            f"background: a {bulk_rows:,}-row 911 bulk apply, VI_MAX_CONCURRENCY={settings.VI_MAX_CONCURRENCY}"
        )
        applied = _timed_apply(numbers[:bulk_rows], address=ADDRESSES[0])
        figures.update(
            bulk_911_rows=applied["rows"], bulk_911_seconds=applied["apply_seconds"],
            bulk_911_rows_per_second=applied["rows_per_second"],
            bulk_911_check_rows_per_second=applied["check_rows_per_second"],
            baseline_rows=baseline["rows"], baseline_rows_per_second=baseline["rows_per_second"],
        )  # fmt: skip
        figures["speedup"] = (
            applied["rows_per_second"] / baseline["rows_per_second"]
            if baseline["rows_per_second"]
            else 0
        )
        say(
            f"background: {applied['rows_per_second']:.1f} rows/s (one at a time: {baseline['rows_per_second']:.1f}); "
            f"now a {busy_rows:,}-row apply with a sync and a portability check asked meanwhile"
        )
        figures.update(_waits_behind_a_busy_job(numbers[:busy_rows], address=ADDRESSES[1]))
        say(
            f"background: sync waited {figures['sync_wait_seconds']:.1f} s, portability check "
            f"{figures['portability_wait_seconds']:.1f} s, busy job at {figures['busy_rows_done']:,} rows"
        )
    finally:
        workers.stop_all()
    return figures


def _numbers(count: int) -> list[str]:
    """Owned numbers, those without 911 first (a plain insert), then the others (a replace)."""
    from dids.models import DID
    from e911.models import Location

    owned = DID.objects.filter(gone_at__isnull=True).order_by("tn")
    located = Location.objects.filter(gone_at__isnull=True).values("tn")
    numbers = list(owned.exclude(tn__in=located).values_list("tn", flat=True)[:count])
    if len(numbers) < count:
        numbers += list(
            owned.filter(tn__in=located).values_list("tn", flat=True)[: count - len(numbers)]
        )
    return numbers


def _content(numbers: list[str], *, address) -> bytes:
    street, city, state, zip_code = address
    lines = ["tn,address1,city,state,zip,caller_name"]
    lines += [
        f"{tn},{street},{city},{state},{zip_code},Bench {index}" for index, tn in enumerate(numbers)
    ]
    return ("\n".join(lines) + "\n").encode()


def _bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench.operator")
    return user


def _wait(predicate, *, seconds: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise RuntimeError(f"the benchmark waited {seconds:.0f} s for {what}")


def _checked(numbers: list[str], *, address):
    from e911 import bulk
    from e911.models import BulkJob
    from portal.models import Source

    started = time.perf_counter()
    job = bulk.bulk_upload(
        content=_content(numbers, address=address),
        file_name="bench.csv",
        actor=_bench_user(),
        source=Source.STAFF,
    )
    _wait(
        lambda: BulkJob.objects.filter(pk=job.pk).exclude(status=BulkJob.Status.CHECKING).exists(),
        seconds=3600,
        what="the check",
        every=0.2,
    )
    job.refresh_from_db()
    if job.status != BulkJob.Status.CHECKED or job.progress_total != len(numbers):
        raise RuntimeError(
            f"the bench file did not check clean: {job.status}, {job.progress_total} ready, {job.error}"
        )
    return job, time.perf_counter() - started


def _timed_apply(numbers: list[str], *, address) -> dict:
    from e911 import bulk
    from e911.models import BulkJob
    from portal.models import Source

    job, check_seconds = _checked(numbers, address=address)
    started = time.perf_counter()
    bulk.bulk_queue(job=job, actor=_bench_user(), source=Source.STAFF)
    _wait(
        lambda: BulkJob.objects.get(pk=job.pk).is_finished,
        seconds=3600,
        what="the apply",
        every=0.2,
    )
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    provisioned = job.rows.filter(result="provisioned").count()
    if job.status != BulkJob.Status.FINISHED or provisioned != len(numbers):
        raise RuntimeError(
            f"the bench apply did not provision every row: {job.status}, {provisioned}, {job.error}"
        )
    return {
        "rows": provisioned,
        "apply_seconds": seconds,
        "rows_per_second": provisioned / seconds,
        "check_rows_per_second": len(numbers) / check_seconds,
    }


def _waits_behind_a_busy_job(numbers: list[str], *, address) -> dict:
    from e911 import bulk
    from e911.models import BulkJob
    from portal.models import Source, SyncRun
    from portal.sync import sync_request
    from porting import services as porting
    from porting.models import PortabilityJob

    job, _ = _checked(numbers, address=address)
    bulk.bulk_queue(job=job, actor=_bench_user(), source=Source.STAFF)
    # Well under way: a few chunks done, so the bulk worker is busy for minutes more.
    _wait(
        lambda: BulkJob.objects.get(pk=job.pk).progress_done >= min(150, len(numbers) // 4),
        seconds=600,
        what="the busy job to get going",
    )

    asked = time.perf_counter()
    run = sync_request(kind="dids", actor=_bench_user())
    check = porting.portability_job_create(
        text=PORTABILITY_NUMBERS, actor=_bench_user(), source=Source.STAFF
    )
    waits: dict = {}
    while len(waits) < 2:
        if (
            "sync" not in waits
            and SyncRun.objects.filter(pk=run.pk, started_at__isnull=False).exists()
        ):
            waits["sync"] = time.perf_counter() - asked
        if "portability" not in waits and PortabilityJob.objects.get(pk=check.pk).is_finished:
            waits["portability"] = time.perf_counter() - asked
        if time.perf_counter() - asked > 1800:
            raise RuntimeError(f"the sync or the portability check never ran: {waits}")
        time.sleep(0.05)
    busy = BulkJob.objects.get(pk=job.pk)
    still_running = busy.status == BulkJob.Status.RUNNING
    # The rest is not needed; what it did stays recorded.
    bulk.bulk_cancel(job=busy, actor=_bench_user(), source=Source.STAFF)
    _wait(
        lambda: SyncRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists(),
        seconds=1800,
        what="the sync to finish",
        every=0.5,
    )
    return {
        "sync_wait_seconds": waits["sync"],
        "portability_wait_seconds": waits["portability"],
        "busy_rows": len(numbers),
        "busy_rows_done": busy.progress_done,
        "busy_job_still_running": still_running,
    }
