"""List likely duplicate incidents in the whole database (or for one incident)."""

from django.core.management.base import BaseCommand, CommandError

from incidents.coding.duplicates import DISTANCE_KM, all_candidate_pairs, candidates_for
from incidents.models import Incident


class Command(BaseCommand):
    help = (f"Find likely duplicate incidents: same event type, overlapping dates (within their precision), within "
            f"{DISTANCE_KM} km, a shared actor; pairs answered 'not a duplicate' are left out. Changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--incident", type=int, help="Only the duplicates of this incident id.")
        parser.add_argument("--limit", type=int, default=200, help="Print at most this many pairs (default 200).")

    def handle(self, *args, **options):
        if options["incident"]:
            incident = Incident.objects.filter(pk=options["incident"]).first()
            if incident is None:
                raise CommandError(f"No incident #{options['incident']}.")
            pairs = [(incident, c.incident, c.reasons, c.score) for c in candidates_for(incident)]
        else:
            pairs = all_candidate_pairs()
        for a, b, reasons, score in pairs[:options["limit"]]:
            self.stdout.write(f"#{a.pk} and #{b.pk} (score {score:.2f}): {a} | {b}\n    " + "; ".join(reasons))
        shown = min(len(pairs), options["limit"])
        self.stdout.write(f"{len(pairs)} likely duplicate pair(s)" + (f", {shown} shown." if shown < len(pairs) else
                                                                      "."))
