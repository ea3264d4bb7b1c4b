"""gunicorn's timeout must stay above the longest a web request may wait for VI, or a slow
VI gets workers killed mid-request instead of a page that says so."""

import re
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]


def _gunicorn_timeouts() -> dict[str, int]:
    found = {}
    for name in ("Dockerfile", "docker-compose.yml", "portal/devrun.py"):
        text = (REPO / name).read_text()
        match = re.search(r'--timeout["\s,]+"?(\d+)', text)
        assert match, f"{name} starts gunicorn without --timeout"
        found[name] = int(match.group(1))
    return found


def test_gunicorn_outlasts_every_web_request_deadline():
    longest_call = settings.VI_CONNECT_TIMEOUT + settings.VI_READ_TIMEOUT
    for name, timeout in _gunicorn_timeouts().items():
        assert timeout > settings.VI_REQUEST_DEADLINE, name
        assert timeout > longest_call, name
