"""The VI secret (and PINs, tokens) never reach a log line, an exception or the database.

Calls run with a recognisable secret through success, refusal and every failure kind —
including answers that echo the request, secret and all, back at us — while every logger
records at DEBUG. Then everything the client left behind is searched for the secret.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

import pytest

from portal.models import ProviderCall
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderError
from tests.fixtures import shared
from tests.voipinnovations.conftest import TEST_SECRET
from tests.voipinnovations.loopback import envelope, soap_fault

pytestmark = pytest.mark.django_db

PIN = "86753091"
ECHO = f"<secret>{TEST_SECRET}</secret><pin>{PIN}</pin> and plainly {TEST_SECRET}"

SCENARIOS: dict[str, dict[str, Any]] = {
    "success": dict(body=shared.read_captured("did/assign_did.xml")),
    "refusal": dict(
        body=envelope(
            "assignDID",
            f"<responseCode>902</responseCode><responseMessage>Bad secret {TEST_SECRET}</responseMessage>",
        )
    ),
    "fault 500 echoing the request": dict(body=soap_fault(ECHO.replace("<", "&lt;")), status=500),
    "fault 200 echoing the request": dict(body=soap_fault(ECHO.replace("<", "&lt;"))),
    "html 500 echoing the request": dict(
        body=f"<html><pre>{ECHO}</pre></html>".encode(), status=500, content_type="text/html"
    ),
    "malformed echoing the request": dict(body=f"<soap:Envelope>{ECHO} &&".encode()),
    "truncated": dict(body=shared.read_captured("did/assign_did.xml"), cut_at=300),
    "timeout": dict(body=b"", delay=2),
}


def chain(error: BaseException):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


@pytest.fixture
def everything_logged(caplog):
    for name in (
        None,
        "zeep",
        "zeep.transports",
        "urllib3",
        "requests",
        "portal",
        "django.db.backends",
    ):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_the_secret_is_never_left_behind(canned_vi, vi_settings, everything_logged):
    vi_settings.VI_READ_TIMEOUT = 0.3
    vi_settings.VI_AUDIT_READ_TIMEOUT = 0.3
    errors: list[BaseException] = []

    for scenario in SCENARIOS.values():
        canned_vi.reply("SetConferenceLine", **scenario)
        canned_vi.reply("auditDIDs", **scenario)
        try:
            call("SetConferenceLine", tn="4352154006", pin=PIN)
        except ProviderError as error:
            errors.append(error)
        try:
            list(stream("auditDIDs", record_tag="DID"))
        except ProviderError as error:
            errors.append(error)
    try:  # a caller's mistake that names the PIN-bearing parameters
        call("SetConferenceLine", tn="4352154006", pin=PIN, pins=PIN)
    except ValueError as error:
        errors.append(error)

    # The secret did go out on the wire, and came back in the echoes: the test can fail.
    assert any(TEST_SECRET.encode() in received.body for received in canned_vi.received)
    assert len(errors) >= 10
    rows = list(ProviderCall.objects.values())
    assert len(rows) == 2 * len(SCENARIOS) + 1
    assert {row["outcome"] for row in rows} == {"ok", "refused", "unavailable"}
    assert all(row["parameters"].get("pin") in (None, "[redacted]") for row in rows)

    texts = [everything_logged.text, *(repr(row) for row in rows)]
    for error in errors:
        texts.extend(f"{e!s} {e!r}" for e in chain(error))
        texts.append("".join(traceback.format_exception(error)))
    for text in texts:
        assert TEST_SECRET not in text
        assert PIN not in text
