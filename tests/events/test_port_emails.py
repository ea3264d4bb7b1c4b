"""Port e-mails are a consumer of the outbox: each port event there is mailed to the port's
followers once, whichever process or sync asks, and a failed send is tried again."""

import pytest
from django.core import mail
from django.db import transaction

from portal.events import writers
from portal.events.models import Consumed, Event
from portal.events.publish import publish
from portal.models import Source
from porting import services
from porting.models import Port, PortEvent
from tests.porting.conftest import ports_synced, run_sync, sandbox_port  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def test_a_sync_found_foc_change_is_one_outbox_event_mailed_once(ports_synced, operator):
    sandbox = ports_synced
    slipping = Port.objects.get(
        vi_id=sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")["id"]
    )
    services.port_follow(port=slipping, actor=operator, source=Source.STAFF)

    sandbox.control.advance(1.05 * DAY)
    run_sync()
    run_sync()

    [event] = Event.objects.filter(
        subject_kind="port", subject_key=str(slipping.vi_id), type="port.foc_changed"
    )
    assert event.source == "vi" and event.drift
    assert Consumed.objects.filter(consumer=services.PORT_EMAILS, event=event).count() == 1
    assert [m.to for m in mail.outbox if f"Port {slipping.vi_id}" in m.subject] == [
        [operator.email]
    ]
    assert PortEvent.objects.get(port=slipping, kind=PortEvent.Kind.FOC_CHANGED).notified_count == 1


def test_an_outbox_port_event_alone_is_mailed_and_only_once(ports_synced, operator):
    port = Port.objects.first()
    assert port is not None
    services.port_follow(port=port, actor=operator, source=Source.STAFF)
    publish(
        writers.port_cancelled(
            key=str(port.vi_id),
            source="vi",
            actor=None,
            before={"status": "SUBMITTED"},
            after={"status": "CANCELLED"},
        )
    )

    assert services.events_notify(actor=None, source=Source.SYNC) == 1
    assert services.events_notify(actor=None, source=Source.SYNC) == 0
    assert len(mail.outbox) == 1 and "Cancelled" in mail.outbox[0].subject


def test_a_failed_send_is_not_marked_and_is_tried_again(ports_synced, operator, monkeypatch):
    port = Port.objects.first()
    assert port is not None
    services.port_follow(port=port, actor=operator, source=Source.STAFF)
    publish(
        writers.port_completed(
            key=str(port.vi_id), source="vi", actor=None, after={"status": "COMPLETED"}
        )
    )

    def broken(*args, **kwargs):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with pytest.raises(ConnectionError), transaction.atomic():
        services.events_notify(actor=None, source=Source.SYNC)
    assert not Consumed.objects.exists()
    monkeypatch.undo()
    assert services.events_notify(actor=None, source=Source.SYNC) == 1
