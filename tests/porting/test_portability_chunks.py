"""A long portability check runs in chunks on the bulk queue (each chunk queues the next), a
redelivered chunk asks VI nothing twice, and a person can cancel a running check, keeping
what was checked. Against the sandbox; the tasks run as the worker runs them, message by
message, with `delay` recording what each chunk queues."""

import csv
import datetime
import io
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import queues
from portal.models import ProviderCall, Source
from porting import selectors, services, tasks
from porting.models import CLAIM_LIFETIME, PortabilityJob, PortabilityRow

pytestmark = pytest.mark.django_db

Verdict = PortabilityRow.Verdict

# By the sandbox's rule: an NXX ending in 9 has no porting agreement, other numbers are portable.
PORTABLE = [f"303234{index:04d}" for index in range(200)]
NOT_PORTABLE = [f"303239{index:04d}" for index in range(200)]


def _asked() -> Counter:
    """How many times VI was asked about each number."""
    return Counter(
        call.parameters.get("tn") for call in ProviderCall.objects.filter(operation="isPortable")
    )


@pytest.fixture
def queued(monkeypatch):
    """The messages the chunks queue, in order, instead of a broker."""
    messages: list[dict] = []
    monkeypatch.setattr(
        "porting.tasks.check_portability.delay", lambda **kwargs: messages.append(kwargs)
    )
    return messages


def _create(operator, tns, django_capture_on_commit_callbacks) -> PortabilityJob:
    with django_capture_on_commit_callbacks(execute=True):
        return services.portability_job_create(
            text="\n".join(tns), actor=operator, source=Source.STAFF
        )


def _work_off(queued: list[dict]) -> int:
    """Deliver every queued message to the task, as a worker would; returns how many ran."""
    delivered = 0
    while queued:
        tasks.check_portability(**queued.pop(0))
        delivered += 1
    return delivered


def test_a_list_longer_than_a_chunk_is_checked_chunk_by_chunk_each_number_once(
    sandbox, operator, queued, django_capture_on_commit_callbacks
):
    tns = [*PORTABLE[:130], *NOT_PORTABLE[:120]]  # 250 numbers: three chunks of at most 100
    job = _create(operator, tns, django_capture_on_commit_callbacks)
    assert queued == [{"job_id": job.pk, "size": 250}]

    tasks.check_portability(**queued.pop(0))
    job.refresh_from_db()
    # One chunk, then the next is queued on the bulk queue behind whatever else waits there.
    assert job.status == PortabilityJob.Status.RUNNING and job.progress_done == 100
    assert sum(_asked().values()) == services.CHUNK_NUMBERS
    assert queued == [{"job_id": job.pk, "size": 250}]
    assert queues.route_task("porting.tasks.check_portability", (), queued[0], {}) == {
        "queue": queues.BULK
    }

    assert _work_off(queued) == 2  # the other two chunks; the last queues nothing
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.FINISHED and job.progress_done == 250
    assert _asked() == Counter(tns)  # every number asked exactly once
    verdicts = dict(job.rows.values_list("tn", "verdict"))
    assert {verdicts[tn] for tn in PORTABLE[:130]} == {Verdict.PORTABLE}
    assert {verdicts[tn] for tn in NOT_PORTABLE[:120]} == {Verdict.NOT_PORTABLE}
    assert not job.rows.filter(claim__isnull=False).exists()  # no claim left behind
    # Every isPortable call is on the person's log, from where they asked.
    assert set(
        ProviderCall.objects.filter(operation="isPortable").values_list("actor", "source")
    ) == {(operator.pk, Source.STAFF)}


