"""VI's "already assigned to you" (104225) is a settled purchase, never an error on the page.

A person clicks "Assign" twice (a slow answer, a second tab), or a colleague bought the
number in VI's Back Office while it sat reserved here: VI answers that the number is already
the account's. The number is ours either way: the result shows no failure, and the number
stays (or, after the next sync, is) on the numbers list.

Kills the mutant "an 'already assigned to you' answer no longer counts as settled" (see
docs/mutants.md). Written against what a person sees, so it holds whether the portal words
the answer as a success or as "already the account's".
"""

import re

import pytest
from django.urls import reverse

from dids.models import DID

from .conftest import run_dids_sync

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def result_line(page: str, tn: str) -> str:
    """The one result line the page shows for `tn`."""
    lines = re.findall(rf'<li[^>]*data-tn="{tn}"[^>]*>.*?</li>', page, flags=re.DOTALL)
    assert len(lines) == 1, page
    return lines[0]


def shows_failure(line: str) -> bool:
    return "text-danger" in line or "✗" in line


def assign(client, tns: list[str], endpoint_group: str = "8675") -> str:
    response = client.post(
        reverse("dids:assign"), {"tns": tns, "endpoint_group": endpoint_group}, **HTMX
    )
    assert response.status_code == 200
    return response.content.decode()


def on_the_list(client, tn: str) -> bool:
    return f'data-tn="{tn}"' in client.get(reverse("dids:list"), {"q": tn}).content.decode()


def test_assigning_a_number_twice_shows_no_failure_the_second_time(synced, operator_client):
    [tn] = synced.control.state("numbers/available")[:1]
    first = assign(operator_client, [tn])
    assert not shows_failure(result_line(first, tn))

    second = assign(operator_client, [tn])

    assert not shows_failure(result_line(second, tn))
    assert synced.control.state(f"number/{tn}")["holder"] == "ours"
    assert on_the_list(operator_client, tn)
    assert DID.objects.get(tn=tn).gone_at is None


def test_a_number_a_colleague_bought_at_vi_meanwhile_is_not_a_failure(synced, operator_client):
    """Reserved here, then assigned in VI's Back Office by someone else: our click finds it ours."""
    free, other = synced.control.state("numbers/available")[:2]
    reserved = operator_client.post(
        reverse("dids:reserve"), {"tns": [free, other]}, **HTMX
    ).content.decode()
    assert not shows_failure(result_line(reserved, free))
    synced.control.other("add", tn=free, endpointGroup=8674)

    page = assign(operator_client, [free, other])

    assert not shows_failure(result_line(page, free))
    assert not shows_failure(result_line(page, other))  # the other number is simply bought
    assert synced.control.state(f"number/{free}")["holder"] == "ours"
    run_dids_sync()
    assert on_the_list(operator_client, free) and on_the_list(operator_client, other)


def test_a_number_another_company_holds_is_still_a_failure(synced, operator_client):
    """The other side of the line: "already assigned to ANOTHER company" is a refusal."""
    taken = synced.control.state("numbers/other")[0]

    page = assign(operator_client, [taken])

    assert shows_failure(result_line(page, taken))
    assert not DID.objects.filter(tn=taken).exists()
