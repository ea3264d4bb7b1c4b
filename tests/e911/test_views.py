"""The 911 pages as a person uses them: the number panel, compliance, records, release, permissions."""

import json
import re

import pytest

from dids.models import DID
from e911.models import AlertRecipient, Location
from portal.models import ProviderCall, Source, SyncRun
from portal.sync import sync_execute

from .conftest import BAD, GOOD

pytestmark = pytest.mark.django_db


def _typed(tn: str, address: dict) -> dict:
    return {f"e911-{tn}-{name}": value for name, value in address.items()}


def test_the_number_page_shows_the_911_panel(operator_client, number_with_911):
    location = Location.objects.get(tn=number_with_911)
    page = operator_client.get(f"/numbers/{number_with_911}/").content.decode()
    assert 'data-testid="e911-panel"' in page
    assert location.address1 in page
    assert "PROVISIONED" in page


def test_check_then_provision_from_the_panel(operator_client, number_without_911):
    tn = number_without_911
    panel = operator_client.get(f"/e911/numbers/{tn}/").content.decode()
    assert "No 911 location" in panel

    checked = operator_client.post(f"/e911/numbers/{tn}/check/", _typed(tn, GOOD))
    assert checked.status_code == 200
    text = checked.content.decode()
    assert 'data-valid="true"' in text and "Provision this address" in text
    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()

    provisioned = operator_client.post(
        f"/e911/numbers/{tn}/provision/",
        {
            "address1": "350 S 200 E",
            "city": "Salt Lake City",
            "state": "UT",
            "zip_code": "84111",
            "caller_name": "Front Desk",
        },
    )
    assert provisioned.status_code == 200
    assert set(json.loads(provisioned["HX-Trigger"])) == {"did-changed", "e911-changed"}
    assert "PROVISIONED" in provisioned.content.decode()
    assert Location.objects.get(tn=tn).status_code == "PROVISIONED"


def test_an_invalid_address_gets_a_verdict_and_no_provision_button(
    operator_client, number_with_911
):
    tn = number_with_911
    response = operator_client.post(f"/e911/numbers/{tn}/check/", _typed(tn, BAD))
    text = response.content.decode()
    assert 'data-valid="false"' in text
    assert "cannot place" in text
    assert "Provision this address" not in text


def test_a_forged_provision_of_an_invalid_address_is_refused_before_vi(
    operator_client, number_with_911
):
    response = operator_client.post(f"/e911/numbers/{number_with_911}/provision/", {**BAD})
    assert response.status_code == 422
    assert "cannot place" in response.content.decode()
    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()
    assert Location.objects.get(tn=number_with_911).status_code == "PROVISIONED"


