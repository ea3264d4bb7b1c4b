"""How reconciled rows reach the table: the seam where a faster path can be swapped in.

These serve the portable reconcile path: SQLite always, and PostgreSQL only when a caller
passes a writer (every mirror model's field types are otherwise reconciled set-based, in
SQL, by `portal.sync.setbased`, which writes without model instances). `BulkWriter` uses
the ORM's bulk_create/bulk_update and works on every database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.db import connection

from portal.history import copy_rows
from portal.mirror import MirrorModel
from portal.sync.columns import concrete_column


class MirrorWriter(Protocol):
    def create(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel]) -> None: ...

    def update(
        self, *, model: type[MirrorModel], rows: Sequence[MirrorModel], fields: Sequence[str]
    ) -> None: ...


class BulkWriter:
    """The portable writer (PostgreSQL and SQLite)."""

    # bulk_update builds one CASE per field per row: smaller batches keep statements sane.
    update_batch_size = 500

    def create(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel]) -> None:
        if rows:
            model._default_manager.bulk_create(rows)

    def update(
        self, *, model: type[MirrorModel], rows: Sequence[MirrorModel], fields: Sequence[str]
    ) -> None:
        if rows:
            model._default_manager.bulk_update(
                rows, list(fields), batch_size=self.update_batch_size
            )


class CopyWriter(BulkWriter):
    """PostgreSQL: new rows arrive by COPY; updates (a few per sync) stay with bulk_update.

    The engine has just locked the batch's keys and found these rows absent, so plain COPY
    keeps bulk_create's meaning: a row a person created meanwhile fails the batch's
    transaction on the unique key, and the next sync settles it. A first sync of 100,000
    numbers spends its time in bulk_create's per-field parameter arrays otherwise.
    """

    def create(self, *, model: type[MirrorModel], rows: Sequence[MirrorModel]) -> None:
        if not rows:
            return
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        copy_rows(
            table=model._meta.db_table,
            columns=[concrete_column(field) for field in fields],
            rows=(
                [
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for field in fields
                ]
                for row in rows
            ),
        )


def default_writer() -> MirrorWriter:
    return CopyWriter() if connection.vendor == "postgresql" else BulkWriter()
