"""Portability checks against the sandbox: one number inline, a pasted list as a job with
per-number results and a CSV, bad input reported, VI's refusals and outages."""

import csv
import io

import pytest
from django.urls import reverse

from portal.models import ProviderCall, Source
from porting import services
from porting.models import PortabilityJob, PortabilityRow
from porting.pasted import parse_pasted

Verdict = PortabilityRow.Verdict

# By the sandbox's rule (portal/sandbox/domains/porting.py): an NXX ending in 9 has no
# porting agreement, NXX 555 is never portable, other unknown numbers are.
PORTABLE = "3032340100"
NOT_PORTABLE = "3032390100"  # NXX 239 ends in 9
ALSO_PORTABLE = "2122340199"


def test_pasted_numbers_in_any_common_format_collapse_repeats_and_report_bad_entries():
    pasted = parse_pasted(
        "(303) 234-0100, +1 303 239 0100\n212.234.0199; 303-234-0100\n12345\tnot a number"
    )
    assert pasted.tns == [PORTABLE, NOT_PORTABLE, ALSO_PORTABLE]
    assert pasted.duplicates == 1
    assert [entry for entry, _ in pasted.invalid] == ["12345", "not a number"]
    # Space-separated numbers on one line are several numbers, not one.
    assert parse_pasted("3032340100 2122340199").tns == [PORTABLE, ALSO_PORTABLE]


@pytest.mark.django_db
def test_one_number_is_asked_of_vi_inline(sandbox, operator):
    assert (
        services.portability_check(tn=PORTABLE, actor=operator, source=Source.STAFF).portable
        is True
    )
    answer = services.portability_check(tn=NOT_PORTABLE, actor=operator, source=Source.STAFF)
    assert answer.portable is False and answer.code == "100"
    call = ProviderCall.objects.filter(operation="isPortable").first()
    assert call.actor == operator and call.parameters.get("tn") == NOT_PORTABLE


@pytest.mark.django_db
def test_a_number_vi_calls_invalid_is_an_answer_not_a_failure(sandbox):
    # Only the portal's parser stands between a person and VI; VI's 944 is reported per number.
    answer = services.portability_check(tn="0000000000", actor=None, source=Source.STAFF)
    assert answer.portable is None and answer.code == "944"


@pytest.mark.django_db
def test_a_pasted_list_becomes_a_job_with_one_result_per_number_and_a_csv(
    sandbox, operator, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "porting.tasks.check_portability.delay", lambda **kwargs: queued.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.portability_job_create(
            text=f"{PORTABLE}\n{NOT_PORTABLE}\n{ALSO_PORTABLE}\n{PORTABLE}\nabc",
            actor=operator,
            source=Source.STAFF,
        )
    assert queued == [
        {"job_id": job.pk, "size": 3}
    ]  # queued once the rows are committed; size routes it
    assert job.progress_total == 3 and job.duplicates == 1
    assert job.rows.get(entry="abc").verdict == Verdict.INVALID

    job = services.portability_job_run(job_id=job.pk)
    assert job.status == PortabilityJob.Status.FINISHED and job.progress_done == 3
    verdicts = dict(job.rows.exclude(tn="").values_list("tn", "verdict"))
    assert verdicts == {
        PORTABLE: Verdict.PORTABLE,
        NOT_PORTABLE: Verdict.NOT_PORTABLE,
        ALSO_PORTABLE: Verdict.PORTABLE,
    }
    assert (
        ProviderCall.objects.filter(operation="isPortable").count() == 3
    )  # the repeat was not asked twice

    # Running it again (a redelivered message) asks VI nothing more.
    services.portability_job_run(job_id=job.pk)
    assert ProviderCall.objects.filter(operation="isPortable").count() == 3


@pytest.mark.django_db
def test_the_results_download_as_csv(sandbox, operator_client, operator, monkeypatch):
    monkeypatch.setattr("porting.tasks.check_portability.delay", lambda **kwargs: None)
    job = services.portability_job_create(
        text=f"{PORTABLE}, {NOT_PORTABLE}, 99", actor=operator, source=Source.STAFF
    )
    services.portability_job_run(job_id=job.pk)
    response = operator_client.get(reverse("porting:check_results", args=[job.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["number"], row["result"]) for row in rows] == [
        (PORTABLE, "Portable"),
        (NOT_PORTABLE, "Not portable"),
        ("", "Invalid number"),
    ]


@pytest.mark.django_db
def test_nothing_valid_or_too_many_numbers_is_refused_before_any_call(sandbox, operator):
    with pytest.raises(services.NothingToCheck):
        services.portability_job_create(text="hello, 123", actor=operator, source=Source.STAFF)
    too_many = "\n".join(
        f"303234{index:04d}" for index in range(services.MAX_NUMBERS_PER_CHECK + 1)
    )
    with pytest.raises(services.TooManyNumbers):
        services.portability_job_create(text=too_many, actor=operator, source=Source.STAFF)
    assert not PortabilityJob.objects.exists()
    assert not ProviderCall.objects.exists()


@pytest.mark.django_db
def test_vi_unreachable_stops_the_job_and_leaves_the_rest_unchecked(sandbox, operator, monkeypatch):
    monkeypatch.setattr("porting.tasks.check_portability.delay", lambda **kwargs: None)
    job = services.portability_job_create(
        text=f"{PORTABLE}\n{NOT_PORTABLE}", actor=operator, source=Source.STAFF
    )
    sandbox.control.fault("http500", operation="isPortable", times=5)
    job = services.portability_job_run(job_id=job.pk)
    assert job.status == PortabilityJob.Status.FAILED and "could not be reached" in job.error
    assert set(job.rows.values_list("verdict", flat=True)) == {Verdict.PENDING}


@pytest.mark.django_db
def test_a_refused_login_fails_the_job_with_vis_words(sandbox, operator, monkeypatch):
    monkeypatch.setattr("porting.tasks.check_portability.delay", lambda **kwargs: None)
    job = services.portability_job_create(
        text=f"{PORTABLE}\n{NOT_PORTABLE}", actor=operator, source=Source.STAFF
    )
    sandbox.control.fault("auth", operation="isPortable", times=5)
    job = services.portability_job_run(job_id=job.pk)
    assert job.status == PortabilityJob.Status.FAILED and "refused" in job.error
    assert "test-secret" not in job.error
