"""Numbers over the API: the list's filters and cursor, one number, PATCH through the same
services as the number page (same history, same provider log), inventory at VI."""

import pytest

from dids.models import DID, EndpointGroup
from portal.models import ProviderCall
from tests.api.conftest import problem
from tests.api.footprint import footprint

pytestmark = pytest.mark.django_db

NUMBERS = "/api/v1/numbers/"


def _owned(n=2):
    return list(
        DID.objects.filter(gone_at__isnull=True).exclude(endpoint_id=None).order_by("tn")[:n]
    )


def test_list_pages_with_a_cursor_and_shows_e164(viewer_api, synced):
    first = viewer_api.get(NUMBERS, page_size=20)
    assert first.status_code == 200
    body = first.json()
    assert len(body["results"]) == 20 and body["next_cursor"]
    assert all(
        row["number"].startswith("+1") and len(row["number"]) == 12 for row in body["results"]
    )
    second = viewer_api.get(NUMBERS, page_size=20, cursor=body["next_cursor"]).json()
    seen = [row["number"] for row in body["results"] + second["results"]]
    assert len(seen) == len(set(seen)) and seen == sorted(seen)
    total = DID.objects.filter(gone_at__isnull=True).count()
    everything = []
    cursor = ""
    while True:
        page = viewer_api.get(
            NUMBERS, page_size=500, **({"cursor": cursor} if cursor else {})
        ).json()
        everything += page["results"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(everything) == total


def test_list_filters_like_the_list_page(viewer_api, synced):
    did = _owned(1)[0]
    by_state = viewer_api.get(NUMBERS, state=did.state, page_size=500).json()["results"]
    assert by_state and all(row["state"] == did.state for row in by_state)
    assert len(by_state) == DID.objects.filter(gone_at__isnull=True, state=did.state).count()
    by_digits = viewer_api.get(NUMBERS, q=did.tn[-6:]).json()["results"]
    assert f"+1{did.tn}" in [row["number"] for row in by_digits]
    group = viewer_api.get(NUMBERS, endpoint_group=did.endpoint_id, page_size=500).json()["results"]
    assert group and {row["endpoint_group"] for row in group} == {did.endpoint_id}
    descending = viewer_api.get(NUMBERS, sort="-tn", page_size=5).json()["results"]
    assert [row["number"] for row in descending] == sorted(
        (row["number"] for row in descending), reverse=True
    )


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "0"},
        {"page_size": "x"},
        {"endpoint_group": "-1"},
        {"sort": "password"},
        {"features": "nope"},
        {"q": "x" * 5000},
        {"endpoint_group": "99999999999999999999"},
        {"show": "<script>"},
    ],
)
def test_bad_list_queries_are_400_problems(viewer_api, synced, query):
    response = viewer_api.get(NUMBERS, **query)
    assert response.status_code == 400
    body = problem(response)
    assert body["type"] == "/api/problems/invalid-request" and body["errors"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjogMX0", "%00", "W1tdLCBbXV0"])
def test_crafted_cursors_never_fail(viewer_api, synced, cursor):
    assert viewer_api.get(NUMBERS, cursor=cursor).status_code in (200, 400)


def test_detail_by_e164_and_unknown_or_malformed_numbers_are_404(viewer_api, synced):
    did = _owned(1)[0]
    body = viewer_api.get(f"{NUMBERS}+1{did.tn}/").json()
    assert body["number"] == f"+1{did.tn}" and body["endpoint_group"] == did.endpoint_id
    for bad in ["+19999999999", did.tn, "<b>", "1" * 500, "+1" + did.tn + "0"]:
        response = viewer_api.get(f"{NUMBERS}{bad}/")
        assert response.status_code == 404, bad
        problem(response)


def test_patch_is_refused_to_a_viewer_and_sends_nothing_to_vi(viewer_api, synced):
    did = _owned(1)[0]
    before = ProviderCall.objects.count()
    response = viewer_api.patch(f"{NUMBERS}+1{did.tn}/", {"failover": "+14352150000"})
    assert response.status_code == 403
    assert problem(response)["type"] == "/api/problems/forbidden"
    assert ProviderCall.objects.count() == before


def twin_numbers():
    """Two owned numbers alike in every setting a write may change, so their history matches."""
    fields = (
        "endpoint_id",
        "cnam",
        "cnam_name",
        "cnam_storage_active",
        "forward",
        "failover",
        "did_group_id",
    )
    seen = {}
    for did in DID.objects.filter(gone_at__isnull=True).exclude(endpoint_id=None).order_by("tn"):
        key = tuple(getattr(did, name) for name in fields)
        if key in seen:
            return seen[key], did
        seen[key] = did
    raise AssertionError("the test seed has no two numbers alike")


def test_patch_leaves_the_same_history_and_provider_log_as_the_page(
    operator, operator_api, operator_client, synced
):
    page_did, api_did = twin_numbers()
    group = (
        EndpointGroup.objects.exclude(vi_id=page_did.endpoint_id).first()
        or EndpointGroup.objects.first()
    )
    steps = [
        ("failover", {"failover": "4352150000"}, {"failover": "+14352150000"}),
        ("cnam_name", {"name": "ACME SUPPORT"}, {"caller_id_name": "ACME SUPPORT"}),
        (
            "configure",
            {"endpoint_group": str(group.vi_id), "cnam": "on"},
            {"endpoint_group": group.vi_id, "cnam_dip": True},
        ),
        ("forward", {"forward": "4352150001"}, {"forward": "+14352150001"}),
    ]
    for panel, form, body in steps:
        with footprint() as by_page:
            response = operator_client.post(
                f"/numbers/{page_did.tn}/panels/{panel}/submit/",
                form,
                headers={"HX-Request": "true"},
            )
            assert response.status_code == 200
        with footprint() as by_api:
            response = operator_api.patch(f"{NUMBERS}+1{api_did.tn}/", body)
            assert response.status_code == 200, response.content
        assert by_page.history and by_page.calls, panel
        assert by_api.normalised({api_did.tn: "TN"}) == by_page.normalised({page_did.tn: "TN"}), (
            panel
        )
    after = operator_api.get(f"{NUMBERS}+1{api_did.tn}/").json()
    assert after["failover"] == "+14352150000" and after["caller_id_name"] == "ACME SUPPORT"
    assert (
        after["forward"] == "+14352150001"
        and after["endpoint_group"] == group.vi_id
        and after["cnam_dip"] is True
    )
    referenced = operator_api.patch(f"{NUMBERS}+1{api_did.tn}/", {"reference": "crm-77"})
    assert referenced.status_code == 200 and referenced.json()["reference"] == "crm-77"
    cleared = operator_api.patch(
        f"{NUMBERS}+1{api_did.tn}/", {"failover": None, "caller_id_name": ""}
    ).json()
    assert cleared["failover"] is None and cleared["caller_id_name"] == ""


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"failover": "4352150000"},
        {"failover": 4352150000},
        {"caller_id_name": "<script>x</script>"},
        {"caller_id_name": "x" * 5000},
        {"endpoint_group": 2**40},
        {"endpoint_group": 999999},
        {"did_group": "one"},
        {"cnam_dip": "maybe"},
        {"caller_id_name": "a\x00b"},
        {"reference": "a\tb"},
        {"reference": "r" * 101},
        {"reference": ["x"]},
        [],
        "null",
        {"forward": "+11234567890"},
        {"failover": "+442079460958"},
    ],
)
def test_hostile_patches_are_400_and_reach_no_vi(operator_api, synced, body):
    did = _owned(1)[0]
    before = ProviderCall.objects.count()
    response = operator_api.patch(f"{NUMBERS}+1{did.tn}/", body)
    assert response.status_code == 400, (body, response.content)
    assert problem(response)["type"] in (
        "/api/problems/invalid-request",
        "/api/problems/malformed-request",
    )
    assert ProviderCall.objects.count() == before


