"""A real Celery worker (in a thread, Redis broker) applies a bulk 911 job queued from the page.

Eager mode would prove nothing about serialisation, commit timing or the worker's own
database connection. Each run uses a queue of its own so parallel test runs never meet.
"""

import os
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile

from e911.models import BulkJob, Location
from portal.celery import app

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER_URL.startswith("redis://"):
    BROKER_URL = "redis://127.0.0.1:6379/15"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def celery_worker():
    queue = f"e911-test-{uuid.uuid4().hex[:12]}"
    saved = {key: app.conf[key] for key in ("broker_url", "task_default_queue", "broker_transport_options")}
    app.conf.update(broker_url=BROKER_URL, task_default_queue=queue, broker_transport_options={"visibility_timeout": 3600})
    app.amqp.__dict__.pop("queues", None)
    app._pool = None
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
                          queues=[queue], shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        app._pool = None
        redis.Redis.from_url(BROKER_URL).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_a_bulk_job_applied_from_the_page_runs_on_the_worker(celery_worker, operator_client, number_without_911):
    content = f"tn,address1,city,state,zip,caller_name\n{number_without_911},350 S 200 E,Salt Lake City,UT,84111,Front Desk\n"
    operator_client.post("/e911/bulk/upload/", {"file": SimpleUploadedFile("a.csv", content.encode(), content_type="text/csv")})
    job = BulkJob.objects.get()

    assert operator_client.post(f"/e911/bulk/{job.pk}/apply/").status_code == 302

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.1)
    assert job.status == BulkJob.Status.FINISHED, job.error
    assert job.progress_done == 1
    assert job.rows.get().result == "provisioned"
    assert Location.objects.get(tn=number_without_911).status_code == "PROVISIONED"
