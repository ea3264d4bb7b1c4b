"""The provider client against a hostile VI (tests/fixtures/hostile_vi.py) over real HTTP.

For each way VI can misbehave on the wire: the call ends within its deadline, memory stays
bounded, nothing of what the answer tried to smuggle in (a local file, a code the log cannot
hold) is stored or breaks the provider-call log. Deadlines are short (2 s); the assertions
allow 10 s, as the machine running the tests is shared and noisy.
"""

from __future__ import annotations

import time

import pytest

from portal.models import ProviderCall
from portal.voipinnovations.client import call, stream
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable
from tests.fixtures.hostile_vi import XXE_TARGET, MemoryWatch

pytestmark = pytest.mark.django_db

DEADLINE = 2.0
ENOUGH = 10.0  # generous: a noisy 2-core machine


@pytest.fixture
def short_deadlines(settings):
    settings.VI_CONNECT_TIMEOUT = 2.0
    settings.VI_READ_TIMEOUT = DEADLINE
    settings.VI_AUDIT_READ_TIMEOUT = 5.0  # idle: longer than any drip below
    settings.VI_AUDIT_DEADLINE = DEADLINE
    return settings


def an_owned_tn(sandbox) -> str:
    return sandbox.control.state("numbers/owned")[0]["tn"]


def drain(operation: str = "auditDIDs", tag: str = "DID") -> int:
    return sum(1 for _ in stream(operation, record_tag=tag))


def timed(action):
    started = time.monotonic()
    try:
        action()
    except (ProviderUnavailable, ProviderRejected) as error:
        return time.monotonic() - started, error
    return time.monotonic() - started, None


# --- deadlines -------------------------------------------------------------------------------


def test_an_answer_dripping_one_byte_at_a_time_ends_at_the_call_deadline(
    sandbox, hostile_vi, short_deadlines
):
    # Each byte arrives well inside the per-read timeout: only an overall deadline stops it.
    hostile_vi.drip("queryDID", every=0.2)

    elapsed, error = timed(lambda: call("queryDID", did=an_owned_tn(sandbox)))

    assert isinstance(error, ProviderUnavailable)
    assert "did not finish answering within 2 s" in error.message
    assert elapsed < ENOUGH
    logged = ProviderCall.objects.get(operation="queryDID")
    assert logged.outcome == ProviderCall.Outcome.UNAVAILABLE
    assert "within 2 s" in logged.error


def test_even_dripping_headers_end_at_the_call_deadline(sandbox, hostile_vi, short_deadlines):
    hostile_vi.drip_headers("queryDID", every=0.2)

    elapsed, error = timed(lambda: call("queryDID", did=an_owned_tn(sandbox)))

    assert isinstance(error, ProviderUnavailable)
    assert elapsed < ENOUGH


def test_a_dripping_audit_ends_at_the_audit_deadline_not_its_idle_timeout(
    sandbox, hostile_vi, short_deadlines
):
    hostile_vi.drip("auditDIDs", every=0.1)

    elapsed, error = timed(drain)

    assert isinstance(error, ProviderUnavailable)
    assert "did not finish answering within 2 s" in error.message
    assert elapsed < ENOUGH


def test_a_never_ending_audit_ends_at_its_deadline_with_bounded_memory(
    sandbox, hostile_vi, short_deadlines
):
    hostile_vi.endless("auditDIDs", kind="records")

    with MemoryWatch() as memory:
        elapsed, error = timed(drain)

    assert isinstance(error, ProviderUnavailable)
    assert elapsed < ENOUGH
    assert memory.growth_mb < 100, f"memory grew by {memory.growth_mb:.0f} MB"
    assert hostile_vi.bytes_sent["auditDIDs"] > 1_000_000  # it really kept sending


def test_a_never_ending_element_is_refused_long_before_it_fills_memory(
    sandbox, hostile_vi, settings
):
    settings.VI_AUDIT_DEADLINE = 60.0  # the size bound, not the deadline, must stop this one
    hostile_vi.endless("auditDIDs", kind="text")

    with MemoryWatch() as memory:
        elapsed, error = timed(drain)

    assert isinstance(error, ProviderUnavailable)
    assert "without a complete record" in error.message
    assert elapsed < 30
    assert memory.growth_mb < 150, f"memory grew by {memory.growth_mb:.0f} MB"


def test_a_never_ending_ordinary_answer_is_cut_with_bounded_memory(
    sandbox, hostile_vi, short_deadlines
):
    hostile_vi.endless("queryDID", kind="text")

    with MemoryWatch() as memory:
        elapsed, error = timed(lambda: call("queryDID", did=an_owned_tn(sandbox)))

    assert isinstance(error, ProviderUnavailable)
    assert elapsed < ENOUGH
    assert memory.growth_mb < 150, f"memory grew by {memory.growth_mb:.0f} MB"


# --- hostile XML ------------------------------------------------------------------------------


