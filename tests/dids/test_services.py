"""Numbers services against the sandbox: what a caller gets back, what the mirror and the
history then say, and that refusals, bad input and an unreachable VI change nothing."""

import pytest
from django.core.exceptions import ValidationError

from dids import gateway, services
from dids.models import DID, DIDGroup, IntlDID, InventoryTN
from portal.models import ChangeRecord, ProviderCall, Source
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from .conftest import owned_number, owned_numbers

pytestmark = pytest.mark.django_db


def available(sandbox, count: int) -> list[str]:
    return sandbox.control.state("numbers/available")[:count]


def history(tn: str) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(model="dids.did", object_key=tn))


# --- buying -------------------------------------------------------------------------------------


def test_search_needs_a_criterion_and_finds_numbers_by_state(synced, operator):
    with pytest.raises(ValidationError):
        services.dids_search(
            criteria=services.SearchCriteria(), actor=operator, source=Source.STAFF
        )

    found = services.dids_search(
        criteria=services.SearchCriteria(state="NY"), actor=operator, source=Source.STAFF
    )
    assert found and {locator.state for locator in found} == {"NY"}
    counts = services.dids_count(
        criteria=services.SearchCriteria(state="NY"), actor=operator, source=Source.STAFF
    )
    assert sum(row.count for row in counts) >= len(found)
    assert "NY" in services.available_states_list(actor=operator, source=Source.STAFF)
    assert services.available_rate_centers_list(state="NY", actor=operator, source=Source.STAFF)


def test_reserve_then_assign_puts_the_numbers_in_the_mirror_with_history(synced, operator):
    tns = available(synced, 2)

    reserved = services.dids_reserve(tns=tns, actor=operator, source=Source.STAFF)
    assert [outcome.ok for outcome in reserved] == [True, True]

    outcomes = services.dids_assign(
        tns=tns, endpoint_id=8674, ref_id="order-1", actor=operator, source=Source.STAFF
    )

    assert [(outcome.tn, outcome.ok) for outcome in outcomes] == [(tn, True) for tn in tns]
    for tn in tns:
        row = DID.objects.get(tn=tn)
        assert (row.endpoint_id, row.ref_id, row.gone_at) == (8674, "order-1", None)
        assert row.state and row.rate_center  # looked up after the purchase
        assert row.last_changed_by == operator and row.locally_changed_at is not None
        [created] = history(tn)
        assert (created.action, created.source, created.actor) == (
            ChangeRecord.Action.CREATED,
            Source.STAFF,
            operator,
        )


def test_assign_reports_each_number_when_some_are_refused(synced, operator):
    [free] = available(synced, 1)
    taken = synced.control.state("numbers/other")[0]

    outcomes = {
        outcome.tn: outcome
        for outcome in services.dids_assign(
            tns=[free, taken], endpoint_id=8674, actor=operator, source=Source.STAFF
        )
    }

    assert outcomes[free].ok
    assert not outcomes[taken].ok
    assert outcomes[taken].code == "104235"
    assert "another company" in outcomes[taken].message
    assert DID.objects.filter(tn=free).exists()
    assert not DID.objects.filter(tn=taken).exists()


def test_assign_to_an_endpoint_group_we_do_not_own_is_refused_per_number(synced, operator):
    tns = available(synced, 2)

    outcomes = services.dids_assign(tns=tns, endpoint_id=13550, actor=operator, source=Source.STAFF)

    assert {outcome.code for outcome in outcomes} == {"104258"}
    assert not any(outcome.ok for outcome in outcomes)
    assert not DID.objects.filter(tn__in=tns).exists()


def test_bad_numbers_never_reach_vi(synced, operator):
    calls = ProviderCall.objects.count()

    with pytest.raises(ValidationError) as error:
        services.dids_assign(
            tns="4352154006, 12345, +44 20 7946 0958",
            endpoint_id=8674,
            actor=operator,
            source=Source.STAFF,
        )

    assert len(error.value.messages) == 2
    assert ProviderCall.objects.count() == calls


