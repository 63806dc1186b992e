"""The archive mark moves from a person's contact details to the person: Eye Contact's own lists
leave archived people out, not only the address book."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    ContactDetails = apps.get_model("contacts", "ContactDetails")
    archived = ContactDetails.objects.filter(archived_at__isnull=False)
    Person.objects.filter(pk__in=archived.values("person_id")).update(
        archived_at=Subquery(archived.filter(person_id=OuterRef("pk")).values("archived_at")[:1])
    )


def backwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    ContactDetails = apps.get_model("contacts", "ContactDetails")
    for person_id, workspace_id, when in Person.objects.filter(
        archived_at__isnull=False
    ).values_list("pk", "workspace_id", "archived_at"):
        ContactDetails.objects.update_or_create(
            person_id=person_id, defaults={"workspace_id": workspace_id, "archived_at": when}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_business_card_client_id"),
        ("people", "0012_person_archived_at"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
        migrations.RemoveField(model_name="contactdetails", name="archived_at"),
    ]
