"""Synthetic demonstration data, marked and removable (issue 20).

A demonstration incident carries the `demo` tag (incidents.models.incident.DEMO); its public id is
DEMO<pk>. Outlets, articles and actors made for the demonstration get a `demo` flag, so
`manage.py remove_demo_data` removes exactly what `load_demo_data` added. The export's CSV line
holds the public id, whose SQL changed: the refresh function is regenerated and every line rebuilt
(incidents/exports/lines.py, as migration 0014 asks of any change to the export's SQL).
"""

from django.db import migrations, models




def reinstall_export_lines(apps, schema_editor):
    from incidents.exports import lines

    lines.install()


def demo_field(help_text):
    return models.BooleanField(default=False, editable=False, help_text=help_text)


MADE = "Made for synthetic demonstration data."


class Migration(migrations.Migration):
    dependencies = [("incidents", "0016_double_coding")]

    operations = [
        migrations.AddField(model_name="actor", name="demo", field=demo_field(MADE)),
        migrations.AddField(model_name="historicalactor", name="demo", field=demo_field(MADE)),
        migrations.AddField(model_name="source", name="demo", field=demo_field(MADE)),
        migrations.AddField(model_name="historicalsource", name="demo", field=demo_field(MADE)),
        migrations.AddField(model_name="article", name="demo",
                            field=demo_field("A synthetic demonstration article.")),
        migrations.AddField(model_name="historicalarticle", name="demo",
                            field=demo_field("A synthetic demonstration article.")),
        migrations.AddIndex(model_name="incident", index=models.Index(
            condition=models.Q(tags__contains=["demo"]), fields=["id"], name="incident_demo")),
        migrations.RunPython(reinstall_export_lines, migrations.RunPython.noop),
    ]