def test_bulk_calls_go_in_chunks(synced, operator, monkeypatch):
    monkeypatch.setattr(gateway, "BULK_CHUNK_SIZE", 2)
    tns = [number["tn"] for number in owned_numbers(synced)[:5]]
    calls = ProviderCall.objects.filter(operation="configDID").count()

    outcomes = services.dids_configure(
        tns=tns, endpoint_id=8675, actor=operator, source=Source.STAFF
    )

    assert all(outcome.ok for outcome in outcomes)
    assert ProviderCall.objects.filter(operation="configDID").count() - calls == 3
    assert set(DID.objects.filter(tn__in=tns).values_list("endpoint_id", flat=True)) == {8675}


# --- configure, release -------------------------------------------------------------------------


def test_configure_moves_numbers_and_sets_the_cnam_dip(synced, operator):
    number = owned_number(synced, endpoint_group=8674, cnam=False)

    [outcome] = services.dids_configure(
        tns=[number["tn"]], endpoint_id=8675, cnam=True, actor=operator, source=Source.STAFF
    )

    assert outcome.ok, outcome.message
    row = DID.objects.get(tn=number["tn"])
    assert (row.endpoint_id, row.cnam) == (8675, True)
    change = history(number["tn"])[0]
    assert change.changes == {"endpoint_id": [8674, 8675], "cnam": [False, True]}
    assert (change.actor, change.source) == (operator, Source.STAFF)
    assert synced.control.state(f"number/{number['tn']}")["endpoint_group"] == 8675


def test_configure_to_an_inactive_group_is_refused_and_nothing_changes(synced, operator):
    number = owned_number(synced, endpoint_group=8674)

    [outcome] = services.dids_configure(
        tns=[number["tn"]], endpoint_id=8676, actor=operator, source=Source.STAFF
    )

    assert not outcome.ok and outcome.code == "105258"
    assert DID.objects.get(tn=number["tn"]).endpoint_id == 8674
    # Nothing recorded: the first sync filed one entry for all the numbers, none of its own.
    assert history(number["tn"]) == []


def test_vi_unreachable_changes_nothing(synced, operator):
    number = owned_number(synced, endpoint_group=8674)
    synced.control.fault("http500", operation="configDID")

    with pytest.raises(ProviderUnavailable):
        services.dids_configure(
            tns=[number["tn"]], endpoint_id=8675, actor=operator, source=Source.STAFF
        )

    row = DID.objects.get(tn=number["tn"])
    assert row.endpoint_id == 8674 and row.locally_changed_at is None


def test_release_marks_numbers_gone_and_reports_ones_we_do_not_hold(synced, administrator):
    mine = owned_numbers(synced)[0]["tn"]
    [not_mine] = available(synced, 1)

    outcomes = {
        outcome.tn: outcome
        for outcome in services.dids_release(
            tns=[mine, not_mine], actor=administrator, source=Source.STAFF
        )
    }

    assert outcomes[mine].ok
    assert not outcomes[not_mine].ok and outcomes[not_mine].code == "106231"
    row = DID.objects.get(tn=mine)
    assert row.gone_at is not None
    assert history(mine)[0].action == ChangeRecord.Action.GONE


# --- features -----------------------------------------------------------------------------------


def test_cnam_name_is_checked_before_the_call_and_stored_after(synced, operator):
    number = owned_number(synced, cnam_storage=True)
    calls = ProviderCall.objects.count()
    for bad in ("Joe's Pizza", "A NAME LONGER THAN 15", ""):
        with pytest.raises(ValidationError):
            services.cnam_name_update(
                tn=number["tn"], name=bad, actor=operator, source=Source.STAFF
            )
    assert ProviderCall.objects.count() == calls

    services.cnam_name_update(
        tn=number["tn"], name="ACME  Plumbing", actor=operator, source=Source.STAFF
    )

    assert DID.objects.get(tn=number["tn"]).cnam_name == "ACME Plumbing"
    assert synced.control.state(f"number/{number['tn']}")["cnam_name"] == "ACME Plumbing"
    services.cnam_name_remove(tn=number["tn"], actor=operator, source=Source.STAFF)
    assert DID.objects.get(tn=number["tn"]).cnam_name == ""


