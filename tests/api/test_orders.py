"""Orders and releases: one job on a real worker, a result per number, and an Idempotency-Key
that makes a retried POST find the first job (the same key twice buys once)."""

import time
import uuid

import pytest

from dids.models import DID, EndpointGroup
from portal.api.models import ApiJob
from portal.models import ProviderCall
from tests.api.conftest import api_for, problem
from tests.api.footprint import footprint

ORDERS = "/api/v1/orders/"


def _wait(api, location: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(location).json()
        if job["status"] in ("finished", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {location} did not finish: {job}")


def _available(api, count: int) -> list[str]:
    found = api.get("/api/v1/inventory/numbers/", state="UT").json()["results"]
    assert len(found) >= count
    return [row["number"] for row in found[:count]]


def _available_twins(api) -> list[str]:
    """Two available numbers VI describes alike (tier, rate center…), so their history matches."""
    # One network too: VI's read-back of a bought number names it, the search does not.
    found = api.get("/api/v1/inventory/numbers/", state="UT", network="Onvoy").json()["results"]
    seen = {}
    for row in found:
        key = tuple(value for name, value in sorted(row.items()) if name != "number")
        if key in seen:
            return [seen[key], row["number"]]
        seen[key] = row["number"]
    raise AssertionError("no two alike in the sandbox's inventory")


def _order(api, numbers, group, key=None, **extra):
    body = {"numbers": numbers, "endpoint_group": group, **extra}
    return api.client.post(
        ORDERS,
        data=body,
        content_type="application/json",
        headers={**api.headers, **({"Idempotency-Key": key} if key else {})},
    )


@pytest.fixture
def group(synced):
    return EndpointGroup.objects.order_by("vi_id").first().vi_id


@pytest.mark.django_db(transaction=True)
def test_an_order_buys_on_the_worker_and_the_same_key_twice_buys_once(
    operator, synced, group, celery_worker, roles
):
    api = api_for(operator)
    numbers = _available(api, 2)
    key = str(uuid.uuid4())
    first = _order(api, numbers, group, key, reference="crm-42")
    assert first.status_code == 202, first.content
    job = _wait(api, first["Location"])
    assert job["status"] == "finished", job
    assert {row["number"] for row in job["results"]} == set(numbers)
    assert all(row["ok"] and row["step"] == "assign" for row in job["results"]), job
    tns = [number[2:] for number in numbers]
    assert set(
        DID.objects.filter(tn__in=tns, gone_at__isnull=True).values_list("tn", flat=True)
    ) == set(tns)
    assert set(DID.objects.filter(tn__in=tns).values_list("ref_id", flat=True)) == {"crm-42"}
    assigns = ProviderCall.objects.filter(operation__iexact="assignDID").count()

    again = _order(api, numbers, group, key, reference="crm-42")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == job["id"] and again["Location"] == first["Location"]
    time.sleep(1.0)  # anything wrongly queued would have run by now
    assert ProviderCall.objects.filter(operation__iexact="assignDID").count() == assigns
    assert ApiJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_key_with_a_different_body_is_refused(
    operator, synced, group, celery_worker, roles
):
    api = api_for(operator)
    numbers = _available(api, 2)
    key = "retry-" + uuid.uuid4().hex
    assert _order(api, numbers[:1], group, key).status_code == 202
    refused = _order(api, numbers[1:], group, key)
    assert refused.status_code == 422
    assert problem(refused)["type"] == "/api/problems/idempotency-key-reused"
    assert ApiJob.objects.count() == 1
    # Another user's identical key is theirs, not a reuse.
    assert ApiJob.objects.filter(idempotency_key=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_key_is_forgotten_after_24_hours(operator, synced, group, celery_worker, roles):
    api = api_for(operator)
    numbers = _available(api, 2)
    first = _order(api, numbers[:1], group, "daily")
    _wait(api, first["Location"])
    ApiJob.objects.update(
        created_at=ApiJob.objects.get().created_at - __import__("datetime").timedelta(hours=25)
    )
    second = _order(api, numbers[1:], group, "daily")
    assert second.status_code == 202 and second.json()["id"] != first.json()["id"]
    _wait(api, second["Location"])


@pytest.mark.django_db(transaction=True)
def test_an_order_leaves_the_same_history_and_provider_log_as_the_buy_page(
    operator, operator_client, synced, group, celery_worker, roles
):
    api = api_for(operator)
    page_number, api_number = _available_twins(api)
    with footprint() as by_page:
        operator_client.post(
            "/numbers/buy/reserve/", {"tns": page_number[2:]}, headers={"HX-Request": "true"}
        )
        operator_client.post(
            "/numbers/buy/assign/",
            {"tns": page_number[2:], "endpoint_group": str(group), "ref_id": "r1"},
            headers={"HX-Request": "true"},
        )
    with footprint() as by_api:
        _wait(api, _order(api, [api_number], group, reference="r1")["Location"])
    assert by_page.history and by_page.calls
    api_side, page_side = (
        by_api.normalised({api_number[2:]: "TN"}),
        by_page.normalised({page_number[2:]: "TN"}),
    )
    assert api_side == page_side


@pytest.mark.django_db(transaction=True)
def test_a_release_is_for_administrators_and_matches_the_release_page(
    administrator, operator, administrator_client, synced, celery_worker, roles
):
    owned = list(
        DID.objects.filter(gone_at__isnull=True).order_by("tn").values_list("tn", flat=True)[:2]
    )
    operator_api, admin_api = api_for(operator), api_for(administrator)
    refused = operator_api.post("/api/v1/releases/", {"numbers": [f"+1{owned[0]}"]})
    assert refused.status_code == 403
    assert not ApiJob.objects.exists()
    with footprint() as by_page:
        administrator_client.post(
            "/numbers/release/submit/",
            {"tns": owned[0], "confirm_count": "1"},
            headers={"HX-Request": "true"},
        )
    with footprint() as by_api:
        response = admin_api.post("/api/v1/releases/", {"numbers": [f"+1{owned[1]}"]})
        assert response.status_code == 202
        job = _wait(admin_api, response["Location"])
    assert job["status"] == "finished" and job["results"][0]["ok"], job
    assert by_page.history and by_api.normalised({owned[1]: "TN"}) == by_page.normalised(
        {owned[0]: "TN"}
    )
    assert DID.objects.get(tn=owned[1]).gone_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"numbers": [], "endpoint_group": 1},
        {"numbers": ["4352154006"], "endpoint_group": 1},
        {"numbers": ["+14352154006"] * 101, "endpoint_group": 1},
        {"numbers": "+14352154006", "endpoint_group": 1},
        {"numbers": ["+14352154006"], "endpoint_group": 999999},
        {"numbers": ["<script>"], "endpoint_group": 1},
        {"numbers": ["+14352154006"], "endpoint_group": 1, "reference": "x" * 101},
        {"numbers": [None], "endpoint_group": 1},
    ],
)
def test_hostile_orders_are_400_and_queue_nothing(operator_api, synced, body):
    response = operator_api.post(ORDERS, body)
    assert response.status_code == 400, (body, response.content)
    problem(response)
    assert not ApiJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["k" * 256, "a\tb", "caf\u00e9\u200b"])