def _hostname() -> str:
    with open(XXE_TARGET) as target:
        return target.read().strip()


def test_an_external_entity_never_reads_a_local_file(sandbox, hostile_vi, short_deadlines):
    secret = _hostname()
    assert secret  # the test means something only if the file has content
    hostile_vi.xxe("queryDID")
    hostile_vi.xxe("auditDIDs")

    _, call_error = timed(lambda: call("queryDID", did=an_owned_tn(sandbox)))
    records = []
    _, stream_error = timed(lambda: records.extend(stream("auditDIDs", record_tag="DID")))

    assert isinstance(call_error, ProviderUnavailable)  # a DTD in a SOAP answer is refused
    assert stream_error is None and records  # the audit is read; the entity is not expanded
    logged = list(ProviderCall.objects.values_list("response_message", "error"))
    assert all(secret not in text for row in logged for text in row)
    assert all(secret not in str(value) for record in records for value in record.values())


def test_billion_laughs_neither_expands_nor_exhausts_memory(sandbox, hostile_vi, short_deadlines):
    hostile_vi.laughs("queryDID")
    hostile_vi.laughs("auditDIDs")

    with MemoryWatch() as memory:
        elapsed_call, call_error = timed(lambda: call("queryDID", did=an_owned_tn(sandbox)))
        elapsed_stream, _ = timed(drain)

    assert isinstance(call_error, ProviderUnavailable)
    assert elapsed_call < ENOUGH and elapsed_stream < ENOUGH
    assert memory.growth_mb < 100, f"memory grew by {memory.growth_mb:.0f} MB"
    assert all(
        len(message) <= 600
        for message in ProviderCall.objects.values_list("response_message", flat=True)
    )


# --- codes the log must survive ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["99999999999999999999", "9" * 5000, "abc", "-1e400"])
def test_an_absurd_response_code_is_logged_not_lost(sandbox, hostile_vi, short_deadlines, code):
    hostile_vi.code("GetPrepaidBalance", code)

    result = call("GetPrepaidBalance")

    logged = ProviderCall.objects.get(operation="GetPrepaidBalance")
    assert logged.response_code is None
    assert logged.outcome == ProviderCall.Outcome.REFUSED
    assert "VI's code:" in logged.response_message
    assert len(logged.response_message) <= 500
    assert result.responseCode is not None


@pytest.mark.parametrize("code", ["99999999999999999999", "abc"])
def test_an_absurd_audit_code_is_refused_and_logged(sandbox, hostile_vi, short_deadlines, code):
    hostile_vi.code("auditDIDs", code)

    _, error = timed(drain)

    assert isinstance(error, ProviderRejected)
    assert len(error.message) < 300
    logged = ProviderCall.objects.get(operation="auditDIDs")
    assert logged.outcome == ProviderCall.Outcome.REFUSED
    assert logged.response_code is None


def test_a_missing_code_is_unavailable_and_logged(sandbox, hostile_vi, short_deadlines):
    hostile_vi.no_code("GetPrepaidBalance")
    hostile_vi.no_code("auditDIDs")

    _, call_error = timed(lambda: call("GetPrepaidBalance"))
    _, error = timed(drain)

    assert isinstance(call_error, ProviderUnavailable)  # VI's WSDL requires the code
    assert isinstance(error, ProviderUnavailable) and "no responseCode" in error.message
    outcomes = set(ProviderCall.objects.values_list("outcome", flat=True))
    assert outcomes == {ProviderCall.Outcome.UNAVAILABLE}


def test_a_huge_item_code_is_logged_short(sandbox, hostile_vi, short_deadlines):
    tn = an_owned_tn(sandbox)
    hostile_vi.values("queryDID", {tn: {"statusCode": "7" * 10_000 + "<&>"}})

    call("queryDID", did=tn)

    codes = ProviderCall.objects.get(operation="queryDID").item_codes
    assert codes and all(len(key) <= 41 for key in codes)


def test_a_web_request_gives_all_its_calls_one_deadline(
    sandbox, hostile_vi, settings, operator_client
):
    """Refresh from VI makes eight calls; each dripping for its own full deadline would hold
    the worker eight times as long. The page's calls share VI_REQUEST_DEADLINE."""
    from django.urls import reverse

    settings.VI_READ_TIMEOUT = 4.0
    settings.VI_REQUEST_DEADLINE = 4.0
    hostile_vi.slow("*", seconds=2.5)  # each call alone answers in time; eight take 20 s

    tn = an_owned_tn(sandbox)
    started = time.monotonic()
    response = operator_client.post(reverse("dids:refresh", args=[tn]), HTTP_HX_REQUEST="true")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 12.0
    assert ProviderCall.objects.filter(
        outcome=ProviderCall.Outcome.OK
    ).exists()  # the first call answered
    assert ProviderCall.objects.filter(outcome=ProviderCall.Outcome.UNAVAILABLE).exists()
