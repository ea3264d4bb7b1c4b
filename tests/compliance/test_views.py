"""/compliance/ over a mirror synced from the sandbox, and the bulk alert-recipient fix."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from compliance import selectors
from compliance.checks import CHECKS, NumberFacts
from e911.models import AlertRecipient
from portal.models import ChangeRecord, Source

pytestmark = pytest.mark.django_db


def _kari_failing() -> list[str]:
    return [v.facts.tn for v in selectors.failing_for_check(key="kari_alert")]


def test_page_shows_score_counts_and_a_check_list(synced, viewer_client):
    overview = selectors.overview()
    assert overview.numbers > 0 and overview.score is not None
    failing = _kari_failing()
    assert failing, "the test seed should have provisioned numbers without alert recipients"
    page = viewer_client.get(reverse("compliance:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{overview.score:g}%" in html
    assert f'data-testid="failing-kari_alert">{len(failing)}<' in html
    listing = viewer_client.get(
        reverse("compliance:index"), {"check": "kari_alert"}
    ).content.decode()
    assert f'data-tn="{failing[0]}"' in listing
    # Recipients are known only once read from VI: the list says so instead of claiming none.
    assert "recipients never read from VI" in listing
    assert "Kari" in listing
    # A Viewer sees the list but not the bulk fix.
    assert 'data-testid="bulk-alerts"' not in listing


@pytest.mark.parametrize("value", ["nope", "<script>x</script>", "\u202e", "x" * 10000, ""])
def test_hostile_check_and_search_values_answer_200(synced, viewer_client, value):
    assert (
        viewer_client.get(reverse("compliance:index"), {"check": value, "q": value}).status_code
        == 200
    )
    assert (
        viewer_client.get(
            reverse("compliance:index"), {"check": "kari_alert", "q": value}
        ).status_code
        == 200
    )


def test_bulk_alert_recipient_fixes_kari_and_raises_the_score(synced, operator_client, operator):
    before = selectors.overview()
    tns = _kari_failing()[:2]
    answer = operator_client.post(
        reverse("compliance:alerts_add"), {"email": "desk@example.com", "tns": tns}, follow=True
    )
    assert answer.redirect_chain[-1][0].endswith("?check=kari_alert#check-list")
    html = answer.content.decode()
    assert html.count("desk@example.com now gets this number") == 2
    # Shown once: a reload of the list does not repeat it (nor add the recipient again).
    assert (
        "now gets this number"
        not in operator_client.get(
            reverse("compliance:index"), {"check": "kari_alert"}
        ).content.decode()
    )
    for tn in tns:
        assert AlertRecipient.objects.filter(tn=tn, email="desk@example.com").exists()
        assert ChangeRecord.objects.filter(object_key=tn, actor=operator).exists()
    after = selectors.overview()
    assert after.score >= before.score
    kari = {s.check.key: s for s in after.checks}["kari_alert"]
    assert kari.failing == {s.check.key: s for s in before.checks}["kari_alert"].failing - 2
    assert not set(tns) & set(_kari_failing())


@pytest.mark.parametrize("email,tns", [
    ("not-an-email", None), ("<b>@x", None), ("a" * 200 + "@example.com", None),
    ("desk@example.com", []), ("desk@example.com", ["<script>"]), ("desk@example.com", ["1" * 5000]),
])  # fmt: skip
def test_bulk_alert_refuses_hostile_input_without_calling_vi(synced, operator_client, email, tns):
    tns = _kari_failing()[:1] if tns is None else tns
    answer = operator_client.post(reverse("compliance:alerts_add"), {"email": email, "tns": tns})
    assert answer.status_code == 200
    assert not AlertRecipient.objects.filter(email=email).exists()
    assert "now gets this number" not in answer.content.decode()


def test_viewer_may_not_add_recipients(synced, viewer_client):
    tns = _kari_failing()[:1]
    assert (
        viewer_client.post(
            reverse("compliance:alerts_add"), {"email": "desk@example.com", "tns": tns}
        ).status_code
        == 403
    )


def test_number_page_shows_its_failing_checks_with_the_fix(synced, viewer_client):
    tn = _kari_failing()[0]
    html = viewer_client.get(reverse("dids:detail", args=[tn])).content.decode()
    assert 'data-testid="compliance-checks"' in html
    assert 'data-check="kari_alert"' in html
    assert "Add an alert recipient" in html


def test_client_page_shows_its_score_and_failing_checks(synced, viewer_client):
    from dids.models import Client

    judged = selectors.verdicts()
    owned_by = {v.facts.client for v in judged if v.facts.client and v.failed}
    client = Client.objects.filter(vi_id__in=owned_by).order_by("vi_id").first()
    assert client is not None, "the test seed should give a client numbers that fail a check"
    mine = [v for v in judged if v.facts.client == client.vi_id]
    expected = selectors.overview(judged=mine)
    assert selectors.overview(judged=judged).clients[client.vi_id] == expected.score
    html = viewer_client.get(reverse("customers:detail", args=[client.vi_id])).content.decode()
    assert 'data-testid="client-compliance"' in html
    assert f"{expected.score:g}% ready" in html
    for summary in expected.failing_checks:
        assert f'data-check="{summary.check.key}"' in html
    overview_page = viewer_client.get(reverse("compliance:index")).content.decode()
    assert f'data-client="{client.vi_id}"' in overview_page


def test_a_911_check_exports_a_file_the_911_bulk_upload_reads(synced, operator_client, operator):
    from e911 import bulk

    failing = [v.facts.tn for v in selectors.failing_for_check(key="location_valid")]
    assert failing
    answer = operator_client.get(reverse("compliance:export", args=["location_valid"]))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    text = b"".join(answer.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0].startswith("tn,address1,address2,city,state,zip,caller_name")
    assert {line.split(",")[0] for line in lines[1:]} == set(failing)
    # The 911 bulk upload reads it back: its columns are the upload's own.
    parsed = list(bulk._rows(text))
    assert {cells["tn"] for _, cells in parsed} == set(failing)
    assert all("address1" in cells and "zip_code" in cells for _, cells in parsed)


@pytest.mark.parametrize("key", ["nope", "<script>", "%00", "x" * 300])
def test_unknown_check_exports_are_404(synced, viewer_client, key):
    assert viewer_client.get(f"/compliance/{key}.csv").status_code in (400, 404)


def test_a_street_address_shared_by_two_clients_needs_a_unit(synced, operator):
    from dids.models import DID
    from dids.selectors import clients_by_endpoint_group
    from e911 import services as e911_services
    from e911.records import Address

    owners = clients_by_endpoint_group()
    by_client = {}
    for tn, endpoint_id in (
        DID.objects.filter(gone_at__isnull=True).order_by("tn").values_list("tn", "endpoint_id")
    ):
        if endpoint_id in owners:
            by_client.setdefault(owners[endpoint_id].vi_id, tn)
    assert len(by_client) >= 2, "the test seed should route numbers to two clients"
    first, second = list(by_client.values())[:2]
    shared = dict(
        address1="77 W 200 S",
        city="Salt Lake City",
        state="UT",
        zip_code="84101",
        caller_name="Front Desk",
    )
    e911_services.location_provision(
        tn=first, address=Address(**shared), actor=operator, source=Source.STAFF
    )
    assert "dispatchable_unit" not in selectors.verdict_for_tn(tn=first).failed
    e911_services.location_provision(
        tn=second, address=Address(**shared), actor=operator, source=Source.STAFF
    )
    for tn in (first, second):  # judged alone (the number page) and with everyone (the list)
        assert "dispatchable_unit" in selectors.verdict_for_tn(tn=tn).failed
    assert {first, second} <= {
        v.facts.tn for v in selectors.failing_for_check(key="dispatchable_unit")
    }
    e911_services.location_provision(
        tn=second,
        address=Address(**shared, address2="Suite 300"),
        actor=operator,
        source=Source.STAFF,
    )
    assert "dispatchable_unit" not in selectors.verdict_for_tn(tn=second).failed


@pytest.mark.parametrize("key", [check.key for check in CHECKS])
def test_every_check_has_its_details_partial(key):
    """The list includes a check's row details by the check's key: a check added without its
    partial would be an error page, not a blank cell."""
    facts = NumberFacts(tn="2125550100", address1="350 S 200 E", cnam_name="ACME", caller_name="X")
    assert render_to_string(f"compliance/_details.html#{key}", {"facts": facts}).strip()


def test_a_bulk_fix_refused_for_one_number_shows_vis_words_for_it_and_goes_on(
    synced, operator_client
):
    """One number's refusal reads as on every page (the staff-error component, VI's code in
    small print); the other number gets its recipient."""
    refused, added = _kari_failing()[:2]
    synced.control.fault("auth", operation="Add911Alert", times=1)
    answer = operator_client.post(
        reverse("compliance:alerts_add"),
        {"email": "desk@example.com", "tns": [refused, added]},
        follow=True,
    )
    outcomes = answer.content.decode().split('data-testid="bulk-outcomes"')[1].split("</ul>")[0]
    assert outcomes.count('role="alert"') == 1 and "VI said:" in outcomes
    assert outcomes.count("desk@example.com now gets this number") == 1
    assert not AlertRecipient.objects.filter(tn=refused, email="desk@example.com").exists()
    assert AlertRecipient.objects.filter(tn=added, email="desk@example.com").exists()