def test_a_redelivered_chunk_asks_nothing_twice(
    sandbox, operator, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_NUMBERS", 3)
    tns = PORTABLE[:7]
    job = _create(operator, tns, django_capture_on_commit_callbacks)
    first = queued.pop(0)

    # A copy of the first chunk's message is delivered while the chunk is still asking VI
    # (a worker lost its connection and the broker handed the message out again): the copy
    # takes none of the first chunk's numbers.
    original = services.gateway.is_portable
    copies = []

    def is_portable(*, tn):
        if not copies:
            copies.append(tn)  # once: the copy's own calls deliver no further copy
            services.portability_job_run(job_id=job.pk)
        return original(tn=tn)

    monkeypatch.setattr(services.gateway, "is_portable", is_portable)
    tasks.check_portability(**first)
    monkeypatch.setattr(services.gateway, "is_portable", original)
    assert _asked() == Counter(tns[:6])  # the first chunk's three and the copy's next three

    # The same message delivered again after it ran: only rows still pending are taken.
    tasks.check_portability(**first)
    tasks.check_portability(**first)
    _work_off(queued)
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.FINISHED and job.progress_done == 7
    assert _asked() == Counter(tns)
    assert not queued


def test_rows_of_a_chunk_whose_worker_died_are_taken_again_once_the_claim_is_stale(
    sandbox, operator, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_NUMBERS", 3)
    job = _create(operator, PORTABLE[:3], django_capture_on_commit_callbacks)
    queued.clear()
    # A chunk claimed every row, then its worker died before VI answered.
    PortabilityJob.objects.filter(pk=job.pk).update(status=PortabilityJob.Status.RUNNING)
    claimed_at = timezone.now()
    job.rows.update(claim="00000000-0000-0000-0000-000000000001", claimed_at=claimed_at)

    # A copy of its message now finds nothing to take, and looks again when the claim is stale
    # (one delayed message, not a message a moment that finds nothing either).
    later: list[dict] = []
    monkeypatch.setattr(
        "porting.tasks.check_portability.apply_async",
        lambda **options: later.append(options),
    )
    tasks.check_portability(job_id=job.pk, size=3)
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.RUNNING and not _asked() and not queued
    wait = selectors.portability_next_chunk_in(job=job)
    assert wait is not None and 0 < wait <= CLAIM_LIFETIME.total_seconds() + 1
    assert len(later) == 1 and later[0]["kwargs"] == {"job_id": job.pk, "size": 3}
    assert 0 < later[0]["countdown"] <= CLAIM_LIFETIME.total_seconds() + 1

    job.rows.update(claimed_at=claimed_at - CLAIM_LIFETIME - datetime.timedelta(seconds=1))
    assert selectors.portability_next_chunk_in(job=job) == 0
    job = services.portability_job_run(job_id=job.pk)
    assert job.status == PortabilityJob.Status.FINISHED and _asked() == Counter(PORTABLE[:3])
    assert selectors.portability_next_chunk_in(job=job) is None


def test_a_check_cancelled_between_chunks_keeps_what_was_checked_and_asks_no_more(
    sandbox, operator, operator_client, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_NUMBERS", 3)
    tns = [*PORTABLE[:2], NOT_PORTABLE[0], *PORTABLE[2:7]]
    job = _create(operator, tns, django_capture_on_commit_callbacks)
    tasks.check_portability(**queued.pop(0))  # three numbers checked, the next chunk queued
    assert len(queued) == 1

    page = operator_client.get(reverse("porting:check_job", args=[job.pk])).content.decode()
    assert "Cancel this check" in page and "Stop checking?" in page
    response = operator_client.post(reverse("porting:check_cancel", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("porting:check_job", args=[job.pk])

    assert _work_off(queued) == 1  # the queued chunk sees the cancel: no call, nothing queued
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.CANCELLED and job.cancelled_by == operator
    assert job.progress_done == 3 and job.is_finished
    assert list(job.rows.order_by("position").values_list("verdict", flat=True)) == [
        Verdict.PORTABLE,
        Verdict.PORTABLE,
        Verdict.NOT_PORTABLE,
        *[Verdict.CANCELLED] * 5,
    ]
    assert ProviderCall.objects.filter(operation="isPortable").count() == 3

    page = operator_client.get(reverse("porting:check_job", args=[job.pk])).content.decode()
    assert 'data-status="cancelled"' in page and "Cancelled by otto.operator" in page
    assert "5 not checked (cancelled)" in page and "Cancel this check" not in page
    download = operator_client.get(reverse("porting:check_results", args=[job.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [row["result"] for row in rows] == [
        "Portable",
        "Portable",
        "Not portable",
        *["Not checked (cancelled)"] * 5,
    ]
    # A cancelled check stays cancelled; cancelling again changes nothing.
    assert operator_client.post(reverse("porting:check_cancel", args=[job.pk])).status_code == 302
    services.portability_job_run(job_id=job.pk)
    assert ProviderCall.objects.filter(operation="isPortable").count() == 3


def test_a_cancel_in_the_middle_of_a_chunk_stops_before_the_next_number(
    sandbox, operator, queued, monkeypatch, django_capture_on_commit_callbacks
):
    tns = PORTABLE[:10]
    job = _create(operator, tns, django_capture_on_commit_callbacks)
    original = services.gateway.is_portable
    answered = []

    def is_portable(*, tn):
        answer = original(tn=tn)
        answered.append(tn)
        if len(answered) == 4:  # the person presses Cancel while VI answers the fourth
            services.portability_job_cancel(job=job, actor=operator, source=Source.STAFF)
        return answer

    monkeypatch.setattr(services.gateway, "is_portable", is_portable)
    _work_off(queued)
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.CANCELLED and job.progress_done == 4
    verdicts = list(job.rows.order_by("position").values_list("verdict", flat=True))
    # The fourth was asked, so its answer is kept; the rest were never asked.
    assert verdicts == [Verdict.PORTABLE] * 4 + [Verdict.CANCELLED] * 6
    assert _asked() == Counter(tns[:4])
    assert not job.rows.filter(claim__isnull=False).exists()


def test_a_viewer_may_not_cancel_a_check(
    sandbox, operator, viewer_client, queued, django_capture_on_commit_callbacks
):
    job = _create(operator, PORTABLE[:30], django_capture_on_commit_callbacks)
    page = viewer_client.get(reverse("porting:check_job", args=[job.pk])).content.decode()
    assert "Cancel this check" not in page
    assert viewer_client.post(reverse("porting:check_cancel", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.QUEUED and job.cancelled_by is None
    assert not job.rows.filter(verdict=Verdict.CANCELLED).exists()


def test_cancel_answers_404_for_an_unknown_check_and_leaves_a_finished_one_alone(
    sandbox, operator, operator_client, queued, django_capture_on_commit_callbacks
):
    assert operator_client.post(reverse("porting:check_cancel", args=[999999])).status_code == 404
    job = _create(operator, PORTABLE[:2], django_capture_on_commit_callbacks)
    _work_off(queued)
    operator_client.post(reverse("porting:check_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == PortabilityJob.Status.FINISHED and job.cancelled_by is None
