"""What a write leaves behind: history rows and provider-log rows, with the numbers it touched
replaced by placeholders, so an API write and the page doing the same thing to another
number can be compared row for row."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from typing import Any

from portal.models import ChangeRecord, ProviderCall

_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")


def _scrub(value, replacements: dict[str, str]):
    # Moments (gone_at, VI's dates) differ by the milliseconds between the two writes.
    text = _MOMENT.sub("<moment>", json.dumps(value, sort_keys=True, default=str))
    for real, placeholder in replacements.items():
        text = text.replace(real, placeholder)
    return json.loads(text)


class Footprint:
    def __init__(self):
        self.history: list = []
        self.calls: list = []

    def normalised(self, replacements: dict[str, str]) -> dict:
        history = sorted(
            json.dumps(
                _scrub(
                    [
                        r.model,
                        r.object_key,
                        r.action,
                        {k: v[1] for k, v in r.changes.items()},
                        r.actor_id,
                        r.source,
                        r.note,
                    ],
                    replacements,
                ),
                sort_keys=True,
            )
            for r in self.history
        )
        calls = sorted(
            json.dumps(
                _scrub(
                    [c.operation, c.parameters, c.outcome, c.response_code, c.actor_id, c.source],
                    replacements,
                ),
                sort_keys=True,
            )
            for c in self.calls
        )
        return {"history": history, "calls": calls}


@contextmanager
def footprint():
    last_change = ChangeRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    last_call = ProviderCall.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = Footprint()
    yield result
    result.history = list(ChangeRecord.objects.filter(id__gt=last_change).order_by("id"))
    result.calls = list(ProviderCall.objects.filter(id__gt=last_call).order_by("id"))


def differences(left: dict, right: dict) -> list:
    """For a failing comparison: the rows, field by field, that differ."""
    out: list[tuple[Any, ...]] = []
    for kind in ("history", "calls"):
        for a, b in zip(left[kind], right[kind]):
            if a != b:
                ja, jb = json.loads(a), json.loads(b)
                for i, (x, y) in enumerate(zip(ja, jb)):
                    if x != y and isinstance(x, dict) and isinstance(y, dict):
                        out.append(
                            (
                                kind,
                                i,
                                {
                                    k: (x.get(k), y.get(k))
                                    for k in set(x) | set(y)
                                    if x.get(k) != y.get(k)
                                },
                            )
                        )
                    elif x != y:
                        out.append((kind, i, x, y))
        if len(left[kind]) != len(right[kind]):
            out.append((kind, "count", len(left[kind]), len(right[kind])))
    return out
