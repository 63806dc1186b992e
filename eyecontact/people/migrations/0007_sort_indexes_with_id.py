"""The people sorts' indexes end with the id the lists break ties by (see Person.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_screen_policy"),
        ("imports", "0002_review_queue"),
        ("people", "0006_search_words"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_ws_sort",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_ws_last_touch",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_ws_last_met",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_ws_touch_count",
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["workspace", "sort_name", "id"], name="person_ws_sort"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["workspace", "last_touch_at", "id"], name="person_ws_last_touch"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["workspace", "last_in_person_at", "id"], name="person_ws_last_met"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["workspace", "touch_count", "id"], name="person_ws_touch_count"
            ),
        ),
    ]
