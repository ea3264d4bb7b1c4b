"""Thin tasks over the outbox's consumers (routed by portal/queues.py)."""

from celery import shared_task


@shared_task(name="portal.events.tasks.dispatch_events")
def dispatch_events() -> int:
    from portal.events import dispatch
    from portal.events.notifications import email_pending

    dispatched = dispatch.dispatch_pending()
    email_pending()
    return dispatched


@shared_task(name="portal.events.tasks.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self, *, delivery_id: int) -> str:
    from portal.events import webhooks

    return webhooks.delivery_attempt(delivery_id=delivery_id, task=self)
