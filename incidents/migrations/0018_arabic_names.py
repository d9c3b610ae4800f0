"""Arabic names and translations (issue 17)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0017_demo_data")]

    operations = []
