"""Signed webhook deliveries: register, sign, send, retry with backoff, log, disable.

A receiver checks `X-Portal-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
with the endpoint's secret (README, "Webhooks"), and dedupes by the event id in the body:
delivery is at least once.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.actor import Actor
from portal.events.models import Event, WebhookDelivery, WebhookEndpoint
from portal.events.types import EventType
from portal.models import Source

SIGNATURE_HEADER = "X-Portal-Signature"
EVENT_ID_HEADER = "X-Portal-Event-Id"
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 5
OVERALL_DEADLINE = 10  # seconds: requests' read timeout is per socket read
MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min: about an hour of trying
DISABLE_AFTER = 20  # failed deliveries in a row before the endpoint is switched off


class WebhookURLRefused(Exception):
    """The URL is not http(s), does not resolve, or points into our own network."""


# What an Administrator is shown when registering an endpoint fails (portal.staff_errors).
EXPECTED_ERRORS: tuple[type[Exception], ...] = (WebhookURLRefused,)


def url_check(url: str) -> str:
    """The URL if the portal may post to it; refuses other schemes and private/loopback hosts.

    Every address the host resolves to is checked (a name with one public and one private
    address is refused), unless settings.WEBHOOKS_ALLOW_PRIVATE.
    """
    if not isinstance(url, str) or "\x00" in url or len(url) > 500:
        raise WebhookURLRefused("Give an http:// or https:// address of at most 500 characters.")
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise WebhookURLRefused("Only http:// and https:// addresses can receive webhooks.")
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False):
        return url.strip()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise WebhookURLRefused("That host name does not resolve.") from error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise WebhookURLRefused(
                "That address is inside a private or loopback network; the portal posts only to public addresses."
            )
    return url.strip()


def endpoint_create(
    *, name: str, url: str, event_types: list[str], actor: Actor, source: Source
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (returned once: shown to the Administrator, then never again)."""
    known = set(EventType.values)
    unknown = [t for t in event_types if t not in known]
    if unknown:
        raise WebhookURLRefused("Unknown event types: " + ", ".join(map(str, unknown))[:200])
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        name=(name or url)[:100],
        url=url_check(url),
        event_types=sorted(set(event_types)),
        secret=secret,
        created_by=actor,
    )
    return endpoint, secret


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_body(event: Event) -> bytes:
    return json.dumps(
        {
            "id": event.pk,
            "type": event.type,
            "occurred_at": event.occurred_at.isoformat(),
            "source": event.source,
            "actor": getattr(event.actor, "username", None),
            "subject": {"kind": event.subject_kind, "key": event.subject_key},
            "before": event.before,
            "after": event.after,
        },
        sort_keys=True,
    ).encode()


def backoff_seconds(attempt: int) -> int:
    """30 s, then doubling each attempt from one minute (1, 2, 4 ... 32)."""
    return 30 if attempt <= 1 else 60 * 2 ** (attempt - 2)


def delivery_attempt(*, delivery_id: int, task=None) -> str:
    """Post one delivery; on failure schedule the next attempt (Celery countdown) or give up."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint", "event", "event__actor")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status in {
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    }:
        return "nothing to do"
    endpoint = delivery.endpoint
    if not endpoint.active:
        return "endpoint disabled"
    code, error, elapsed = _post(endpoint, delivery.event)
    ok = code is not None and 200 <= code < 300
    delivery.attempts += 1
    delivery.response_code, delivery.error = code, error[:300]
    delivery.duration_ms, delivery.last_attempt_at = elapsed, timezone.now()
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
    delivery.save()
    _streak(endpoint, ok=ok)
    if delivery.status == WebhookDelivery.Status.RETRYING and task is not None:
        countdown = backoff_seconds(delivery.attempts) * getattr(
            settings, "WEBHOOKS_BACKOFF_SCALE", 1
        )
        task.apply_async(kwargs={"delivery_id": delivery.pk}, countdown=countdown)
    return delivery.status


def delivery_resend(*, delivery: WebhookDelivery, actor: Actor, source: Source) -> WebhookDelivery:
    """Send again (an Administrator's click): a fresh delivery of the same event, attempts reset."""
    from portal.events.tasks import deliver_webhook

    delivery.status, delivery.attempts = WebhookDelivery.Status.PENDING, 0
    delivery.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: deliver_webhook.apply_async(kwargs={"delivery_id": delivery.pk}))
    return delivery


def endpoint_enable(*, endpoint: WebhookEndpoint, actor: Actor, source: Source) -> None:
    endpoint.active, endpoint.failure_streak, endpoint.disabled_reason = True, 0, ""
    endpoint.save(update_fields=["active", "failure_streak", "disabled_reason"])


def _post(endpoint: WebhookEndpoint, event: Event) -> tuple[int | None, str, int]:
    body = event_body(event)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret=endpoint.secret, timestamp=timestamp, body=body),
        EVENT_ID_HEADER: str(event.pk),
        "User-Agent": "VI-Back-Office-Portal-Webhooks/1",
    }
    started = time.monotonic()
    try:
        url_check(endpoint.url)  # again at send time: DNS may have changed since registration
        with requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            allow_redirects=False,
            stream=True,
        ) as response:
            for _chunk in response.iter_content(
                4096
            ):  # read (and drop) the answer, within the deadline
                if time.monotonic() - started > OVERALL_DEADLINE:
                    break
            return (
                response.status_code,
                "" if response.ok else f"HTTP {response.status_code}",
                _ms(started),
            )
    except WebhookURLRefused as error:
        return None, str(error), _ms(started)
    except requests.RequestException as error:
        return None, type(error).__name__, _ms(started)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _streak(endpoint: WebhookEndpoint, *, ok: bool) -> None:
    if ok:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_streak=0)
        return
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.failure_streak += 1
        if endpoint.active and endpoint.failure_streak >= getattr(
            settings, "WEBHOOKS_DISABLE_AFTER", DISABLE_AFTER
        ):
            endpoint.active = False
            endpoint.disabled_reason = (
                f"Switched off after {endpoint.failure_streak} failed deliveries in a row."
            )
            transaction.on_commit(lambda: _mail_administrators(endpoint))
        endpoint.save(update_fields=["failure_streak", "active", "disabled_reason"])


def _mail_administrators(endpoint: WebhookEndpoint) -> None:
    ADMINISTRATORS_GROUP = "Administrator"  # the role group (portal/migrations/0003_roles.py)

    emails = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=ADMINISTRATORS_GROUP)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if emails:
        send_mail(
            subject=f"Webhook switched off: {endpoint.name}",
            message=(
                f"The portal stopped sending events to {endpoint.url}: {endpoint.disabled_reason}\n"
                "Fix the receiver, then switch the endpoint on again on the Webhooks page."
            ),
            from_email=None,
            recipient_list=emails,
            fail_silently=True,
        )
