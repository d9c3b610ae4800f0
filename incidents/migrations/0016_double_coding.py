"""Double coding and inter-coder agreement (issue 19, part 2)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0015_snapshots")]

    operations = []
