"""Trigram indexes so "digits anywhere in the number, reference or CNAM name" stays fast.

PostgreSQL only (pg_trgm GIN indexes serve `LIKE '%…%'`); on SQLite (`make run`) this is a
no-op and the list page falls back to a scan, which is fine at laptop sizes. The
expressions match what `dids.selectors` generates: `tn LIKE` for digits and Django's
`icontains` (`UPPER(col::text) LIKE UPPER(…)`) for reference and name.
"""

from django.db import migrations

INDEXES = {
    "did_tn_trgm": '("tn" gin_trgm_ops)',
    "did_ref_id_trgm": '(UPPER("ref_id"::text) gin_trgm_ops)',
    "did_cnam_name_trgm": '(UPPER("cnam_name"::text) gin_trgm_ops)',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "dids_did" USING gin {expression}')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("dids", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