def test_hostile_idempotency_keys_are_refused(operator_api, synced, group, key):
    response = operator_api.client.post(
        ORDERS, data={"numbers": ["+14352154006"], "endpoint_group": group}, content_type="application/json",
        headers={**operator_api.headers, "Idempotency-Key": key},
    )  # fmt: skip
    assert response.status_code == 400
    assert not ApiJob.objects.exists()


@pytest.mark.django_db
def test_someone_elses_job_is_404_and_a_viewer_cannot_order(
    operator_api, viewer_api, administrator_api, operator, synced, group
):
    job = ApiJob.objects.create(
        kind="order", created_by=operator, request={"tns": ["4352154006"]}, request_digest="x"
    )
    assert viewer_api.get(f"{ORDERS}{job.pk}/").status_code == 404
    assert operator_api.get(f"{ORDERS}{job.pk}/").status_code == 200
    assert administrator_api.get(f"{ORDERS}{job.pk}/").status_code == 200
    assert operator_api.get(f"/api/v1/releases/{job.pk}/").status_code == 404
    assert (
        viewer_api.post(ORDERS, {"numbers": ["+14352154006"], "endpoint_group": group}).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_same_key_racing_finds_the_first_job(operator, monkeypatch):
    """Two retries at once: both look before either has stored its job, so the second insert
    meets the unique key; it must answer with the first job, not an error or a second job."""
    from portal.api import jobs

    request = {"tns": ["4352154006"], "endpoint_id": 8674, "cnam": False, "ref_id": ""}
    first, created = jobs.job_submit(
        kind="order", request=request, user=operator, idempotency_key="race-1"
    )
    assert created
    looked = []
    real_earlier = jobs._earlier

    def not_yet_stored_at_first_look(**kwargs):
        looked.append(kwargs)
        return None if len(looked) == 1 else real_earlier(**kwargs)

    monkeypatch.setattr(jobs, "_earlier", not_yet_stored_at_first_look)
    second, created = jobs.job_submit(
        kind="order", request=request, user=operator, idempotency_key="race-1"
    )
    assert (second.pk, created) == (first.pk, False) and len(looked) == 2
    assert ApiJob.objects.count() == 1
    with pytest.raises(jobs.IdempotencyKeyReused):
        looked.clear()
        jobs.job_submit(
            kind="order",
            request={**request, "ref_id": "other"},
            user=operator,
            idempotency_key="race-1",
        )


@pytest.mark.django_db(transaction=True)
def test_an_order_when_vi_is_unreachable_fails_in_words_and_buys_nothing(
    operator, synced, group, celery_worker, roles
):
    api = api_for(operator)
    numbers = _available(api, 1)
    synced.control.fault("http500", operation="*", times=1)
    job = _wait(api, _order(api, numbers, group, "down-1")["Location"])
    assert job["status"] == "failed" and job["error"], job
    assert not DID.objects.filter(tn=numbers[0][2:]).exists()
    assert not ProviderCall.objects.filter(operation__iexact="assignDID").exists()
