"""Public dashboard: multi-value filters, search and sorting (issue 16)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0018_arabic_names")]

    operations = []
