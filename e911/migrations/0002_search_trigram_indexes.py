"""Trigram indexes so the 911 records search ("number, street, city or caller name",
`icontains` -> `UPPER(col::text) LIKE UPPER(…)`, TN digits -> `tn LIKE`) stays fast at
100,000 records. PostgreSQL only; a no-op elsewhere."""

from django.db import migrations

INDEXES = {
    "e911_location_tn_trgm": '("tn" gin_trgm_ops)',
    "e911_location_address1_trgm": '(UPPER("address1"::text) gin_trgm_ops)',
    "e911_location_city_trgm": '(UPPER("city"::text) gin_trgm_ops)',
    "e911_location_caller_trgm": '(UPPER("caller_name"::text) gin_trgm_ops)',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "e911_location" USING gin {expression}')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("e911", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
