"""Fold the timeline counts' deltas together (hourly, in docker-compose's maintenance service), or rebuild them from the incidents."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from incidents.models.counts import ActorCount, AreaTimelineCount, MapCellCount, TimelineCount, TimelineMonthCount


def count_rows():
    return sum(model.objects.count() for model in (TimelineCount, TimelineMonthCount, AreaTimelineCount, ActorCount, MapCellCount))


class Command(BaseCommand):
    help = ("Compact the counts kept on write (timeline, actors, map cells): every write adds signed delta rows, which "
            "readers sum; "
            "this folds them into one row per key. Safe while analysts work. --rebuild recounts from the "
            "incidents instead (after a bulk load with triggers off, e.g. session_replication_role=replica).")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Recount from the incidents table.")

    def handle(self, *args, **options):
        before, started = count_rows(), time.monotonic()
        function = "incidents_rebuild_counts" if options["rebuild"] else "incidents_compact_counts"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}()")
        self.stdout.write(f"Counts kept on write: {before:,} rows before, {count_rows():,} after "
                          f"({time.monotonic() - started:.1f} s).")
