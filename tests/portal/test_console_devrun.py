"""`make run` as a newcomer reads it: one line per sync (not one per VI call), one time zone in
every timestamped line, no Celery banner or root warning, and Ctrl-C stops it cleanly with
no ERROR line. Runs the real supervisor (portal/devrun.py) on free ports in a scratch folder."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY = "Ctrl-C stops everything"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:,\d+)?(?: ([+-]\d{4}))?")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def run_output(tmp_path):
    env = {
        **os.environ,
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/portal.sqlite3",
        "CELERY_BROKER_URL": "filesystem://",
        "PORTAL_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
        "SANDBOX_PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TZ", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "portal.devrun"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 240
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if READY in line or time.monotonic() > deadline:
                break
        assert any(READY in line for line in lines), "\n".join(lines[-40:])
        time.sleep(3)  # a few beat ticks and event dispatches while it runs
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends to the supervisor
        rest, _ = process.communicate(timeout=60)
        lines.extend(rest.splitlines())
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, lines


@pytest.mark.browser  # slow like the browser tests: a whole `make run`
def test_make_run_prints_one_line_per_sync_in_one_time_zone_and_stops_cleanly(run_output):
    returncode, lines = run_output
    text = "\n".join(lines)
    assert returncode == 0, text
    assert not [
        line for line in lines if " ERROR " in line or "ERROR/" in line or "Traceback" in line
    ], text
    # One line per sync, none per VI call.
    for kind in ("Numbers", "911", "Messaging", "Porting"):
        assert (
            len(
                [
                    line
                    for line in lines
                    if re.search(rf"INFO portal\.sync\.services {kind} sync #\d+ succeeded", line)
                ]
            )
            == 1
        ), text
    assert not [line for line in lines if "portal.voipinnovations.client VI " in line], text
    # No Celery banner, root warning, per-task lines or broker hostname warnings.
    for noise in (
        "[tasks]",
        "-------------- ",
        "superuser privileges",
        "Task portal.",
        "No hostname was supplied",
    ):
        assert noise not in text, noise
    # One time zone: every timestamped line carries the same offset.
    zones = {match.group(1) for line in lines if (match := TIMESTAMP.search(line))}
    assert len(zones) == 1 and None not in zones, zones
