"""Checks behind /healthz: can this process reach its database, its broker and VI?

Each check returns a small, secret-free dict. Error details are reduced to the exception
class and a short message: a broker URL or SOAP body may carry credentials.
"""

import math
import time
from collections.abc import Callable

import requests
from django.conf import settings
from django.db import connection

CHECK_TIMEOUT_SECONDS = 2.0
MAX_DETAIL_CHARS = 120


def _timed(check: Callable[[], dict]) -> dict:
    started = time.monotonic()
    try:
        result = check()
    except Exception as error:  # a health check reports failures, it never raises them
        result = {"ok": False, "detail": _describe(error)}
    result["duration_ms"] = round((time.monotonic() - started) * 1000)
    return result


def _describe(error: Exception) -> str:
    message = str(error).splitlines()[0] if str(error) else ""
    # Connection errors quote URLs; strip anything that looks like user:password@.
    if "@" in message:
        message = ""
    return f"{type(error).__name__}: {message}"[:MAX_DETAIL_CHARS].rstrip(": ")


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_broker() -> dict:
    from portal.celery import app

    with app.connection_for_write(connect_timeout=CHECK_TIMEOUT_SECONDS) as broker:
        transport = broker.transport.driver_type
        if transport == "filesystem":
            # The embedded broker of `make run` is a folder: nothing to connect to.
            return {"ok": True, "transport": transport}
        broker.ensure_connection(
            max_retries=1,
            interval_start=0,
            interval_step=0,
            timeout=math.ceil(CHECK_TIMEOUT_SECONDS),  # kombu counts whole seconds
        )
    return {"ok": True, "transport": transport}


def vi_wsdl_url() -> str:
    return settings.VI_API_URL.split("?", 1)[0] + "?wsdl"


def check_vi() -> dict:
    """VI answers its WSDL without credentials; none are sent."""
    try:
        response = requests.get(vi_wsdl_url(), timeout=CHECK_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.Timeout:
        return {"ok": False, "detail": f"no answer within {CHECK_TIMEOUT_SECONDS:g} s"}
    except requests.ConnectionError:
        return {"ok": False, "detail": "connection failed"}
    if response.status_code != 200:
        return {"ok": False, "detail": f"HTTP {response.status_code}"}
    return {"ok": True}


def run_checks() -> dict:
    """{"status": ok|degraded|down, "checks": {...}}; "down" only when the database is."""
    checks = {
        "database": _timed(check_database),
        "broker": _timed(check_broker),
        "vi": _timed(check_vi),
    }
    if not checks["database"]["ok"]:
        status = "down"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return {"status": status, "checks": checks}
