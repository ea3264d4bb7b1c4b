"""The number page (issue 11): a gone number reads as gone and can be bought back, DID groups
by name, one caller-ID name limit, names instead of ids, a status row derived from the row.

Against the sandbox over HTTP and PostgreSQL; what is asserted is what the page says and
what VI (the sandbox) and the mirror now hold.
"""

import pytest
from django.urls import reverse

from dids.models import DID, DIDGroup
from portal.models import ChangeRecord, ProviderCall, Source
from tests.dids.conftest import owned_number, run_dids_sync

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ONE_SANDBOX_DAY = 24 * 3600 + 60
HOSTILE_TEXTS = ["\x00", "A" * 100_000, "<script>alert(1)</script>", "１２３"]


def _panel(client, tn, panel, data):
    return client.post(reverse("dids:panel_submit", args=[tn, panel]), data, **HTMX)


def _history_count(tn: str) -> int:
    return ChangeRecord.objects.filter(model="dids.did", object_key=tn).count()


def _released_elsewhere(sandbox) -> str:
    """A number someone else released at VI, marked gone by the next sync."""
    tn = owned_number(sandbox, endpoint_group=8675)["tn"]
    sandbox.control.other("release", tn=tn)
    assert run_dids_sync().status == "succeeded"
    assert DID.objects.get(tn=tn).gone_at is not None
    return tn


# --- a gone number ----------------------------------------------------------------------------


def test_a_gone_number_reads_as_gone_with_when_and_how_and_offers_no_edits(synced, operator_client):
    tn = _released_elsewhere(synced)

    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()

    assert 'data-testid="gone-banner"' in page
    assert "no longer on the account" in page
    assert "VI no longer listed it on the account at a sync" in page
    assert "currently assigned to you" not in page  # VI's stale status sentence is not shown
    assert 'id="panel-configure"' not in page and 'id="panel-cnam_name"' not in page
    assert 'data-testid="other-app-panels"' not in page
    assert "Not on the account any more" in page


def test_a_number_released_in_the_portal_says_who_released_it(
    synced, administrator_client, administrator
):
    tn = owned_number(synced, endpoint_group=8674)["tn"]
    from dids import services

    services.dids_release(tns=[tn], actor=administrator, source=Source.STAFF)

    page = administrator_client.get(reverse("dids:detail", args=[tn])).content.decode()

    assert f"released by {administrator.username} in the portal" in page


@pytest.mark.parametrize(
    "panel", ["configure", "cnam_name", "forward", "did_group", "conference", "program"]
)
def test_every_edit_of_a_gone_number_is_refused_before_vi_in_plain_words(
    synced, operator_client, panel
):
    tn = _released_elsewhere(synced)
    calls_before, history_before = ProviderCall.objects.count(), _history_count(tn)

    edit = {
        "endpoint_group": "8674",
        "name": "NEW NAME",
        "forward": "4352154006",
        "pin": "12345678",
    }
    response = _panel(operator_client, tn, panel, edit)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="gone-refusal"' in page and "Nothing was sent to VI" in page
    assert "944" not in page and "does not recognise" not in page
    assert ProviderCall.objects.count() == calls_before
    assert _history_count(tn) == history_before


def test_buy_back_waits_for_vi_then_buys_the_number_back(synced, operator_client, operator):
    tn = _released_elsewhere(synced)

    aging = operator_client.get(reverse("dids:buy_back", args=[tn]), **HTMX).content.decode()
    assert 'data-testid="buy-back-unavailable"' in aging and "Buy it back" not in aging
    refused = operator_client.post(
        reverse("dids:buy_back_submit", args=[tn]), {"endpoint_group": "8674"}, **HTMX
    )
    assert 'data-vi-code="104420"' in refused.content.decode()  # VI's refusal, shown with its code
    assert DID.objects.get(tn=tn).gone_at is not None

    synced.control.advance(ONE_SANDBOX_DAY)
    offer = operator_client.get(reverse("dids:buy_back", args=[tn]), **HTMX).content.decode()
    assert "Buy it back" in offer and "Trunk 1 (8674)" in offer

    bought = operator_client.post(
        reverse("dids:buy_back_submit", args=[tn]), {"endpoint_group": "8674"}, **HTMX
    )

    assert bought["HX-Redirect"] == reverse("dids:detail", args=[tn])
    row = DID.objects.get(tn=tn)
    assert row.gone_at is None and row.endpoint_id == 8674
    assert synced.control.state(f"number/{tn}")["holder"] == "ours"
    returned = ChangeRecord.objects.filter(model="dids.did", object_key=tn).first()
    assert (returned.action, returned.actor) == (ChangeRecord.Action.RETURNED, operator)


