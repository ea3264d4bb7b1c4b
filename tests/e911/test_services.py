"""911 services against the sandbox: validate first, provision, remove, alerts, legacy calls."""

import pytest
from django.core.exceptions import ValidationError

from dids.models import DID
from e911 import services
from e911.models import AlertRecipient, Location
from e911.records import Address
from portal.models import ChangeRecord, ProviderCall, Source
from portal.voipinnovations.errors import ProviderRejected

from .conftest import BAD, GOOD

pytestmark = pytest.mark.django_db


def test_a_valid_address_is_provisioned_and_mirrored_with_history(number_without_911, operator):
    tn = number_without_911

    result = services.location_provision(
        tn=tn, address=Address(**GOOD), actor=operator, source=Source.STAFF
    )

    assert result.operation == "insert911"
    location = Location.objects.get(tn=tn)
    assert location.status_code == "PROVISIONED"
    assert location.address1 == "350 S 200 E" and location.zip_code == "84111"
    assert location.latitude and location.longitude
    change = ChangeRecord.objects.filter(model="e911.location", object_key=tn).latest("at")
    assert change.actor == operator and change.source == "staff"
    operations = list(ProviderCall.objects.order_by("id").values_list("operation", flat=True))
    assert operations.index("validate911") < operations.index("insert911")


def test_the_numbers_mirror_has911_follows_a_portal_911_change_without_a_sync(
    number_without_911, operator, sandbox
):
    tn = number_without_911
    assert DID.objects.get(tn=tn).has911 is False

    services.location_provision(tn=tn, address=Address(**GOOD), actor=operator, source=Source.STAFF)
    assert sandbox.control.state(f"number/{tn}")["has911"] is True
    assert DID.objects.get(tn=tn).has911 is True
    change = ChangeRecord.objects.filter(model="dids.did", object_key=tn).latest("at")
    assert change.changes == {"has911": [False, True]} and change.actor == operator

    services.location_remove(tn=tn, actor=operator, source=Source.STAFF)
    assert sandbox.control.state(f"number/{tn}")["has911"] is False
    assert DID.objects.get(tn=tn).has911 is False


class HistoryDown(Exception):
    """The location's history row cannot be written (a full disk, a lost connection)."""


def _location_write_fails_after_has911(monkeypatch) -> list[bool]:
    """Make the 911 mirror write fail after the numbers mirror's has911 was changed in the
    same block; returns what did_has911_set answered (True: it did change the row)."""
    changed: list[bool] = []
    has911_set = services.dids_services.did_has911_set

    def spy(**kwargs):
        changed.append(has911_set(**kwargs))
        return changed[-1]

    def history_down(*args, **kwargs):
        raise HistoryDown

    monkeypatch.setattr(services.dids_services, "did_has911_set", spy)
    monkeypatch.setattr(services, "record_many", history_down)
    return changed


def test_has911_is_not_stored_when_the_provisioned_location_is_not(
    number_without_911, operator, monkeypatch
):
    """One transaction: the number's has911 and its location row are stored together or
    not at all (they were two, and a failure between them left has911 on with no location)."""
    tn = number_without_911
    history = ChangeRecord.objects.filter(object_key=tn).count()
    changed = _location_write_fails_after_has911(monkeypatch)

    with pytest.raises(HistoryDown):
        services.location_provision(
            tn=tn, address=Address(**GOOD), actor=operator, source=Source.STAFF
        )

    assert changed == [True]  # has911 was written, then rolled back with the location
    assert DID.objects.get(tn=tn).has911 is False
    assert not Location.objects.filter(tn=tn).exists()
    assert ChangeRecord.objects.filter(object_key=tn).count() == history


