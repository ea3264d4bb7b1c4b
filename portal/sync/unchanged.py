"""An audit byte for byte the same as the last one applied, over an untouched mirror: no work.

Most syncs find nothing changed at VI. Parsing 100,000 records, staging and diffing them
only to learn that costs most of a sync; instead a sync remembers, per step, what the
audit it applied in full looked like (`audit` in the step's counts):

* `digest`: the answer's raw bytes, hashed after a salt of everything else that decides
  the records — other audits merged in (forwards, faxes …), the source code that turns
  bytes into rows, the time zone a naive time is read in;
* `mirror`: a fingerprint of the mirror just after it was applied. For a table with a
  write counter (`portal.sync.writecount`: dids_did, e911_location) and no scope, the
  counter's value — every statement that writes the table bumps it, so reading it costs
  one catalog query instead of a scan. Otherwise, the rows in scope: count and a sum of
  per-row hashes of the key, every VI field and whether the row is gone.

The next sync of that kind asks the streaming client (`streaming.BodyWatch`) to read the
answer whole first: when its digest is the same and the mirror's fingerprint is still the
one remembered, applying the audit could change nothing, so no record is parsed and the
step reports every record unchanged. Anything else — one byte different, a row changed
by anyone or anything (with or without history), a previous run that set records aside,
kept rows local or saw duplicates — takes the ordinary path, which remembers anew.
PostgreSQL only (the fingerprint is SQL); elsewhere every sync takes the ordinary path.

A memo left by a run before the counter existed holds a row-hash fingerprint; it never
equals a counter's (`writecount.PREFIX`), so the first sync after the upgrade simply takes
the ordinary path and remembers the counter.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Q

from portal.mirror import MirrorModel
from portal.models import SyncRun
from portal.sync import writecount
from portal.sync.context import SyncContext
from portal.sync.outcome import ReconcileCounts
from portal.voipinnovations import streaming

MEMO = "audit"


@dataclass
class UnchangedAudit:
    """One step's watch over its audit; handed to `reconcile(audit=…)`."""

    run: SyncContext
    model: type[MirrorModel]
    step: str | None
    scope: Q | None
    watch: streaming.BodyWatch
    seen: int = 0  # records the remembered answer held (seen by the run that applied it)
    fingerprint: str = ""  # the mirror's, when it is still the one remembered

    @property
    def unchanged(self) -> bool:
        return self.watch.unchanged

    def skipped(self) -> ReconcileCounts:
        """The step's figures when nothing could change: every record unchanged. The memo
        is carried forward, so the next sync may skip as well."""
        counts = ReconcileCounts(seen=self.seen, unchanged=self.seen)
        self._keep(counts, self.fingerprint)
        return counts

    def remember(self, counts: ReconcileCounts) -> None:
        """After an ordinary reconcile: keep what the next sync compares with, when usable."""
        if (
            self.watch.digest is None
            or counts.set_aside
            or counts.kept_local
            or counts.duplicates
            or connection.vendor != "postgresql"
        ):
            return
        fingerprint = mirror_fingerprint(self.model, self.scope)
        if fingerprint.startswith(writecount.PREFIX) and writecount.writers_in_flight(
            self.model._meta.db_table
        ):
            # Another writer's bump may be in the value just read, its rows still to be
            # committed: remembering it could hide that change. The next sync is ordinary.
            return
        self._keep(counts, fingerprint)

    def _keep(self, counts: ReconcileCounts, fingerprint: str) -> None:
        memo = {
            "digest": self.watch.digest,
            "mirror": fingerprint,
            "item_codes": dict(self.watch.item_codes),
            "records": self.watch.records,
        }
        self.run.set_counts({**counts.as_dict(), MEMO: memo}, step=self.step)


@contextmanager
def unchanged_audit(
    *,
    run: SyncContext,
    model: type[MirrorModel],
    step: str | None = None,
    scope: Q | None = None,
    inputs: Sequence[Any] = (),
    code: Sequence[ModuleType] = (),
) -> Iterator[UnchangedAudit]:
    """Watch the first audit streamed in the block (see the module's docstring).

    `inputs`: the other values merged into each record (dicts, sets …; compared by their
    sorted repr); `code`: the modules that read the audit into records, besides the engine's.
    """
    salt = _salt(model, inputs, code)
    watch = streaming.BodyWatch(salt=salt)
    audit = UnchangedAudit(run=run, model=model, step=step, scope=scope, watch=watch)
    memo = _remembered(run, step)
    if memo is not None:
        fingerprint = mirror_fingerprint(model, scope)
        if fingerprint == memo.get("mirror"):
            watch.expected = memo.get("digest")
            watch.item_codes = dict(memo.get("item_codes") or {})
            watch.records = int(memo.get("records") or 0)
            audit.seen = int(memo.get("seen") or 0)
            audit.fingerprint = fingerprint
    with streaming.watching(watch):
        yield audit


