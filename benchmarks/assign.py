"""Buying 1,000 numbers at once through the portal's own service, as the Buy page does."""

from __future__ import annotations

import time

from portal.models import Source


def bulk_assign(*, sandbox, count: int) -> dict:
    """Reserve `count` available numbers, then assign them; SOAP calls and seconds of each."""
    from dids import services
    from dids.models import EndpointGroup
    from portal.models import ProviderCall

    # A few spare: VI may refuse some (another customer's hold); we buy exactly `count`.
    available = sandbox.control("GET", "state/numbers/available")[: count + count // 10 + 5]
    endpoint = (
        EndpointGroup.objects.filter(gone_at__isnull=True, active=True).order_by("vi_id").first()
    )
    if endpoint is None:
        raise RuntimeError("no active endpoint group mirrored: run the numbers sync first")

    calls_before = ProviderCall.objects.count()
    started = time.perf_counter()
    reserved = services.dids_reserve(tns=available, actor=None, source=Source.SYSTEM)
    reserve_seconds = time.perf_counter() - started
    reserve_calls = ProviderCall.objects.count() - calls_before
    tns = [outcome.tn for outcome in reserved if outcome.ok][:count]

    calls_before = ProviderCall.objects.count()
    started = time.perf_counter()
    outcomes = services.dids_assign(
        tns=tns, endpoint_id=endpoint.vi_id, actor=None, source=Source.SYSTEM
    )
    seconds = time.perf_counter() - started
    return {
        "numbers": len(tns),
        "bought": sum(1 for outcome in outcomes if outcome.ok),
        "soap_calls": ProviderCall.objects.count() - calls_before,
        "seconds": seconds,
        "reserve_soap_calls": reserve_calls,
        "reserve_seconds": reserve_seconds,
    }
