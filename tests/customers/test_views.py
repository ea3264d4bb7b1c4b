"""/customers/, a client's page, the numbers list's client column and filter, and moving
numbers between clients, over HTTP against the sandbox."""

import csv
import io
import json

import pytest

from dids.models import DID, Client
from dids.selectors import client_numbers
from portal.models import ChangeRecord, Source
from tests.dids.conftest import run_dids_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def mirrored(sandbox):
    assert run_dids_sync().status == "succeeded"
    return sandbox


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_customers_lists_every_client_with_its_figures(mirrored, viewer_client):
    response = viewer_client.get("/customers/")

    assert response.status_code == 200
    body = response.content.decode()
    for client in Client.objects.all():
        assert client.name in body
    main = Client.objects.get(vi_id="1")
    owned = client_numbers(client=main).count()
    assert 'data-client="1"' in body
    summaries = response.context["summaries"]
    by_id = {s.vi_id: s for s in summaries}
    assert by_id["1"].owned == owned
    assert by_id["1"].coverage_911 == round(
        100 * client_numbers(client=main).filter(has911=True).count() / owned
    )
    assert by_id["4"].owned == 0 and by_id["4"].coverage_911 is None
    # Every number of the seed is new this month (first seen at the sync).
    assert by_id["1"].added == owned


def test_customers_sort_and_filter_by_name(mirrored, viewer_client):
    by_numbers = viewer_client.get("/customers/?sort=-owned").context["summaries"]
    assert [s.owned for s in by_numbers] == sorted((s.owned for s in by_numbers), reverse=True)
    found = viewer_client.get("/customers/?q=dental").context["summaries"]
    assert [s.name for s in found] == ["Riverside Dental"]


@pytest.mark.parametrize("hostile", ["\x00", "x" * 5000, "<script>alert(1)</script>", "[]"])
def test_customers_hostile_filters_are_plain_pages(mirrored, viewer_client, hostile):
    response = viewer_client.get("/customers/", {"q": hostile, "sort": hostile})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_customers_csv_is_neutralised(mirrored, viewer_client):
    Client.objects.filter(vi_id="4").update(name='=HYPERLINK("http://evil")')
    rows = _csv(viewer_client.get("/customers/export.csv"))
    assert rows[0][:3] == ["client id", "client", "numbers"]
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    assert "Main Office" in names


