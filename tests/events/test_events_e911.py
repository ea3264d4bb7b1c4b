"""911 changes through the services publish their typed events in order."""

import pytest

from e911 import services
from e911.records import Address
from portal.events.models import Event
from portal.models import Source
from tests.e911.conftest import GOOD, number_with_911, number_without_911, synced  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def types_about(tn: str) -> list[str]:
    return list(Event.objects.filter(subject_key=tn).order_by("id").values_list("type", flat=True))


def test_provision_then_remove_publish_provisioned_then_removed(number_without_911, operator):
    tn = number_without_911
    services.location_provision(tn=tn, address=Address(**GOOD), actor=operator, source=Source.STAFF)
    services.location_remove(tn=tn, actor=operator, source=Source.STAFF)

    e911_types = [t for t in types_about(tn) if t.startswith("e911.")]
    assert e911_types[0] == "e911.provisioned" and e911_types[-1] == "e911.removed"
    assert all(
        event.actor == operator and event.source == "staff"
        for event in Event.objects.filter(subject_key=tn)
    )
