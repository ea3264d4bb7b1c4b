"""One small writer per event type: the only way events are built.

Each returns an unsaved `Event`; `publish.publish` saves one, `publish.publish_many` many.
Services that have no history row to derive from (a sync held or failed, a record set aside)
call `publish.publish(writers.sync_held(...))` directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from portal.actor import Actor
from portal.events.models import Event
from portal.events.types import SUBJECT_OF, EventSource, EventType
from portal.history import jsonable
from portal.models import SyncRun


def _writer(event_type: EventType):
    def write(
        *,
        key: str,
        source: str,
        actor: Actor,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        at: datetime.datetime | None = None,
        sync_run: SyncRun | None = None,
        change_record_id: int | None = None,
    ) -> Event:
        # Who and from where are required, as for services: a sync or VI passes actor=None
        # on purpose, and a forgotten one is a type error, not an event by no one.
        return Event(
            type=event_type,
            occurred_at=at or timezone.now(),
            source=source,
            actor=actor if getattr(actor, "pk", None) else None,
            subject_kind=SUBJECT_OF[event_type],
            subject_key=jsonable(str(key))[:64],  # a NUL from VI becomes U+FFFD, as in history
            before=jsonable(dict(before or {})),
            after=jsonable(dict(after or {})),
            sync_run=sync_run,
            change_record_id=change_record_id,
            drift=source == EventSource.VI,
        )

    write.__name__ = event_type.name.lower()
    write.__doc__ = f"An unsaved “{event_type.label}” event."
    return write


number_bought = _writer(EventType.NUMBER_BOUGHT)
number_released = _writer(EventType.NUMBER_RELEASED)
number_returned = _writer(EventType.NUMBER_RETURNED)
number_moved = _writer(EventType.NUMBER_MOVED)
number_features_changed = _writer(EventType.NUMBER_FEATURES_CHANGED)
e911_provisioned = _writer(EventType.E911_PROVISIONED)
e911_removed = _writer(EventType.E911_REMOVED)
e911_invalid = _writer(EventType.E911_INVALID)
sms_destination_changed = _writer(EventType.SMS_DESTINATION_CHANGED)
sms_campaign_changed = _writer(EventType.SMS_CAMPAIGN_CHANGED)
campaign_changed = _writer(EventType.CAMPAIGN_CHANGED)
campaign_approved = _writer(EventType.CAMPAIGN_APPROVED)
campaign_rejected = _writer(EventType.CAMPAIGN_REJECTED)
brand_changed = _writer(EventType.BRAND_CHANGED)
brand_vetted = _writer(EventType.BRAND_VETTED)
port_changed = _writer(EventType.PORT_CHANGED)
port_foc_set = _writer(EventType.PORT_FOC_SET)
port_foc_changed = _writer(EventType.PORT_FOC_CHANGED)
port_completed = _writer(EventType.PORT_COMPLETED)
port_cancelled = _writer(EventType.PORT_CANCELLED)
port_rejected = _writer(EventType.PORT_REJECTED)
client_changed = _writer(EventType.CLIENT_CHANGED)
sync_held = _writer(EventType.SYNC_HELD)
sync_failed = _writer(EventType.SYNC_FAILED)
sync_set_aside = _writer(EventType.SYNC_SET_ASIDE)

WRITERS = {
    event_type: globals()[event_type.name.lower()]
    for event_type in EventType
    if event_type.name.lower() in globals()
}
