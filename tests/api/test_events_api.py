"""The events resource: the outbox read by id, the pull side of webhooks.

A staff change made through the API is read back with the cursor, in order and once; hostile
cursors are refused as problems; a token whose user may not view the portal reads nothing.
"""

import pytest

from dids.models import DID, EndpointGroup
from portal.events.models import Event
from tests.api.conftest import api_for, problem

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
NUMBERS = "/api/v1/numbers/"


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _move_and_name_a_number(operator_api) -> DID:
    did = DID.objects.filter(gone_at__isnull=True).exclude(endpoint_id=None).order_by("tn").first()
    other = EndpointGroup.objects.exclude(vi_id=did.endpoint_id).order_by("vi_id").first()
    response = operator_api.patch(
        f"{NUMBERS}+1{did.tn}/", {"endpoint_group": other.vi_id, "caller_id_name": "ACME SUPPORT"}
    )
    assert response.status_code == 200, response.content
    return did


def test_a_staff_change_through_the_api_is_read_in_order_with_the_cursor(
    operator, operator_api, viewer_api, synced
):
    mark = last_event_id()
    did = _move_and_name_a_number(operator_api)

    first = viewer_api.get(EVENTS, after=mark, limit=1)
    assert first.status_code == 200, first.content
    page = first.json()
    [moved] = page["results"]
    assert page["has_more"] is True and page["next"] == moved["id"] > mark
    assert (
        moved["type"] == "number.moved"
        and moved["source"] == "staff"
        and moved["actor"] == operator.username
    )
    assert moved["subject"] == {"kind": "number", "key": f"+1{did.tn}"}
    assert moved["after"]["endpoint_id"] != moved["before"]["endpoint_id"] and moved["occurred_at"]

    rest = viewer_api.get(EVENTS, after=page["next"]).json()
    assert [event["type"] for event in rest["results"]] == ["number.features_changed"]
    assert rest["results"][0]["id"] > moved["id"] and rest["has_more"] is False

    # Nothing new: the same cursor back, nothing read twice.
    idle = viewer_api.get(EVENTS, after=rest["next"]).json()
    assert idle == {"results": [], "next": rest["next"], "has_more": False}

    assert viewer_api.get(f"{EVENTS}{moved['id']}/").json() == moved


def test_after_skips_what_was_read_and_type_keeps_to_one_type(operator_api, viewer_api, synced):
    mark = last_event_id()
    _move_and_name_a_number(operator_api)
    everything = viewer_api.get(EVENTS, after=mark).json()["results"]
    ids = [event["id"] for event in everything]
    assert ids == sorted(ids) and len(ids) == 2

    unread = viewer_api.get(EVENTS, after=ids[0]).json()["results"]
    assert [event["id"] for event in unread] == ids[1:]
    only_features = viewer_api.get(EVENTS, after=mark, type="number.features_changed").json()[
        "results"
    ]
    assert [event["type"] for event in only_features] == ["number.features_changed"]


@pytest.mark.parametrize(
    "params",
    [{"after": "\x00"}, {"after": "-1"}, {"after": str(10**30)}, {"after": "abc"}, {"after": "1.5"},
     {"after": "<b>1</b>"}, {"after": "1\x00"}, {"limit": "0"}, {"limit": str(10**30)}, {"limit": "\x00"},
     {"type": "number.nope"}, {"type": "\x00"}, {"type": "<script>"}],
    ids=repr,
)  # fmt: skip
def test_hostile_cursors_are_400_problems(viewer_api, db, params):
    response = viewer_api.get(EVENTS, **params)
    assert response.status_code == 400, (params, response.status_code, response.content[:200])
    # A NUL is refused by the API's middleware before the view ("malformed"), the rest by the view.
    assert problem(response)["type"] in (
        "/api/problems/invalid-request",
        "/api/problems/malformed-request",
    )


@pytest.mark.parametrize("pk", ["0", "999999999", str(2**63), str(10**30)])
def test_an_unknown_event_is_a_404_problem(viewer_api, db, pk):
    response = viewer_api.get(f"{EVENTS}{pk}/")
    assert response.status_code == 404
    assert problem(response)["type"] == "/api/problems/not-found"


def test_a_token_without_the_view_permission_reads_nothing(
    django_user_model, roles, viewer_api, synced
):
    nobody = django_user_model.objects.create_user(username="no.role", password="x" * 20)
    refused = api_for(nobody).get(EVENTS)
    assert refused.status_code == 403
    assert problem(refused)["type"] == "/api/problems/forbidden"
    assert "results" not in refused.json()
    assert viewer_api.get(EVENTS).status_code == 200


def test_without_a_token_events_are_401(db):
    from tests.api.conftest import ApiClient

    response = ApiClient(None).get(EVENTS)
    assert response.status_code == 401
    assert problem(response)["type"] == "/api/problems/not-authenticated"