def test_a_services_refusal_is_a_problem_in_the_pages_words(operator_api, synced):
    did = _owned(1)[0]
    # A forward to the number itself is refused before VI (the page's rule, same words).
    response = operator_api.patch(f"{NUMBERS}+1{did.tn}/", {"forward": f"+1{did.tn}"})
    assert response.status_code == 400
    assert "itself" in problem(response)["detail"]


def test_inventory_search_and_counts_ask_vi_as_the_user(operator, operator_api, synced):
    response = operator_api.get("/api/v1/inventory/numbers/", state="UT")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results and all(row["number"].startswith("+1") for row in results)
    assert ProviderCall.objects.filter(operation__in=["getDIDs"], actor=operator).exists()
    counts = operator_api.get("/api/v1/inventory/counts/", state="UT").json()["results"]
    assert counts and all(row["count"] >= 0 for row in counts)


def test_inventory_search_needs_a_criterion_like_the_page(operator_api, synced):
    response = operator_api.get("/api/v1/inventory/numbers/")
    assert response.status_code == 400
    assert "at least" in problem(response)["detail"]
    assert operator_api.get("/api/v1/inventory/numbers/", npa="123").status_code == 400


def test_clients_read_only(viewer_api, synced):
    from dids.models import Client

    clients = viewer_api.get("/api/v1/clients/").json()
    assert len(clients) == Client.objects.filter(gone_at__isnull=True).count() and clients
    one = viewer_api.get(f"/api/v1/clients/{clients[0]['id']}/").json()
    assert one == clients[0]
    assert viewer_api.get("/api/v1/clients/<b>nope</b>/").status_code == 404
    assert viewer_api.post("/api/v1/clients/", {}).status_code == 405


def test_vi_refusing_is_a_problem_with_vis_code_and_words(operator_api, synced):
    did = _owned(1)[0]
    synced.control.fault("auth", operation="UpdateDIDFailover")
    response = operator_api.patch(f"{NUMBERS}+1{did.tn}/", {"failover": "+14352150000"})
    assert response.status_code == 422, response.content
    body = problem(response)
    assert (
        body["type"] == "/api/problems/vi-refused"
        and body["vi_code"] == "902"
        and body["vi_message"]
    )
    # The words a page shows for the same refusal (portal.staff_errors).
    assert body["detail"] == f"VI said: {body['vi_message']} (code 902)"
    from tests.fixtures.sandbox import SECRET

    assert SECRET not in response.content.decode()


def test_vi_unreachable_is_a_503_problem_and_changes_nothing(operator_api, synced):
    did = _owned(1)[0]
    synced.control.fault("http500", operation="UpdateDIDFailover")
    response = operator_api.patch(f"{NUMBERS}+1{did.tn}/", {"failover": "+14352150000"})
    assert response.status_code == 503
    assert problem(response)["type"] == "/api/problems/vi-unavailable" and response["Retry-After"]
    detail = problem(response)["detail"]
    assert detail.startswith("VI could not be reached: ") and detail.endswith(
        "Nothing was changed."
    )
    assert DID.objects.get(tn=did.tn).failover == did.failover
