"""A write counter on the 911 locations' mirror (portal/sync/writecount.py): a sync proves the table
untouched since its last full apply by reading a sequence instead of hashing every row.
PostgreSQL only; elsewhere nothing to do (and no sync skips an audit there)."""

from django.db import migrations

from portal.sync.writecount import migration_operation


class Migration(migrations.Migration):
    dependencies = [
        ("e911", "0004_bulk_job_source"),
    ]

    operations = [migration_operation("e911_location")]
