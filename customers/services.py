"""Writes of the Customers pages. Each goes through the numbers services (which call VI and
record history): this module only decides what to ask them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from dids import services as dids_services
from dids.models import Client
from dids.records import NumberOutcome
from dids.selectors import clients_by_endpoint_group
from portal.actor import Actor
from portal.models import Source


class NotAClientsGroup(ValidationError):
    """The endpoint group chosen as the destination belongs to no client."""


# What these services raise for a person to read (besides the numbers services' own).
EXPECTED_ERRORS: tuple[type[Exception], ...] = (NotAClientsGroup, *dids_services.EXPECTED_ERRORS)


def numbers_move_to_client(
    *, tns: Iterable[str], endpoint_id: int, actor: Actor, source: Source
) -> tuple[Client, list[NumberOutcome]]:
    """Move numbers to another client: route them to that client's endpoint group.

    VI knows a number's client only through its endpoint group, so this is configDID (the
    inbound CNAM dip left as it is), one result per number.
    """
    client = clients_by_endpoint_group().get(endpoint_id)
    if client is None:
        raise NotAClientsGroup("That endpoint group belongs to no client.")
    outcomes = dids_services.dids_configure(
        tns=list(tns), endpoint_id=endpoint_id, actor=actor, source=source
    )
    return client, outcomes
