"""The words each person is found by, so the people list searches through an index.

Fills the new table from every person's ``search_text``; from then on the code that writes
``search_text`` keeps it (``eyecontact.people.search``).
"""

import django.db.models.deletion
from django.db import migrations, models

from eyecontact.matching.normalize import fold_name

# As in eyecontact.people.models, copied so this migration keeps meaning what it meant.
SEARCH_WORD_MAX_LENGTH = 100


def fill_search_words(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonSearchWord = apps.get_model("people", "PersonSearchWord")
    people = Person.objects.order_by("pk").values_list("pk", "workspace_id", "search_text")
    rows = []
    for pk, workspace_id, text in people.iterator(chunk_size=2000):
        words = {word[:SEARCH_WORD_MAX_LENGTH] for word in fold_name(text).split()}
        rows.extend(
            PersonSearchWord(person_id=pk, workspace_id=workspace_id, word=word)
            for word in sorted(words)
        )
        if len(rows) >= 10_000:
            PersonSearchWord.objects.bulk_create(rows, batch_size=1000)
            rows = []
    PersonSearchWord.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_screen_policy"),
        ("people", "0005_recent_first_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonSearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100)),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_words",
                        to="people.person",
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.workspace",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["workspace", "word", "person"],
                        name="search_word_ws_word",
                        opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("person", "word"), name="search_word_unique")
                ],
            },
        ),
        migrations.RunPython(fill_search_words, migrations.RunPython.noop, elidable=False),
    ]
