"""How reconciled rows reach the table: the seam where a faster path can be swapped in.

`BulkWriter` uses the ORM's bulk_create/bulk_update and works on every database. A
PostgreSQL writer (COPY into a temporary table, then INSERT … ON CONFLICT DO UPDATE …
WHERE … IS DISTINCT FROM) can replace it without touching the engine: it receives the
same already-diffed model instances, de-duplicated by natural key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from portal.mirror import MirrorModel


class MirrorWriter(Protocol):
    def create(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel]) -> None: ...

    def update(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel], fields: Sequence[str]) -> None: ...


class BulkWriter:
    """The portable writer (PostgreSQL and SQLite)."""

    # bulk_update builds one CASE per field per row: smaller batches keep statements sane.
    update_batch_size = 500

    def create(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel]) -> None:
        if rows:
            model.objects.bulk_create(rows)

    def update(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel], fields: Sequence[str]) -> None:
        if rows:
            model.objects.bulk_update(rows, list(fields), batch_size=self.update_batch_size)
