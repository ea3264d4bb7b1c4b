"""Records a sync could not store: kept aside with VI's raw values, never applied.

Both reconcile paths ask `SetAside.check` about every record before staging it. A record
with a problem (`portal.sync.fit`) is not staged, but its key still counts as listed by
the audit, so the mirror keeps that row's last good values instead of marking it gone.
The set-aside rows are written at the end of the read phase, outside the apply
transactions, so they are there even when the run is then held or fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models, transaction

from portal.events.publish import publish_set_aside
from portal.history import model_label
from portal.models import SetAsideRecord
from portal.sync.context import SyncContext
from portal.sync.fit import Fitted, quick_fit, record_problems
from portal.voipinnovations.values import Unfit, Unparsed, shown

# A run that sets aside more than this keeps the count but not every record's values.
KEEP_AT_MOST = 1000


class SetAside:
    def __init__(self, *, run: SyncContext, model: type[models.Model], step: str | None):
        self.run = run
        self.model = model
        self.step = step or ""
        self.label = model_label(model)
        self.count = 0
        self._pending: list[SetAsideRecord] = []
        self._names: tuple[str, ...] | None = None
        self._fits: Callable[[Mapping[str, Any]], bool] = _never

    def check(
        self, key: Any, data: Mapping[str, Any], names: tuple[str, ...], key_name: str
    ) -> tuple[bool, bool]:
        """(fits, key usable): when the record does not fit it is noted as set aside; its key
        still protects the mirror row from being marked gone when the key itself is sound."""
        if isinstance(data, Fitted) and data.model is self.model:
            return True, True  # checked as it was read (a sync's fast path)
        if names is not self._names:  # the same tuple for every record of a run
            self._names, self._fits = names, quick_fit(self.model, names)
        if self._fits(data):
            return True, True
        values = {name: data.get(name) for name in names}
        problems = record_problems(self.model, values)
        if not problems:
            return True, True
        self.count += 1
        key_usable = not any(problem.field == key_name for problem in problems) and not isinstance(
            key, Unfit | Unparsed
        )
        if len(self._pending) < KEEP_AT_MOST:
            self._pending.append(
                SetAsideRecord(
                    sync_run=self.run.run,
                    step=self.step[:64],
                    model=self.label[:64],
                    object_key=shown(key, 200),
                    problems=[
                        {
                            "field": problem.field,
                            "raw": shown(problem.raw),
                            "reason": problem.reason,
                        }
                        for problem in problems
                    ],
                    values={name: _raw(value) for name, value in data.items() if value is not None},
                )
            )
        return False, key_usable

    def save(self) -> None:
        if self._pending:
            with transaction.atomic():
                SetAsideRecord.objects.bulk_create(self._pending)
                publish_set_aside(self._pending)  # the outbox, same transaction
            self._pending = []


def _raw(value: Any) -> Any:
    """A value as the Sync page shows it: VI's text for a bad one, plain JSON otherwise."""
    if isinstance(value, Unfit | Unparsed | str):
        return shown(value)
    if isinstance(value, bool | int) and abs(value) < 2**53:
        return value
    if isinstance(value, list | tuple):
        return [_raw(item) for item in value[:20]]
    return shown(value if isinstance(value, str) else str(value))


def _never(values: Mapping[str, Any]) -> bool:
    return False
