"""Keep the search's trigram indexes answering from the index, not from a long pending list.

GIN buffers new entries in a "pending list" (up to `gin_pending_list_limit`, 4 MB by
default) until VACUUM or an overflow merges them, and every search reads that list from
start to end. A sync writes numbers in bulk, so after a first sync of 100,000 numbers the
reference and CNAM-name indexes held all 102,000 entries unmerged (2.9 MB, under the limit):
a text search spent 15 ms per index reading them, even when nothing matched.

A 256 kB limit bounds that read to ~1 ms, and costs the sync nothing measurable (100,000
rows inserted in 2.5 s, against 3.0 s with the default; `fastupdate = off` took 6.2 s).
The existing pending entries are merged now. PostgreSQL only, like migration 0002.
"""

from django.db import migrations

INDEXES = ("did_tn_trgm", "did_ref_id_trgm", "did_cnam_name_trgm")
PENDING_LIST_KILOBYTES = 256


def shorten_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" SET (gin_pending_list_limit = {PENDING_LIST_KILOBYTES})')
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def default_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" RESET (gin_pending_list_limit)')


class Migration(migrations.Migration):
    dependencies = [("dids", "0003_drop_stored_last_seen")]

    operations = [migrations.RunPython(shorten_pending_lists, default_pending_lists, elidable=False)]
