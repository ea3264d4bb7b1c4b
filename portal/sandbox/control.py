"""The JSON control API under /_sandbox/: reset, summary, faults, clock, "someone else", state."""

from __future__ import annotations

from .faults import FaultError


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def handle(sandbox, method: str, path: str, payload: dict) -> tuple[int, object]:
    parts = [part for part in path.split("/") if part][1:]  # drop "_sandbox"
    if not parts:
        raise ControlError("unknown control path", 404)
    head, rest = parts[0], parts[1:]
    try:
        if head == "reset" and method == "POST":
            sandbox.reset(payload.get("seed", "empty"))
            sandbox.faults.clear()
            return 200, sandbox.summary()
        if head == "summary" and method == "GET":
            return 200, sandbox.summary()
        if head == "faults":
            if method == "POST":
                fault = sandbox.faults.add(payload)
                return 200, {"added": fault.as_dict(), "pending": sandbox.faults.pending()}
            if method == "DELETE":
                sandbox.faults.clear()
                return 200, {"pending": []}
            if method == "GET":
                return 200, {"pending": sandbox.faults.pending()}
        if head == "clock" and method == "POST":
            with sandbox.lock:
                sandbox.advance(float(payload.get("advance_seconds", 0)))
                return 200, {"now": sandbox.now().isoformat(timespec="seconds")}
        if head == "clock" and method == "GET":
            return 200, {"now": sandbox.now().isoformat(timespec="seconds")}
        if head == "other" and method == "POST":
            with sandbox.lock:
                return 200, act_as_other(sandbox, payload)
        if head == "state" and method == "GET":
            with sandbox.lock:
                return 200, state_view(sandbox, rest)
    except FaultError as error:
        raise ControlError(str(error)) from None
    except (TypeError, ValueError, KeyError) as error:
        raise ControlError(f"bad request: {error}") from None
    raise ControlError(f"unknown control path {method} {path}", 404)


def act_as_other(sandbox, payload: dict) -> dict:
    """Someone else at VI changes the account; numbers first, then domain stores may answer."""
    from .domains.other import act  # the numbers' out-of-band changes

    answer = act(sandbox, payload)
    if answer is not None:
        return answer
    for name, store in sandbox.domain_stores().items():
        hook = getattr(store, "other", None)
        if hook is not None and name != "dids":
            answer = hook(sandbox, payload)
            if answer is not None:
                return answer
    raise ControlError(f"unknown action {payload.get('action')!r}")


def state_view(sandbox, parts: list[str]):
    from .domains.views import view as dids_view

    if not parts:
        return {
            "kinds": [
                "numbers",
                "number/<tn>",
                "endpoint_groups",
                "did_groups",
                "reservations",
                "account",
                "intl",
                "faults",
                "<domain>/...",
            ]
        }
    if parts[0] == "faults":
        return {"pending": sandbox.faults.pending()}
    answer = dids_view(sandbox, parts)
    if answer is not None:
        return answer
    store = (
        getattr(sandbox, parts[0], None) if parts[0] in ("e911", "porting", "messaging") else None
    )
    hook = getattr(store, "state_view", None) if store is not None else None
    if hook is not None:
        answer = hook(sandbox, parts[1:])
        if answer is not None:
            return answer
    raise ControlError(f"unknown state view {'/'.join(parts)}", 404)
