"""The lists the gateways build field by field (endpoint groups, DID groups, clients, ports)
against a hostile VI (tests/fixtures/hostile_vi.py): one record VI sends with a value the
mirror cannot hold is set aside with its raw value, every other record of the list is
applied, the run ends "succeeded with 1 record set aside", and the set-aside row keeps its
last good values (it is not marked gone). Before, one such value failed the whole step
(or the whole porting sync).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dids.models import Client, DIDGroup, EndpointGroup
from portal.models import ChangeRecord, SetAsideRecord, SyncRun
from portal.sync.services import sync_execute
from porting.models import Port, PortNumber

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 30


def run_sync(kind: str) -> SyncRun:
    run = sync_execute(kind=kind, trigger=SyncRun.Trigger.COMMAND)
    run.refresh_from_db()
    return run


def mirrored(model) -> dict:
    return {row.vi_id: {**row.vi_values(), "gone_at": row.gone_at} for row in model.objects.all()}


def says_set_aside(client, count: int = 1, raw: str | None = None) -> None:
    """The Sync page tells staff in plain words, with the raw value shown."""
    page = client.get(reverse("sync:index")).content.decode()
    assert re.search(rf"Succeeded with\s+{count} records?\s+set aside", page), page[:2000]
    if raw is not None:
        assert raw in page


@pytest.fixture
def numbers_mirrored(sandbox, hostile_vi):
    run = run_sync("dids")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


def test_an_endpoint_group_vi_sends_unfit_is_set_aside_and_the_others_apply(
    numbers_mirrored, hostile_vi, operator_client
):
    groups = sorted(EndpointGroup.objects.values_list("vi_id", flat=True))
    assert len(groups) >= 3, "the test seed has several endpoint groups"
    huge_usage, long_name, fine = (str(vi_id) for vi_id in groups[:3])
    before = mirrored(EndpointGroup)
    hostile_vi.values(
        "AuditEndpointGroups",
        {
            huge_usage: {"monthToDateUsage": HUGE},  # no amount the portal keeps
            long_name: {"name": "G" * 300},  # the column keeps 200
            fine: {"name": "Renamed at VI"},
        },
        key="id",
    )

    run = run_sync("dids")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["endpoint_groups"]["set_aside"] == 2
    assert run.counts["endpoint_groups"]["updated"] == 1
    aside = {
        r.object_key: r
        for r in SetAsideRecord.objects.filter(sync_run=run, model="dids.endpointgroup")
    }
    assert set(aside) == {huge_usage, long_name}
    assert aside[huge_usage].problems == [
        {"field": "month_to_date_usage", "raw": HUGE, "reason": "out of range"}
    ]
    assert aside[long_name].values["name"].startswith("G" * 100)
    after = mirrored(EndpointGroup)
    for vi_id in (int(huge_usage), int(long_name)):
        assert after[vi_id] == before[vi_id]  # last good values, not gone
    assert EndpointGroup.objects.get(vi_id=int(fine)).name == "Renamed at VI"
    changed = set(
        ChangeRecord.objects.filter(sync_run=run.pk, model="dids.endpointgroup").values_list(
            "object_key", flat=True
        )
    )
    assert changed == {fine}
    says_set_aside(operator_client, 2, raw=HUGE)


def test_an_endpoint_group_id_of_ten_to_the_thirty_is_set_aside_and_stores_nothing(
    numbers_mirrored, hostile_vi
):
    groups = sorted(EndpointGroup.objects.values_list("vi_id", flat=True))
    bad, fine = str(groups[0]), str(groups[1])
    count = EndpointGroup.objects.count()
    hostile_vi.values(
        "AuditEndpointGroups", {bad: {"id": HUGE}, fine: {"name": "Still applied"}}, key="id"
    )

    # The group once known by its real id is no longer listed: confirmed, so that shrink is not held.
    run = sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND, confirmed=True)
    run.refresh_from_db()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["endpoint_groups"]["set_aside"] == 1
    record = SetAsideRecord.objects.get(sync_run=run, model="dids.endpointgroup")
    assert record.object_key == HUGE
    assert record.problems[0]["raw"] == HUGE
    assert EndpointGroup.objects.count() == count  # no row for an id the portal cannot hold
    assert EndpointGroup.objects.get(vi_id=int(fine)).name == "Still applied"


def test_a_did_group_vi_sends_unfit_is_set_aside_and_the_others_apply(
    numbers_mirrored, hostile_vi, operator_client
):
    # A DID group is an id and a name; a name too long was already set aside by the sync
    # engine, an id that is no number failed the whole step. (The row once known by the real
    # id is no longer listed by VI: that shrink is confirmed so the run is not held for it.)
    groups = dict(DIDGroup.objects.values_list("name", "vi_id"))
    bad, fine = str(groups["Sales"]), str(groups["Support"])
    count = DIDGroup.objects.count()
    hostile_vi.values(
        "GetDIDGroups",
        {bad: {"ID": "<b>abc</b>", "Name": "Sales"}, fine: {"Name": "Support desk"}},
        key="ID",
    )

    run = sync_execute(kind="dids", trigger=SyncRun.Trigger.COMMAND, confirmed=True)
    run.refresh_from_db()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["did_groups"]["set_aside"] == 1
    record = SetAsideRecord.objects.get(sync_run=run, model="dids.didgroup")
    assert record.object_key == "<b>abc</b>"
    assert record.problems == [
        {"field": "vi_id", "raw": "<b>abc</b>", "reason": "not a whole number"}
    ]
    assert record.values["name"] == "Sales"
    assert DIDGroup.objects.count() == count  # nothing stored for an id the portal cannot hold
    assert DIDGroup.objects.get(vi_id=int(fine)).name == "Support desk"
    assert not ChangeRecord.objects.filter(
        sync_run=run.pk, model="dids.didgroup", object_key__contains="abc"
    ).exists()
    says_set_aside(operator_client)
    assert (
        "&lt;b&gt;abc&lt;/b&gt;" in operator_client.get(reverse("sync:index")).content.decode()
    )  # shown, escaped


def test_a_client_vi_sends_unfit_is_set_aside_and_the_others_apply(
    numbers_mirrored, hostile_vi, operator_client
):
    clients = sorted(Client.objects.values_list("vi_id", flat=True))
    assert len(clients) >= 2, "the test seed has several clients"
    bad, fine = clients[:2]
    before = mirrored(Client)
    hostile_vi.values(
        "AuditClients",
        {bad: {"monthToDateUsage": "NaN"}, fine: {"name": "Renamed client"}},
        key="id",
    )

    run = run_sync("dids")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["clients"]["set_aside"] == 1
    record = SetAsideRecord.objects.get(sync_run=run, model="dids.client")
    assert record.object_key == bad
    assert (
        record.problems[0]["field"] == "month_to_date_usage" and record.problems[0]["raw"] == "NaN"
    )
    assert mirrored(Client)[bad] == before[bad]
    assert Client.objects.get(vi_id=fine).name == "Renamed client"
    assert not ChangeRecord.objects.filter(
        sync_run=run.pk, model="dids.client", object_key=bad
    ).exists()
    says_set_aside(operator_client, raw="NaN")


@pytest.fixture
def ports_mirrored(sandbox, hostile_vi):
    run = run_sync("porting")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    return sandbox


@pytest.mark.parametrize(
    "bent, field, raw",
    [
        ({"focDate": "next tuesday"}, "foc_at", "next tuesday"),
        ({"defaultEndpointGroup": HUGE}, "default_endpoint_group", HUGE),
        ({"endUser": "E" * 300}, "end_user", "E" * 200 + "…"),
    ],
    ids=["date", "number", "long"],
)
def test_a_port_vi_sends_unfit_is_set_aside_and_the_others_apply(
    ports_mirrored, hostile_vi, operator_client, bent, field, raw
):
    ports = sorted(Port.objects.filter(gone_at__isnull=True).values_list("vi_id", flat=True))
    assert len(ports) >= 2, "the test seed has several active ports"
    bad, fine = ports[:2]
    before = mirrored(Port)
    numbers_before = list(PortNumber.objects.filter(port__vi_id=bad).order_by("tn").values())
    hostile_vi.values(
        "getActivePorts", {str(bad): bent, str(fine): {"salesRep": "New Rep"}}, key="id"
    )

    run = run_sync("porting")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["set_aside"] == 1
    record = SetAsideRecord.objects.get(sync_run=run, model="porting.port")
    assert record.object_key == str(bad)
    assert record.problems[0]["field"] == field and record.problems[0]["raw"] == raw
    assert mirrored(Port)[bad] == before[bad]  # last good values, not gone nor asked as ended
    assert (
        list(PortNumber.objects.filter(port__vi_id=bad).order_by("tn").values()) == numbers_before
    )
    assert Port.objects.get(vi_id=fine).sales_rep == "New Rep"
    assert not ChangeRecord.objects.filter(
        sync_run=run.pk, model="porting.port", object_key=str(bad)
    ).exists()
    says_set_aside(operator_client, raw=raw[:60])


def test_a_port_whose_number_does_not_fit_is_set_aside_whole(ports_mirrored, hostile_vi):
    port = PortNumber.objects.filter(port__gone_at__isnull=True).select_related("port").first()
    before = mirrored(Port)[port.port.vi_id]
    hostile_vi.values("getActivePorts", {port.tn: {"endpointGroup": HUGE}})

    run = run_sync("porting")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert run.counts["set_aside"] >= 1
    record = SetAsideRecord.objects.get(sync_run=run, object_key=str(port.port.vi_id))
    assert record.problems[0]["raw"] == HUGE
    assert mirrored(Port)[port.port.vi_id] == before
    assert PortNumber.objects.get(pk=port.pk).endpoint_group == port.endpoint_group