@pytest.mark.parametrize("value", ["", "abc", "13550", "8674\x00", "9" * 5000, "<b>8674</b>"])
def test_buy_back_refuses_a_bad_endpoint_group_before_vi(synced, operator_client, value):
    tn = _released_elsewhere(synced)
    synced.control.advance(ONE_SANDBOX_DAY)
    assigns_before = ProviderCall.objects.filter(operation="assignDID").count()

    response = operator_client.post(
        reverse("dids:buy_back_submit", args=[tn]), {"endpoint_group": value}, **HTMX
    )

    assert response.status_code in (200, 400)  # 400: the portal refuses NUL bytes outright
    assert "<b>8674</b>" not in response.content.decode()
    assert ProviderCall.objects.filter(operation="assignDID").count() == assigns_before
    assert DID.objects.get(tn=tn).gone_at is not None


def test_buy_back_of_a_number_still_on_the_account_is_refused(synced, operator_client):
    tn = owned_number(synced, endpoint_group=8674)["tn"]
    run_dids_sync()

    response = operator_client.post(
        reverse("dids:buy_back_submit", args=[tn]), {"endpoint_group": "8674"}, **HTMX
    )

    assert 'data-testid="buy-back-not-needed"' in response.content.decode()
    assert not ProviderCall.objects.filter(operation="assignDID").exists()


def test_a_viewer_is_offered_no_buy_back_and_may_not_post_one(synced, viewer_client):
    tn = _released_elsewhere(synced)
    assert (
        f"dids/{tn}/buy-back/"
        not in viewer_client.get(reverse("dids:detail", args=[tn])).content.decode()
    )
    assert (
        viewer_client.post(
            reverse("dids:buy_back_submit", args=[tn]), {"endpoint_group": "8674"}
        ).status_code
        == 403
    )


# --- DID groups by name -----------------------------------------------------------------------


def test_a_typed_name_with_a_group_picked_is_an_error_and_nothing_is_created(
    synced, operator_client
):
    tn = owned_number(synced, did_group_id=None)["tn"]
    existing = DIDGroup.objects.order_by("vi_id").first()
    groups_before = len(synced.control.state("did_groups"))

    both = {"did_group": str(existing.vi_id), "new_group_name": "Night shift"}
    response = _panel(operator_client, tn, "did_group", both)

    page = response.content.decode()
    assert "pick “A new group”" in page and 'data-testid="saved"' not in page
    assert len(synced.control.state("did_groups")) == groups_before
    assert synced.control.state(f"number/{tn}")["did_group_id"] is None


def test_a_new_group_is_created_by_name_then_offered_by_name(synced, operator_client):
    tn = owned_number(synced, did_group_id=None)["tn"]

    response = _panel(
        operator_client, tn, "did_group", {"did_group": "new", "new_group_name": "  Night   shift "}
    )

    page = response.content.decode()
    assert 'data-testid="saved"' in page
    group = DIDGroup.objects.get(name="Night shift")
    assert synced.control.state(f"number/{tn}")["did_group_id"] == group.vi_id
    assert (
        f"Night shift ({group.vi_id})" in page
    )  # the picker lists it, and the status row names it
    assert 'data-testid="summary-did-group">Night shift' in page


def test_typing_the_name_of_an_existing_group_uses_it_instead_of_making_a_twin(
    synced, operator_client
):
    tn = owned_number(synced, did_group_id=None)["tn"]
    existing = DIDGroup.objects.order_by("vi_id").first()
    groups_before = len(synced.control.state("did_groups"))

    _panel(
        operator_client,
        tn,
        "did_group",
        {"did_group": "new", "new_group_name": existing.name.upper()},
    )

    assert len(synced.control.state("did_groups")) == groups_before
    assert synced.control.state(f"number/{tn}")["did_group_id"] == existing.vi_id


@pytest.mark.parametrize(
    "data",
    [
        {"did_group": "new", "new_group_name": "\x00"},
        {"did_group": "new", "new_group_name": "A" * 100_000},
        {"did_group": "new", "new_group_name": ""},
        {"did_group": "abc"},
        {"did_group": "999999"},
        {"did_group": ["999998", "<b>1</b>"]},
        {},
    ],
)
def test_did_group_hostile_values_are_refused_before_vi(synced, operator_client, data):
    tn = owned_number(synced, did_group_id=None)["tn"]
    calls_before = ProviderCall.objects.count()

    response = _panel(operator_client, tn, "did_group", data)

    assert (
        response.status_code in (200, 400)
        and 'data-testid="saved"' not in response.content.decode()
    )
    assert ProviderCall.objects.count() == calls_before


def test_a_group_name_with_html_is_kept_as_text(synced, operator_client):
    tn = owned_number(synced, did_group_id=None)["tn"]

    _panel(
        operator_client,
        tn,
        "did_group",
        {"did_group": "new", "new_group_name": "<script>x()</script>"},
    )

    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert "<script>x()</script>" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page


# --- one caller-ID name limit -----------------------------------------------------------------


def test_the_caller_id_name_hint_and_error_give_the_same_limit(synced, operator_client):
    tn = owned_number(synced, cnam_storage=True)["tn"]
    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert "1 to 15 letters, digits or spaces" in page

    response = _panel(operator_client, tn, "cnam_name", {"name": "A" * 16}).content.decode()

    assert "A caller-ID name is 1 to 15 letters, digits or spaces." in response
    assert "40" not in response.replace(tn, "")
    assert "at most" not in response


