from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, ExpressionWrapper, F, FloatField, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def hold_back_beyond_the_queue(apps, schema_editor):
    """A workspace with more possible duplicates waiting than the queue holds keeps the best
    (ranked as eyecontact.people.selectors.review_gain ranks them) and holds back the rest."""
    MatchReview = apps.get_model("people", "MatchReview")
    Connection = apps.get_model("people", "Connection")

    def connections(side):
        counted = (
            Connection.objects.filter(person=OuterRef(side))
            .order_by()
            .values("person")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    gain = ExpressionWrapper(
        F("score")
        * (
            Value(1.0)
            + F("person_a__touch_count")
            + F("person_b__touch_count")
            + connections("person_a")
            + connections("person_b")
        ),
        output_field=FloatField(),
    )
    size = settings.REVIEW_QUEUE_SIZE
    crowded = (
        MatchReview.objects.filter(status="open")
        .order_by()
        .values("workspace_id")
        .annotate(n=Count("id"))
        .filter(n__gt=size)
        .values_list("workspace_id", flat=True)
    )
    for workspace_id in list(crowded):
        ranked = list(
            MatchReview.objects.filter(workspace_id=workspace_id, status="open")
            .annotate(gain=gain)
            .order_by("-gain", "-score", "id")
            .values_list("pk", flat=True)
        )
        held = ranked[size:]
        for start in range(0, len(held), 900):
            MatchReview.objects.filter(pk__in=held[start : start + 900]).update(status="held")


def back_into_the_queue(apps, schema_editor):
    apps.get_model("people", "MatchReview").objects.filter(status="held").update(status="open")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0012_person_archived_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='matchreview',
            name='status',
            field=models.CharField(choices=[('open', 'Waiting for review'), ('held', 'Held back, less likely'), ('merged', 'Same person, merged'), ('rejected', 'Not the same person')], default='open', max_length=10),
        ),
        migrations.RunPython(hold_back_beyond_the_queue, back_into_the_queue),
    ]
