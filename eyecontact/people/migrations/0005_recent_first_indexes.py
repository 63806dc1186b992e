"""Indexes for the "most recent first" people sorts on PostgreSQL.

The people list sorts by last touch or last met in person, newest first with the never-touched
at the end (``DESC NULLS LAST``). PostgreSQL reads a plain index backwards only as ``DESC NULLS
FIRST``, so without these it sorts every person of the workspace for each page. SQLite cannot
declare the order of NULLs in an index and needs none: it walks its index in either order.
"""

from django.db import migrations

INDEXES = {
    "person_ws_last_touch_desc": "last_touch_at DESC NULLS LAST, id DESC",
    "person_ws_last_met_desc": "last_in_person_at DESC NULLS LAST, id DESC",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, columns in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON people_person (workspace_id, {columns})"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_search_trigram_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
