"""Issue 19's house rules for the numbers and customers services: a required actor and source,
a declared list of expected errors, and a mirror write that cannot be split."""

import inspect

import pytest

from customers import references, saved_views
from customers import services as customers_services
from dids import services
from dids.models import DID, Reservation
from portal.models import ChangeRecord, Source

pytestmark = pytest.mark.django_db

# Pure validators (no VI call, no write), a read of the portal's own saved views, and the sync
# kind (its run carries the actor; the engine calls every kind alike) take no actor. The
# references chunk acts for the person who applied the job, kept on the job (`applied_by`).
NO_ACTOR = {
    services: {
        "cnam_name_validate",
        "conference_pin_validate",
        "fax_email_validate",
        "reference_clean",
        "dids_sync",
    },
    customers_services: set(),
    references: {"reference_job_counts", "reference_job_apply_chunk"},
    saved_views: {"clean_query", "clean_name", "saved_views_for"},
}


@pytest.mark.parametrize("module", list(NO_ACTOR), ids=lambda module: module.__name__)
def test_every_service_that_calls_vi_or_writes_takes_a_required_actor_and_source(module):
    public = {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }
    assert NO_ACTOR[module] <= set(public)
    for name, function in public.items():
        if name in NO_ACTOR[module]:
            continue
        parameters = inspect.signature(function).parameters
        for needed in ("actor", "source"):
            assert needed in parameters, f"{name} takes no {needed}"
            parameter = parameters[needed]
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
            assert parameter.default is inspect.Parameter.empty, f"{name}: {needed} has a default"


@pytest.mark.parametrize(
    "module", [services, customers_services, references, saved_views], ids=lambda m: m.__name__
)
def test_each_services_module_declares_its_expected_errors(module):
    assert isinstance(module.EXPECTED_ERRORS, tuple)
    assert all(issubclass(error, Exception) for error in module.EXPECTED_ERRORS)


def test_a_purchase_writes_the_number_its_history_and_its_reservation_as_one_unit(
    synced, operator, monkeypatch
):
    """If the reservation cannot be closed, the bought number is not written either: the next
    sync brings it, rather than a mirror that half-knows the purchase."""
    [tn] = synced.control.state("numbers/available")[:1]
    services.dids_reserve(tns=[tn], actor=operator, source=Source.STAFF)

    def failing(**kwargs):
        raise RuntimeError("the reservation could not be closed")

    monkeypatch.setattr(services, "_reservations_end", failing)
    with pytest.raises(RuntimeError):
        services.dids_assign(tns=[tn], endpoint_id=8674, actor=operator, source=Source.STAFF)

    assert not DID.objects.filter(tn=tn).exists()
    assert not ChangeRecord.objects.filter(model="dids.did", object_key=tn).exists()
    assert Reservation.objects.filter(tn=tn, ended_at__isnull=True).exists()


def test_a_release_marks_the_number_gone_and_ends_its_reservation_as_one_unit(
    synced, administrator, monkeypatch
):
    tn = synced.control.state("numbers/owned")[0]["tn"]

    def failing(**kwargs):
        raise RuntimeError("the reservation could not be closed")

    monkeypatch.setattr(services, "_reservations_end", failing)
    with pytest.raises(RuntimeError):
        services.dids_release(tns=[tn], actor=administrator, source=Source.STAFF)

    assert DID.objects.get(tn=tn).gone_at is None
    assert not ChangeRecord.objects.filter(
        model="dids.did", object_key=tn, action=ChangeRecord.Action.GONE
    ).exists()
