"""Citable snapshots and as_of exports (issue 19, part 1)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0014_export_lines")]

    operations = []
