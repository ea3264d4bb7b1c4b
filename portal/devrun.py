"""`make run`: the whole portal on one laptop — sandbox, web, three workers + beat — with demo data.

A tiny supervisor rather than honcho: the first sync has to run after the sandbox answers
and before we print the login, and honcho stops every process as soon as one exits.
Ctrl-C stops everything. A second run reuses the database, the sandbox state and the login.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var"))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
WEB_ADDRESS = os.environ.get("PORTAL_WEB_ADDRESS", "127.0.0.1:8000")
SANDBOX_PORT = int(os.environ.get("SANDBOX_PORT", "8089"))


def manage(*args: str, capture: bool = False, check: bool = True) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        check=check,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def wait_for(url: str, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _die_with_parent() -> None:
    """Runs in each child before exec: if this supervisor is killed outright (not Ctrl-C),
    Linux sends the child SIGTERM instead of leaving it orphaned and holding the ports."""
    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: Ctrl-C still stops everything through stop_all()


def quiet_output() -> None:
    """What every child inherits so the output reads as one log: one time zone (the portal's,
    also for gunicorn's own lines), no Celery warning about running as root (a laptop or a
    container often is; production runs workers as a service user)."""
    os.environ.setdefault("TZ", os.environ.get("TIME_ZONE", "America/New_York"))
    time.tzset()
    root_warning = "ignore:You're running the worker with superuser privileges"
    os.environ["PYTHONWARNINGS"] = ",".join(
        filter(None, [os.environ.get("PYTHONWARNINGS"), root_warning])
    )


def port_in_use(address: str) -> bool:
    host, port = address.rsplit(":", 1)
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) == 0


def main() -> int:
    # The embedded filesystem broker (settings.py) reads and writes here; kombu won't create it.
    for folder in ("processed", "control"):
        (VAR / "broker" / folder).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("VI_API_URL", f"http://127.0.0.1:{SANDBOX_PORT}/Services/APIService.asmx")
    os.environ.setdefault("VI_LOGIN", "sandbox")
    os.environ.setdefault("VI_SECRET", "sandbox-secret")
    quiet_output()
    started = time.monotonic()
    # Explicit even for SIGINT: started from a script in the background, SIGINT arrives ignored.
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)
    for address in (WEB_ADDRESS, f"127.0.0.1:{SANDBOX_PORT}"):
        if port_in_use(address):
            print(
                f"{address} is already in use — is another `make run` still running? Stop it first "
                "(or set PORTAL_WEB_ADDRESS / SANDBOX_PORT).",
                file=sys.stderr,
            )
            return 1

    print("==> Preparing the database", flush=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")
    username, password = manage("ensure_demo_admin", capture=True).split()

    processes: list[subprocess.Popen] = []

    def spawn(name: str, command: list[str]) -> None:
        print(f"==> Starting {name}", flush=True)
        # Own session: Ctrl-C reaches only this supervisor, which stops the children in order.
        processes.append(
            subprocess.Popen(command, cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent)
        )

    def stop_all(*_args) -> None:
        # SIGTERM to each main process only: a Celery worker or gunicorn then stops its own
        # children (a signal to the whole group killed the pool under the worker, which
        # logged each child's death as an ERROR). Whatever is left after 10 s is killed.
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    state_file = VAR / "sandbox-state.json"
    try:
        spawn(
            "the VI sandbox",
            [
                PYTHON,
                "-m",
                "portal.sandbox",
                "--host",
                "127.0.0.1",
                "--port",
                str(SANDBOX_PORT),
                "--login",
                os.environ["VI_LOGIN"],
                "--secret",
                os.environ["VI_SECRET"],
                "--seed",
                "demo",
                "--state",
                str(state_file),
            ],
        )
        if not wait_for(f"http://127.0.0.1:{SANDBOX_PORT}/_sandbox/summary", seconds=60):
            print("The sandbox did not start; see its output above.", file=sys.stderr)
            return 1
        spawn(
            "the web server",
            # --timeout above VI_REQUEST_DEADLINE (90 s): gunicorn's default 30 s would kill a
            # worker waiting on a slow VI before the page could say so.
            # No access log unless asked (PORTAL_ACCESS_LOG=1): a line per request buries the rest.
            [
                str(BIN / "gunicorn"),
                "portal.wsgi",
                "--bind",
                WEB_ADDRESS,
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "120",
                *(["--access-logfile", "-"] if os.environ.get("PORTAL_ACCESS_LOG") else []),
            ],
        )
        # One worker per kind of work (portal/queues.py), so a sync or a small check never
        # waits behind a bulk job. One consumer per queue is also what the filesystem broker
        # needs: it hands a message out by moving its file, which is only exclusive when the
        # move is a rename (the processed folder may be on another filesystem).
        # The interactive worker also serves "events" (a dispatch per event written), taking
        # turns between its two queues.
        workers: tuple[tuple[str, str, list[str]], ...] = (
            ("interactive", "interactive,events", ["--beat"]),
            ("bulk", "bulk", []),
            ("sync", "sync", []),
        )
        for name, served, extra in workers:
            spawn(
                f"the {name} worker" + (" and the scheduler" if extra else ""),
                # --quiet: no banner (the list of tasks and settings) for each of three workers.
                [
                    str(BIN / "celery"),
                    "-A",
                    "portal.celery",
                    "--quiet",
                    "worker",
                    *extra,
                    "--queues",
                    served,
                    "--hostname",
                    f"{name}@%h",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "INFO",
                ],
            )
        print("==> First sync from the sandbox", flush=True)
        # A failed first sync is shown on the Sync page and retried by the schedule; it is no
        # reason to refuse to start the portal.
        manage("vi_sync", "all", "-v", "0", check=False)  # each sync logs its one line
        wait_for(f"http://{WEB_ADDRESS}/healthz", seconds=30)
        print(
            "\n"
            "  VI Back Office Portal is running\n"
            f"    open      http://{WEB_ADDRESS}/\n"
            f"    username  {username}\n"
            f"    password  {password}\n"
            f"  ready in {time.monotonic() - started:.0f} s — Ctrl-C stops everything\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        print("A process stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n==> Stopping", flush=True)
        return 0
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
