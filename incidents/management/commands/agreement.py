"""manage.py agreement: the agreement page's table as text (the same computation, another rendering)."""

from django.core.management.base import BaseCommand, CommandError

from incidents.review.agreement import DATE_WITHIN_DAYS, PLACE_WITHIN_KM, agreement_table, as_text


class Command(BaseCommand):
    help = ("Print inter-coder agreement of double-coded articles (Krippendorff's alpha) by field, by coder pair "
            "and by month, with the number of units behind each figure.")

    def add_arguments(self, parser):
        parser.add_argument("--km", type=float, default=PLACE_WITHIN_KM,
                            help=f"places agree within this many km (default {PLACE_WITHIN_KM:g}, 0–500)")
        parser.add_argument("--days", type=int, default=DATE_WITHIN_DAYS,
                            help=f"dates agree within this many days (default {DATE_WITHIN_DAYS}, 0–365)")

    def handle(self, *args, km, days, **options):
        if not 0 <= km <= 500:
            raise CommandError(f"--km {km:g} is out of range: give 0 to 500 km.")
        if not 0 <= days <= 365:
            raise CommandError(f"--days {days} is out of range: give 0 to 365 days.")
        for line in as_text(agreement_table(km=km, days=days)):
            self.stdout.write(line)
