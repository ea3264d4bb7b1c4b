"""The targets of issue 6, judged against one run's figures; the table; the JSON files."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Verdict:
    name: str
    value: str
    target: str
    met: bool


def verdicts(figures: dict) -> list[Verdict]:
    full = figures["full_sync"]
    quiet, changed = figures["resync_no_change"], figures["resync_one_percent"]
    sandbox, assign = figures["sandbox"], figures["bulk_assign"]
    found = [
        Verdict("full sync vs floor", f"{full['vs_floor']:.2f}×", "≤ 2×", full["vs_floor"] <= 2),
        Verdict(
            "full sync vs naive, per record",
            f"{full['vs_naive']:.1f}× faster",
            "≥ 20× faster",
            full["vs_naive"] >= 20,
        ),
        Verdict(
            "full sync peak RSS",
            f"{full['peak_rss_mb']:.0f} MB",
            "≤ 300 MB",
            full["peak_rss_mb"] <= 300,
        ),
        Verdict(
            "no-change re-sync vs full sync",
            f"{quiet['vs_full']:.2f}×",
            "≤ 0.6×",
            quiet["vs_full"] <= 0.6,
        ),
        Verdict(
            "no-change re-sync writes",
            _writes(quiet),
            "0 / 0 / 0",
            quiet["mirror_rows_written"] == 0
            and quiet["history_rows"] == 0
            and quiet["tuple_writes"] == 0,
        ),
        Verdict(
            f"1 % change: numbers written (changed at VI: {changed['changed_at_vi']:,})",
            f"{changed['numbers_written']:,} numbers, {changed['locations_written']:,} locations; "
            f"{_writes(changed)}",
            "= changes",
            _only_the_changes(changed),
        ),
    ]
    pages = figures["list_pages"]
    small, large = pages["small"], pages["large"]
    for view, at_large in large["views"].items():
        at_small = small["views"][view]
        found.append(
            Verdict(
                f"/numbers/ {view} at {large['numbers']:,}: median / p95",
                f"{at_large['median_ms']:.1f} / {at_large['p95_ms']:.1f} ms",
                "≤ 50 / 100 ms",
                at_large["median_ms"] <= 50 and at_large["p95_ms"] <= 100,
            )
        )
        found.append(
            Verdict(
                f"/numbers/ {view}: queries per request",
                f"{at_large['queries']}",
                "≤ 10",
                at_large["queries"] <= 10 and at_small["queries"] <= 10,
            )
        )
        ratio = at_large["median_ms"] / at_small["median_ms"] if at_small["median_ms"] else 0
        found.append(
            Verdict(
                f"/numbers/ {view}: median {large['numbers']:,} vs {small['numbers']:,}",
                f"{ratio:.2f}×",
                "≤ 1.5×",
                ratio <= 1.5,
            )
        )
    found += [
        Verdict(
            f"bulk assign of {assign['numbers']:,}: SOAP calls",
            f"{assign['soap_calls']}",
            "≤ 10",
            assign["soap_calls"] <= 10 and assign["bought"] == assign["numbers"],
        ),
        Verdict(
            f"sandbox seeds {figures['n']:,}",
            f"{sandbox['seed_seconds']:.1f} s",
            "≤ 10 s",
            sandbox["seed_seconds"] <= 10,
        ),
        Verdict(
            f"sandbox streams auditDIDs ({sandbox['auditdids_megabytes']:.0f} MB)",
            f"{sandbox['stream_seconds']:.1f} s",
            "≤ 3 s",
            sandbox["stream_seconds"] <= 3,
        ),
    ]
    found += _background_verdicts(figures)
    return found


def _background_verdicts(figures: dict) -> list[Verdict]:
    """Issue 13's targets: background work that stays fair and fast."""
    background, full, quiet = (
        figures["background"],
        figures["full_sync"],
        figures["resync_no_change"],
    )
    rate = background["bulk_911_rows_per_second"]
    return [
        Verdict(
            f"911 bulk apply of {background['bulk_911_rows']:,} rows, rows/s",
            f"{rate:.1f} (one call at a time: {background['baseline_rows_per_second']:.1f})",
            "≥ 25",
            rate >= 25,
        ),
        Verdict(
            f"wait before 'Sync now' starts during a {background['busy_rows']:,}-row bulk apply",
            f"{background['sync_wait_seconds']:.1f} s",
            "≤ 10 s",
            background["sync_wait_seconds"] <= 10,
        ),
        Verdict(
            "wait before a 3-number portability check finishes, meanwhile",
            f"{background['portability_wait_seconds']:.1f} s",
            "≤ 10 s",
            background["portability_wait_seconds"] <= 10,
        ),
        Verdict(
            "full numbers + 911 sync vs the floor (issue 13)",
            f"{full['vs_floor']:.2f}×",
            "≤ 3×",
            full["vs_floor"] <= 3,
        ),
        Verdict(
            "no-change re-sync vs full sync (issue 13)",
            f"{quiet['vs_full']:.2f}×",
            "≤ 0.3×",
            quiet["vs_full"] <= 0.3,
        ),
        Verdict(
            "peak RSS of a sync (issue 13)",
            f"{full['peak_rss_mb']:.0f} MB",
            "≤ 200 MB",
            full["peak_rss_mb"] <= 200,
        ),
    ]


