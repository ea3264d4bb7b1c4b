"""Who gets a port's e-mails: the people who follow it and can still sign in, no one else.

An administrator deactivates an account (someone left the company): that person keeps
following their ports in the database, but the portal stops e-mailing them — their mailbox
may now belong to someone else. Reactivated, they are e-mailed again.

Kills the mutant "port e-mails go to followers whose accounts are deactivated" (docs/mutants.md).
"""

import pytest
from django.core import mail

from portal.models import Source
from porting import services
from porting.models import Port, PortEvent
from tests.porting.conftest import run_sync, sandbox_port

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def mails_about(port: Port) -> list:
    return [message for message in mail.outbox if f"Port {port.vi_id}" in message.subject]


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def deactivate(user) -> None:
    """What an administrator does in the admin's user list ("Active" unticked)."""
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_a_deactivated_follower_gets_no_port_email_and_active_ones_still_do(
    ports_synced, operator, viewer, administrator, django_user_model
):
    sandbox = ports_synced
    slipping = Port.objects.get(
        vi_id=sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")["id"]
    )
    no_address = django_user_model.objects.create_user(username="no-address", email="")
    for user in (operator, viewer, no_address):
        services.port_follow(port=slipping, actor=user, source=Source.STAFF)
    deactivate(viewer)
    # The administrator is active but follows nothing: no mail either.

    sandbox.control.advance(1.05 * DAY)  # the port's FOC date moves
    run_sync()

    assert recipients(mails_about(slipping)) == [operator.email]
    assert recipients(mail.outbox) == [operator.email]
    event = PortEvent.objects.get(port=slipping, kind=PortEvent.Kind.FOC_CHANGED)
    assert event.notified_count == 1


def test_a_port_followed_only_by_deactivated_people_sends_nothing_and_is_not_retried(
    ports_synced, operator
):
    sandbox = ports_synced
    completing = Port.objects.get(
        vi_id=sandbox_port(sandbox, status="FOC RECEIVED", fate="complete")["id"]
    )
    services.port_follow(port=completing, actor=operator, source=Source.STAFF)
    deactivate(operator)

    sandbox.control.advance(2.05 * DAY)  # the port completes
    run_sync()
    run_sync()

    assert mails_about(completing) == []
    completed = PortEvent.objects.get(port=completing, kind=PortEvent.Kind.COMPLETED)
    assert completed.notified_at is not None and completed.notified_count == 0


def test_a_reactivated_follower_is_emailed_again(ports_synced, viewer):
    sandbox = ports_synced
    slipping = Port.objects.get(
        vi_id=sandbox_port(sandbox, status="FOC RECEIVED", fate="foc_change")["id"]
    )
    services.port_follow(port=slipping, actor=viewer, source=Source.STAFF)
    deactivate(viewer)
    viewer.is_active = True
    viewer.save(update_fields=["is_active"])

    sandbox.control.advance(1.05 * DAY)
    run_sync()

    assert recipients(mails_about(slipping)) == [viewer.email]
