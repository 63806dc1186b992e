# Connections are part of the ledger: the model moves from the networks app to people. Only
# Django's record of the model changes; the table, its rows and its indexes stay as they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_time_zone"),
        ("imports", "0005_organizations"),
        ("networks", "0003_drop_indexes_covered_by_others"),
        ("people", "0010_undo_puts_back"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Connection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("manual", "Typed by hand"),
                                    ("import", "Imported"),
                                    ("booth", "Captured at a booth"),
                                    ("api", "API"),
                                    ("demo", "Demo data"),
                                ],
                                default="manual",
                                max_length=10,
                            ),
                        ),
                        ("source_key", models.CharField(blank=True, max_length=300)),
                        (
                            "network",
                            models.CharField(
                                choices=[
                                    ("linkedin", "LinkedIn"),
                                    ("facebook", "Facebook"),
                                    ("x", "X"),
                                    ("other", "Other"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("connection", "Connection"),
                                    ("friend", "Friend"),
                                    ("follower", "Follows you"),
                                    ("following", "You follow"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("connected_on", models.DateField(blank=True, null=True)),
                        ("removed_on", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "person",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="connections",
                                to="people.person",
                            ),
                        ),
                        (
                            "source_batch",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="imports.importbatch",
                            ),
                        ),
                        (
                            "workspace",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="connections",
                                to="accounts.workspace",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "networks_connection",
                        "indexes": [
                            models.Index(
                                fields=["workspace", "network", "kind"], name="conn_ws_net"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("person", "network", "kind"),
                                name="connection_unique_per_person",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
