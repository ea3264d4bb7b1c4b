"""911, SMS, brands and campaigns, portability, ports and syncs over the API: the same checks,
services, history and provider log as their pages; every write refused to a Viewer."""

import time

import pytest

from dids.models import DID
from e911.models import Location
from messaging.models import Brand, Campaign, SMSNumber
from portal.models import ProviderCall, SyncRun
from portal.sync import sync_execute
from tests.api.conftest import api_for, problem
from tests.api.footprint import differences, footprint

pytestmark = pytest.mark.django_db

GOOD = dict(
    address1="350 S 200 E",
    address2="",
    city="Salt Lake City",
    state="UT",
    zip_code="84111",
    caller_name="Front Desk",
)
BAD = {**GOOD, "address1": "1 Nowhere Rd"}
COMPANY = {
    "display_name": "Bakery", "entity_type": "PRIVATE_PROFIT", "company_name": "Bakery LLC", "ein": "12-3456789",
    "ein_country": "US", "vertical": "RETAIL", "email": "sms@bakery.example", "phone": "801-555-0111",
    "country": "US", "website": "bakery.example", "state": "ut", "postal_code": "84101",
}  # fmt: skip
CAMPAIGN = {
    "display_name": "Orders", "usecase_id": "CUSTOMER_CARE",
    "description": "Order-ready notices for customers who ordered at the counter",
    "message_flow": "Customers tick 'text me' on the order slip they sign at the counter",
    "sample_msg1": "Your cake is ready. Reply STOP to opt out.",
    "sample_msg2": "Bakery: your order is ready at the counter.",
}  # fmt: skip


@pytest.fixture
def mirrored(sandbox, db):
    for kind in ("dids", "e911", "messaging", "porting"):
        run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
        assert run.status == SyncRun.Status.SUCCEEDED, (kind, run.error)
    return sandbox


def _without_911(n=2) -> list[str]:
    with_location = Location.objects.filter(gone_at__isnull=True).values("tn")
    return list(
        DID.objects.filter(gone_at__isnull=True)
        .exclude(tn__in=with_location)
        .order_by("tn")
        .values_list("tn", flat=True)[:n]
    )


# --- 911 -------------------------------------------------------------------------------------


def test_911_validate_then_provision_then_remove(operator_api, mirrored):
    tn = _without_911(1)[0]
    base = f"/api/v1/numbers/+1{tn}/911/"
    assert operator_api.get(base).json() == {"location": None}
    verdict = operator_api.post(base + "validate/", GOOD)
    assert verdict.status_code == 200 and verdict.json()["valid"] is True
    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()
    provisioned = operator_api.client.put(
        base, data=GOOD, content_type="application/json", headers=operator_api.headers
    )
    assert provisioned.status_code == 200, provisioned.content
    assert provisioned.json()["location"]["status_code"] == "PROVISIONED"
    removed = operator_api.delete(base)
    assert removed.status_code == 200 and removed.json()["location"] is None


def test_911_invalid_address_is_never_sent(operator_api, mirrored):
    tn = _without_911(1)[0]
    base = f"/api/v1/numbers/+1{tn}/911/"
    assert operator_api.post(base + "validate/", BAD).json()["valid"] is False
    refused = operator_api.client.put(
        base, data=BAD, content_type="application/json", headers=operator_api.headers
    )
    assert refused.status_code == 422
    assert problem(refused)["type"] == "/api/problems/address-invalid"
    assert not ProviderCall.objects.filter(operation__in=["insert911", "update911"]).exists()


def test_911_provision_leaves_the_same_rows_as_the_page(operator_api, operator_client, mirrored):
    page_tn, api_tn = _without_911(2)
    with footprint() as by_page:
        operator_client.post(f"/e911/numbers/{page_tn}/provision/", GOOD)
    with footprint() as by_api:
        operator_api.client.put(
            f"/api/v1/numbers/+1{api_tn}/911/",
            data=GOOD,
            content_type="application/json",
            headers=operator_api.headers,
        )
    assert by_page.history and by_page.calls
    # VI numbers each new location from a sequence: the one id that may differ.
    api_location, page_location = (
        Location.objects.get(tn=tn).location_id for tn in (api_tn, page_tn)
    )
    api_side = by_api.normalised({api_tn: "TN", api_location: "LOCATION"})
    page_side = by_page.normalised({page_tn: "TN", page_location: "LOCATION"})
    assert api_side == page_side, differences(api_side, page_side)


def _with_911() -> str:
    return (
        Location.objects.filter(
            gone_at__isnull=True,
            status_code="PROVISIONED",
            tn__in=DID.objects.filter(gone_at__isnull=True).values("tn"),
        )
        .order_by("tn")
        .values_list("tn", flat=True)[0]
    )


