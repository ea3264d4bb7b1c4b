"""Bulk 911 from a CSV: every row checked and shown first, applied by the job, re-runs harmless."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from e911 import bulk
from e911.models import BulkJob, BulkRow, Location
from portal.models import ProviderCall, Source

pytestmark = pytest.mark.django_db

HEADER = "tn,address1,address2,city,state,zip,caller_name\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def _upload(client, content: bytes):
    """Upload, then check the file as the worker would (the request only stores it)."""
    response = client.post(
        "/e911/bulk/upload/",
        {"file": SimpleUploadedFile("numbers.csv", content, content_type="text/csv")},
    )
    for job in BulkJob.objects.filter(status=BulkJob.Status.CHECKING):
        while bulk.bulk_check_chunk(job_id=job.pk):
            pass
    return response


@pytest.fixture
def file_rows(number_without_911, number_with_911):
    current = Location.objects.get(tn=number_with_911)
    return [
        f"{number_without_911},350 S 200 E,,Salt Lake City,UT,84111,Front Desk",  # ready
        f"{number_without_911},99 W 100 S,,Salt Lake City,UT,84101,Front Desk",  # duplicate number
        f"{number_with_911},{current.address1},{current.address2},{current.city},{current.state},{current.zip_code},{current.caller_name}",  # unchanged
        "2025550143,350 S 200 E,,Salt Lake City,UT,84111,Not ours",  # not owned
        f"{number_with_911[:-1]}x,350 S 200 E,,Salt Lake City,UT,84111,Typo",  # bad number
        "",
    ]


def test_every_row_gets_a_verdict_before_anything_is_applied(
    operator_client, file_rows, number_without_911
):
    response = _upload(
        operator_client,
        _csv(*file_rows[:5], "8015550100,1 Nowhere Rd,,Salt Lake City,UT,84111,Bad"),
    )
    assert response.status_code == 302
    job = BulkJob.objects.get()
    verdicts = list(job.rows.order_by("line").values_list("verdict", flat=True))
    assert verdicts[:5] == ["ready", "duplicate", "unchanged", "invalid", "invalid"]
    assert job.status == BulkJob.Status.CHECKED
    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()
    page = operator_client.get(response["Location"]).content.decode()
    assert "Provision 1 valid row" in page
    assert "not on the account" in page


def test_an_address_vi_cannot_place_is_refused_at_check(operator_client, number_without_911):
    _upload(
        operator_client, _csv(f"{number_without_911},1 Nowhere Rd,,Salt Lake City,UT,84111,Bad")
    )
    row = BulkRow.objects.get()
    assert row.verdict == "invalid" and "cannot place" in row.message
    # The check went to VI in the uploader's name (through the e911 service, like every call).
    call = ProviderCall.objects.get(operation="validate911")
    assert call.actor.username == "otto.operator" and call.source == "staff"


def test_applying_provisions_ready_rows_with_one_result_each_and_a_rerun_is_harmless(
    operator_client, file_rows, number_without_911, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("e911.tasks.apply_bulk_job.delay", lambda **kwargs: queued.append(kwargs))
    content = _csv(*file_rows[:4])
    _upload(operator_client, content)
    job = BulkJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(f"/e911/bulk/{job.pk}/apply/")
    assert response.status_code == 302
    assert queued == [{"job_id": job.pk}]
    bulk.bulk_apply(job_id=job.pk)  # what the worker runs

    job.refresh_from_db()
    assert job.status == BulkJob.Status.FINISHED and job.progress_done == job.progress_total == 1
    results = list(job.rows.order_by("line").values_list("result", flat=True))
    assert results == ["provisioned", "skipped", "skipped", "failed"]
    assert Location.objects.get(tn=number_without_911).status_code == "PROVISIONED"
    progress = operator_client.get(f"/e911/bulk/{job.pk}/progress/")
    assert json.loads(progress["HX-Trigger"]) == {"bulk-finished": {}}
    csv_body = b"".join(
        operator_client.get(f"/e911/bulk/{job.pk}/results.csv").streaming_content
    ).decode()
    assert len(csv_body.strip().splitlines()) == 5 and "provisioned" in csv_body

    # The same file again: the provisioned row is now "unchanged", nothing is sent twice.
    inserts = ProviderCall.objects.filter(operation__in=["insert911", "update911"]).count()
    _upload(operator_client, content)
    again = BulkJob.objects.latest("id")
    assert again.rows.get(line=2).verdict == "unchanged"
    assert again.progress_total == 0
    assert (
        bulk.bulk_apply(job_id=again.pk).status == BulkJob.Status.CHECKED
    )  # never queued: nothing to run
    assert ProviderCall.objects.filter(operation__in=["insert911", "update911"]).count() == inserts


def test_a_redelivered_task_does_nothing_more(operator_client, number_without_911, monkeypatch):
    monkeypatch.setattr("e911.tasks.apply_bulk_job.delay", lambda **kwargs: None)
    _upload(
        operator_client,
        _csv(f"{number_without_911},350 S 200 E,,Salt Lake City,UT,84111,Front Desk"),
    )
    job = BulkJob.objects.get()
    bulk.bulk_queue(job=job, actor=None, source=Source.STAFF)
    bulk.bulk_apply(job_id=job.pk)
    calls = ProviderCall.objects.count()
    bulk.bulk_apply(job_id=job.pk)
    assert ProviderCall.objects.count() == calls


def test_a_file_without_the_columns_is_refused_whole(operator_client):
    response = _upload(operator_client, b"phone;street\n1;2\n")
    assert response.status_code == 422
    assert "missing" in response.content.decode()
    assert not BulkJob.objects.exists()


# --- in the background, in chunks, cancellable -------------------------------------------------


@pytest.fixture
def numbers_without_911(synced):
    from dids.models import DID

    with_location = Location.objects.filter(gone_at__isnull=True).values("tn")
    return list(
        DID.objects.filter(gone_at__isnull=True)
        .exclude(tn__in=with_location)
        .order_by("tn")
        .values_list("tn", flat=True)[:4]
    )


def _good_rows(tns):
    return [
        f"{tn},350 S 200 E,,Salt Lake City,UT,84111,Desk {index}" for index, tn in enumerate(tns)
    ]


def test_the_upload_only_stores_the_file_and_the_worker_checks_it_in_chunks(
    operator_client, numbers_without_911, monkeypatch
):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)
    checks = []
    monkeypatch.setattr("e911.tasks.check_bulk_job.delay", lambda **kwargs: checks.append(kwargs))
    content = _csv(
        *_good_rows(numbers_without_911),
        f"{numbers_without_911[0]},1 Main St,,Provo,UT,84601,Again",
        "12x,1 Main St,,Provo,UT,84601,Typo",
    )
    response = operator_client.post(
        "/e911/bulk/upload/",
        {"file": SimpleUploadedFile("n.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 302
    job = BulkJob.objects.get()
    # Nothing asked of VI yet; what needs no VI is already decided.
    assert job.status == BulkJob.Status.CHECKING and job.progress_total == 6
    assert list(job.rows.order_by("line").values_list("verdict", flat=True)) == ["pending"] * 4 + [
        "duplicate",
        "invalid",
    ]
    assert not ProviderCall.objects.filter(operation="validate911").exists()
    page = operator_client.get(response["Location"]).content.decode()
    assert "Checking" in page and "Cancel this job" in page and "4 still to check" in page

    assert bulk.bulk_check_chunk(job_id=job.pk) is True  # two rows, then the next chunk
    job.refresh_from_db()
    assert job.status == BulkJob.Status.CHECKING and job.progress_done == 4
    assert bulk.bulk_check_chunk(job_id=job.pk) is False
    job.refresh_from_db()
    assert (
        job.status == BulkJob.Status.CHECKED and job.progress_total == 4 and job.progress_done == 0
    )
    assert list(job.rows.order_by("line").values_list("verdict", flat=True)) == ["ready"] * 4 + [
        "duplicate",
        "invalid",
    ]
    progress = operator_client.get(f"/e911/bulk/{job.pk}/progress/")
    assert json.loads(progress["HX-Trigger"]) == {"bulk-finished": {}}


def test_a_running_apply_cancelled_stops_between_rows_and_what_was_done_stays(
    operator_client, numbers_without_911, monkeypatch
):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 1)
    monkeypatch.setattr("e911.tasks.apply_bulk_job.delay", lambda **kwargs: None)
    _upload(operator_client, _csv(*_good_rows(numbers_without_911)))
    job = BulkJob.objects.get()
    bulk.bulk_queue(job=job, actor=None, source=Source.STAFF)
    assert bulk.bulk_apply_chunk(job_id=job.pk) is True  # one row applied

    page = operator_client.get(f"/e911/bulk/{job.pk}/").content.decode()
    assert "Cancel this job" in page
    assert operator_client.post(f"/e911/bulk/{job.pk}/cancel/").status_code == 302
    assert bulk.bulk_apply_chunk(job_id=job.pk) is False  # the next chunk sees the cancel

    job.refresh_from_db()
    assert job.status == BulkJob.Status.CANCELLED and "otto.operator" in job.error
    assert list(job.rows.order_by("line").values_list("result", flat=True)) == [
        "provisioned",
        "",
        "",
        "",
    ]
    assert ProviderCall.objects.filter(operation="insert911").count() == 1
    page = operator_client.get(f"/e911/bulk/{job.pk}/").content.decode()
    assert "Cancelled" in page and "Cancel this job" not in page
    # A cancelled job is never applied again.
    assert (
        bulk.bulk_queue(job=job, actor=None, source=Source.STAFF).status == BulkJob.Status.CANCELLED
    )


def test_cancel_refuses_viewers_unknown_jobs_and_leaves_finished_jobs_alone(
    operator_client, viewer_client, number_without_911, monkeypatch
):
    monkeypatch.setattr("e911.tasks.apply_bulk_job.delay", lambda **kwargs: None)
    _upload(
        operator_client,
        _csv(f"{number_without_911},350 S 200 E,,Salt Lake City,UT,84111,Front Desk"),
    )
    job = BulkJob.objects.get()
    assert viewer_client.post(f"/e911/bulk/{job.pk}/cancel/").status_code == 403
    assert operator_client.post("/e911/bulk/999999999/cancel/").status_code == 404
    assert operator_client.post("/e911/bulk/%00/cancel/").status_code in (400, 404)
    bulk.bulk_queue(job=job, actor=None, source=Source.STAFF)
    bulk.bulk_apply(job_id=job.pk)
    operator_client.post(f"/e911/bulk/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == BulkJob.Status.FINISHED and job.error == ""


def test_a_queued_job_says_what_it_waits_for(operator_client, numbers_without_911, monkeypatch):
    monkeypatch.setattr("e911.tasks.apply_bulk_job.delay", lambda **kwargs: None)
    for tn in numbers_without_911[:2]:
        _upload(operator_client, _csv(f"{tn},350 S 200 E,,Salt Lake City,UT,84111,Desk"))
    first, second = BulkJob.objects.order_by("pk")
    bulk.bulk_queue(job=first, actor=None, source=Source.STAFF)
    bulk.bulk_queue(job=second, actor=None, source=Source.STAFF)
    assert (
        "waiting for the bulk worker to pick it up"
        in operator_client.get(f"/e911/bulk/{first.pk}/").content.decode().lower()
    )
    page = operator_client.get(f"/e911/bulk/{second.pk}/").content.decode()
    assert "1 earlier bulk job ahead" in page


@pytest.mark.parametrize(
    "cell",
    ["<script>alert(1)</script>", "x" * 100_000, "=cmd|' /C calc'!A0", "\u202e\u0000"],
    ids=["html", "huge", "formula", "nul"],
)
def test_hostile_cells_are_stored_and_checked_without_a_500(
    operator_client, number_without_911, cell
):
    content = _csv(
        f"{number_without_911},{cell},,Salt Lake City,UT,84111,{cell}",
        f"{cell},1 Main St,,Provo,UT,84601,Desk",
    )
    response = _upload(operator_client, content)
    assert response.status_code == (422 if "\u0000" in cell else 302)
    if response.status_code == 422:
        assert "NUL" in response.content.decode() and not BulkJob.objects.exists()
    else:
        job = BulkJob.objects.get()
        assert job.status == BulkJob.Status.CHECKED
        assert set(job.rows.values_list("verdict", flat=True)) <= {"invalid", "ready"}
        page = operator_client.get(response["Location"])
        assert page.status_code == 200 and "<script>alert(1)</script>" not in page.content.decode()


@pytest.mark.parametrize(
    "fault,words,code",
    [
        ("auth", "VI said: VI refused the portal", "902"),
        ("http500", "VI could not be reached", ""),
    ],
)
def test_a_row_vi_refused_or_could_not_answer_reads_as_on_every_page(
    operator_client, numbers_without_911, synced, fault, words, code
):
    tn = numbers_without_911[0]
    _upload(operator_client, _csv(f"{tn},350 S 200 E,,Salt Lake City,UT,84111,Desk"))
    job = BulkJob.objects.get()
    synced.control.fault(fault, operation="insert911", times=1)
    bulk.bulk_queue(job=job, actor=None, source=Source.STAFF)
    bulk.bulk_apply(job_id=job.pk)

    row = job.rows.get()
    assert row.result == "failed" and row.result_message.startswith(words)
    assert row.result_code == code
    page = operator_client.get(f"/e911/bulk/{job.pk}/").content.decode()
    assert words in page.replace("&#x27;", "'")
    assert (f"(code {code})" in page) is bool(code)
    assert not Location.objects.filter(tn=tn).exists()