def test_has911_stays_on_when_the_removed_location_is_not_stored(
    number_with_911, operator, monkeypatch
):
    tn = number_with_911
    before = Location.objects.get(tn=tn)
    assert DID.objects.get(tn=tn).has911 is True
    history = ChangeRecord.objects.filter(object_key=tn).count()
    changed = _location_write_fails_after_has911(monkeypatch)

    with pytest.raises(HistoryDown):
        services.location_remove(tn=tn, actor=operator, source=Source.STAFF)

    assert changed == [True]
    assert DID.objects.get(tn=tn).has911 is True
    after = Location.objects.get(tn=tn)
    assert after.gone_at is None and after.status_code == before.status_code == "PROVISIONED"
    assert ChangeRecord.objects.filter(object_key=tn).count() == history


def test_an_invalid_address_is_never_sent_to_insert_or_update(number_with_911, operator, sandbox):
    tn = number_with_911
    before = Location.objects.get(tn=tn).address1

    with pytest.raises(services.AddressInvalid):
        services.location_provision(
            tn=tn, address=Address(**BAD), actor=operator, source=Source.STAFF
        )

    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()
    assert sandbox.control.state(f"e911/{tn}")["has911"] is True
    assert Location.objects.get(tn=tn).address1 == before


def test_a_second_address_replaces_the_first_through_update911(number_with_911, operator):
    result = services.location_provision(
        tn=number_with_911, address=Address(**GOOD), actor=operator, source=Source.STAFF
    )

    assert result.operation == "update911"
    assert Location.objects.get(tn=number_with_911).address1 == "350 S 200 E"


def test_a_number_the_account_does_not_own_is_refused_with_909(synced, operator):
    with pytest.raises(ProviderRejected) as refusal:
        services.location_provision(
            tn="2025550143", address=Address(**GOOD), actor=operator, source=Source.STAFF
        )
    assert refusal.value.code == "909"
    assert not Location.objects.filter(tn="2025550143").exists()


def test_removing_leaves_the_number_without_911(number_with_911, operator, sandbox):
    left = services.location_remove(tn=number_with_911, actor=operator, source=Source.STAFF)

    assert sandbox.control.state(f"e911/{number_with_911}")["has911"] is False
    row = Location.objects.get(tn=number_with_911)
    assert (left is None) == (row.gone_at is not None)
    assert row.status_code != "PROVISIONED" or row.gone_at is not None


def test_alerts_add_remove_and_refuse_past_ten(number_with_911, operator, sandbox):
    tn = number_with_911
    services.alerts_refresh(tn=tn, actor=operator, source=Source.STAFF)
    for email in list(AlertRecipient.objects.filter(tn=tn).values_list("email", flat=True)):
        services.alert_remove(tn=tn, email=email, actor=operator, source=Source.STAFF)

    for index in range(10):
        services.alert_add(
            tn=tn, email=f"noc{index}@example.com", actor=operator, source=Source.STAFF
        )
    with pytest.raises(ValidationError, match="at most 10"):
        services.alert_add(
            tn=tn, email="one-too-many@example.com", actor=operator, source=Source.STAFF
        )
    with pytest.raises(ValidationError, match="already"):
        services.alert_add(tn=tn, email="NOC1@example.com", actor=operator, source=Source.STAFF)
    with pytest.raises(ValidationError):
        services.alert_add(
            tn=tn, email="x" * 140 + "@example.com", actor=operator, source=Source.STAFF
        )

    services.alert_remove(tn=tn, email="noc3@example.com", actor=operator, source=Source.STAFF)
    assert len(sandbox.control.state(f"e911/{tn}")["alerts"]) == 9
    assert AlertRecipient.objects.filter(tn=tn).count() == 9
    assert services.alerts_refresh(tn=tn, actor=operator, source=Source.STAFF)
    assert "noc3@example.com" not in AlertRecipient.objects.filter(tn=tn).values_list(
        "email", flat=True
    )


