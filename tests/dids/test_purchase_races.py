"""Two people at the company buying the same number at the same moment (issue 12, item 6).

Both act for one VI account, so VI sells the number once and answers the second assign
"already assigned to you" (104225), keeping the first purchase's endpoint group and
reference. Real threads, real PostgreSQL transactions (transaction=True), the sandbox over
HTTP: exactly one purchase, the mirror says what VI says, history credits the buyer, both
people get a plain answer and nobody gets a server error.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dids import services
from dids.models import DID, Reservation
from portal.models import ChangeRecord, Source

from .conftest import run_dids_sync

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "reservation-tray"}


@pytest.fixture
def second_operator(roles, django_user_model, fast_password_hashing):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="olga.operator", password="x", email="olga@example.com"
    )
    user.groups.add(Group.objects.get(name="Operator"))
    return user


def _at_once(*work):
    """Run each callable in its own thread, released together; return their results in order."""
    barrier = threading.Barrier(len(work))
    results: list = [None] * len(work)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as error:  # reported by the test, not swallowed
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _bought_rows(tn: str) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(model="dids.did", object_key=tn, note="Bought"))


def test_two_assigns_of_one_number_at_once_make_one_purchase_credited_to_the_buyer(
    sandbox, operator, second_operator
):
    assert run_dids_sync().status == "succeeded"
    # Several numbers, each bought by both people at once: any interleaving of the two
    # purchases' database writes must end the same way.
    tns = sandbox.control.state("numbers/available")[:4]
    for tn in tns:
        first, second = _at_once(
            lambda tn=tn: services.dids_assign(
                tns=[tn], endpoint_id=8674, ref_id="otto-order", actor=operator, source=Source.STAFF
            ),
            lambda tn=tn: services.dids_assign(
                tns=[tn],
                endpoint_id=8675,
                ref_id="olga-order",
                actor=second_operator,
                source=Source.STAFF,
            ),
        )
        assert not isinstance(first, BaseException), first
        assert not isinstance(second, BaseException), second
        [mine], [theirs] = first, second
        assert sorted([mine.ok, theirs.ok]) == [False, True], (mine, theirs)
        winner_outcome, loser_outcome = (mine, theirs) if mine.ok else (theirs, mine)
        winner = operator if mine.ok else second_operator

        # The loser is told in plain words, and who bought it when the portal knows.
        assert loser_outcome.already_owned and loser_outcome.code == "104225"
        assert "already holds this number" in loser_outcome.message
        assert winner_outcome.code == "100" and not winner_outcome.already_owned

        # VI sold it once, with the winner's values; the mirror says the same.
        at_vi = sandbox.control.state(f"number/{tn}")
        assert at_vi["holder"] == "ours"
        row = DID.objects.get(tn=tn)
        assert (row.endpoint_id, row.ref_id) == (at_vi["endpoint_group"], at_vi["ref_id"])
        assert row.ref_id == ("otto-order" if winner == operator else "olga-order")

        # History: one "Bought" row, for the one who bought it.
        [bought] = _bought_rows(tn)
        assert bought.actor == winner


def test_two_people_clicking_assign_at_once_both_get_a_page_and_one_purchase(
    sandbox, operator, second_operator
):
    """The same race through the whole Django stack: two signed-in people, two requests."""
    assert run_dids_sync().status == "succeeded"
    [tn] = sandbox.control.state("numbers/available")[:1]
    services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)
    clients = []
    for person in (operator, second_operator):
        client = Client(raise_request_exception=False)
        client.force_login(person)
        clients.append(client)

    def click_assign(client, endpoint, ref):
        return lambda: client.post(
            reverse("dids:assign"), {"tns": tn, "endpoint_group": endpoint, "ref_id": ref}, **HTMX
        )

    responses = _at_once(
        click_assign(clients[0], "8674", "otto-order"),
        click_assign(clients[1], "8675", "olga-order"),
    )

    assert [response.status_code for response in responses] == [200, 200]
    pages = [response.content.decode() for response in responses]
    assert sum('data-ok="yes"' in page for page in pages) == 1
    assert sum('data-already-owned="yes"' in page for page in pages) == 1
    # Both link to the number's page: it is the account's either way.
    assert all(reverse("dids:detail", args=[tn]) in page for page in pages)
    assert len(_bought_rows(tn)) == 1
    at_vi = sandbox.control.state(f"number/{tn}")
    row = DID.objects.get(tn=tn)
    assert (row.endpoint_id, row.ref_id) == (at_vi["endpoint_group"], at_vi["ref_id"])
    # The reservation ended with the purchase: its countdown is gone from both trays.
    assert not Reservation.objects.filter(tn=tn, ended_at__isnull=True).exists()
    assert all('data-testid="countdown"' not in page for page in pages)


def test_already_yours_corrects_a_stale_mirror_from_vi_not_from_the_request(synced, operator):
    """An assign VI answers 104225 for a number bought long ago: the mirror takes VI's values,
    and no "Bought" row is written for the second person."""
    owned = synced.control.state("numbers/owned")[0]
    tn = owned["tn"]
    DID.objects.filter(tn=tn).update(ref_id="stale")
    bought_before = len(_bought_rows(tn))

    [outcome] = services.dids_assign(
        tns=[tn], endpoint_id=8675, ref_id="second-try", actor=operator, source=Source.STAFF
    )

    assert not outcome.ok and outcome.already_owned
    row = DID.objects.get(tn=tn)
    assert (row.endpoint_id, row.ref_id) == (owned["endpoint_group"], owned["ref_id"])
    assert len(_bought_rows(tn)) == bought_before
    [corrected] = ChangeRecord.objects.filter(
        model="dids.did", object_key=tn, note__startswith="Read back"
    )
    assert corrected.changes["ref_id"] == ["stale", owned["ref_id"]]
