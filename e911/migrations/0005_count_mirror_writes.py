"""A write counter on the 911 locations' mirror (portal/sync/writecount.py): a sync proves
the table untouched since its last full apply by reading a sequence instead of hashing
every row. PostgreSQL only; elsewhere nothing to do (and no sync skips an audit there)."""

from django.db import migrations

TABLE = "e911_location"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from portal.sync import writecount

    writecount.install(TABLE, connection=schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from portal.sync import writecount

    writecount.uninstall(TABLE, connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("e911", "0004_bulk_job_source"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
