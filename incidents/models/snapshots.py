"""Citable snapshots of a public view: the filter, the moment (UTC), and its files kept byte for byte.

A snapshot is what the public could download for one dashboard filter at one moment. Its CSV and
GeoJSON are kept compressed (zlib) in chunks, once per distinct content (files are shared by
SHA-256), so the bytes a reader cited come back identical forever, whatever later happens to the
incidents (edits, withdrawals, merges) or to the export code and the SITE_URL setting
(README, "Citing a view"; docs/PERFORMANCE.md, Snapshots).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class SnapshotFile(models.Model):
    """One exported file's bytes: zlib-compressed chunks in `SnapshotChunk`, in `seq` order."""

    sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the uncompressed bytes (hex).")
    size = models.BigIntegerField(help_text="Uncompressed size in bytes.")
    stored_size = models.BigIntegerField(help_text="Compressed size in bytes, as stored.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.sha256[:12]}… ({self.size} bytes)"


class SnapshotChunk(models.Model):
    """Consecutive pieces of one zlib stream; concatenated in `seq` order they decompress to the file."""

    file = models.ForeignKey(SnapshotFile, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["file", "seq"], name="snapshot_chunk_order")]


class Snapshot(models.Model):
    """A cited view: its filter, its moment and what it contained then. Never changed after creation."""

    created_at = models.DateTimeField(help_text="The moment cited (UTC): the files are the view as of then.")
    query = models.TextField(blank=True, help_text="The dashboard filter's query string (filter parameters only).")
    filter_words = models.TextField(blank=True, help_text="The filter in words, as it read at that moment.")
    rows = models.PositiveIntegerField(help_text="Incidents in the view (data rows of the CSV).")
    incident_ids = ArrayField(models.BigIntegerField(), default=list,
                              help_text="Primary keys of the incidents in the view, to tell what changed since.")
    csv_sha256 = models.CharField("SHA-256 of the CSV", max_length=64)
    csv_file = models.ForeignKey(SnapshotFile, on_delete=models.PROTECT, related_name="+")
    geojson_sha256 = models.CharField("SHA-256 of the GeoJSON", max_length=64)
    geojson_file = models.ForeignKey(SnapshotFile, on_delete=models.PROTECT, related_name="+")
    # A keyed hash of the client's address (never the address): how the per-client throttle counts.
    client = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "created_at"], name="snapshot_client_time")]

    def __str__(self):
        return f"snapshot {self.pk} ({self.rows} incidents, {self.created_at:%Y-%m-%d %H:%M} UTC)"
