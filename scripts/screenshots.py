"""`make screenshots`: pictures of the main pages at a desktop and a phone width, so anyone can
look at the portal without running it. Writes docs/screenshots/<page>.png (1440 px wide) and
<page>-phone.png (390 px).

It runs `make run`'s own supervisor (portal/devrun.py) in a scratch folder on free ports —
demo data, first sync, the same pages a newcomer sees — signs in as the demo administrator,
walks the pages by clicking the navigation, then stops it with Ctrl-C's signal.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
READY = "Ctrl-C stops everything"
WIDTHS = {"": (1440, 900), "-phone": (390, 844)}
# (file name, navigation label or None for a page reached another way, full page?)
PAGES = [
    ("dashboard", "Dashboard", True),
    ("numbers", "Numbers", False),
    ("number", None, True),
    ("e911", "911", False),
    ("messaging", "Messaging", False),
    ("porting", "Porting", False),
    ("compliance", "Compliance", False),
    ("customers", "Customers", False),
    ("sync", "Sync", False),
    ("provider-log", "Provider log", False),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_portal(var_dir: str) -> tuple[subprocess.Popen, str, str, str]:
    web = f"127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "PORTAL_VAR_DIR": var_dir,
        "DATABASE_URL": f"sqlite:///{var_dir}/portal.sqlite3",
        "CELERY_BROKER_URL": "filesystem://",
        "PORTAL_WEB_ADDRESS": web,
        "SANDBOX_PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "portal.devrun"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    seen: list[str] = []
    assert process.stdout is not None  # stdout=PIPE
    for line in process.stdout:
        seen.append(line)
        if READY in line:
            break
    text = "".join(seen)
    username = re.search(r"username\s+(\S+)", text)
    password = re.search(r"password\s+(\S+)", text)
    if not (username and password):
        process.kill()
        raise SystemExit("make run did not become ready:\n" + text[-3000:])
    return process, f"http://{web}", username.group(1), password.group(1)


def stop_portal(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def open_from_navigation(page, label: str, width: int) -> None:
    nav = page.get_by_role("navigation", name="Main")
    if width < 992:
        nav.get_by_role("button", name="Toggle navigation").click()
    nav.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state("load")


def shoot(base_url: str, username: str, password: str, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for suffix, (width, height) in WIDTHS.items():
            page = browser.new_page(
                viewport={"width": width, "height": height}, device_scale_factor=1
            )
            page.set_default_timeout(30_000)
            page.goto(f"{base_url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            for name, label, full in PAGES:
                if only and name not in only:
                    continue
                if label:
                    try:
                        open_from_navigation(page, label, width)
                    except Exception as exc:  # a page another change removed: say so, go on
                        print(
                            f"  skipped {name}{suffix}: {exc.__class__.__name__}", file=sys.stderr
                        )
                        continue
                else:  # the number page: the first number of the list
                    open_from_navigation(page, "Numbers", width)
                    page.locator("#did-results tbody a[href*='/numbers/']").first.click()
                    page.wait_for_load_state("load")
                page.wait_for_timeout(400)  # charts and htmx panels settle
                path = OUT / f"{name}{suffix}.png"
                page.screenshot(path=str(path), full_page=full)
                written.append(path)
                print(f"  {path.relative_to(ROOT)}", flush=True)
            page.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="page names to take (default: all)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as var_dir:
        print("==> Starting the portal with demo data (make run's supervisor)", flush=True)
        process, base_url, username, password = start_portal(var_dir)
        try:
            print("==> Taking screenshots", flush=True)
            written = shoot(base_url, username, password, set(args.only))
        finally:
            stop_portal(process)
    print(f"==> {len(written)} screenshots in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
