"""Drops the connections' indexes by workspace and by person, which others already cover.

(workspace, network, kind) and the unique (person, network, kind) lead with those columns, so
lookups and cascades use them. A heavy user's import writes some 280,000 fewer index entries.
On SQLite the table is rebuilt once by this migration.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_screen_policy"),
        ("networks", "0002_follow_churn"),
        ("people", "0009_drop_indexes_covered_by_others"),
    ]

    operations = [
        migrations.AlterField(
            model_name="connection",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="connections",
                to="people.person",
            ),
        ),
        migrations.AlterField(
            model_name="connection",
            name="workspace",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="connections",
                to="accounts.workspace",
            ),
        ),
    ]
