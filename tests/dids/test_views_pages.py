"""Numbers pages that had no test: bulk DID group, personal inventory, international release,
the programmable-telco panel and the email-to-fax list — each against the sandbox over HTTP.

What is asserted is what the person sees and what VI (the sandbox) now holds.
"""

import re

import pytest
from django.urls import reverse

from dids.models import DID, IntlDID
from dids.templatetags.dids_extras import tn_format
from portal.models import ProviderCall
from tests.dids.conftest import owned_number, owned_numbers

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _vi_number(sandbox, tn: str) -> dict:
    return sandbox.control.state(f"number/{tn}")


def test_bulk_did_group_sets_then_removes_the_group_of_each_picked_number(synced, operator_client):
    group = synced.control.state("did_groups")[0]["id"]
    tns = [number["tn"] for number in owned_numbers(synced) if number["did_group_id"] is None][:2]
    assert len(tns) == 2
    page = operator_client.post(
        reverse("dids:bulk_did_group"), {"tns": tns, "did_group": group}, **HTMX
    ).content.decode()
    assert page.count('data-ok="yes"') == 2
    assert all(_vi_number(synced, tn)["did_group_id"] == group for tn in tns)
    assert set(DID.objects.filter(tn__in=tns).values_list("did_group_id", flat=True)) == {group}

    removed = operator_client.post(
        reverse("dids:bulk_did_group"), {"tns": tns, "remove": "on"}, **HTMX
    ).content.decode()
    assert removed.count('data-ok="yes"') == 2
    assert all(_vi_number(synced, tn)["did_group_id"] is None for tn in tns)


def test_bulk_did_group_without_a_group_or_remove_is_refused_before_vi(synced, operator_client):
    tn = owned_numbers(synced)[0]["tn"]
    calls = ProviderCall.objects.count()
    page = operator_client.post(
        reverse("dids:bulk_did_group"), {"tns": [tn]}, **HTMX
    ).content.decode()
    assert "Pick a DID group" in page
    assert ProviderCall.objects.count() == calls


def test_personal_inventory_lists_vi_and_moving_a_number_there_shows_it(synced, operator_client):
    available = synced.control.state("numbers/available")[5]
    before = operator_client.get(reverse("dids:inventory")).content.decode()
    assert 'data-testid="inventory-list"' in before and tn_format(available) not in before

    moved = operator_client.post(
        reverse("dids:inventory_add"), {"tns": available}, **HTMX
    ).content.decode()
    assert 'data-ok="yes"' in moved and "Moved to personal inventory" in moved
    assert _vi_number(synced, available)["personal_inventory"] is True
    after = operator_client.get(reverse("dids:inventory")).content.decode()
    assert tn_format(available) in after


def test_releasing_an_international_number_needs_confirmation_and_marks_it_gone(
    synced, administrator_client
):
    intl = IntlDID.objects.filter(gone_at__isnull=True).order_by("tn").first()
    assert intl is not None
    listing = administrator_client.get(reverse("dids:intl")).content.decode()
    assert intl.tn in listing

    unconfirmed = administrator_client.post(
        reverse("dids:intl_release"), {"tn": intl.tn}, **HTMX
    ).content.decode()
    assert "required" in unconfirmed.lower()
    assert not ProviderCall.objects.filter(operation="ReleaseIntlDID").exists()

    done = administrator_client.post(
        reverse("dids:intl_release"), {"tn": intl.tn, "confirm": "on"}, **HTMX
    ).content.decode()
    assert f"Released {intl.tn}" in done
    held = {number["tn"]: number["holder"] for number in synced.control.state("intl")["numbers"]}
    assert held[intl.tn] is None
    intl.refresh_from_db()
    assert intl.gone_at is not None


def test_program_panel_lists_vi_scripts_then_programs_and_unprograms(synced, operator_client):
    tn = owned_number(synced, script_id=None)["tn"]
    panel = operator_client.get(
        reverse("dids:panel", args=[tn, "program"]), **HTMX
    ).content.decode()
    assert "IVR main menu" in panel

    url = reverse("dids:panel_submit", args=[tn, "program"])
    programmed = operator_client.post(url, {"script": "701"}, **HTMX).content.decode()
    assert 'data-testid="saved"' in programmed
    assert _vi_number(synced, tn)["script_id"] == "701"
    assert DID.objects.get(tn=tn).script_id == "701"

    unprogrammed = operator_client.post(
        url, {"remove": "on", "endpoint_group": "8674"}, **HTMX
    ).content.decode()
    assert 'data-testid="saved"' in unprogrammed
    vi = _vi_number(synced, tn)
    assert vi["script_id"] is None and vi["endpoint_group"] == 8674


def test_unprogramming_without_an_endpoint_group_is_refused_before_vi(synced, operator_client):
    tn = owned_number(synced, script_id=None)["tn"]
    url = reverse("dids:panel_submit", args=[tn, "program"])
    operator_client.post(url, {"script": "702"}, **HTMX)
    page = operator_client.post(url, {"remove": "on"}, **HTMX)
    assert "Pick the endpoint group" in page.content.decode()
    assert not ProviderCall.objects.filter(operation="UnprogramDID").exists()


def test_email_to_fax_panel_reads_vi_list_and_corrects_the_mirror(synced, operator_client):
    tn = owned_numbers(synced)[0]["tn"]
    added = operator_client.post(
        reverse("dids:panel_submit", args=[tn, "email_to_fax"]),
        {"email": "scanner@example.com"},
        **HTMX,
    ).content.decode()
    assert "scanner@example.com" in added
    assert "scanner@example.com" in _vi_number(synced, tn)["email_to_fax"]

    DID.objects.filter(tn=tn).update(email_to_fax=[])  # a stale mirror
    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    panel = re.search(r'id="panel-email_to_fax".*?</div></div>', page, re.S).group(0)
    assert 'data-testid="email-to-fax-fetch"' in panel and "scanner@example.com" not in panel
    fetched = operator_client.get(
        reverse("dids:panel", args=[tn, "email_to_fax"]), {"fetch": "vi"}, **HTMX
    ).content.decode()
    assert "scanner@example.com" in fetched
    assert DID.objects.get(tn=tn).email_to_fax == _vi_number(synced, tn)["email_to_fax"]


def test_email_to_fax_list_falls_back_to_the_mirror_when_vi_is_unreachable(synced, operator_client):
    tn = owned_numbers(synced)[0]["tn"]
    synced.control.fault("http500", operation="GetEmailToFax")
    fetched = operator_client.get(
        reverse("dids:panel", args=[tn, "email_to_fax"]), {"fetch": "vi"}, **HTMX
    ).content.decode()
    assert "copy from the last sync" in fetched


def test_refresh_from_vi_on_the_number_page_also_rereads_its_sms_settings(synced, operator_client):
    from messaging.models import SMSNumber
    from portal.models import SyncRun
    from portal.sync import sync_execute

    assert (
        sync_execute(kind="messaging", trigger=SyncRun.Trigger.COMMAND).status
        == SyncRun.Status.SUCCEEDED
    )
    row = SMSNumber.objects.filter(gone_at__isnull=True).order_by("tn").first()
    was = row.enabled
    SMSNumber.objects.filter(pk=row.pk).update(enabled=not was)  # a stale mirror

    page = operator_client.post(reverse("dids:refresh", args=[row.tn]), **HTMX).content.decode()
    assert 'data-testid="refreshed"' in page and "SMS settings included" in page
    assert SMSNumber.objects.get(pk=row.pk).enabled is was
    assert ProviderCall.objects.filter(operation="AuditSMS").exists()