def test_a_clients_page_shows_its_groups_problems_and_numbers_link(mirrored, viewer_client):
    main = Client.objects.get(vi_id="1")
    response = viewer_client.get("/customers/1/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Main Office" in body
    for group_id in main.endpoint_group_ids:
        assert f'data-group="{group_id}"' in body
    assert "/numbers/?client=1" in body
    problems = {problem.key: problem for problem in response.context["problems"]}
    without_911 = client_numbers(client=main).filter(has911=False).count()
    if without_911:
        assert problems["no_911"].count == without_911
    assert viewer_client.get("/customers/999999/").status_code == 404
    assert viewer_client.get("/customers/%3Cscript%3E/").status_code == 404


def test_the_numbers_list_shows_and_filters_by_client(mirrored, viewer_client):
    branch = Client.objects.get(vi_id="2")
    response = viewer_client.get("/numbers/", {"client": "2"})

    assert response.status_code == 200
    tns = {row.tn for row in response.context["page"].rows}
    assert tns and tns <= set(client_numbers(client=branch).values_list("tn", flat=True))
    assert "Branch Customers" in response.content.decode()
    # An unknown client shows no numbers rather than all of them.
    assert not viewer_client.get("/numbers/", {"client": "nobody"}).context["page"].rows
    assert viewer_client.get("/numbers/", {"client": "\x00"}).status_code in (200, 400)


def test_the_number_page_names_its_client(mirrored, viewer_client):
    did = client_numbers(client=Client.objects.get(vi_id="2")).first()
    response = viewer_client.get(f"/numbers/{did.tn}/")
    assert (
        'data-testid="summary-client"><a href="/customers/2/">Branch Customers</a>'
        in response.content.decode()
    )


def test_moving_numbers_asks_first_naming_both_clients_then_moves_each(
    mirrored, operator_client, operator
):
    main, branch = Client.objects.get(vi_id="1"), Client.objects.get(vi_id="2")
    tns = list(client_numbers(client=main).order_by("tn").values_list("tn", flat=True)[:2])
    target = branch.endpoint_group_ids[0]

    asked = operator_client.post(
        "/customers/move/", {"tns": tns, "target_group": target}, HTTP_HX_REQUEST="true"
    )
    body = asked.content.decode()
    assert 'data-testid="move-confirm"' in body
    assert "from Main Office to Branch Customers" in body
    assert set(client_numbers(client=main).filter(tn__in=tns).values_list("tn", flat=True)) == set(
        tns
    )  # not yet

    done = operator_client.post(
        "/customers/move/",
        {"tns": tns, "target_group": target, "confirm": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert json.loads(done["HX-Trigger"]) == {"dids-changed": {}}
    assert done.content.decode().count('data-ok="yes"') == 2
    assert set(
        client_numbers(client=branch).filter(tn__in=tns).values_list("tn", flat=True)
    ) == set(tns)
    # Both clients' pages tell the story.
    moved_out = operator_client.get("/customers/1/").context["history"]
    moved_in = operator_client.get("/customers/2/").context["history"]
    assert {item.tn for item in moved_out if item.what == "Number moved out"} == set(tns)
    assert {item.tn for item in moved_in if item.what == "Number moved in"} == set(tns)
    assert {item.who for item in moved_in if item.tn} == {str(operator)}
    for tn in tns:
        number = mirrored.control.state(f"number/{tn}")
        assert number["endpoint_group"] == target
        change = ChangeRecord.objects.filter(model="dids.did", object_key=tn).latest("at")
        assert change.actor == operator and "endpoint_id" in change.changes


def test_a_move_refused_by_vi_for_one_number_says_so_for_that_number(mirrored, operator_client):
    main, branch = Client.objects.get(vi_id="1"), Client.objects.get(vi_id="2")
    good = client_numbers(client=main).order_by("tn").first().tn
    released = client_numbers(client=main).order_by("-tn").first().tn
    mirrored.control.other("release", tn=released)  # gone at VI, the mirror does not know yet

    done = operator_client.post(
        "/customers/move/",
        {"tns": [good, released], "target_group": branch.endpoint_group_ids[0], "confirm": "yes"},
        HTTP_HX_REQUEST="true",
    )
    body = done.content.decode()
    assert f'data-tn="{good}" data-ok="yes"' in body
    assert f'data-tn="{released}" data-ok="no"' in body
    assert DID.objects.get(tn=released).endpoint_id in main.endpoint_group_ids


@pytest.mark.parametrize("target", ["", "abc", "13550", "\x00", "9" * 40, "<b>1</b>"])
def test_moving_to_anything_but_a_clients_group_is_refused_plainly(
    mirrored, operator_client, target
):
    tn = DID.objects.first().tn
    response = operator_client.post(
        "/customers/move/",
        {"tns": [tn], "target_group": target, "confirm": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 400)
    assert 'data-ok="yes"' not in response.content.decode()
    assert DID.objects.get(tn=tn).locally_changed_at is None


def test_permissions_viewer_reads_operator_moves(mirrored, viewer_client, operator_client):
    assert viewer_client.get("/customers/").status_code == 200
    assert viewer_client.get("/customers/1/").status_code == 200
    tn = DID.objects.first().tn
    assert (
        viewer_client.post("/customers/move/", {"tns": [tn], "target_group": 8675}).status_code
        == 403
    )
    assert (
        operator_client.post(
            "/customers/move/", {"tns": [tn], "target_group": 8675}, HTTP_HX_REQUEST="true"
        ).status_code
        == 200
    )


def test_added_and_released_this_month_count_a_number_bought_and_released_within_it(
    mirrored, viewer_client, operator
):
    from dids import services

    main = Client.objects.get(vi_id="1")
    before = {s.vi_id: s for s in viewer_client.get("/customers/").context["summaries"]}["1"]
    fresh = mirrored.control.state("numbers/available")[0]
    mirrored.control.other("add", tn=fresh, endpointGroup=main.endpoint_group_ids[0])
    assert run_dids_sync().status == "succeeded"
    assert services.dids_release(tns=[fresh], actor=operator, source=Source.STAFF)[0].ok

    after = {s.vi_id: s for s in viewer_client.get("/customers/").context["summaries"]}["1"]
    assert (after.owned, after.added, after.released) == (
        before.owned,
        before.added + 1,
        before.released + 1,
    )
