"""A real Celery worker (in a thread, Redis broker) applies a bulk 911 job queued from the page.

Eager mode would prove nothing about serialisation, commit timing or the worker's own
database connection. Each run uses a queue of its own so parallel test runs never meet.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from e911.models import BulkJob, Location

pytestmark = pytest.mark.django_db(transaction=True)


def wait_while(job: BulkJob, *statuses: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status not in statuses:
            return
        time.sleep(0.1)


def test_a_bulk_job_applied_from_the_page_runs_on_the_worker(
    celery_worker, operator_client, number_without_911
):
    content = f"tn,address1,city,state,zip,caller_name\n{number_without_911},350 S 200 E,Salt Lake City,UT,84111,Front Desk\n"
    operator_client.post(
        "/e911/bulk/upload/",
        {"file": SimpleUploadedFile("a.csv", content.encode(), content_type="text/csv")},
    )
    job = BulkJob.objects.get()
    # The upload only stored the file: the worker checks it.
    wait_while(job, BulkJob.Status.CHECKING)
    assert job.status == BulkJob.Status.CHECKED and job.rows.get().verdict == "ready"

    assert operator_client.post(f"/e911/bulk/{job.pk}/apply/").status_code == 302

    wait_while(job, BulkJob.Status.QUEUED, BulkJob.Status.RUNNING)
    assert job.status == BulkJob.Status.FINISHED, job.error
    assert job.progress_done == 1
    assert job.rows.get().result == "provisioned"
    assert Location.objects.get(tn=number_without_911).status_code == "PROVISIONED"
