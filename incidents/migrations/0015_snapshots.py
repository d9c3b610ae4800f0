"""Citable snapshots and as_of exports (issue 19, part 1)."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

# as_of reads each incident's latest version at or before a moment: this index answers it without
# sorting the whole history (docs/PERFORMANCE.md, Snapshots and as_of).
HISTORY_INDEX = ("CREATE INDEX IF NOT EXISTS historicalincident_as_of "
                 "ON incidents_historicalincident (id, history_date DESC, history_id DESC) INCLUDE (history_type)")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0014_export_lines")]

    operations = [
        migrations.CreateModel(
            name="SnapshotFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sha256", models.CharField(db_index=True, help_text="SHA-256 of the uncompressed bytes (hex).",
                                            max_length=64)),
                ("size", models.BigIntegerField(help_text="Uncompressed size in bytes.")),
                ("stored_size", models.BigIntegerField(help_text="Compressed size in bytes, as stored.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="SnapshotChunk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveIntegerField()),
                ("data", models.BinaryField()),
                ("file", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="chunks",
                                           to="incidents.snapshotfile")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("file", "seq"), name="snapshot_chunk_order")],
            },
        ),
        migrations.CreateModel(
            name="Snapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(
                    help_text="The moment cited (UTC): the files are the view as of then.")),
                ("query", models.TextField(
                    blank=True, help_text="The dashboard filter's query string (filter parameters only).")),
                ("filter_words", models.TextField(blank=True, help_text="The filter in words, as it read at that moment.")),
                ("rows", models.PositiveIntegerField(help_text="Incidents in the view (data rows of the CSV).")),
                ("incident_ids", django.contrib.postgres.fields.ArrayField(
                    base_field=models.BigIntegerField(), default=list, size=None,
                    help_text="Primary keys of the incidents in the view, to tell what changed since.")),
                ("csv_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the CSV")),
                ("geojson_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the GeoJSON")),
                ("client", models.CharField(blank=True, max_length=64)),
                ("csv_file", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                               to="incidents.snapshotfile")),
                ("geojson_file", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to="incidents.snapshotfile")),
            ],
            options={
                "indexes": [models.Index(fields=["client", "created_at"], name="snapshot_client_time")],
            },
        ),
        migrations.RunSQL(HISTORY_INDEX, "DROP INDEX IF EXISTS historicalincident_as_of"),
    ]
