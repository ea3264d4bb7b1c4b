"""`make bench` — `python -m benchmarks.run [--n N]`: the whole benchmark, in phases.

1. `--small` numbers (1,000): sync, then the list page (the baseline of "stays instant").
2. `--naive-n` numbers (10,000): the naive path (zeep + update_or_create), then the real
   sync on the same numbers (the 10,000 point of the growth curve).
3. N numbers (100,000): sandbox seeding and serving speed, the floor, the full sync, a
   no-change re-sync, a re-sync after 1 % changed at VI, the list page, a bulk purchase.

The sandbox's "count" seed is deterministic and grows by appending: the first 10,000
numbers of the 100,000 seed are the 10,000 seed, so every phase works on the same data.
Each sync runs in a fresh child process (`--child-sync`) so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
OUTPUT_DIR = REPO_DIR / "benchmarks"
KINDS = ["dids", "e911"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--n", type=int, default=100_000, help="owned numbers (default 100,000)")
    parser.add_argument(
        "--naive-n", type=int, default=10_000, help="numbers for the naive baseline"
    )
    parser.add_argument(
        "--small", type=int, default=1_000, help="numbers for the small list-page baseline"
    )
    parser.add_argument("--requests", type=int, default=50, help="requests per list view")
    parser.add_argument(
        "--assign", type=int, default=1_000, help="numbers bought in the bulk purchase"
    )
    parser.add_argument(
        "--bulk-rows", type=int, default=1_000, help="rows of the timed 911 bulk apply"
    )
    parser.add_argument(
        "--busy-rows",
        type=int,
        default=3_000,
        help="rows of the bulk apply a sync must not wait behind",
    )
    parser.add_argument(
        "--baseline-rows", type=int, default=200, help="rows of the one-call-at-a-time bulk apply"
    )
    parser.add_argument(
        "--only",
        choices=["background", "sync"],
        help="run one phase alone (on --n numbers); last.json untouched. `sync`: the floor, "
        "a full sync and a no-change re-sync, --repeat times, each ratio from its own round",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of `--only sync` (default 1)")
    parser.add_argument(
        "--database", default="portal_bench", help="database name (dropped and recreated)"
    )
    parser.add_argument(
        "--output-dir", type=Path, default=OUTPUT_DIR, help="where last.json and results/ go"
    )
    parser.add_argument("--child-sync", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child_sync:
        _django_setup()
        from benchmarks.syncs import run_child

        return run_child(args.child_sync.split(","))
    return _benchmark(args)


def _django_setup() -> None:
    import logging

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    # One INFO line per VI call is noise here (thousands in the naive phase).
    logging.getLogger("portal.voipinnovations").setLevel(logging.WARNING)


def _say(message: str) -> None:
    print(f"[bench {datetime.datetime.now(datetime.UTC):%H:%M:%S}Z] {message}", flush=True)


def _benchmark(args) -> int:
    from benchmarks import database
    from benchmarks.sandbox import LOGIN, SandboxProcess

    n = args.n
    naive_n, small = min(args.naive_n, n), min(args.small, n)
    url = database.database_url(os.environ.get("DATABASE_URL", ""), args.database)
    started_at = datetime.datetime.now(datetime.UTC)
    _say(f"database {args.database}: recreating")
    database.recreate(url)
    sandbox = SandboxProcess(repo_dir=REPO_DIR)
    try:
        os.environ.update(
            DATABASE_URL=url,
            VI_API_URL=sandbox.url,
            VI_LOGIN=LOGIN,
            VI_SECRET=sandbox.secret,
            DJANGO_SETTINGS_MODULE="portal.settings",
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        )
        _django_setup()
        database.migrate()
        if args.only == "background":
            return _background_alone(args, sandbox=sandbox, n=n)
        if args.only == "sync":
            return _sync_alone(args, sandbox=sandbox, n=n)
        figures = _phases(args, sandbox=sandbox, n=n, naive_n=naive_n, small=small)
    finally:
        sandbox.stop()

    from benchmarks.report import figures_table, judged, write_results

    figures.update(
        n=n,
        started_at=started_at.isoformat(timespec="seconds"),
        machine=_machine(),
        commit=_git("rev-parse", "--short", "HEAD"),
        database=args.database,
    )
    figures = judged(figures)
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    paths = write_results(figures, output_dir=args.output_dir, stamp=stamp)
    print()
    print(figures_table(figures))
    print()
    _say("figures written to " + ", ".join(str(path) for path in paths))
    return 0


def _phases(args, *, sandbox, n: int, naive_n: int, small: int) -> dict:
    from benchmarks import database
    from benchmarks.assign import bulk_assign
    from benchmarks.floor import run_floor, sandbox_stream_seconds
    from benchmarks.naive import run_naive
    from benchmarks.pages import measure_list
    from benchmarks.sandbox import LOGIN

    figures: dict = {"growth": {}}

    _say(f"{small:,} numbers: sync, then /numbers/ ×{args.requests} per view")
    sandbox.reset(small)
    figures["growth"][str(small)] = _sync(label="full sync", kinds=KINDS)
    figures["list_pages"] = {
        "small": {"numbers": small, "views": measure_list(requests=args.requests)}
    }
    database.empty_domain_tables()

    _say(f"{naive_n:,} numbers: naive baseline (zeep + update_or_create)")
    sandbox.reset(naive_n)
    figures["naive"] = {"numbers": naive_n, **run_naive()}
    database.empty_domain_tables()
    _say(f"{naive_n:,} numbers: the portal's sync on the same data")
    figures["growth"][str(naive_n)] = _sync(label="full sync", kinds=KINDS)
    database.empty_domain_tables()

    _say(f"{n:,} numbers: seeding the sandbox")
    seed_seconds = sandbox.reset(n)
    stream_seconds, size = sandbox_stream_seconds(sandbox.url, login=LOGIN, secret=sandbox.secret)
    figures["sandbox"] = {
        "seed_seconds": seed_seconds,
        "stream_seconds": stream_seconds,
        "auditdids_megabytes": size / 1e6,
    }
    _say(
        f"seeded in {seed_seconds:.1f} s; auditDIDs served in {stream_seconds:.1f} s ({size / 1e6:.0f} MB)"
    )

    _say("floor: raw auditDIDs + audit911, iterparse, COPY into an unlogged table")
    floor = run_floor(sandbox.url, login=LOGIN, secret=sandbox.secret)
    floor["per_record_ms"] = 1000 * floor["seconds"] / max(floor["records"], 1)
    figures["floor"] = floor

    _say("full sync from empty (child process)")
    full = _sync(label="full sync", kinds=KINDS)
    full["vs_floor"] = full["wall_seconds"] / floor["seconds"]
    full["vs_naive"] = figures["naive"]["per_record_ms"] / full["per_record_ms"]
    figures["full_sync"] = full
    figures["growth"][str(n)] = full
    figures["locations"] = full["locations"]
    database.analyze()

    _say("re-sync, nothing changed at VI")
    quiet = _sync(label="no-change re-sync", kinds=KINDS)
    quiet["vs_full"] = quiet["wall_seconds"] / full["wall_seconds"]
    figures["resync_no_change"] = quiet

    changed = sandbox.control("POST", "other", {"action": "mutate", "fraction": 0.01})["tns"]
    _say(f"re-sync after {len(changed):,} numbers changed at VI")
    one_percent = _sync(label="1 % re-sync", kinds=KINDS)
    one_percent["changed_at_vi"] = len(changed)
    one_percent["numbers_written"] = _step_writes(one_percent, "dids")
    one_percent["locations_written"] = _step_writes(one_percent, "locations")
    figures["resync_one_percent"] = one_percent

    _say(f"{n:,} numbers: /numbers/ ×{args.requests} per view")
    database.analyze()
    figures["list_pages"]["large"] = {"numbers": n, "views": measure_list(requests=args.requests)}

    _say(f"bulk assign of {min(args.assign, n):,} reserved numbers")
    figures["bulk_assign"] = bulk_assign(sandbox=sandbox, count=args.assign)

    figures["background"] = _background(args)
    return figures


def _background(args) -> dict:
    from benchmarks.background import run_background

    return run_background(
        repo_dir=REPO_DIR,
        bulk_rows=args.bulk_rows,
        busy_rows=args.busy_rows,
        baseline_rows=args.baseline_rows,
        say=_say,
    )


def _background_alone(args, *, sandbox, n: int) -> int:
    """`--only background`: seed, sync, then the background phase; its figures printed."""
    import json

    _say(f"{n:,} numbers: seeding the sandbox, then the sync the background phase needs")
    sandbox.reset(n)
    _sync(label="full sync", kinds=KINDS)
    figures = _background(args)
    print(json.dumps({"background": figures}, indent=2))
    return 0


def _sync_alone(args, *, sandbox, n: int) -> int:
    """`--only sync`: issue 13's two sync figures, each round measuring its own floor.

    A round: empty mirror, the floor, a full sync, ANALYZE, a no-change re-sync — the same
    order as the whole benchmark. `BENCH_PROFILE=<dir>` leaves a cProfile of each sync child.
    """
    import json

    from benchmarks import database
    from benchmarks.floor import run_floor
    from benchmarks.sandbox import LOGIN

    _say(f"{n:,} numbers: seeding the sandbox")
    sandbox.reset(n)
    rounds = []
    for round_number in range(1, args.repeat + 1):
        database.empty_domain_tables()
        floor = run_floor(sandbox.url, login=LOGIN, secret=sandbox.secret)
        _say(f"round {round_number}: floor {floor['seconds']:.2f} s")
        full = _sync(label="full sync", kinds=KINDS)
        database.analyze()
        quiet = _sync(label="no-change re-sync", kinds=KINDS)
        rounds.append(
            {
                "floor_seconds": floor["seconds"],
                "full_seconds": full["wall_seconds"],
                "nochange_seconds": quiet["wall_seconds"],
                "vs_floor": full["wall_seconds"] / floor["seconds"],
                "nochange_vs_full": quiet["wall_seconds"] / full["wall_seconds"],
                "full_peak_rss_mb": full["peak_rss_mb"],
                "full_sql_seconds": full["sql_seconds"],
                "nochange_sql_seconds": quiet["sql_seconds"],
                "full_slowest_statements": full["slowest_statements"],
                "full_writes": [full["mirror_rows_written"], full["history_rows"]],
                "nochange_writes": [
                    quiet["mirror_rows_written"],
                    quiet["history_rows"],
                    quiet["tuple_writes"],
                ],
                "load_average": os.getloadavg(),
            }
        )
        _say(
            f"round {round_number}: vs_floor {rounds[-1]['vs_floor']:.2f}×, "
            f"nochange_vs_full {rounds[-1]['nochange_vs_full']:.2f}×"
        )
    print(json.dumps({"sync_rounds": rounds}, indent=2))
    return 0


def _sync(*, label: str, kinds: list[str]) -> dict:
    from benchmarks import database
    from benchmarks.syncs import records_seen, sync_in_child

    before = database.tuple_writes()
    figures = sync_in_child(kinds=kinds, repo_dir=REPO_DIR)
    figures["tuple_writes"] = database.tuple_writes() - before
    figures["numbers"] = records_seen(figures, "dids")
    figures["locations"] = records_seen(figures, "locations")
    figures["rows"] = figures["numbers"] + figures["locations"]
    figures["rows_per_second"] = figures["rows"] / figures["wall_seconds"]
    figures["per_record_ms"] = 1000 * figures["wall_seconds"] / max(figures["rows"], 1)
    _say(
        f"{label}: {figures['wall_seconds']:.2f} s, {figures['rows']:,} records, "
        f"{figures['sql_statements']:,} statements, peak {figures['peak_rss_mb']:.0f} MB, writes "
        f"{figures['mirror_rows_written']:,} mirror / {figures['history_rows']:,} history / "
        f"{figures['tuple_writes']:,} tuples"
    )
    return figures


def _step_writes(figures: dict, step: str) -> int:
    """Rows one step of the sync wrote (created, updated, returned or marked gone)."""
    from benchmarks.syncs import step_counts

    counts = step_counts(figures, step)
    return sum(counts.get(name, 0) for name in ("created", "updated", "returned", "gone"))


def _machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    total = next((line.split()[1] for line in memory.splitlines() if line.startswith("Mem:")), "?")
    cores = os.cpu_count()
    postgres = _postgres_version()
    return {
        "nproc": cores,
        "cpu": cpu,
        "free_h": memory,
        "python": platform.python_version(),
        "postgresql": postgres,
        "summary": f"{cores} cores ({cpu}), {total} RAM, Python {platform.python_version()}, {postgres}",
    }


def _postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0].split()[0]


def _git(*command: str) -> str:
    result = subprocess.run(["git", *command], cwd=REPO_DIR, capture_output=True, text=True)
    return result.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