def test_cnam_name_on_a_number_without_cnam_storage_is_refused(synced, operator):
    number = owned_number(synced, cnam_storage=False)

    with pytest.raises(ProviderRejected) as refusal:
        services.cnam_name_update(tn=number["tn"], name="ACME", actor=operator, source=Source.STAFF)

    assert refusal.value.code == "933"
    assert DID.objects.get(tn=number["tn"]).cnam_name == (number["cnam_name"] or "")


def test_forward_set_and_removed_back_to_an_endpoint_group(synced, operator):
    number = owned_number(synced, forward=None, endpoint_group=8674)

    services.forward_set(
        tn=number["tn"], forward="(212) 555-0199", actor=operator, source=Source.STAFF
    )
    assert DID.objects.get(tn=number["tn"]).forward == "2125550199"

    services.forward_remove(tn=number["tn"], endpoint_id=8675, actor=operator, source=Source.STAFF)
    row = DID.objects.get(tn=number["tn"])
    assert (row.forward, row.endpoint_id) == ("", 8675)
    assert [change.changes.get("forward") for change in history(number["tn"])[:2]] == [
        ["2125550199", ""],
        ["", "2125550199"],
    ]


def test_failover_set_then_blank_removes_it(synced, operator):
    number = owned_number(synced, failover=None)

    services.failover_update(
        tn=number["tn"], failover="2125550123", actor=operator, source=Source.STAFF
    )
    assert DID.objects.get(tn=number["tn"]).failover == "2125550123"
    services.failover_update(tn=number["tn"], failover="", actor=operator, source=Source.STAFF)
    assert DID.objects.get(tn=number["tn"]).failover == ""
    assert synced.control.state(f"number/{number['tn']}")["failover"] in (None, "")


def test_did_groups_create_set_and_remove(synced, operator):
    number = owned_number(synced, did_group_id=None)

    group = services.did_group_create(name="Night shift", actor=operator, source=Source.STAFF)
    assert DIDGroup.objects.get(vi_id=group.vi_id).name == "Night shift"
    services.did_group_set(
        tn=number["tn"], group_id=group.vi_id, actor=operator, source=Source.STAFF
    )
    assert DID.objects.get(tn=number["tn"]).did_group_id == group.vi_id
    services.did_group_remove(tn=number["tn"], actor=operator, source=Source.STAFF)
    assert DID.objects.get(tn=number["tn"]).did_group_id is None


def test_conference_line_pin_is_validated_and_never_stored(synced, operator):
    number = owned_number(synced, conference_pin=None)
    with pytest.raises(ValidationError):
        services.conference_line_set(
            tn=number["tn"], pin="1234", actor=operator, source=Source.STAFF
        )

    services.conference_line_set(
        tn=number["tn"], pin="24681357", actor=operator, source=Source.STAFF
    )

    assert DID.objects.get(tn=number["tn"]).conference_line is True
    assert not ChangeRecord.objects.filter(changes__icontains="24681357").exists()
    assert not ProviderCall.objects.filter(parameters__icontains="24681357").exists()
    services.conference_line_remove(tn=number["tn"], actor=operator, source=Source.STAFF)
    assert DID.objects.get(tn=number["tn"]).conference_line is False


def test_fax_to_email_with_notifications(synced, operator):
    number = owned_number(synced, fax_email=None)

    with pytest.raises(ProviderRejected):  # no fax-to-email yet: VI answers 101
        services.fax_notifications_configure(
            tn=number["tn"], enabled=True, actor=operator, source=Source.STAFF
        )
    services.fax_to_email_set(
        tn=number["tn"], email="faxes@example.com", actor=operator, source=Source.STAFF
    )
    services.fax_notifications_configure(
        tn=number["tn"], enabled=True, actor=operator, source=Source.STAFF
    )

    row = DID.objects.get(tn=number["tn"])
    assert (row.fax_to_email, row.fax_failure_notifications) == ("faxes@example.com", True)
    services.fax_to_email_remove(tn=number["tn"], actor=operator, source=Source.STAFF)
    assert DID.objects.get(tn=number["tn"]).fax_to_email == ""


