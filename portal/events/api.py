"""Events over JSON: the pull side of webhooks.

A reader pages the outbox by id (`?after=<the last id it handled>`), oldest first, and gets the
same fields a webhook delivery carries. Ids only grow, but a transaction that took a smaller id
can commit after one that took a larger id, so a reader stays a few seconds behind the newest
(README, "Events"). Read-only: Viewers may read, as they may read the history pages.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from portal.api.base import ApiView, not_found, validated
from portal.api.fields import E164_PATTERN, to_e164
from portal.api.routing import api_path
from portal.events.models import Event
from portal.events.types import EventSource, EventType, SubjectKind

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Event.id is a bigint: a larger cursor can name no event and is refused, not sent to SQL.
MAX_EVENT_ID = 2**63 - 1
_TEN_DIGITS = re.compile(r"^[0-9]{10}$")


class EventQuery(serializers.Serializer):
    after = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=MAX_EVENT_ID,
        help_text="Only events with a larger id: the `next` of the previous page (0 or absent: from the first).",
    )  # fmt: skip
    type = serializers.ChoiceField(
        choices=EventType.choices, required=False, help_text="Only events of this type."
    )
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT
    )


class SubjectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    key = serializers.CharField(
        help_text=f"What the event is about; a number in E.164 ({E164_PATTERN})."
    )


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=EventType.choices)
    occurred_at = serializers.DateTimeField()
    # DRF's metaclass takes declared fields off the class, so this never shadows Field.source.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=EventSource.choices, help_text="vi: changed at VI, outside the portal."
    )
    actor = serializers.CharField(
        source="actor.username",
        allow_null=True,
        default=None,
        help_text="Username; null for syncs and VI.",
    )
    subject = serializers.SerializerMethodField()
    before = serializers.DictField(help_text="The fields that changed, as they were.")
    after = serializers.DictField(help_text="The fields that changed, as they are now.")

    @extend_schema_field(SubjectSerializer)
    def get_subject(self, event: Event) -> dict:
        key = event.subject_key
        if event.subject_kind == SubjectKind.NUMBER and _TEN_DIGITS.match(key):
            key = (
                to_e164(key) or key
            )  # the API's numbers are E.164, the outbox keeps VI's ten digits
        return {"kind": event.subject_kind, "key": key}


class EventPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next = serializers.IntegerField(
        help_text="Give this as `after` to read on; the same `after` when nothing was new."
    )
    has_more = serializers.BooleanField(help_text="More events are waiting after `next` right now.")


def _events():
    return Event.objects.select_related("actor")


class Events(ApiView):
    @extend_schema(
        parameters=[EventQuery],
        responses=EventPageSerializer,
        summary="Events after a cursor, oldest first",
        operation_id="events_list",
    )
    def get(self, request):
        query = validated(EventQuery, request.query_params)
        events = _events().filter(id__gt=query["after"]).order_by("id")
        if query.get("type"):
            events = events.filter(type=query["type"])
        rows = list(
            events[: query["limit"] + 1]
        )  # one more than asked: tells whether there are more
        page, has_more = rows[: query["limit"]], len(rows) > query["limit"]
        cursor = page[-1].id if page else query["after"]
        return Response(
            {"results": EventSerializer(page, many=True).data, "next": cursor, "has_more": has_more}
        )


class EventDetail(ApiView):
    @extend_schema(responses=EventSerializer, summary="One event", operation_id="events_get")
    def get(self, request, pk: int):
        event = _events().filter(pk=pk).first() if pk <= MAX_EVENT_ID else None
        if event is None:
            raise not_found("event")
        return Response(EventSerializer(event).data)


urlpatterns = [
    api_path("events/", Events, "events"),
    api_path("events/<int:pk>/", EventDetail, "event"),
]
