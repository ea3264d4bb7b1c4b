"""Someone else at VI (a colleague in the Back Office, VI support) changes our numbers.

POST /_sandbox/other with {"action": ...}:
  update  {"tn", "endpointGroup"?, "cnamName"?, "refId"?, "forward"?, "failover"?, "cnam"?}
  release {"tn"}                      the number leaves the account (no SOAP call of ours)
  add     {"tn"?, "endpointGroup"?}   a number joins the account (from inventory, or made up)
  take    {"tn"}                      another company takes an available number
  mutate  {"fraction": 0.01}          change that share of owned numbers; returns their TNs
Unknown actions fall through to the other domain stores' `other()` hooks.
"""

from __future__ import annotations

from .dids import OTHER, OURS, Number, normalize_tn


class OtherError(ValueError):
    pass


def act(sandbox, payload: dict) -> dict | None:
    action = payload.get("action")
    store, now = sandbox.dids, sandbox.now()
    if action == "update":
        number = _owned(store, payload)
        if "endpointGroup" in payload:
            number.endpoint_group = int(payload["endpointGroup"])
        if "cnamName" in payload:
            number.cnam_name = payload["cnamName"] or None
        if "refId" in payload:
            number.ref_id = payload["refId"] or ""
        if "forward" in payload:
            number.forward = payload["forward"] or None
        if "failover" in payload:
            number.failover = payload["failover"] or None
        if "cnam" in payload:
            number.cnam = bool(payload["cnam"])
        return {"tns": [number.tn]}
    if action == "release":
        number = _owned(store, payload)
        store.drop(number, now=now)
        sandbox.notify_released(number.tn)
        return {"tns": [number.tn]}
    if action == "add":
        return {"tns": [_add(sandbox, payload).tn]}
    if action == "take":
        number = store.get(payload.get("tn"))
        if number is None or not store.is_available(number, now):
            raise OtherError("tn must be an available number")
        number.holder = OTHER
        return {"tns": [number.tn]}
    if action == "mutate":
        return {"tns": _mutate(sandbox, float(payload.get("fraction", 0.01)))}
    return None


def _owned(store, payload) -> Number:
    number = store.owned(payload.get("tn"))
    if number is None:
        raise OtherError("tn must be a number on the account")
    return number


def _add(sandbox, payload: dict) -> Number:
    store, now = sandbox.dids, sandbox.now()
    group = payload.get("endpointGroup")
    if group is None:
        group = next(
            (g.id for g in store.endpoint_groups.values() if g.owner == OURS and g.active), 0
        )
    tn = normalize_tn(payload.get("tn"))
    number = store.get(tn) if tn else next(iter(store.available(now)), None)
    if number is None:
        if len(tn) != 10:
            raise OtherError("no number to add")
        number = Number(
            tn=tn,
            state=payload.get("state", "UT"),
            rate_center=payload.get("rateCenter", "SALT LAKE"),
            lata=int(payload.get("lata", 660)),
            tier=str(payload.get("tier", "1")),
        )
        store.numbers[tn] = number
    elif number.holder is not None:
        raise OtherError("tn is already held")
    number.holder = OURS
    number.reserved_by = number.reserved_until = number.aging_until = None
    number.endpoint_group = int(group)
    return number


def _mutate(sandbox, fraction: float) -> list[str]:
    """Change `fraction` of owned numbers the way a busy colleague would (benchmarks)."""
    store = sandbox.dids
    owned = store.owned_numbers()
    count = min(len(owned), max(1, round(len(owned) * fraction))) if owned else 0
    chosen = sandbox.rng.sample(owned, count)
    groups = [g.id for g in store.endpoint_groups.values() if g.owner == OURS and g.active] or [0]
    for index, number in enumerate(chosen):
        change = index % 3
        if change == 0:
            number.endpoint_group = (
                groups[(groups.index(number.endpoint_group) + 1) % len(groups)]
                if number.endpoint_group in groups
                else groups[0]
            )
        elif change == 1:
            number.ref_id = f"changed-{sandbox.rng.randrange(10**6):06d}"
        else:
            number.cnam = not number.cnam
    return sorted(number.tn for number in chosen)
