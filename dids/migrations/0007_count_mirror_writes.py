"""A write counter on the numbers' mirror (portal/sync/writecount.py): a sync proves the
table untouched since its last full apply by reading a sequence instead of hashing 100,000
rows. PostgreSQL only; elsewhere nothing to do (and no sync skips an audit there)."""

from django.db import migrations

TABLE = "dids_did"


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
        ("dids", "0006_client_structure"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