def test_a_15_character_name_is_accepted(synced, operator_client):
    tn = owned_number(synced, cnam_storage=True)["tn"]
    response = _panel(
        operator_client, tn, "cnam_name", {"name": "ABCDEFGHIJ KLMN"}
    ).content.decode()
    assert 'data-testid="saved"' in response
    assert synced.control.state(f"number/{tn}")["cnam_name"] == "ABCDEFGHIJ KLMN"


@pytest.mark.parametrize("value", HOSTILE_TEXTS)
def test_caller_id_name_hostile_values_never_reach_vi(synced, operator_client, value):
    tn = owned_number(synced, cnam_storage=True)["tn"]
    calls_before = ProviderCall.objects.count()

    response = _panel(operator_client, tn, "cnam_name", {"name": value})

    assert (
        response.status_code in (200, 400)
        and 'data-testid="saved"' not in response.content.decode()
    )
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert ProviderCall.objects.count() == calls_before


# --- names, not ids; the status row follows the row --------------------------------------------


def test_a_panel_save_updates_the_status_rows_in_the_same_answer_by_name(synced, operator_client):
    tn = owned_number(synced, endpoint_group=8674)["tn"]
    page = operator_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert "calls go to Trunk 1 (8674)" in page

    response = _panel(operator_client, tn, "configure", {"endpoint_group": "8675"}).content.decode()

    assert 'id="did-summary"' in response and 'hx-swap-oob="true"' in response
    assert "calls go to Trunk 2 (8675)" in response
    assert (
        'data-testid="summary-endpoint-group">Trunk 2 (<span data-testid="summary-endpoint">8675</span>)'
        in response
    )
    # The endpoint group picker names the groups too.
    assert ">Trunk 1 (8674)</option>" in response


def test_history_names_fields_and_groups_in_plain_words(synced, operator_client):
    tn = owned_number(synced, endpoint_group=8674)["tn"]
    _panel(operator_client, tn, "configure", {"endpoint_group": "8675"})

    history = operator_client.get(
        reverse("dids:detail", args=[tn]), {"part": "history"}, **HTMX
    ).content.decode()

    assert "Endpoint group</span> changed from Trunk 1 (8674) to Trunk 2 (8675)" in history
    assert "endpoint_id" not in history


# --- the admin --------------------------------------------------------------------------------


def test_admin_offers_groups_by_name_and_a_refusal_saves_nothing(synced, administrator_client):
    row = DID.objects.get(tn=owned_number(synced, endpoint_group=8674)["tn"])
    url = reverse("admin:dids_did_change", args=[row.pk])
    form = administrator_client.get(url).content.decode()
    assert "Trunk 2 (8675)" in form and "inactive at VI" in form
    history_before = _history_count(row.tn)

    response = administrator_client.post(
        url,
        {
            "endpoint_id": "8676",
            "cnam_name": row.cnam_name,
            "forward": row.forward,
            "failover": row.failover,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "VI refused this change, so it was not saved" in page and "105258" in page
    row.refresh_from_db()
    assert row.endpoint_id == 8674 and _history_count(row.tn) == history_before
    assert synced.control.state(f"number/{row.tn}")["endpoint_group"] == 8674


@pytest.mark.parametrize("value", ["abc", "-5", "99999999999", "<b>8675</b>", "8675.0"])
def test_admin_group_fields_refuse_hostile_values_before_vi(synced, administrator_client, value):
    row = DID.objects.get(tn=owned_number(synced, endpoint_group=8674)["tn"])
    calls_before = ProviderCall.objects.count()

    response = administrator_client.post(
        reverse("admin:dids_did_change", args=[row.pk]),
        {
            "endpoint_id": value,
            "did_group_id": value,
            "cnam_name": row.cnam_name,
            "forward": row.forward,
        },
    )

    assert response.status_code == 200
    assert "<b>8675</b>" not in response.content.decode()
    assert ProviderCall.objects.count() == calls_before
    row.refresh_from_db()
    assert row.endpoint_id == 8674


def test_history_of_a_gone_number_says_when_in_local_time_without_empty_lines(
    synced, operator_client
):
    tn = _released_elsewhere(synced)

    history = operator_client.get(
        reverse("dids:detail", args=[tn]), {"part": "history"}, **HTMX
    ).content.decode()

    assert "Left the account</span> set to 20" in history
    assert "+00:00" not in history and "T" + "00:" not in history
    assert "set to —" not in history and "from — to —" not in history


def test_admin_list_and_history_name_the_groups(synced, administrator_client):
    row = DID.objects.get(tn=owned_number(synced, endpoint_group=8674)["tn"])
    from dids import services

    services.dids_configure(tns=[row.tn], endpoint_id=8675, actor=None, source=Source.ADMIN)

    listing = administrator_client.get(
        reverse("admin:dids_did_changelist"), {"q": row.tn}
    ).content.decode()
    change = administrator_client.get(
        reverse("admin:dids_did_change", args=[row.pk])
    ).content.decode()

    assert "Trunk 2 (8675)" in listing
    assert "Endpoint group: Trunk 1 (8674) → Trunk 2 (8675)" in change