def test_email_to_fax_addresses(synced, operator):
    number = owned_number(synced, email_to_fax=[])

    services.email_to_fax_add(
        tn=number["tn"], email="scanner@example.com", actor=operator, source=Source.STAFF
    )
    services.email_to_fax_add(
        tn=number["tn"], email="office@example.com", actor=operator, source=Source.STAFF
    )
    assert sorted(
        services.email_to_fax_list(tn=number["tn"], actor=operator, source=Source.STAFF)
    ) == [
        "office@example.com",
        "scanner@example.com",
    ]
    services.email_to_fax_remove(
        tn=number["tn"], email="scanner@example.com", actor=operator, source=Source.STAFF
    )
    assert DID.objects.get(tn=number["tn"]).email_to_fax == ["office@example.com"]


def test_program_and_unprogram_a_script(synced, operator):
    number = owned_number(synced, script_id=None, endpoint_group=8674)
    [script, *_] = services.scripts_list(actor=operator, source=Source.STAFF)

    services.did_program(
        tn=number["tn"], script_id=script.script_id, actor=operator, source=Source.STAFF
    )
    assert DID.objects.get(tn=number["tn"]).script_id == script.script_id

    services.did_unprogram(tn=number["tn"], endpoint_id=8675, actor=operator, source=Source.STAFF)
    row = DID.objects.get(tn=number["tn"])
    assert (row.script_id, row.endpoint_id) == ("", 8675)


def test_inventory(synced, operator):
    [tn] = available(synced, 1)

    [outcome] = services.dids_move_to_inventory(tns=[tn], actor=operator, source=Source.STAFF)

    assert outcome.ok, outcome.message
    assert InventoryTN.objects.filter(tn=tn, gone_at__isnull=True).exists()
    assert tn in services.inventory_tns_list(actor=operator, source=Source.STAFF)


def test_refresh_reads_the_number_again_from_vi(synced, operator):
    number = owned_number(synced, endpoint_group=8674)
    synced.control.other("update", tn=number["tn"], endpointGroup=8675, forward="2125550111")

    row = services.did_refresh(tn=number["tn"], actor=operator, source=Source.STAFF)

    assert (row.endpoint_id, row.forward) == (8675, "2125550111")
    change = history(number["tn"])[0]
    assert change.actor == operator and change.changes["endpoint_id"] == [8674, 8675]

    synced.control.other("release", tn=number["tn"])
    assert services.did_refresh(tn=number["tn"], actor=operator, source=Source.STAFF) is None
    assert DID.objects.get(tn=number["tn"]).gone_at is not None


def test_endpoint_group_deactivate_activate_and_refusal(synced, administrator):
    group = services.endpoint_group_deactivate(
        group_id=8675, actor=administrator, source=Source.STAFF
    )
    assert group.active is False
    assert (
        services.endpoint_group_activate(
            group_id=8675, actor=administrator, source=Source.STAFF
        ).active
        is True
    )
    changes = ChangeRecord.objects.filter(
        model="dids.endpointgroup", object_key="8675", source=Source.STAFF
    )
    assert [change.changes for change in changes] == [
        {"active": [False, True]},
        {"active": [True, False]},
    ]

    with pytest.raises(ProviderRejected) as refusal:
        services.endpoint_group_deactivate(group_id=13550, actor=administrator, source=Source.STAFF)
    assert refusal.value.code == "948"


def test_release_an_international_number(synced, administrator):
    row = IntlDID.objects.first()

    services.intl_did_release(tn=row.tn, actor=administrator, source=Source.STAFF)

    row.refresh_from_db()
    assert row.gone_at is not None
    assert ChangeRecord.objects.filter(
        model="dids.intldid", object_key=row.tn, action="gone"
    ).exists()
