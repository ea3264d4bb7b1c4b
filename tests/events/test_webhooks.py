"""Webhooks: a local receiver gets each event signed, sees retries after answering 500, and
dedupes by event id; private addresses are refused unless the setting allows them."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.events import dispatch, webhooks, writers
from portal.events.models import WebhookDelivery, WebhookEndpoint
from portal.events.publish import publish
from portal.models import Source

pytestmark = pytest.mark.django_db


class Receiver:
    """A receiver as a customer would write it: verify the signature, dedupe by event id."""

    def __init__(self, secret: str = ""):
        self.secret, self.fail_next, self.requests, self.effects = secret, 0, [], {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp, signature = (
                    part.split("=", 1)[1] for part in self.headers["X-Portal-Signature"].split(",")
                )
                expected = hmac.new(
                    receiver.secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256
                ).hexdigest()
                verified = hmac.compare_digest(expected, signature)
                receiver.requests.append((json.loads(body), verified))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(500)
                else:
                    event = json.loads(body)
                    receiver.effects.setdefault(event["id"], event["type"])  # dedupe by event id
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    receiver = Receiver()
    yield receiver
    receiver.close()


def test_receiver_gets_signed_events_retries_after_500_and_dedupes(receiver, administrator):
    endpoint, secret = webhooks.endpoint_create(
        name="billing", url=receiver.url, event_types=[], actor=administrator, source=Source.STAFF
    )
    receiver.secret = secret
    first = publish(writers.number_released(key="4352150001", actor=administrator, source="staff"))
    second = publish(
        writers.port_foc_set(key="77", source="vi", after={"foc_at": "2040-01-15"}, actor=None)
    )
    dispatch.dispatch_pending()
    deliveries = {d.event_id: d for d in WebhookDelivery.objects.filter(endpoint=endpoint)}
    assert set(deliveries) == {first.pk, second.pk}

    receiver.fail_next = 1
    assert (
        webhooks.delivery_attempt(delivery_id=deliveries[first.pk].pk)
        == WebhookDelivery.Status.RETRYING
    )
    assert (
        webhooks.delivery_attempt(delivery_id=deliveries[first.pk].pk)
        == WebhookDelivery.Status.DELIVERED
    )
    assert (
        webhooks.delivery_attempt(delivery_id=deliveries[second.pk].pk)
        == WebhookDelivery.Status.DELIVERED
    )
    webhooks.delivery_resend(
        delivery=WebhookDelivery.objects.get(pk=deliveries[second.pk].pk),
        actor=administrator,
        source=Source.STAFF,
    )
    webhooks.delivery_attempt(
        delivery_id=deliveries[second.pk].pk
    )  # a re-send: the same event again

    bodies = [(body["id"], body["type"]) for body, _ in receiver.requests]
    assert bodies == [
        (first.pk, "number.released"),
        (first.pk, "number.released"),
        (second.pk, "port.foc_set"),
        (second.pk, "port.foc_set"),
    ]
    assert all(verified for _, verified in receiver.requests)
    assert receiver.effects == {
        first.pk: "number.released",
        second.pk: "port.foc_set",
    }  # no duplicate effect
    retried = WebhookDelivery.objects.get(pk=deliveries[first.pk].pk)
    assert (retried.attempts, retried.response_code) == (2, 200) and retried.duration_ms is not None

    dispatch.dispatch_pending()
    assert (
        WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2
    )  # dispatch again adds nothing


def test_a_tampered_body_fails_verification(receiver, administrator):
    endpoint, secret = webhooks.endpoint_create(
        name="crm", url=receiver.url, event_types=[], actor=administrator, source=Source.STAFF
    )
    receiver.secret = secret + "x"  # the receiver knows another secret
    publish(writers.number_bought(key="4352150002", actor=None, source="staff"))
    dispatch.dispatch_pending()
    webhooks.delivery_attempt(delivery_id=WebhookDelivery.objects.get(endpoint=endpoint).pk)
    assert [verified for _, verified in receiver.requests] == [False]


def test_an_endpoint_only_gets_its_event_types(receiver, administrator):
    endpoint, _ = webhooks.endpoint_create(
        name="ports",
        url=receiver.url,
        event_types=["port.completed"],
        actor=administrator,
        source=Source.STAFF,
    )
    publish(writers.number_bought(key="4352150003", actor=None, source="staff"))
    publish(writers.port_completed(key="78", actor=None, source="staff"))
    dispatch.dispatch_pending()
    assert list(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event__type", flat=True)
    ) == ["port.completed"]


def test_a_long_failure_streak_switches_the_endpoint_off_and_mails_administrators(
    receiver, administrator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_DISABLE_AFTER = 3
    administrator.email = "admin@example.com"
    administrator.save()
    endpoint, _ = webhooks.endpoint_create(
        name="down", url=receiver.url, event_types=[], actor=administrator, source=Source.STAFF
    )
    receiver.fail_next = 10
    for index in range(3):
        publish(writers.number_bought(key=f"435215001{index}", actor=None, source="staff"))
    dispatch.dispatch_pending()
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in WebhookDelivery.objects.filter(endpoint=endpoint):
            webhooks.delivery_attempt(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert endpoint.active is False and "3 failed deliveries" in endpoint.disabled_reason
    assert [mail.to for mail in mailoutbox] == [["admin@example.com"]]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost/",
        "http://10.0.0.5/",
        "http://192.168.1.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "ftp://example.com/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://\x00/",
        "http://" + "a" * 600 + ".com/",
        "<b>http://x</b>",
    ],
)
def test_private_or_odd_addresses_are_refused_with_the_setting_off(settings, administrator, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(webhooks.WebhookURLRefused):
        webhooks.endpoint_create(
            name="probe", url=url, event_types=[], actor=administrator, source=Source.STAFF
        )
    assert not WebhookEndpoint.objects.exists()


def test_the_page_refuses_a_private_address_in_words_and_shows_the_secret_once(
    client, administrator, settings, operator
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    client.force_login(administrator)
    refused = client.post("/events/webhooks/new/", {"name": "x", "url": "http://127.0.0.1:9/"})
    assert refused.status_code == 422 and "private or loopback" in refused.content.decode()
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    created = client.post(
        "/events/webhooks/new/", {"name": "<b>x</b>", "url": "http://127.0.0.1:9/"}
    )
    secret = WebhookEndpoint.objects.get().secret
    assert secret in created.content.decode() and "<b>x</b>" not in created.content.decode()
    assert (
        secret
        not in client.get(f"/events/webhooks/{WebhookEndpoint.objects.get().pk}/").content.decode()
    )
    client.force_login(operator)
    assert client.get("/events/webhooks/").status_code == 403
    assert client.post("/events/webhooks/new/", {"url": "http://127.0.0.1:9/"}).status_code == 403


def test_the_readme_receiver_example_verifies_our_signature_and_refuses_a_forgery():
    import pathlib
    import re
    import time

    readme = pathlib.Path(__file__).resolve().parents[2].joinpath("README.md").read_text()
    section = readme[readme.index("## Events, notifications and webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 — our own README's example
    body = b'{"id": 1}'
    header = webhooks.sign(secret="whsec_x", timestamp=int(time.time()), body=body)
    assert namespace["verified"](body, header, "whsec_x")
    assert not namespace["verified"](body + b" ", header, "whsec_x")
    assert not namespace["verified"](
        body, webhooks.sign(secret="whsec_x", timestamp=1, body=body), "whsec_x"
    )


@pytest.mark.parametrize(
    "hostile", ["\x00", "<script>alert(1)</script>", "x" * 10_000, "number.bought\x00"]
)
def test_hostile_names_and_event_types_never_500(client, administrator, settings, hostile):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client.force_login(administrator)
    answer = client.post(
        "/events/webhooks/new/", {"name": hostile, "url": "http://127.0.0.1:9/", "type": [hostile]}
    )
    assert answer.status_code in (
        400,
        422,
    )  # NUL: the house answers 400; an unknown type: the form again
    assert "<script>alert" not in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_set_aside_record_is_an_event(sandbox, settings):
    from portal.events.models import Event
    from portal.models import SetAsideRecord, SyncRun

    run = SyncRun.objects.create(kind="dids", trigger="command")
    from portal.events.publish import publish_set_aside

    records = [
        SetAsideRecord(
            sync_run=run,
            model="dids.did",
            object_key="43521500\x0001",
            step="dids",
            problems=[{"field": "endpoint_id", "raw": "abc", "reason": "not a number"}],
        )
    ]
    assert publish_set_aside(records) == 1
    event = Event.objects.get(type="sync.set_aside")
    assert event.sync_run_id == run.pk and event.after["model"] == "dids.did"
    assert event.subject_key == "43521500\ufffd01"  # VI's NUL kept visible, never a failed write
