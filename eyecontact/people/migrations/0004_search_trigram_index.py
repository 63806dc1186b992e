"""A trigram index on people's search text, so "contains" searches stay fast on PostgreSQL.

The people list searches ``search_text LIKE '%word%'``; with 100,000 people a plain scan is too
slow for search-as-you-type. PostgreSQL's ``pg_trgm`` GIN index answers such patterns directly.
Creating the extension needs a privileged role: when the database refuses, Eye Contact works on
without the index (searches are slower) and says how to add it. Other databases are left alone.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "person_search_trgm"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        sys.stderr.write(
            f"Eye Contact: could not create the pg_trgm extension ({exc}); people search works "
            "without its index. A database superuser can run CREATE EXTENSION pg_trgm and then "
            "`eyecontact manage migrate people 0003` followed by `eyecontact manage migrate`.\n"
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_review_queue")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
