# Connections moved to the people app (people 0011), which took over the table as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0003_drop_indexes_covered_by_others'),
        ('people', '0011_connection_joins_the_ledger'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='Connection')],
        ),
    ]
