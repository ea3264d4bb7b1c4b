"""SMS changes through the services publish their typed events in order."""

import pytest

from messaging import services
from portal.events.models import Event
from portal.models import Source
from tests.messaging.conftest import campaign_with, owned, sms_enabled, synced  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_destination_then_campaign_publish_their_types_in_order(synced, operator):
    active = campaign_with(synced, status="ACTIVE")
    tn = sms_enabled(synced, on_campaign=False)[0]
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0

    services.destinations_configure(
        tns=[tn],
        destination_type="EMAIL",
        destination="a@example.com",
        actor=operator,
        source=Source.STAFF,
    )
    services.campaign_numbers_assign(
        tns=[tn], campaign_id=active["CampaignId"], actor=operator, source=Source.STAFF
    )

    about = Event.objects.filter(id__gt=mark, subject_key=tn).order_by("id")
    assert [event.type for event in about] == ["sms.destination_changed", "sms.campaign_changed"]
    assert about.last().after == {"campaign_id": active["CampaignId"]}