def test_911_alerts_add_and_remove(operator_api, mirrored):
    tn = _with_911()
    base = f"/api/v1/numbers/+1{tn}/911/alerts/"
    added = operator_api.post(base, {"email": "noc@example.com"})
    assert added.status_code == 200 and "noc@example.com" in added.json()["emails"]
    assert (
        "noc@example.com"
        not in operator_api.delete(base + "?email=noc@example.com").json()["emails"]
    )
    for hostile in [
        "not-an-email",
        "<script>@x.com",
        "a" * 200 + "@example.com",
        "a\x00@example.com",
    ]:
        response = operator_api.post(base, {"email": hostile})
        assert response.status_code == 400, hostile


@pytest.mark.parametrize(
    "body",
    [
        {},
        {**GOOD, "address1": "x" * 201},
        {**GOOD, "zip_code": ["84111"]},
        {**GOOD, "city": "<b>\x00</b>"},
        "[]",
    ],
)
def test_hostile_911_addresses_are_400(operator_api, mirrored, body):
    tn = _without_911(1)[0]
    response = operator_api.post(f"/api/v1/numbers/+1{tn}/911/validate/", body)
    assert response.status_code == 400
    problem(response)


# --- SMS, brands, campaigns ------------------------------------------------------------------


def _sms_twins():
    rows = list(SMSNumber.objects.filter(enabled=True, campaign_id="").order_by("tn"))
    if len(rows) < 2:
        rows = list(SMSNumber.objects.filter(enabled=True).order_by("tn"))
    return rows[0].tn, rows[1].tn


def test_sms_destination_leaves_the_same_rows_as_the_page(operator_api, operator_client, mirrored):
    page_tn, api_tn = _sms_twins()
    body = {"destination_type": "EMAIL", "destination": "sms@example.com"}
    with footprint() as by_page:
        operator_client.post(
            f"/messaging/numbers/{page_tn}/destination/", {**body, "auth_token": ""}
        )
    with footprint() as by_api:
        response = operator_api.client.put(
            f"/api/v1/numbers/+1{api_tn}/sms/",
            data=body,
            content_type="application/json",
            headers=operator_api.headers,
        )
        assert response.status_code == 200, response.content
    assert response.json()["destination_type"] == "EMAIL"
    assert by_page.history and by_api.normalised({api_tn: "TN"}) == by_page.normalised(
        {page_tn: "TN"}
    )


def test_sms_campaign_assignment_and_refusals(operator_api, mirrored):
    tn = _sms_twins()[0]
    campaign = (
        Campaign.objects.filter(status="ACTIVE").exclude(campaign_id="").first()
        or Campaign.objects.first()
    )
    url = f"/api/v1/numbers/+1{tn}/sms/campaign/"

    def put(body):
        return operator_api.client.put(
            url, data=body, content_type="application/json", headers=operator_api.headers
        )

    assigned = put({"campaign": campaign.campaign_id})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["campaign"] == campaign.campaign_id
    assert put({"campaign": "NOPE<script>"}).status_code == 400
    assert put({"campaign": None}).json()["campaign"] == ""


def test_brands_and_campaigns_read(viewer_api, mirrored):
    brands = viewer_api.get("/api/v1/brands/").json()
    assert len(brands) == Brand.objects.count() and brands
    one = viewer_api.get(f"/api/v1/brands/{brands[0]['customer_id']}/").json()
    assert one["customer_id"] == brands[0]["customer_id"] and "ein" not in one
    campaigns = viewer_api.get("/api/v1/campaigns/").json()
    assert (
        campaigns
        and viewer_api.get(f"/api/v1/campaigns/{campaigns[0]['campaign_id']}/").status_code == 200
    )
    assert viewer_api.get("/api/v1/campaigns/NOPE/").status_code == 404


def test_brand_create_checks_as_tcr_before_vi(operator_api, mirrored):
    before = ProviderCall.objects.filter(operation__icontains="brand").count()
    refused = operator_api.post("/api/v1/brands/", {**COMPANY, "website": "javascript:alert(1)"})
    assert refused.status_code == 400 and "website" in problem(refused)["errors"]
    assert ProviderCall.objects.filter(operation__icontains="brand").count() == before
    created = operator_api.post("/api/v1/brands/", COMPANY)
    assert created.status_code == 201, created.content
    assert Brand.objects.filter(customer_id=created.json()["customer_id"]).exists()


def test_campaign_create_runs_the_lint_before_vi(operator_api, mirrored):
    brand = Brand.objects.filter(verification_status__in=["VERIFIED", "VETTED_VERIFIED"]).first()
    assert brand is not None
    no_opt_out = {
        **CAMPAIGN,
        "customer_id": brand.customer_id,
        "sample_msg1": "Your cake is ready for you at the counter now.",
    }
    refused = operator_api.post(
        "/api/v1/campaigns/", {**no_opt_out, "sample_msg2": "", "description": "x" * 39}
    )
    assert refused.status_code == 400
    assert not ProviderCall.objects.filter(operation__icontains="createCampaign").exists()
    named = {
        "sample_msg1": f"{brand.display_name}: your cake is ready. Reply STOP to opt out.",
        "sample_msg2": f"{brand.display_name}: your order is ready at the counter.",
    }
    created = operator_api.post(
        "/api/v1/campaigns/", {**CAMPAIGN, **named, "customer_id": brand.customer_id}
    )
    assert created.status_code == 201, created.content
    assert (
        operator_api.post("/api/v1/campaigns/", {**CAMPAIGN, "customer_id": "NOT-MINE"}).status_code
        == 400
    )