def _only_the_changes(phase: dict) -> bool:
    """The changed numbers are written, nothing else in the number and 911 tables, and every
    write has its history row. (Endpoint groups and clients VI recounts after the change are
    genuine changes too: counted in mirror rows, each with history.)"""
    changed = phase["changed_at_vi"]
    return (
        phase["numbers_written"] == changed
        and phase["locations_written"] == 0
        and phase["tuple_writes"] == changed
        and phase["history_rows"] == phase["mirror_rows_written"]
    )


def _writes(phase: dict) -> str:
    """mirror rows / history rows / tuples PostgreSQL wrote in the mirror tables."""
    return (
        f"{phase['mirror_rows_written']:,} / {phase['history_rows']:,} / {phase['tuple_writes']:,}"
    )


def figures_table(figures: dict) -> str:
    full, floor, naive = figures["full_sync"], figures["floor"], figures["naive"]
    quiet, changed, assign = (
        figures["resync_no_change"],
        figures["resync_one_percent"],
        figures["bulk_assign"],
    )
    lines = [
        f"{figures['n']:,} numbers, 911 on {figures['locations']:,}; {figures['machine']['summary']}",
        "",
        "| phase | wall s | records | records/s | ms/record | SQL statements | peak RSS MB "
        "| writes (mirror / history / tuples) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        _row("floor (raw parse + COPY)", floor["seconds"], floor["records"], None, None, None),
        _row(
            f"naive (zeep + update_or_create, {naive['numbers']:,} numbers)",
            naive["seconds"],
            naive["records"],
            None,
            None,
            None,
        ),
        _row(
            "full sync from empty",
            full["wall_seconds"],
            full["rows"],
            full["sql_statements"],
            full["peak_rss_mb"],
            _writes(full),
        ),
        _row(
            "re-sync, nothing changed",
            quiet["wall_seconds"],
            full["rows"],
            quiet["sql_statements"],
            quiet["peak_rss_mb"],
            _writes(quiet),
        ),
        _row(
            f"re-sync, {changed['changed_at_vi']:,} changed at VI",
            changed["wall_seconds"],
            full["rows"],
            changed["sql_statements"],
            changed["peak_rss_mb"],
            _writes(changed),
        ),
        "",
        f"Full sync: {full['vs_floor']:.2f}× the floor's time, {full['vs_naive']:.1f}× faster per record than naive.",
        f"Bulk assign of {assign['numbers']:,} reserved numbers: {assign['soap_calls']} SOAP calls, "
        f"{assign['seconds']:.2f} s (reserving them: {assign['reserve_soap_calls']} calls, "
        f"{assign['reserve_seconds']:.2f} s).",
        _background_line(figures["background"]),
        "",
        "| /numbers/ view | size | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for size in ("small", "large"):
        pages = figures["list_pages"][size]
        for view, measured in pages["views"].items():
            lines.append(
                f"| {view} | {pages['numbers']:,} | {measured['median_ms']:.1f} | {measured['p95_ms']:.1f} "
                f"| {measured['queries']} |"
            )
    lines += ["", "| target | measured | target | met |", "|---|---|---|---|"]
    for verdict in figures["verdicts"]:
        lines.append(
            f"| {verdict['name']} | {verdict['value']} | {verdict['target']} | "
            f"{'met' if verdict['met'] else 'MISSED'} |"
        )
    return "\n".join(lines)


def _background_line(background: dict) -> str:
    return (
        f"911 bulk apply of {background['bulk_911_rows']:,} rows on a worker: {background['bulk_911_rows_per_second']:.1f} rows/s "
        f"at VI_MAX_CONCURRENCY={background['vi_max_concurrency']} ({background['speedup']:.1f}× one call at a time, "
        f"{background['baseline_rows_per_second']:.1f} rows/s); its check {background['bulk_911_check_rows_per_second']:.1f} rows/s. "
        f"During a {background['busy_rows']:,}-row apply, 'Sync now' waited {background['sync_wait_seconds']:.1f} s and a "
        f"3-number portability check {background['portability_wait_seconds']:.1f} s."
    )


def _row(name, seconds, records, statements, rss, writes) -> str:
    rate = records / seconds if seconds else 0
    per_record = 1000 * seconds / records if records else 0
    return (
        f"| {name} | {seconds:.2f} | {records:,} | {rate:,.0f} | {per_record:.3f} | "
        f"{'' if statements is None else f'{statements:,}'} | {'' if rss is None else f'{rss:.0f}'} | "
        f"{writes or ''} |"
    )


def write_results(figures: dict, *, output_dir: Path, stamp: str) -> list[Path]:
    results = output_dir / "results"
    results.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, indent=2, default=str)
    paths = [results / f"{stamp}.json", output_dir / "last.json"]
    for path in paths:
        path.write_text(text + "\n", encoding="utf-8")
    return paths


def judged(figures: dict) -> dict:
    figures["verdicts"] = [asdict(verdict) for verdict in verdicts(figures)]
    # Issue 13's key: the no-change re-sync's time as a share of the full sync's.
    figures["nochange_vs_full"] = figures["resync_no_change"]["vs_full"]
    return figures
