"""The export gains `event_date_end` (a date window's last day, issue 15 point 6): the refresh function
of the export's read model is generated from the export's columns, so it is made again and every
stored line rebuilt (incidents/exports/lines.py, as migration 0014 says a column change must)."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from incidents.exports import lines

    lines.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0019_dashboard_indexes")]
    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
