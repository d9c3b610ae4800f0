"""Synthetic demonstration data, marked and removable (issue 20)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0016_double_coding")]

    operations = []
