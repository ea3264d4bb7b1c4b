"""`make bench` at a tiny size: it runs end to end and its JSON carries every figure.

Timings are not asserted (a busy 2-core machine says nothing at 300 numbers); what a sync
wrote is, because that does not depend on the machine.
"""

import json
import os
import subprocess
import sys
from numbers import Number
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]

SYNC_FIGURES = (
    "wall_seconds",
    "rows",
    "rows_per_second",
    "sql_statements",
    "peak_rss_mb",
    "mirror_rows_written",
    "history_rows",
    "tuple_writes",
)
PAGE_FIGURES = ("median_ms", "p95_ms", "queries")
VIEWS = ("no_filter", "state_and_endpoint_group", "digits_search")


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the benchmark needs PostgreSQL (DATABASE_URL)")
    # Next to the caller's own database, so parallel test runs never share it.
    database = urlsplit(url).path.lstrip("/") + "_bench_smoke"
    output = tmp_path_factory.mktemp("bench")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--n",
            "300",
            "--naive-n",
            "100",
            "--small",
            "100",
            "--requests",
            "3",
            "--assign",
            "20",
            "--bulk-rows",
            "20",
            "--busy-rows",
            "60",
            "--baseline-rows",
            "5",
            "--database",
            database,
            "--output-dir",
            str(output),
        ],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "| target | measured | target | met |" in result.stdout  # the table was printed
    results = list((output / "results").glob("*.json"))
    assert len(results) == 1
    last = json.loads((output / "last.json").read_text())
    assert json.loads(results[0].read_text()) == last
    return last


def _is_figure(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool) and value >= 0


def test_every_sync_phase_has_its_figures(figures):
    for phase in ("full_sync", "resync_no_change", "resync_one_percent"):
        for name in SYNC_FIGURES:
            assert _is_figure(figures[phase][name]), (phase, name)
    assert figures["full_sync"]["rows"] == 300 + figures["locations"]
    assert 0 < figures["locations"] < 300  # 911 on most numbers, not all
    for name in ("vs_floor", "vs_naive"):
        assert _is_figure(figures["full_sync"][name])
    assert _is_figure(figures["resync_no_change"]["vs_full"])


def test_baselines_sandbox_and_bulk_assign_have_their_figures(figures):
    assert figures["floor"]["records"] == figures["full_sync"]["rows"]
    assert _is_figure(figures["floor"]["seconds"])
    assert figures["naive"]["numbers"] == 100 and _is_figure(figures["naive"]["per_record_ms"])
    for name in ("seed_seconds", "stream_seconds", "auditdids_megabytes"):
        assert _is_figure(figures["sandbox"][name])
    assign = figures["bulk_assign"]
    assert assign["numbers"] == assign["bought"] == 20
    assert _is_figure(assign["soap_calls"]) and _is_figure(assign["seconds"])


def test_list_pages_are_measured_at_both_sizes(figures):
    pages = figures["list_pages"]
    assert (pages["small"]["numbers"], pages["large"]["numbers"]) == (100, 300)
    for size in ("small", "large"):
        assert set(pages[size]["views"]) == set(VIEWS)
        for view in VIEWS:
            for name in PAGE_FIGURES:
                assert _is_figure(pages[size]["views"][view][name]), (size, view, name)


def test_a_quiet_resync_writes_nothing_and_a_changed_one_only_the_changes(figures):
    quiet, changed = figures["resync_no_change"], figures["resync_one_percent"]
    assert (quiet["mirror_rows_written"], quiet["history_rows"]) == (0, 0)
    assert changed["changed_at_vi"] == 3  # 1 % of 300
    assert (changed["numbers_written"], changed["locations_written"]) == (3, 0)
    assert changed["history_rows"] == changed["mirror_rows_written"]


def test_background_work_has_its_figures(figures):
    """Issue 13's keys: bulk apply speed, the waits behind a bulk job, the sync ratios."""
    background = figures["background"]
    for name in (
        "bulk_911_rows_per_second",
        "sync_wait_seconds",
        "portability_wait_seconds",
        "baseline_rows_per_second",
        "bulk_911_check_rows_per_second",
    ):
        assert _is_figure(background[name]), name
    assert background["bulk_911_rows"] == 20 and background["busy_rows"] == 60
    assert _is_figure(figures["growth"]["300"]["vs_floor"])
    assert _is_figure(figures["nochange_vs_full"])


def test_the_machine_and_every_target_are_named(figures):
    assert figures["machine"]["nproc"] >= 1 and figures["machine"]["cpu"]
    names = [verdict["name"] for verdict in figures["verdicts"]]
    assert len(names) == 6 + 3 * len(VIEWS) + 3 + 6
    assert all(isinstance(verdict["met"], bool) for verdict in figures["verdicts"])
