"""The client mirror against the sandbox: after a sync it equals what AuditClients says, and a
client's numbers follow an endpoint-group change someone else made at VI."""

from decimal import Decimal

import pytest

from dids.models import DID, Client
from dids.selectors import client_numbers, clients_by_endpoint_group
from portal.models import ChangeRecord, Source, SyncRun
from tests.dids.conftest import owned_numbers, run_dids_sync

pytestmark = pytest.mark.django_db


def _expected(vi_client: dict) -> dict:
    def items(name: str, item: str) -> list:
        value = vi_client.get(name) or []
        return value if isinstance(value, list) else [value]

    return {
        "name": vi_client["name"],
        "month_to_date_usage": Decimal(str(vi_client["monthToDateUsage"])),
        "endpoint_group_ids": sorted(
            group["id"] for group in items("EndpointGroups", "EndpointGroup")
        ),
        "did_group_ids": sorted(group["ID"] for group in items("DIDGroups", "DIDGroup")),
        "e911_groups": items("E911Groups", "string"),
        "billing_customers": items("HostedBillingCustomers", "string"),
        "failover_count": len(items("DIDFailovers", "DIDFailover")),
        "forward_count": len(items("DIDForwards", "DIDForward")),
        "conference_line_count": len(items("ConferenceLines", "ConferenceLine")),
        "fax_to_email_count": len(items("FaxToEmails", "FaxToEmail")),
    }


def test_the_client_mirror_after_a_sync_equals_audit_clients(sandbox):
    run = run_dids_sync()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error

    vi_clients = {str(client["id"]): client for client in sandbox.control.state("clients")}
    assert len(vi_clients) >= 4
    assert set(Client.objects.filter(gone_at__isnull=True).values_list("vi_id", flat=True)) == set(
        vi_clients
    )
    for vi_id, vi_client in vi_clients.items():
        row = Client.objects.get(vi_id=vi_id)
        mirrored = {name: getattr(row, name) for name in _expected(vi_client)}
        assert mirrored == _expected(vi_client), vi_id

    # Numbers are spread over the clients' groups, and each client's numbers are exactly
    # the owned numbers routed to its groups.
    vi_numbers = owned_numbers(sandbox)
    for row in Client.objects.all():
        expected = {n["tn"] for n in vi_numbers if n["endpoint_group"] in row.endpoint_group_ids}
        assert set(client_numbers(client=row).values_list("tn", flat=True)) == expected
    assert Client.objects.get(vi_id="1").fax_to_email_count > 0
    assert client_numbers(client=Client.objects.get(vi_id="2")).exists()
    assert not client_numbers(client=Client.objects.get(vi_id="4")).exists()

    # The PINs of the conference lines inside AuditClients never reach the mirror.
    pins = [n["conference_pin"] for n in vi_numbers if n["conference_pin"]]
    dumped = repr(list(Client.objects.values()))
    assert pins and not any(pin in dumped for pin in pins)

    created = ChangeRecord.objects.filter(model="dids.client", action=ChangeRecord.Action.CREATED)
    assert created.count() == len(vi_clients)


def test_a_clients_numbers_follow_an_endpoint_group_change_made_at_vi_by_someone_else(sandbox):
    run_dids_sync()
    main, branch = Client.objects.get(vi_id="1"), Client.objects.get(vi_id="2")
    moved = client_numbers(client=main).first().tn
    before_usage = branch.month_to_date_usage

    sandbox.control.other("update", tn=moved, endpointGroup=branch.endpoint_group_ids[0])
    run = run_dids_sync()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    main.refresh_from_db()
    branch.refresh_from_db()
    assert not client_numbers(client=main).filter(tn=moved).exists()
    assert client_numbers(client=branch).filter(tn=moved).exists()
    assert clients_by_endpoint_group()[DID.objects.get(tn=moved).endpoint_id].vi_id == "2"
    # Branch's usage counts the number now (the sandbox bills per number routed).
    assert branch.month_to_date_usage > before_usage
    change = ChangeRecord.objects.filter(
        model="dids.did", object_key=moved, source=Source.SYNC
    ).latest("at")
    assert "endpoint_id" in change.changes


def test_usage_grows_over_sandbox_time(sandbox):
    run_dids_sync()
    before = Client.objects.get(vi_id="1").month_to_date_usage
    day = int(sandbox.control.advance(0)["now"][8:10])
    next_day = int(sandbox.control.advance(86400)["now"][8:10])
    run_dids_sync()
    after = Client.objects.get(vi_id="1").month_to_date_usage
    # Within the month usage grows; on the first of a new month it starts again from a day's worth.
    assert (after > before) if next_day > day else (after < before)
