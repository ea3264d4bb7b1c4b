"""Notifications: a person subscribed to an event type gets it in-app (the bell counts it) and,
if chosen, by e-mail — once per event however often the outbox is dispatched."""

import pytest
from django.urls import reverse

from portal.events import dispatch, notifications, writers
from portal.events.models import Follow, Notification
from portal.events.notifications import email_pending
from portal.events.publish import publish
from portal.models import Source

pytestmark = pytest.mark.django_db


def test_a_subscriber_gets_each_event_once_in_the_bell_and_by_email(
    client, operator, administrator, mailoutbox
):
    operator.email = "op@example.com"
    operator.save()
    notifications.subscriptions_set(
        actor=operator,
        source=Source.STAFF,
        types=["port.foc_set", "number.released"],
        followed_only=False,
        by_email=True,
    )
    publish(writers.port_foc_set(key="77", source="vi", after={"foc_at": "2040-01-15"}, actor=None))
    publish(
        writers.number_bought(key="4352150001", actor=administrator, source="staff")
    )  # not subscribed
    publish(
        writers.number_released(key="4352150002", actor=operator, source="staff")
    )  # their own click: not news to them

    for _ in range(3):  # however many dispatches (syncs, beat ticks) run
        dispatch.dispatch_pending()
        email_pending()

    assert list(
        Notification.objects.filter(user=operator).values_list("event__type", flat=True)
    ) == ["port.foc_set"]
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["op@example.com"], "Port FOC date set: 77")
    ]
    client.force_login(operator)
    assert (
        reverse("events:bell") in client.get(reverse("dashboard")).content.decode()
    )  # the layout loads it
    assert 'data-testid="bell-count"' in client.get(reverse("events:bell")).content.decode()
    assert ">1<" in client.get(reverse("events:bell")).content.decode()
    client.post(reverse("events:notifications_read"))
    assert 'data-testid="bell-count"' not in client.get(reverse("events:bell")).content.decode()


def test_followed_only_subscriptions_hear_only_about_what_they_follow(operator):
    notifications.subscriptions_set(
        actor=operator,
        source=Source.STAFF,
        types=["port.completed"],
        followed_only=True,
        by_email=False,
    )
    Follow.objects.create(user=operator, subject_kind="port", subject_key="78")
    publish(writers.port_completed(key="78", source="vi", actor=None))
    publish(writers.port_completed(key="79", source="vi", actor=None))
    dispatch.dispatch_pending()
    assert list(
        Notification.objects.filter(user=operator).values_list("event__subject_key", flat=True)
    ) == ["78"]


def test_a_deactivated_user_gets_nothing(operator):
    notifications.subscriptions_set(
        actor=operator,
        source=Source.STAFF,
        types=["port.completed"],
        followed_only=False,
        by_email=True,
    )
    operator.is_active = False
    operator.save()
    publish(writers.port_completed(key="80", source="vi", actor=None))
    dispatch.dispatch_pending()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("hostile", ["\x00", "<script>", "x" * 5000, "number.bought'--"])
def test_subscriptions_ignore_unknown_or_hostile_types(client, operator, hostile):
    client.force_login(operator)
    answer = client.post(
        reverse("events:subscriptions"), {"type": [hostile, "port.completed"], "scope": hostile}
    )
    assert answer.status_code in (302, 400)
    if answer.status_code == 302:
        assert list(notifications.subscriptions_of(user=operator)) == ["port.completed"]


def test_following_a_number_from_its_page_brings_its_events(client, operator, sandbox):
    from tests.dids.conftest import run_dids_sync

    assert run_dids_sync().status == "succeeded"
    from dids.models import DID

    tn = DID.objects.first().tn
    client.force_login(operator)
    assert "Follow this number" in client.get(reverse("dids:detail", args=[tn])).content.decode()
    client.post(reverse("events:follow"), {"kind": "number", "key": tn, "follow": "1"})
    assert (
        "Stop following this number"
        in client.get(reverse("dids:detail", args=[tn])).content.decode()
    )
    notifications.subscriptions_set(
        actor=operator,
        source=Source.STAFF,
        types=["number.features_changed"],
        followed_only=True,
        by_email=False,
    )
    publish(writers.number_features_changed(key=tn, source="vi", actor=None))
    publish(writers.number_features_changed(key="4352150099", source="vi", actor=None))
    dispatch.dispatch_pending()
    assert list(
        Notification.objects.filter(user=operator).values_list("event__subject_key", flat=True)
    ) == [tn]


def test_a_port_followed_on_the_porting_pages_counts_as_followed(operator):
    from porting.models import Port, PortFollow

    port = Port.objects.create(vi_id=4242, status="SUBMITTED")
    PortFollow.objects.create(port=port, user=operator)
    notifications.subscriptions_set(
        actor=operator,
        source=Source.STAFF,
        types=["port.foc_set"],
        followed_only=True,
        by_email=False,
    )
    publish(writers.port_foc_set(key="4242", source="vi", actor=None))
    dispatch.dispatch_pending()
    assert Notification.objects.filter(user=operator).count() == 1
