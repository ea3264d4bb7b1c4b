"""Webhook deliveries on a real Celery worker: a committed change reaches the receiver through
the dispatch task and the delivery task (bulk queue); a 500 is retried with backoff."""

import time

import pytest
from django.db import transaction

from portal import queues
from portal.events import webhooks, writers
from portal.events.models import WebhookDelivery
from portal.events.publish import publish
from portal.models import Source
from tests.events.test_webhooks import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_committed_change_is_delivered_by_the_worker_after_a_retry(
    settings, celery_worker, administrator
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_BACKOFF_SCALE = 0.01  # 30 s -> 0.3 s: the same code path, quicker
    receiver = Receiver()
    try:
        endpoint, receiver.secret = webhooks.endpoint_create(
            name="billing",
            url=receiver.url,
            event_types=[],
            actor=administrator,
            source=Source.STAFF,
        )
        receiver.fail_next = 1
        from django.core.cache import cache

        cache.delete(
            "portal.events:dispatch-queued"
        )  # an earlier test's dispatch went to no worker
        with transaction.atomic():
            event = publish(
                writers.number_released(key="4352150009", actor=administrator, source="staff")
            )

        assert wait_for(
            lambda: WebhookDelivery.objects.filter(endpoint=endpoint, status="delivered").exists()
        )
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert (delivery.event_id, delivery.attempts, delivery.response_code) == (event.pk, 2, 200)
        assert [(body["id"], verified) for body, verified in receiver.requests] == [
            (event.pk, True)
        ] * 2
        assert receiver.effects == {event.pk: "number.released"}
    finally:
        receiver.close()


def test_deliveries_go_to_the_bulk_queue_and_dispatches_to_their_own():
    assert (
        queues.route_task("portal.events.tasks.deliver_webhook", (), {}, {})["queue"] == queues.BULK
    )
    assert (
        queues.route_task("portal.events.tasks.dispatch_events", (), {}, {})["queue"]
        == queues.EVENTS
    )


def test_a_thousand_changes_in_a_burst_queue_one_dispatch(monkeypatch):
    from django.core.cache import cache

    from portal.events import publish as outbox
    from portal.events import tasks

    queued = []
    monkeypatch.setattr(
        tasks.dispatch_events, "apply_async", lambda **options: queued.append(options)
    )
    cache.delete("portal.events:dispatch-queued")
    for _ in range(1000):
        outbox._enqueue_dispatch()
    assert queued == [{"countdown": outbox.COALESCE_SECONDS}]
