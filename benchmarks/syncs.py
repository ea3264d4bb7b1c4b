"""A sync measured in a fresh child process, so its peak memory is its own.

The parent runs `python -m benchmarks.run --child-sync dids,e911`; the child runs the sync
kinds through the engine (`portal.sync.sync_execute`, as the worker does), counts the SQL
statements it sends, and prints one JSON line. The parent reads the child's own rusage
(`os.wait4`), whose `ru_maxrss` is the child's peak resident set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure import StatementCounter

RESULT_PREFIX = "BENCH-RESULT "


def run_child(kinds: list[str]) -> int:
    """In the child: sync each kind, print the figures."""
    from django.db import connection

    from portal.models import ChangeRecord, SyncRun
    from portal.sync import sync_execute

    counter = StatementCounter()
    runs = []
    profile_dir = os.environ.get("BENCH_PROFILE")
    profiler = None
    if profile_dir:
        import cProfile

        profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        if profiler:
            profiler.enable()
        for kind in kinds:
            run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
            assert run is not None  # no run id given: a run is always recorded
            runs.append(run)
        if profiler:
            profiler.disable()
    wall = time.perf_counter() - started
    if profiler and profile_dir:
        Path(profile_dir).mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(Path(profile_dir) / f"sync-{time.time():.0f}-{os.getpid()}.prof"))
    figures = {
        "wall_seconds": wall,
        "sql_statements": counter.statements,
        "sql_seconds": sum(counter.seconds.values()),
        "slowest_statements": counter.slowest(),
        "runs": [
            {
                "kind": run.kind,
                "status": run.status,
                "error": run.error,
                "counts": run.counts,
                "history_rows": ChangeRecord.objects.filter(sync_run=run).count(),
            }
            for run in runs
        ],
    }
    connection.close()
    print(RESULT_PREFIX + json.dumps(figures), flush=True)
    return 0


def sync_in_child(*, kinds: list[str], repo_dir: Path) -> dict:
    """Run the sync in a child; its figures plus `peak_rss_mb` from the child's own rusage."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.run", "--child-sync", ",".join(kinds)],
        cwd=repo_dir,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert process.stdout is not None  # stdout=PIPE
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.startswith(RESULT_PREFIX)]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"the sync child failed (exit {process.returncode}):\n{output[-2000:]}")
    figures = json.loads(lines[-1][len(RESULT_PREFIX) :])
    failed = [run for run in figures["runs"] if run["status"] != "succeeded"]
    if failed:
        raise RuntimeError(f"a sync did not succeed: {failed}")
    figures["peak_rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    figures["mirror_rows_written"] = sum(_written(run["counts"]) for run in figures["runs"])
    figures["history_rows"] = sum(run["history_rows"] for run in figures["runs"])
    return figures


_WRITES = ("created", "updated", "returned", "gone")


def _written(counts: dict) -> int:
    """Rows the engine wrote, summed over every step of a run's counts."""
    total = 0
    for name, value in counts.items():
        if isinstance(value, dict):
            total += _written(value)
        elif name in _WRITES and isinstance(value, int):
            total += value
    return total


def step_counts(figures: dict, step: str) -> dict:
    """The counts of one step ("dids", "locations", …) of the runs in `figures`."""
    for run in figures["runs"]:
        counts = run["counts"]
        if step in counts and isinstance(counts[step], dict):
            return counts[step]
    return {}


def records_seen(figures: dict, step: str) -> int:
    return step_counts(figures, step).get("seen", 0)