# --- porting, syncs --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_portability_check_runs_on_the_worker(operator, mirrored, celery_worker, roles):
    api = api_for(operator)
    numbers = ["+14352154006", "+12125550123"]
    response = api.post("/api/v1/portability-checks/", {"numbers": numbers})
    assert response.status_code == 202, response.content
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = api.get(response["Location"]).json()
        if job["status"] in ("finished", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "finished", job
    assert {row["number"] for row in job["results"]} == set(numbers)
    assert all(row["verdict"] != "pending" for row in job["results"])


def test_ports_read(viewer_api, mirrored):
    ports = viewer_api.get("/api/v1/ports/").json()
    assert ports and all(
        number.startswith("+1") for port in ports for number in port["numbers"] if len(number) == 12
    )
    assert (
        viewer_api.get(f"/api/v1/ports/{ports[0]['vi_id']}/").json()["vi_id"] == ports[0]["vi_id"]
    )
    assert viewer_api.get("/api/v1/ports/99999999999/").status_code == 404


def test_sync_runs_read_and_request(viewer_api, operator_api, mirrored):
    runs = viewer_api.get("/api/v1/sync-runs/", kind="dids").json()
    assert runs and {run["kind"] for run in runs} == {"dids"}
    assert viewer_api.post("/api/v1/sync-runs/", {"kind": "dids"}).status_code == 403
    queued = operator_api.post("/api/v1/sync-runs/", {"kind": "dids"})
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert operator_api.post("/api/v1/sync-runs/", {"kind": "everything"}).status_code == 400


def _twins_with_911() -> tuple[str, str]:
    """Two provisioned numbers whose 911 rows are alike (the same alerts, none)."""
    tns = list(
        Location.objects.filter(
            gone_at__isnull=True,
            status_code="PROVISIONED",
            tn__in=DID.objects.filter(gone_at__isnull=True).values("tn"),
        )
        .order_by("tn")
        .values_list("tn", flat=True)[:2]
    )
    return tns[0], tns[1]


def _same(by_page, by_api, page_tn, api_tn):
    assert by_page.calls, "the page call left no provider-log rows"
    api_side, page_side = by_api.normalised({api_tn: "TN"}), by_page.normalised({page_tn: "TN"})
    assert api_side == page_side, differences(api_side, page_side)


def test_911_remove_and_alerts_leave_the_same_rows_as_the_page(
    operator_api, operator_client, mirrored
):
    page_tn, api_tn = _twins_with_911()
    with footprint() as by_page:
        operator_client.post(
            f"/e911/numbers/{page_tn}/alerts/add/", {f"alert-{page_tn}-email": "noc@example.com"}
        )
    with footprint() as by_api:
        assert (
            operator_api.post(
                f"/api/v1/numbers/+1{api_tn}/911/alerts/", {"email": "noc@example.com"}
            ).status_code
            == 200
        )
    _same(by_page, by_api, page_tn, api_tn)
    with footprint() as by_page:
        operator_client.post(f"/e911/numbers/{page_tn}/remove/")
    with footprint() as by_api:
        assert operator_api.delete(f"/api/v1/numbers/+1{api_tn}/911/").status_code == 200
    # Removing a location also notes VI's remaining parked one, if any: compare what is left too.
    _same(by_page, by_api, page_tn, api_tn)


def test_campaign_assignment_leaves_the_same_rows_as_the_page(
    operator_api, operator_client, mirrored
):
    page_tn, api_tn = _sms_twins()
    campaign = Campaign.objects.filter(status="ACTIVE").first()
    with footprint() as by_page:
        operator_client.post(
            f"/messaging/numbers/{page_tn}/campaign/", {"campaign": campaign.campaign_id}
        )
    with footprint() as by_api:
        put = operator_api.client.put(f"/api/v1/numbers/+1{api_tn}/sms/campaign/", data={"campaign": campaign.campaign_id},
                                      content_type="application/json", headers=operator_api.headers)  # fmt: skip
        assert put.status_code == 200, put.content
    # The campaign's own number list differs by the number itself: compare the number's rows.
    page_side = by_page.normalised({page_tn: "TN"})
    api_side = by_api.normalised({api_tn: "TN"})
    assert api_side["calls"] == page_side["calls"]
    number_rows = lambda side: [row for row in side["history"] if '"messaging.smsnumber"' in row]
    assert number_rows(api_side) == number_rows(page_side) and number_rows(page_side)
