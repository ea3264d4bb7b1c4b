"""The numbers pages against the real sandbox over HTTP and PostgreSQL.

What is asserted is what a person sees on the page and what VI (the sandbox) now holds.
"""

import csv
import io
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dids import selectors
from dids.models import EndpointGroup
from portal.models import ChangeRecord, ProviderCall
from portal.permissions import write_permission_of
from tests.dids.conftest import owned_numbers

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _vi_number(sandbox, tn: str) -> dict:
    return sandbox.control.state(f"number/{tn}")


def _owned_tns(sandbox) -> list[str]:
    return [number["tn"] for number in owned_numbers(sandbox)]


# --- permissions -------------------------------------------------------------------------------


def _dids_patterns():
    resolver = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "dids"
    )
    return [entry for entry in resolver.url_patterns if isinstance(entry, URLPattern)]


def test_a_viewer_is_refused_every_numbers_write(synced, viewer_client):
    tn = _owned_tns(synced)[0]
    values = {"tn": tn, "panel": "configure", "vi_id": 8674}
    writes = [pattern for pattern in _dids_patterns() if write_permission_of(pattern.callback)]
    assert (
        len(writes) >= 9
    )  # bulk x2, release, reserve, assign, inventory, group state, intl, panels, refresh
    calls_before = ProviderCall.objects.count()
    for pattern in writes:
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        url = reverse(f"dids:{pattern.name}", kwargs=kwargs)
        response = viewer_client.post(
            url, {"tns": tn, "endpoint_group": "8675", "confirm_count": "1"}
        )
        assert response.status_code == 403, url
    assert ProviderCall.objects.count() == calls_before
    assert _vi_number(synced, tn)["endpoint_group"] == 8674


def test_release_confirmation_is_for_administrators_only(synced, operator_client):
    tn = _owned_tns(synced)[0]
    assert operator_client.get(reverse("dids:release"), {"tns": tn}).status_code == 403


# --- list ----------------------------------------------------------------------------------------


def test_search_finds_digits_anywhere_and_the_url_keeps_the_filter(synced, viewer_client):
    tns = _owned_tns(synced)
    wanted = tns[3]
    response = viewer_client.get(
        reverse("dids:list"), {"q": f"{wanted[3:6]}-{wanted[6:]}"}, **HMX_RESULTS
    )
    page = response.content.decode()
    assert f'data-tn="{wanted}"' in page
    assert "<html" not in page  # live filtering swaps only the results
    others = [tn for tn in tns if wanted[3:] not in tn]
    assert all(f'data-tn="{tn}"' not in page for tn in others)


HMX_RESULTS = {**HTMX, "HTTP_HX_TARGET": "did-results"}


def test_filters_by_endpoint_group_and_feature(synced, viewer_client):
    in_8675 = {number["tn"] for number in owned_numbers(synced) if number["endpoint_group"] == 8675}
    named = {number["tn"] for number in owned_numbers(synced) if number["cnam_name"]}
    assert in_8675 and named
    page = viewer_client.get(reverse("dids:list"), {"endpoint_id": 8675}).content.decode()
    assert all(f'data-tn="{tn}"' in page for tn in list(in_8675)[:50])
    assert page.count('<tr data-tn="') == min(len(in_8675), 50)
    page = viewer_client.get(reverse("dids:list"), {"features": "cnam"}).content.decode()
    assert page.count('<tr data-tn="') == min(len(named), 50)


def test_sms_feature_filter_lists_exactly_the_numbers_with_sms_on(
    synced, viewer_client, django_assert_max_num_queries
):
    from messaging.models import SMSNumber
    from portal.models import SyncRun
    from portal.sync.services import sync_execute

    assert (
        sync_execute(kind="messaging", trigger=SyncRun.Trigger.COMMAND).status
        == SyncRun.Status.SUCCEEDED
    )
    sms_on = set(
        SMSNumber.objects.filter(enabled=True, gone_at__isnull=True).values_list("tn", flat=True)
    )
    assert sms_on and len(sms_on) < len(owned_numbers(synced))  # the seed has both kinds
    with django_assert_max_num_queries(
        12
    ) as queries:  # +2: the clients (column, filter, move), saved views
        page = viewer_client.get(reverse("dids:list"), {"features": "sms"}).content.decode()
    listed = set(re.findall(r'<tr data-tn="(\d{10})"', page))
    assert listed and listed <= sms_on
    assert len(listed) == min(len(sms_on), 50)
    # Asked of the database as a subquery, not as a list of every SMS number (75,000 at scale).
    list_query = next(
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "dids_did"' in q["sql"] and "LIMIT" in q["sql"]
    )
    assert "messaging_smsnumber" in list_query
    assert not any(tn in list_query for tn in sms_on - listed)


