"""Read-only JSON views of the numbers store for tests (GET /_sandbox/state/...)."""

from __future__ import annotations

from dataclasses import asdict

from .dids import OURS


def _number(number) -> dict:
    data = asdict(number)
    for key in ("reserved_until", "aging_until"):
        if data[key] is not None:
            data[key] = data[key].isoformat(timespec="seconds")
    return data


def view(sandbox, parts: list[str]):
    store, now = sandbox.dids, sandbox.now()
    kind = parts[0]
    if kind == "numbers":
        # Owned numbers by default; ?holder is not parsed, keep it simple: /numbers/available.
        which = parts[1] if len(parts) > 1 else "owned"
        if which == "owned":
            return [_number(n) for n in store.owned_numbers()]
        if which == "available":
            return [n.tn for n in sorted(store.available(now), key=lambda n: n.tn)]
        if which == "other":
            return sorted(n.tn for n in store.numbers.values() if n.holder == "other")
        return None
    if kind == "number" and len(parts) > 1:
        number = store.get(parts[1])
        if number is None:
            return {"tn": parts[1], "known": False}
        store.settle(number, now)
        return {**_number(number), "known": True, "has911": sandbox.has_911(number.tn)}
    if kind == "endpoint_groups":
        return [asdict(group) for group in store.endpoint_groups.values()]
    if kind == "clients":
        # What AuditClients answers right now, as JSON (usage as a string).
        from .account import audit_clients

        return audit_clients(sandbox, None)["Clients"]
    if kind == "did_groups":
        return [asdict(group) for group in store.did_groups.values()]
    if kind == "reservations":
        return [
            {
                "tn": n.tn,
                "reserved_by": n.reserved_by,
                "until": n.reserved_until.isoformat(timespec="seconds"),
            }
            for n in store.numbers.values()
            if store.settle(n, now).reserved_by is not None
        ]
    if kind == "account":
        return {
            "balance": str(store.balance),
            "toll_free_origination": store.toll_free_origination,
            "owned": sum(1 for n in store.numbers.values() if n.holder == OURS),
        }
    if kind == "intl":
        return {
            "numbers": [asdict(n) for n in store.intl_numbers.values()],
            "countries": store.countries,
        }
    return None
