"""Which typed events one history row stands for.

History is written for every change by every path (services, admin, both sync paths), so
deriving events from it covers them all with one rule per kind of record. Records no one
subscribes to (inventory, reservations, endpoint-group usage) make no event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.events import writers
from portal.events.models import Event
from portal.events.types import EventSource

# Mirror bookkeeping: never a change anyone needs to hear about.
_IGNORED = frozenset(
    {
        "content_hash",
        "locally_changed_at",
        "synced_at",
        "updated_at",
        "created_at",
        "id",
        "first_seen_at",
        "gone_at",
        "last_changed_by",
        "last_changed_by_id",
        "alerts_fetched_at",
        "history_fetched_at",
        "last_seen_active_at",
        "finished_seen_at",
        "month_to_date_usage",
    }
)
# Per kind of record, values VI derives from others (a number's status sentence names its
# endpoint group) or counts that move with usage: not a change anyone made.
_DERIVED = {
    "dids.did": frozenset({"status", "status_code", "availability"}),
    "dids.client": frozenset(
        {"failover_count", "forward_count", "conference_line_count", "fax_to_email_count"}
    ),
}
_SMS_DESTINATION = frozenset({"enabled", "destination_type", "destination", "forward", "dlr"})
# history Source -> event source: a change a sync found was made at VI, not through the portal.
SOURCE_OF = {
    "staff": EventSource.STAFF,
    "admin": EventSource.ADMIN,
    "sync": EventSource.VI,
    "system": EventSource.SYSTEM,
}


def events_for(
    *, model: str, key: str, action: str, changes: Mapping[str, Any], **common
) -> list[Event]:
    """Unsaved events for one history row; `common` is passed to every writer."""
    derived = _DERIVED.get(model, frozenset())
    fields = {
        name: value
        for name, value in (changes or {}).items()
        if name not in _IGNORED and name not in derived
    }
    before = {name: _pair(value)[0] for name, value in fields.items()}
    after = {name: _pair(value)[1] for name, value in fields.items()}

    def make(writer, names=None):
        if names is None:
            return writer(key=key, before=before, after=after, **common)
        return writer(
            key=key,
            before={n: before[n] for n in names if n in before},
            after={n: after[n] for n in names if n in after},
            **common,
        )

    rule = _RULES.get(model)
    if rule is None or action == "event":
        return []
    return rule(action, fields, after, make)


def _pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _did(action, fields, after, make):
    if action == "created":
        return [make(writers.number_bought)]
    if action == "gone":
        return [make(writers.number_released)]
    if action == "returned":
        return [make(writers.number_returned)]
    events = []
    if "endpoint_id" in fields:
        events.append(make(writers.number_moved, ["endpoint_id"]))
    features = [name for name in fields if name != "endpoint_id"]
    if features:
        events.append(make(writers.number_features_changed, features))
    return events


def _location(action, fields, after, make):
    if action == "gone":
        return [make(writers.e911_removed)]
    if not fields:
        return []
    status = str(after.get("status_code") or "").upper() if "status_code" in fields else ""
    if status == "INVALID":
        return [make(writers.e911_invalid)]
    return [make(writers.e911_provisioned)]


def _sms_number(action, fields, after, make):
    events = []
    destination = [name for name in fields if name in _SMS_DESTINATION]
    if destination:
        events.append(make(writers.sms_destination_changed, destination))
    if "campaign_id" in fields:
        events.append(make(writers.sms_campaign_changed, ["campaign_id"]))
    return events


def _campaign(action, fields, after, make):
    status = str(after.get("status") or "").upper() if "status" in fields else ""
    if status == "ACTIVE":
        return [make(writers.campaign_approved)]
    if status == "REJECTED":
        return [make(writers.campaign_rejected)]
    return [make(writers.campaign_changed)] if fields or action != "updated" else []


def _brand(action, fields, after, make):
    vetted = str(after.get("verification_status") or after.get("status") or "").upper()
    if ("verification_status" in fields or "status" in fields) and vetted in {
        "VERIFIED",
        "VETTED",
        "VETTED_VERIFIED",
    }:
        return [make(writers.brand_vetted)]
    return [make(writers.brand_changed)] if fields or action != "updated" else []


def _port(action, fields, after, make):
    events = []
    if "foc_at" in fields:
        before_foc = make(writers.port_changed).before.get("foc_at")
        if before_foc or after.get("foc_at"):  # as porting's own events: a FOC removed is "changed"
            events.append(
                make(writers.port_foc_changed if before_foc else writers.port_foc_set, ["foc_at"])
            )
    status = str(after.get("status") or "").upper() if "status" in fields else ""
    finished = {
        "COMPLETED": writers.port_completed,
        "CANCELLED": writers.port_cancelled,
        "REJECTED": writers.port_rejected,
    }
    if status in finished:
        events.append(make(finished[status], ["status"]))
    if not events and (fields or action != "updated"):
        events.append(make(writers.port_changed))
    return events


def _client(action, fields, after, make):
    return [make(writers.client_changed)] if fields or action != "updated" else []


_RULES = {
    "dids.did": _did,
    "e911.location": _location,
    "messaging.smsnumber": _sms_number,
    "messaging.campaign": _campaign,
    "messaging.brand": _brand,
    "porting.port": _port,
    "dids.client": _client,
}