def test_csv_export_streams_the_filtered_numbers(synced, viewer_client):
    in_8675 = sorted(
        number["tn"] for number in owned_numbers(synced) if number["endpoint_group"] == 8675
    )
    response = viewer_client.get(reverse("dids:export"), {"endpoint_id": 8675})
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == in_8675


def test_bulk_endpoint_group_change_reports_each_number(synced, operator_client):
    mine = _owned_tns(synced)[:2]
    not_ours = synced.control.state("numbers/available")[0]
    response = operator_client.post(
        reverse("dids:bulk_configure"), {"tns": [*mine, not_ours], "endpoint_group": "8675"}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-ok="yes"') == 2
    assert f'data-tn="{not_ours}" data-ok="no"' in page
    assert "VI code " in page
    assert json.loads(response["HX-Trigger"]) == {"dids-changed": {}}
    assert all(_vi_number(synced, tn)["endpoint_group"] == 8675 for tn in mine)
    assert all(selectors.did_get(tn=tn).endpoint_id == 8675 for tn in mine)


def test_bulk_with_a_bad_number_is_a_form_error_and_nothing_is_sent(synced, operator_client):
    calls_before = ProviderCall.objects.count()
    response = operator_client.post(
        reverse("dids:bulk_configure"), {"tns": ["123"], "endpoint_group": "8675"}, **HTMX
    )
    assert response.status_code == 200
    assert (
        "not a telephone number" in response.content.decode()
        or "not a valid" in response.content.decode()
    )
    assert ProviderCall.objects.count() == calls_before


# --- detail panels -------------------------------------------------------------------------------


def _panel(client, tn, panel, data):
    return client.post(reverse("dids:panel_submit", args=[tn, panel]), data, **HTMX)


def test_caller_id_name_is_saved_at_vi_and_shown_in_place(synced, operator_client):
    tn = _owned_tns(synced)[0]
    response = _panel(operator_client, tn, "cnam_name", {"name": "ACME  Sales 1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved"' in page and 'id="panel-cnam_name"' in page
    assert json.loads(response["HX-Trigger"]) == {"did-changed": {}}
    assert _vi_number(synced, tn)["cnam_name"] == "ACME Sales 1"
    detail = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert "ACME Sales 1" in detail
    assert "Outbound CNAM name" in detail or "cnam_name" in detail  # the history shows the change


def test_bad_caller_id_name_is_a_form_error_and_vi_is_not_called(synced, operator_client):
    tn = _owned_tns(synced)[0]
    before = _vi_number(synced, tn)["cnam_name"]
    calls_before = ProviderCall.objects.count()
    response = _panel(operator_client, tn, "cnam_name", {"name": "Way too long a name!"})
    assert response.status_code == 200
    assert "1 to 15 letters, digits or spaces" in response.content.decode()
    assert ProviderCall.objects.count() == calls_before
    assert _vi_number(synced, tn)["cnam_name"] == before


def test_a_short_pin_never_reaches_vi(synced, operator_client):
    tn = _owned_tns(synced)[0]
    calls_before = ProviderCall.objects.count()
    response = _panel(operator_client, tn, "conference", {"pin": "1234"})
    assert "exactly 8 digits" in response.content.decode()
    assert ProviderCall.objects.count() == calls_before


def test_vi_refusal_is_shown_next_to_the_form_in_plain_words_with_the_code(synced, operator_client):
    tn = next(n["tn"] for n in owned_numbers(synced) if n["endpoint_group"] == 8674)
    # 8676 is the account's inactive group: VI refuses to route a number there.
    response = _panel(operator_client, tn, "configure", {"endpoint_group": "8676"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "VI said:" in page and "(code " in page
    assert 'data-testid="saved"' not in page
    assert _vi_number(synced, tn)["endpoint_group"] == 8674
    assert selectors.did_get(tn=tn).endpoint_id == 8674


def test_vi_unreachable_says_nothing_was_changed(synced, operator_client):
    tn = _owned_tns(synced)[0]
    synced.control.fault("http500", operation="UpdateCNAMDisplay")
    before = selectors.did_get(tn=tn).cnam_name
    response = _panel(operator_client, tn, "cnam_name", {"name": "NEW NAME"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "VI could not be reached" in page and "Nothing was changed." in page
    assert selectors.did_get(tn=tn).cnam_name == before


def test_forward_set_then_removed_back_to_an_endpoint_group(synced, operator_client):
    tn = next(n["tn"] for n in owned_numbers(synced) if not n["forward"])
    response = _panel(operator_client, tn, "forward", {"forward": "(435) 215-4006"})
    assert 'data-testid="saved"' in response.content.decode()
    assert _vi_number(synced, tn)["forward"] == "4352154006"
    response = _panel(operator_client, tn, "forward", {"remove": "on", "endpoint_group": "8675"})
    assert 'data-testid="saved"' in response.content.decode()
    number = _vi_number(synced, tn)
    assert not number["forward"] and number["endpoint_group"] == 8675


def test_page_has_history_provider_calls_and_slots_for_other_apps(synced, operator_client):
    tn = _owned_tns(synced)[0]
    _panel(operator_client, tn, "failover", {"failover": "4352154007"})
    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert 'data-testid="other-app-panels"' in page
    assert "UpdateDIDFailover" in page  # its provider call
    assert "4352154007" in page  # its history row


# --- release ------------------------------------------------------------------------------------


def test_release_needs_the_count_typed_then_reports_each_number_and_shows_them_gone(
    synced, administrator_client
):
    tns = _owned_tns(synced)[:2]
    confirm = administrator_client.get(reverse("dids:release"), {"tns": tns}).content.decode()
    assert all(f'data-tn="{tn}"' in confirm for tn in tns)
    wrong = administrator_client.post(
        reverse("dids:release_submit"), {"tns": tns, "confirm_count": "1"}
    )
    assert "Type 2 to confirm" in wrong.content.decode()
    assert all(_vi_number(synced, tn)["holder"] == "ours" for tn in tns)
    done = administrator_client.post(
        reverse("dids:release_submit"), {"tns": tns, "confirm_count": "2"}
    )
    assert done.content.decode().count('data-ok="yes"') == 2
    assert all(_vi_number(synced, tn)["holder"] != "ours" for tn in tns)
    listing = administrator_client.get(reverse("dids:list")).content.decode()
    assert all(f'data-tn="{tn}"' not in listing for tn in tns)
    gone = administrator_client.get(reverse("dids:list"), {"show": "gone"}).content.decode()
    assert all(f'data-tn="{tn}"' in gone for tn in tns)


# --- buy ------------------------------------------------------------------------------------------


def test_search_reserve_and_assign_report_each_number(synced, operator_client):
    results = operator_client.get(reverse("dids:buy"), {"state": "NY"}).content.decode()
    assert 'data-testid="inventory-results"' in results
    available = [
        tn for tn in synced.control.state("numbers/available") if f'data-tn="{tn}"' in results
    ][:2]
    assert len(available) == 2
    reserved = operator_client.post(
        reverse("dids:reserve"), {"tns": available}, **HTMX
    ).content.decode()
    assert reserved.count('data-ok="yes"') == 2 and 'data-testid="countdown"' in reserved
    assigned = operator_client.post(
        reverse("dids:assign"),
        {"tns": available, "endpoint_group": "8675", "ref_id": "order-7"},
        **HTMX,
    ).content.decode()
    assert assigned.count('data-ok="yes"') == 2
    listing = operator_client.get(reverse("dids:list"), {"q": "order-7"}).content.decode()
    assert all(f'data-tn="{tn}"' in listing for tn in available)


def test_extended_inventory_numbers_are_bought_with_assign_did_extended(synced, operator_client):
    """VI refuses plain assignDID for extended-inventory numbers; the flag travels to the assign form."""
    results = operator_client.get(
        reverse("dids:buy"), {"lata": "660", "extended": "on"}
    ).content.decode()
    assert 'name="extended" value="1"' in results
    found = [tn for tn in re.findall(r'<tr data-tn="(\d{10})"', results)]
    picked = [tn for tn in found if _vi_number(synced, tn)["tier"] != "777"][:2]
    assert len(picked) == 2 and all(_vi_number(synced, tn)["extended"] for tn in picked)
    picked_form = operator_client.post(
        reverse("dids:reserve"), {"tns": picked, "extended": "1"}, **HTMX
    ).content.decode()
    assert (
        'data-testid="extended-assign"' in picked_form
        and 'name="extended" value="1"' in picked_form
    )
    assert 'data-testid="countdown"' not in picked_form  # VI holds nothing, so no reservation clock
    assigned = operator_client.post(
        reverse("dids:assign"), {"tns": picked, "endpoint_group": "8675", "extended": "1"}, **HTMX
    ).content.decode()
    assert assigned.count('data-ok="yes"') == 2, assigned
    assert all(_vi_number(synced, tn)["holder"] == "ours" for tn in picked)
    assert ProviderCall.objects.filter(operation="assignDIDExtended").exists()
    assert not ProviderCall.objects.filter(operation="assignDID").exists()


def test_a_search_without_criteria_is_a_form_error(synced, operator_client):
    calls_before = ProviderCall.objects.filter(operation="getDIDs").count()
    page = operator_client.get(reverse("dids:buy"), {"tier": ""}).content.decode()
    assert "Choose at least" in page
    assert ProviderCall.objects.filter(operation="getDIDs").count() == calls_before


# --- endpoint groups --------------------------------------------------------------------------------


def test_deactivating_an_endpoint_group_warns_and_needs_confirmation(synced, administrator_client):
    page = administrator_client.get(reverse("dids:endpoint_group", args=[8675])).content.decode()
    assert "route" in page and "Deactivate" in page
    url = reverse("dids:endpoint_group_state", args=[8675])
    unconfirmed = administrator_client.post(url, {"active": "0"}, **HTMX).content.decode()
    assert "required" in unconfirmed.lower()
    assert next(g for g in synced.control.state("endpoint_groups") if g["id"] == 8675)["active"]
    done = administrator_client.post(url, {"active": "0", "confirm": "on"}, **HTMX).content.decode()
    assert 'data-testid="saved"' in done
    assert not next(g for g in synced.control.state("endpoint_groups") if g["id"] == 8675)["active"]


def test_endpoint_group_page_shows_vi_live_and_corrects_the_stale_mirror(synced, viewer_client):
    vi_group = next(g for g in synced.control.state("endpoint_groups") if g["id"] == 8675)
    EndpointGroup.objects.filter(vi_id=8675).update(name="Stale name from an old sync")
    page = viewer_client.get(reverse("dids:endpoint_group", args=[8675])).content.decode()
    assert 'data-source="vi"' in page
    assert vi_group["name"] in page and "Stale name" not in page
    assert ProviderCall.objects.filter(operation="AuditEndpointGroup").exists()
    assert EndpointGroup.objects.get(vi_id=8675).name == vi_group["name"]
    assert ChangeRecord.objects.filter(
        model="dids.endpointgroup", object_key="8675", note="Read from VI"
    ).exists()


def test_endpoint_group_page_falls_back_to_the_mirror_when_vi_is_unreachable(synced, viewer_client):
    synced.control.fault("http500", operation="AuditEndpointGroup")
    page = viewer_client.get(reverse("dids:endpoint_group", args=[8675])).content.decode()
    assert 'data-source="mirror"' in page and "VI could not be reached" in page
    assert EndpointGroup.objects.get(vi_id=8675).name in page


def test_dashboard_warns_when_the_balance_is_low(synced, viewer_client, settings):
    settings.LOW_BALANCE_WARNING = "1000.00"  # the test account holds 500.00
    page = viewer_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="low-balance"' in page
    settings.LOW_BALANCE_WARNING = "50.00"
    assert (
        'data-testid="low-balance"' not in viewer_client.get(reverse("dashboard")).content.decode()
    )