def _remembered(run: SyncContext, step: str | None) -> dict[str, Any] | None:
    """The memo of the same step in the kind's last successful run, if it left one."""
    if connection.vendor != "postgresql":
        return None
    previous = (
        SyncRun.objects.filter(kind=run.kind, status=SyncRun.Status.SUCCEEDED)
        .exclude(pk=run.run.pk)
        .order_by("-started_at", "-pk")
        .values_list("counts", flat=True)
        .first()
    )
    if not isinstance(previous, dict):
        return None
    counts = previous.get(step) if step is not None else previous
    if not isinstance(counts, dict):
        return None
    memo = counts.get(MEMO)
    if not isinstance(memo, dict) or not memo.get("digest") or not memo.get("mirror"):
        return None
    if counts.get("set_aside") or counts.get("kept_local") or counts.get("duplicates"):
        return None
    return {**memo, "seen": counts.get("seen", 0)}


def mirror_fingerprint(model: type[MirrorModel], scope: Q | None) -> str:
    """What changes whenever the mirror rows in scope may have: the table's write counter
    when it has one and there is no scope (any write to the table moves it), else the rows'
    content (`content_fingerprint`)."""
    if scope is None:
        counted = writecount.fingerprint(model._meta.db_table)
        if counted is not None:
            return counted
    return content_fingerprint(model, scope)


def content_fingerprint(model: type[MirrorModel], scope: Q | None) -> str:
    """Count and sum of per-row 64-bit hashes over the key, the VI fields and gone-or-not, in
    scope: any change to one row changes the sum but for a 1 in 2**64 chance. A full scan
    (~0.12 s per 100,000 rows)."""
    quote = connection.ops.quote_name
    names = dict.fromkeys([model.natural_key_field, *model.vi_fields])
    columns = [f"m.{quote(_column(model, name))}" for name in names]
    row = f"ROW({', '.join(columns)}, m.gone_at IS NULL)::text"
    where, params = "", []
    if scope is not None:
        query = model._default_manager.filter(scope).values("pk").query
        compiled, scope_params = query.sql_with_params()
        where = f"WHERE m.{quote(_column(model, model._meta.pk.name))} IN ({compiled})"
        params = list(scope_params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), coalesce(sum(hashtextextended({row}, 0)::numeric), 0) "
            f"FROM {quote(model._meta.db_table)} m {where}",
            params,
        )
        count, total = cursor.fetchone()
    return f"{count}:{total}"


def _column(model: type[MirrorModel], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None  # a concrete column
    return field.column


def _salt(model: type[MirrorModel], inputs: Sequence[Any], code: Sequence[ModuleType]) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_code_digest((*_engine_modules(), *code)))
    digest.update(f"{model._meta.label_lower}|{model.vi_fields}|{settings.TIME_ZONE}".encode())
    for value in inputs:
        digest.update(b"\x1e")
        digest.update(_canonical(value).encode("utf-8", "surrogatepass"))
    return digest.digest()


def _canonical(value: Any) -> str:
    if isinstance(value, dict):
        return repr(sorted(value.items(), key=lambda item: repr(item[0])))
    if isinstance(value, set | frozenset):
        return repr(sorted(value, key=repr))
    return repr(value)


@cache
def _code_digest(modules: tuple[ModuleType, ...]) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for module in modules:
        digest.update(module.__name__.encode())
        digest.update(inspect.getsource(module).encode())
    return digest.digest()


def _engine_modules() -> tuple[ModuleType, ...]:
    from portal.sync import columns, fit, setaside, setbased

    # Not `from portal.sync import reconcile`: the package re-exports the function by that name.
    reconcile_module = importlib.import_module("portal.sync.reconcile")
    from portal.voipinnovations import client, strict_types, values

    return (
        columns, fit, reconcile_module, setaside, setbased, client, strict_types, values, streaming,
    )  # fmt: skip
