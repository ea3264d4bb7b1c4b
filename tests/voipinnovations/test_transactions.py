"""The provider client refuses a VI call made inside an open database transaction."""

import logging

import pytest
from django.db import transaction
from django.test import override_settings

from dids import services
from portal.models import ProviderCall, Source
from portal.voipinnovations.transactions import CalledInsideTransaction

pytestmark = pytest.mark.django_db


def test_a_vi_call_inside_an_atomic_block_is_refused_before_anything_is_sent(sandbox):
    with pytest.raises(CalledInsideTransaction, match="GetAvailableStates"):
        with transaction.atomic():
            services.available_states_list(actor=None, source=Source.STAFF)
    assert not ProviderCall.objects.filter(operation="GetAvailableStates").exists()


def test_the_same_call_outside_a_transaction_goes_through(sandbox):
    assert services.available_states_list(actor=None, source=Source.STAFF)


def test_a_stream_opened_inside_an_atomic_block_is_refused(sandbox):
    from portal.voipinnovations import client

    with pytest.raises(CalledInsideTransaction, match="auditDIDs"):
        with transaction.atomic():
            client.stream("auditDIDs", record_tag="DID")


@override_settings(VI_REFUSE_CALLS_IN_TRANSACTION=False)
def test_a_running_portal_logs_the_breach_and_carries_on(sandbox, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.voipinnovations.transactions"):
        with transaction.atomic():
            states = services.available_states_list(actor=None, source=Source.STAFF)
    assert states
    assert "GetAvailableStates called inside an open transaction" in caplog.text