@pytest.mark.parametrize(
    "code,arrange",
    [
        (943, "fill"),  # VI's own limit, when the portal's list is out of date
        (942, "duplicate"),
        (941, "no911"),
        (940, "long"),
    ],
)
def test_vi_alert_refusals_come_back_in_plain_words(
    number_with_911, number_without_911, operator, sandbox, code, arrange
):
    from e911 import gateway
    from portal.voipinnovations.codes import describe

    tn = number_with_911
    if arrange == "fill":
        existing = services.alerts_refresh(tn=tn, actor=operator, source=Source.STAFF)
        for index in range(10 - len(existing)):
            gateway.add_911_alert(tn=tn, email=f"filler{index}@example.com")
        call = lambda: gateway.add_911_alert(tn=tn, email="eleventh@example.com")  # noqa: E731
    elif arrange == "duplicate":
        gateway.add_911_alert(tn=tn, email="dup@example.com")
        call = lambda: gateway.add_911_alert(tn=tn, email="DUP@example.com")  # noqa: E731
    elif arrange == "no911":
        call = lambda: gateway.add_911_alert(tn=number_without_911, email="a@example.com")  # noqa: E731
    else:
        call = lambda: gateway.add_911_alert(tn=tn, email="y" * 151)  # noqa: E731
    with pytest.raises(ProviderRejected) as refusal:
        call()
    assert refusal.value.code == str(code)
    assert refusal.value.message == describe(code).message


def test_legacy_locations_store_then_provision(number_without_911, operator, sandbox):
    tn = number_without_911
    stored = services.stored_location_add(
        tn=tn, address=Address(**GOOD), actor=operator, source=Source.STAFF
    )
    assert stored.status_code == "GEOCODED"
    assert [
        item.location_id
        for item in services.stored_locations_list(tn=tn, actor=None, source=Source.STAFF)
    ] == [stored.location_id]
    assert Location.objects.get(tn=tn).status_code == "GEOCODED"

    location = services.stored_location_provision(
        tn=tn, location_id=stored.location_id, actor=operator, source=Source.STAFF
    )

    assert location.status_code == "PROVISIONED"
    assert sandbox.control.state(f"e911/{tn}")["has911"] is True
    with pytest.raises(ProviderRejected) as refusal:
        services.stored_location_provision(
            tn=tn, location_id="999", actor=operator, source=Source.STAFF
        )
    assert refusal.value.code == "910"
    services.stored_location_remove(
        tn=tn, location_id=stored.location_id, actor=operator, source=Source.STAFF
    )
    assert Location.objects.get(tn=tn).gone_at is not None


def test_provisioning_history_is_fetched_and_kept(number_with_911, operator):
    services.location_provision(
        tn=number_with_911, address=Address(**GOOD), actor=operator, source=Source.STAFF
    )
    entries = services.provisioning_history_fetch(
        tn=number_with_911, actor=operator, source=Source.STAFF
    )
    assert len(entries) >= 2
    assert {entry.status_code for entry in entries} >= {"PROVISIONED", "ARCHIVED"}


def test_why_we_validate_first_vi_update911_with_a_bad_address_leaves_no_911(
    number_with_911, sandbox
):
    """The gateway alone (no validation) shows VI's behaviour the services guard against."""
    from e911 import gateway

    with pytest.raises(ProviderRejected) as refusal:
        gateway.update_911(tn=number_with_911, address=Address(**BAD))
    assert refusal.value.code == "904"
    assert sandbox.control.state(f"e911/{number_with_911}")["has911"] is False


def test_a_malformed_number_is_refused_before_vi(synced, operator):
    with pytest.raises(ValidationError):
        services.location_provision(
            tn="123", address=Address(**GOOD), actor=operator, source=Source.STAFF
        )
    assert not ProviderCall.objects.filter(operation__startswith="validate911").exists()


def test_vi_unreachable_changes_nothing(number_with_911, operator, sandbox):
    from portal.voipinnovations.errors import ProviderUnavailable

    before = Location.objects.get(tn=number_with_911).content_hash
    sandbox.control.fault("http500", operation="insert911")
    with pytest.raises(ProviderUnavailable):
        services.location_provision(
            tn=number_with_911, address=Address(**GOOD), actor=operator, source=Source.STAFF
        )
    assert Location.objects.get(tn=number_with_911).content_hash == before