def test_format_errors_are_shown_before_any_call(operator_client, number_without_911):
    tn = number_without_911
    response = operator_client.post(
        f"/e911/numbers/{tn}/check/", _typed(tn, {**GOOD, "state": "Utopia", "zip_code": "841"})
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "two-letter" in text and "5 digits" in text
    assert not ProviderCall.objects.filter(operation="validate911").exists()


def test_a_sloppy_address_gets_a_usps_suggestion(operator_client, number_without_911):
    tn = number_without_911
    sloppy = {**GOOD, "address1": "350 south 200 east suite 4", "state": "utah"}
    text = operator_client.post(f"/e911/numbers/{tn}/check/", _typed(tn, sloppy)).content.decode()
    assert 'data-testid="e911-suggestion"' in text
    assert "350 S 200 E" in text


def test_remove_asks_first_and_leaves_no_911(operator_client, number_with_911, sandbox):
    panel = operator_client.get(f"/e911/numbers/{number_with_911}/").content.decode()
    assert "will have NO 911 service" in panel
    response = operator_client.post(f"/e911/numbers/{number_with_911}/remove/")
    assert response.status_code == 200
    assert "no 911 service" in response.content.decode()
    assert sandbox.control.state(f"e911/{number_with_911}")["has911"] is False


def test_alert_from_a_carrier_helper(operator_client, number_with_911):
    tn = number_with_911
    response = operator_client.post(
        f"/e911/numbers/{tn}/alerts/add/",
        {f"alert-{tn}-mobile": "(801) 555-0199", f"alert-{tn}-carrier": "verizon"},
    )
    assert response.status_code == 200
    assert AlertRecipient.objects.filter(tn=tn, email="8015550199@vtext.com").exists()


def test_vi_alert_refusal_shown_in_plain_words(operator_client, number_without_911):
    tn = number_without_911
    response = operator_client.post(
        f"/e911/numbers/{tn}/alerts/add/", {f"alert-{tn}-email": "noc@example.com"}
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "911 is not set up for this number" in text and "941" in text


def test_viewer_sees_the_panel_but_cannot_change_anything(viewer_client, number_with_911):
    tn = number_with_911
    panel = viewer_client.get(f"/e911/numbers/{tn}/").content.decode()
    assert "Check address" not in panel
    for path in (
        "check/",
        "provision/",
        "remove/",
        "alerts/add/",
        "alerts/remove/",
        "stored/provision/",
    ):
        assert viewer_client.post(f"/e911/numbers/{tn}/{path}", {}).status_code == 403
    assert viewer_client.post("/e911/bulk/upload/", {}).status_code == 403


def test_compliance_counts_lists_and_csv(operator_client, number_without_911, synced):
    page = operator_client.get("/e911/").content.decode()
    assert number_without_911 in page
    export = operator_client.get("/e911/export.csv?problem=missing")
    body = b"".join(export.streaming_content).decode()
    assert body.splitlines()[0].startswith("tn,problem")
    assert number_without_911 in body


def test_caller_name_mismatch_is_listed(operator_client, number_with_911):
    from dids.models import DID

    DID.objects.filter(tn=number_with_911).update(cnam_name="SOMEONE ELSE")
    page = operator_client.get("/e911/?problem=caller_name").content.decode()
    assert number_with_911 in page


def test_records_search_by_city_and_status_lists_off_net(operator_client, synced):
    location = Location.objects.filter(gone_at__isnull=True).first()
    page = operator_client.get(
        "/e911/records/", {"q": location.city, "status": location.status_code}
    ).content.decode()
    assert location.tn in page
    off_net = operator_client.get("/e911/records/", {"off_net": "yes"}).content.decode()
    assert "off-net" in off_net


def test_release_check_offers_to_remove_911_first(
    operator_client, number_with_911, number_without_911, sandbox
):
    page = operator_client.get(
        "/e911/release/", {"tns": [number_with_911, number_without_911]}
    ).content.decode()
    assert "Remove 911 from 1 number" in page
    response = operator_client.post(
        "/e911/release/remove/", {"tns": [number_with_911, number_without_911]}
    )
    assert "911 location removed" in response.content.decode()
    assert sandbox.control.state(f"e911/{number_with_911}")["has911"] is False


def test_release_confirmation_warns_and_leads_to_removing_911_first(
    administrator_client, number_with_911, number_without_911, sandbox
):
    tns = [number_with_911, number_without_911]
    confirm = administrator_client.get("/numbers/release/", {"tns": tns}).content.decode()
    assert 'data-testid="release-911-warning"' in confirm and "1 of these numbers still" in confirm
    link = (
        re.search(r'data-testid="release-911-remove-first"\s+href="([^"]+)"', confirm)
        .group(1)
        .replace("&amp;", "&")
    )
    check = administrator_client.get(link).content.decode()
    assert "Remove 911 from 1 number" in check and f"tns={number_without_911}" in link
    removed = administrator_client.post("/e911/release/remove/", {"tns": tns}).content.decode()
    assert "911 location removed" in removed
    assert sandbox.control.state(f"e911/{number_with_911}")["has911"] is False
    # The numbers mirror follows at once, so the confirmation no longer warns.
    again = administrator_client.get("/numbers/release/", {"tns": tns}).content.decode()
    assert 'data-testid="release-911-warning"' not in again
    assert 'data-testid="release-list"' in again


def test_release_page_lists_the_911_location(number_with_911):
    from e911.selectors import attachments_for_tn

    assert attachments_for_tn(tn=number_with_911)[0].startswith("911 location (PROVISIONED)")


def test_dashboard_has_the_compliance_panel(viewer_client, number_without_911):
    page = viewer_client.get("/").content.decode()
    assert 'data-testid="e911-dashboard"' in page


def test_stored_locations_listed_and_provisioned_from_the_panel(
    operator_client, number_without_911, sandbox
):
    from e911 import services
    from e911.records import Address

    tn = number_without_911
    stored = services.stored_location_add(
        tn=tn, address=Address(**GOOD), actor=None, source=Source.STAFF
    )
    listing = operator_client.get(f"/e911/numbers/{tn}/?fetch=stored").content.decode()
    assert f'data-location-id="{stored.location_id}"' in listing and "provision this one" in listing

    response = operator_client.post(
        f"/e911/numbers/{tn}/stored/provision/", {"location_id": stored.location_id}
    )
    assert response.status_code == 200
    assert sandbox.control.state(f"e911/{tn}")["has911"] is True
    assert Location.objects.get(tn=tn).status_code == "PROVISIONED"


def test_history_fetched_on_demand_is_kept(operator_client, number_with_911):
    from e911.models import ProvisioningEntry

    page = operator_client.get(f"/e911/numbers/{number_with_911}/?fetch=history").content.decode()
    assert ProvisioningEntry.objects.filter(tn=number_with_911).exists()
    assert "Not fetched yet" not in page


def test_alert_recipients_are_read_from_vi_the_first_time_the_panel_shows(
    viewer_client, number_with_911, sandbox
):
    emails = sandbox.control.state(f"e911/{number_with_911}")["alerts"]
    page = viewer_client.get(f"/numbers/{number_with_911}/").content.decode()
    assert sorted(
        AlertRecipient.objects.filter(tn=number_with_911).values_list("email", flat=True)
    ) == sorted(emails)
    for email in emails:
        assert email in page


# --- the numbers list's 911 and SMS filters ----------------------------------------------------------


def _listed(client, **query) -> set[str]:
    page = client.get(
        "/numbers/",
        {**query, "show": "active"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="did-results",
    )
    return set(re.findall(r'<tr[^>]*data-tn="(\d{10})"', page.content.decode()))


def test_the_numbers_list_filters_by_911_status(
    viewer_client, number_with_911, number_without_911, operator
):
    from e911 import services
    from e911.records import Address

    services.stored_location_add(
        tn=number_without_911, address=Address(**GOOD), actor=operator, source=Source.STAFF
    )  # parked, not provisioned
    provisioned = _listed(viewer_client, e911="yes")
    assert number_with_911 in provisioned and number_without_911 not in provisioned
    parked = _listed(viewer_client, e911="unprovisioned")
    assert number_without_911 in parked and number_with_911 not in parked
    assert number_without_911 in _listed(viewer_client, e911="no")
    assert "911 location parked or invalid" in viewer_client.get("/numbers/").content.decode()


def test_the_numbers_list_sms_filter_keeps_only_sms_enabled_numbers(viewer_client, synced):
    from messaging.models import SMSNumber

    run = sync_execute(kind="messaging", trigger=SyncRun.Trigger.COMMAND)
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    enabled = set(
        SMSNumber.objects.filter(enabled=True, gone_at__isnull=True).values_list("tn", flat=True)
    )
    disabled = set(DID.objects.filter(gone_at__isnull=True).values_list("tn", flat=True)) - enabled
    assert enabled and disabled
    listed = _listed(viewer_client, features="sms")
    assert listed and listed <= enabled and not listed & disabled
