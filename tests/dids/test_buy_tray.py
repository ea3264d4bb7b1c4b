"""The buy page's reservation tray and the release confirmation, through the views, against
the sandbox over HTTP and PostgreSQL (issue 11: items 2 and 7)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dids import services
from dids.models import DID, Reservation
from dids.reservations import reservations_outstanding
from portal.models import ProviderCall, Source

pytestmark = pytest.mark.django_db

TRAY = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "reservation-tray"}


def _available(sandbox, count: int) -> list[str]:
    return sandbox.control.state("numbers/available")[:count]


# --- the tray ------------------------------------------------------------------------------------


def test_a_reservation_is_still_listed_when_the_page_is_opened_again(
    synced, operator_client, operator
):
    [tn] = _available(synced, 1)
    answer = operator_client.post(reverse("dids:reserve"), {"tns": tn}, **TRAY).content.decode()
    assert f'data-tn="{tn}" data-ok="yes"' in answer
    assert "Reserved until" in answer

    page = operator_client.get(reverse("dids:buy")).content.decode()

    assert 'data-testid="reserved-list"' in page and f'<tr data-tn="{tn}">' in page
    assert 'data-testid="countdown"' in page
    [reservation] = Reservation.objects.filter(tn=tn)
    assert reservation.reserved_by == operator and reservation.ended_at is None
    assert synced.control.state(f"number/{tn}")["reserved_by"] == "ours"


def test_a_colleague_sees_the_reservation_and_can_buy_it(synced, operator, administrator_client):
    [tn] = _available(synced, 1)
    services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)

    page = administrator_client.get(reverse("dids:buy")).content.decode()
    assert f'<tr data-tn="{tn}">' in page and operator.username in page

    bought = administrator_client.post(
        reverse("dids:assign"), {"tns": tn, "endpoint_group": "8674"}, **TRAY
    ).content.decode()
    assert f'data-tn="{tn}" data-ok="yes"' in bought
    assert f'href="{reverse("dids:detail", args=[tn])}"' in bought
    assert 'data-testid="countdown"' not in bought  # the bought number's clock is gone
    assert Reservation.objects.get(tn=tn).end_reason == "bought"
    assert reservations_outstanding() == []


def test_expired_reservations_and_numbers_already_held_leave_the_tray(synced, operator):
    waiting, bought_elsewhere = _available(synced, 2)
    services.dids_reserve(tns=[waiting, bought_elsewhere], actor=operator, source=Source.STAFF)
    DID.objects.create(tn=bought_elsewhere)  # the mirror learned of it some other way (a sync)
    assert [row.tn for row in reservations_outstanding()] == [waiting]

    later = timezone.now() + datetime.timedelta(minutes=services.RESERVATION_MINUTES, seconds=1)
    assert reservations_outstanding(now=later) == []


def test_reserving_a_number_twice_keeps_one_reservation_and_says_so(
    synced, operator, administrator
):
    [tn] = _available(synced, 1)
    [first] = services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)
    [again] = services.dids_reserve(tns=[tn], actor=administrator, source=Source.STAFF)

    assert first.ok and first.expires_at
    assert again.ok and again.code == "103220" and operator.username in again.message
    assert again.expires_at == first.expires_at  # VI did not extend it; neither does the portal
    assert Reservation.objects.filter(tn=tn, ended_at__isnull=True).count() == 1


def test_reserving_a_number_the_account_holds_is_no_reservation(synced, operator):
    tn = synced.control.state("numbers/owned")[0]["tn"]
    [outcome] = services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)
    assert not outcome.ok and outcome.already_owned
    assert not Reservation.objects.filter(tn=tn).exists()


def test_releasing_a_reserved_number_lets_the_reservation_go(synced, operator, administrator):
    [tn] = _available(synced, 1)
    services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)
    [outcome] = services.dids_release(tns=[tn], actor=administrator, source=Source.STAFF)
    assert outcome.ok
    assert Reservation.objects.get(tn=tn).end_reason == "let go"
    assert reservations_outstanding() == []


def test_nothing_ticked_is_said_in_the_tray(synced, operator_client):
    calls = ProviderCall.objects.count()
    for url in ("dids:reserve", "dids:assign"):
        answer = operator_client.post(
            reverse(url), {"endpoint_group": "8674"}, **TRAY
        ).content.decode()
        assert 'data-testid="buy-notice"' in answer and "Select at least one number" in answer
    assert ProviderCall.objects.count() == calls


HOSTILE_NUMBERS = {
    "nul": "435215\x004006",
    "huge": "4" * 100_000,
    "html": ["<script>alert(1)</script>", "12"],
    "wrong-type": ["", "[]", "{}"],
}
HOSTILE_ASSIGN_FIELDS = {
    "group-html": {"endpoint_group": "<script>alert(1)</script>"},
    "group-not-ours": {"endpoint_group": "999999999999999999999"},
    "group-nul": {"endpoint_group": "86\x0074"},
    "ref-huge": {"endpoint_group": "8674", "ref_id": "x" * 100_000},
    "ref-nul": {"endpoint_group": "8674", "ref_id": "nul\x00here"},
}


def _refused_without_vi(client, url, values) -> None:
    calls = ProviderCall.objects.count()
    response = client.post(reverse(url), values, **TRAY)
    # 400: the portal's middleware refuses a NUL anywhere; otherwise the tray says what is wrong.
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert "<script>alert" not in page
    if response.status_code == 200:
        assert 'role="alert"' in page
    assert ProviderCall.objects.count() == calls


@pytest.mark.parametrize("tns", HOSTILE_NUMBERS.values(), ids=HOSTILE_NUMBERS.keys())
def test_hostile_numbers_never_reach_vi_nor_break_the_tray(synced, operator_client, tns):
    _refused_without_vi(operator_client, "dids:reserve", {"tns": tns})
    _refused_without_vi(operator_client, "dids:assign", {"tns": tns, "endpoint_group": "8674"})


@pytest.mark.parametrize("fields", HOSTILE_ASSIGN_FIELDS.values(), ids=HOSTILE_ASSIGN_FIELDS.keys())
def test_hostile_assign_fields_never_reach_vi_nor_break_the_tray(synced, operator_client, fields):
    [tn] = _available(synced, 1)
    _refused_without_vi(operator_client, "dids:assign", {"tns": tn, **fields})
    assert not DID.objects.filter(tn=tn).exists()


def test_a_refused_assign_names_its_fields_as_the_form_labels_them(synced, operator_client):
    [tn] = _available(synced, 1)
    answer = operator_client.post(
        reverse("dids:assign"), {"tns": tn, "endpoint_group": "not-a-group"}, **TRAY
    )
    page = answer.content.decode()
    assert "Endpoint group:" in page
    assert "endpoint_group:" not in page and "tns:" not in page


def test_a_reference_with_markup_is_shown_as_text(synced, operator_client, operator):
    [tn] = _available(synced, 1)
    services.dids_reserve(tns=[tn], ref_id="<b>order</b>", actor=operator, source=Source.STAFF)
    page = operator_client.get(reverse("dids:buy")).content.decode()
    assert "&lt;b&gt;order&lt;/b&gt;" in page and "<b>order</b>" not in page


# --- POST-only addresses reached by GET ------------------------------------------------------------


@pytest.mark.parametrize(
    "name, page",
    [
        ("dids:reserve", "dids:buy"),
        ("dids:assign", "dids:buy"),
        ("dids:inventory_add", "dids:inventory"),
    ],
)
def test_a_get_on_a_buy_write_address_leads_back_to_its_form(synced, operator_client, name, page):
    response = operator_client.get(reverse(name))
    assert response.status_code == 302 and response["Location"] == reverse(page)


def test_a_get_on_the_release_address_after_a_wrong_count_leads_back_to_the_release_page(
    synced, administrator_client
):
    tn = synced.control.state("numbers/owned")[0]["tn"]
    wrong = administrator_client.post(
        reverse("dids:release_submit"), {"tns": tn, "confirm_count": "7"}
    )
    assert "Type 1 to confirm" in wrong.content.decode()

    again = administrator_client.get(reverse("dids:release_submit"), follow=True)

    assert again.status_code == 200
    assert again.request["PATH_INFO"] == reverse("dids:release")
    assert 'data-testid="release-nothing-chosen"' in again.content.decode()


# --- bulk release: POST, the token never in an address ---------------------------------------------


def test_the_bulk_release_button_posts_and_the_confirmation_reads_the_posted_numbers(
    synced, administrator_client
):
    listing = administrator_client.get(reverse("dids:list")).content.decode()
    button = next(line for line in listing.splitlines() if "Release…" in line)
    assert 'formmethod="post"' in button and 'formmethod="get"' not in button

    tns = [number["tn"] for number in synced.control.state("numbers/owned")[:2]]
    confirm = administrator_client.post(
        reverse("dids:release"), {"tns": tns, "endpoint_group": "", "csrfmiddlewaretoken": "x"}
    )

    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert all(f'<tr data-tn="{tn}">' in page for tn in tns)
    assert 'name="confirm_count"' in page
    assert all(
        synced.control.state(f"number/{tn}")["holder"] == "ours" for tn in tns
    )  # only a confirmation


def test_the_bulk_release_confirmation_is_for_administrators_only(synced, operator_client):
    tn = synced.control.state("numbers/owned")[0]["tn"]
    assert operator_client.post(reverse("dids:release"), {"tns": tn}).status_code == 403


def test_vi_unreachable_is_said_in_the_tray_and_nothing_is_recorded(synced, operator_client):
    [tn] = _available(synced, 1)
    synced.control.fault("http500", operation="reserveDID")
    answer = operator_client.post(reverse("dids:reserve"), {"tns": tn}, **TRAY).content.decode()
    assert 'data-testid="buy-notice"' in answer and "VI could not be reached" in answer
    assert "Nothing was changed." in answer
    assert not Reservation.objects.exists()

    synced.control.fault("http500", operation="assignDID")
    answer = operator_client.post(
        reverse("dids:assign"), {"tns": tn, "endpoint_group": "8674"}, **TRAY
    ).content.decode()
    assert "VI could not be reached" in answer and "Nothing was changed." in answer
    assert not DID.objects.filter(tn=tn).exists()
