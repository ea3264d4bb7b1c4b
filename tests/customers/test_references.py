"""Numbers' references (VI's refId): set in bulk from the list, or from a CSV checked row by
row (a dry run) before a background apply on a real worker; searched and filtered."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.models import ReferenceJob, ReferenceRow
from dids.models import DID
from portal.models import ChangeRecord
from tests.dids.conftest import run_dids_sync


@pytest.fixture
def mirrored(sandbox):
    assert run_dids_sync().status == "succeeded"
    return sandbox


def _tns(count: int) -> list[str]:
    return list(
        DID.objects.filter(endpoint_id__isnull=False, endpoint_id__gt=0)
        .order_by("tn")
        .values_list("tn", flat=True)[:count]
    )


def _upload(client, content: bytes, name: str = "refs.csv"):
    return client.post(
        "/customers/references/upload/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


@pytest.mark.django_db
def test_bulk_reference_from_the_list_sets_it_at_vi_with_history(
    mirrored, operator_client, operator
):
    tns = _tns(2)
    response = operator_client.post(
        "/customers/references/set/",
        {"tns": tns, "reference": "ORDER-7781"},
        HTTP_HX_REQUEST="true",
    )
    assert response.content.decode().count('data-ok="yes"') == 2
    for tn in tns:
        assert mirrored.control.state(f"number/{tn}")["ref_id"] == "ORDER-7781"
        assert DID.objects.get(tn=tn).ref_id == "ORDER-7781"
        change = ChangeRecord.objects.filter(model="dids.did", object_key=tn).latest("at")
        assert change.actor == operator and change.changes["ref_id"][1] == "ORDER-7781"


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["a\x00b", "x" * 101, "line\nbreak", 12])
def test_bulk_reference_refuses_hostile_values(mirrored, operator_client, reference):
    tn = _tns(1)[0]
    before = DID.objects.get(tn=tn).ref_id
    response = operator_client.post(
        "/customers/references/set/", {"tns": [tn], "reference": reference}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code in (200, 400)
    if reference == 12:  # a number is text in a form: it is a fine reference
        assert DID.objects.get(tn=tn).ref_id == "12"
        return
    assert 'data-ok="yes"' not in response.content.decode()
    assert DID.objects.get(tn=tn).ref_id == before
    assert mirrored.control.state(f"number/{tn}")["ref_id"] == before


@pytest.mark.django_db
def test_html_in_a_reference_is_kept_as_text_and_shown_escaped(mirrored, operator_client):
    tn = _tns(1)[0]
    operator_client.post(
        "/customers/references/set/", {"tns": [tn], "reference": "<b>x</b>"}, HTTP_HX_REQUEST="true"
    )
    assert DID.objects.get(tn=tn).ref_id == "<b>x</b>"
    page = operator_client.get("/numbers/", {"reference": "<b>x</b>"}).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page


def _wait(job: ReferenceJob, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == ReferenceJob.Status.FINISHED:
            return
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_reference_csv_is_checked_row_by_row_then_applied_on_the_worker(
    mirrored, celery_worker, operator_client
):
    first, second, third = _tns(3)
    DID.objects.filter(tn=third).update(ref_id="SAME")  # arranged; the sandbox holds it too
    mirrored.control.other("update", tn=third, refId="SAME")
    gone = "2125550199"
    content = "\n".join(
        [
            "number,reference",
            f"{first},CONTRACT-1",  # good
            f'({second[:3]}) {second[3:6]}-{second[6:]},=HYPERLINK("x")',  # good, formatted, formula-looking
            "12345,NOPE",  # not a number
            f"{first},CONTRACT-OTHER",  # duplicate: line 1 counts
            f"{gone},X",  # not on the account
            f"{third},SAME",  # unchanged
            f"{second},{'y' * 101}",  # reference too long: invalid (and not a duplicate)
            f"{first},A,extra",  # three columns
        ]
    ).encode()

    response = _upload(operator_client, content)
    job = ReferenceJob.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/customers/references/{job.pk}/"
    )
    verdicts = dict(job.rows.values_list("line", "verdict"))
    assert verdicts == {
        1: "ready",
        2: "ready",
        3: "invalid",
        4: "duplicate",
        5: "not_on_account",
        6: "unchanged",
        7: "invalid",
        8: "invalid",
    }
    assert "line 1" in job.rows.get(line=4).message
    # The dry run sent nothing to VI.
    assert mirrored.control.state(f"number/{first}")["ref_id"] != "CONTRACT-1"
    page = operator_client.get(f"/customers/references/{job.pk}/").content.decode()
    assert "Set 2 references at VI" in page

    assert operator_client.post(f"/customers/references/{job.pk}/apply/").status_code == 302
    _wait(job)
    assert job.status == ReferenceJob.Status.FINISHED
    assert dict(job.rows.filter(verdict="ready").values_list("line", "result")) == {
        1: "set",
        2: "set",
    }
    assert mirrored.control.state(f"number/{first}")["ref_id"] == "CONTRACT-1"
    assert mirrored.control.state(f"number/{second}")["ref_id"] == '=HYPERLINK("x")'
    assert DID.objects.get(tn=first).ref_id == "CONTRACT-1"
    # Applying twice does nothing more.
    operator_client.post(f"/customers/references/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == ReferenceJob.Status.FINISHED

    # Search and filter by reference.
    listed = operator_client.get("/numbers/", {"reference": "contract-1"}).context["page"].rows
    assert [row.tn for row in listed] == [first]
    searched = operator_client.get("/numbers/", {"q": "CONTRACT-1"}).context["page"].rows
    assert first in [row.tn for row in searched]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The submitted file is empty"),
        (b"4352154000,\x00x\n", "NUL"),
        (b"\xff\xfe\x00\x00garbage", "UTF-8"),
        (b"number,reference\n", "no rows"),
        (b"4352154000,x\n" * 100_001, "more than 100,000 rows"),
    ],
)
def test_unreadable_reference_files_are_refused_plainly(mirrored, operator_client, content, says):
    response = _upload(operator_client, content)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not ReferenceJob.objects.exists()


@pytest.mark.django_db
def test_reference_permissions(mirrored, viewer_client, operator_client):
    tn = _tns(1)[0]
    assert viewer_client.get("/customers/references/").status_code == 200
    assert (
        viewer_client.post(
            "/customers/references/set/", {"tns": [tn], "reference": "x"}
        ).status_code
        == 403
    )
    assert _upload(viewer_client, f"{tn},x\n".encode()).status_code == 403
    assert _upload(operator_client, f"{tn},x\n".encode()).status_code == 302
    job = ReferenceJob.objects.get()
    assert viewer_client.post(f"/customers/references/{job.pk}/apply/").status_code == 403
    assert job.rows.get().verdict == ReferenceRow.Verdict.READY
