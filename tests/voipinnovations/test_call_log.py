"""A ProviderCall row outlives the caller's transaction: VI did it, even if we then failed.

These tests commit for real (`transaction=True`): the caller's rollback must be a real one.

A VI call inside a transaction breaks the house rule, and tests refuse it
(`portal/voipinnovations/transactions.py`); a running portal logs the breach and makes the
call. The tests of a caller's transaction are about that running portal — a breach that got
past review must still leave its row in the provider log — so they run with the refusal off,
as `test_transactions.py` does for the logged breach itself.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from portal.models import ProviderCall, Source
from portal.voipinnovations.client import call, provider_context
from portal.voipinnovations.errors import ProviderUnavailable
from tests.fixtures import shared

# A running portal: a breach of the rule is logged, and the call goes ahead.
running_portal = override_settings(VI_REFUSE_CALLS_IN_TRANSACTION=False)

DID_PARAMS = {"didParams": {"DIDParam": [{"tn": "4352154006", "epg": 8674}]}}


class OurOwnFailure(Exception):
    pass


@running_portal
@pytest.mark.django_db(transaction=True)
def test_the_row_survives_a_rollback_of_the_callers_transaction(canned_vi, django_user_model):
    user = django_user_model.objects.create_user("operator-2")
    canned_vi.reply("assignDID", shared.read_captured("did/assign_did.xml"))

    with pytest.raises(OurOwnFailure), provider_context(actor=user, source=Source.STAFF):
        with transaction.atomic():
            call("assignDID", **DID_PARAMS)
            raise OurOwnFailure  # e.g. the mirror update failed after VI assigned the number

    row = ProviderCall.objects.get()
    assert (row.operation, row.outcome, row.actor, row.source) == ("assignDID", "ok", user, "staff")
    assert row.item_codes == {"100": 1}


@running_portal
@pytest.mark.django_db(transaction=True)
def test_a_failed_call_inside_a_rolled_back_transaction_is_kept_too(canned_vi):
    canned_vi.reply("assignDID", b"", status=502)

    with pytest.raises(ProviderUnavailable), transaction.atomic():
        call("assignDID", **DID_PARAMS)

    assert ProviderCall.objects.get().error == "VI answered HTTP 502"


@running_portal
@pytest.mark.django_db(transaction=True)
def test_an_actor_the_callers_transaction_has_not_committed_cannot_block_the_call(
    canned_vi, django_user_model
):
    canned_vi.reply("assignDID", shared.read_captured("did/assign_did.xml"))

    with transaction.atomic():
        newcomer = django_user_model.objects.create_user("created-in-this-transaction")
        with provider_context(actor=newcomer, source=Source.ADMIN):
            result = call("assignDID", **DID_PARAMS)
        assert result.responseCode == 100

    # The side connection could not reference the uncommitted user; the row rode along
    # with the caller's (committed) transaction instead.
    row = ProviderCall.objects.get()
    assert row.actor == newcomer


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_the_row_is_committed_at_once(canned_vi):
    canned_vi.reply("assignDID", shared.read_captured("did/assign_did.xml"))

    call("assignDID", **DID_PARAMS)

    assert ProviderCall.objects.filter(operation="assignDID").count() == 1


@pytest.mark.django_db
def test_inside_a_test_transaction_rows_stay_in_the_test(canned_vi):
    """Nothing leaks past a test: rows go where the test's rollback will take them (the
    test's own transaction is open here, and is not the caller's: the call is allowed)."""
    canned_vi.reply("assignDID", shared.read_captured("did/assign_did.xml"))

    call("assignDID", **DID_PARAMS)

    assert ProviderCall.objects.count() == 1
