"""Faults injected on demand through POST /_sandbox/faults: the next N matching calls misbehave."""

from __future__ import annotations

import threading
from dataclasses import dataclass

KINDS = ("latency", "timeout", "http500", "soapfault", "malformed", "auth", "empty", "truncated")
DEFAULT_SECONDS = {"latency": 2.0, "timeout": 120.0}


class FaultError(ValueError):
    pass


@dataclass(slots=True)
class Fault:
    operation: str  # an operation name or "*"
    kind: str
    times: int
    seconds: float

    def as_dict(self) -> dict:
        return {
            "operation": self.operation,
            "kind": self.kind,
            "times": self.times,
            "seconds": self.seconds,
        }


class FaultPlan:
    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, payload: dict) -> Fault:
        kind = payload.get("kind")
        if kind not in KINDS:
            raise FaultError(f"kind must be one of {', '.join(KINDS)}")
        operation = str(payload.get("operation") or "*")
        try:
            times = int(payload.get("times", 1))
            seconds = float(payload.get("seconds", DEFAULT_SECONDS.get(kind, 0.0)))
        except (TypeError, ValueError):
            raise FaultError("times must be an integer and seconds a number") from None
        if times < 1:
            raise FaultError("times must be at least 1")
        fault = Fault(operation=operation, kind=kind, times=times, seconds=seconds)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, operation: str) -> Fault | None:
        """The first pending fault matching `operation`, counting one use of it."""
        with self._lock:
            for fault in self._faults:
                if fault.operation in ("*", operation):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return Fault(fault.operation, fault.kind, 1, fault.seconds)
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict]:
        with self._lock:
            return [fault.as_dict() for fault in self._faults]
