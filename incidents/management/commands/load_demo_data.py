"""manage.py load_demo_data [--count N]: synthetic demonstration incidents, marked and removable (issue 20)."""

import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.management.commands.load_gazetteer import GAZETTEER_FILE
from incidents.operations.synthetic.demo import DEFAULT_COUNT, DEMO_SEED, DemoDataInUse, load_demo


def gazetteer_population():
    """{geonameid: population} from the gazetteer file: weights for the synthetic places."""
    with open(GAZETTEER_FILE, encoding="utf-8") as f:
        return {int(row["geonameid"]): int(row["population"] or 0) for row in csv.DictReader(f)}


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = ("Replace the synthetic demonstration data with COUNT incidents (default 20,000), their articles and "
            "evidence quotes. They are tagged `demo`, their ids start with DEMO, and every page shows a banner "
            "while they exist; `manage.py remove_demo_data` removes them. Real incidents are never touched.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=positive, default=DEFAULT_COUNT,
                            help="number of demonstration incidents (at least 1; default %(default)s)")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="random seed (same seed, same data)")

    def handle(self, *args, count, seed, verbosity=1, **options):
        def say(message):
            if verbosity:
                self.stdout.write(message)

        try:
            counts = load_demo(count, seed=seed, population=gazetteer_population(), progress=verbosity > 1, say=say)
        except DemoDataInUse as error:
            raise CommandError(str(error)) from error
        say(_("Loaded %(incidents)s synthetic demonstration incidents and %(articles)s articles in %(seconds)s s.")
            % {"incidents": f"{counts['incidents_incident']:,}", "articles": f"{counts['incidents_article']:,}",
               "seconds": counts["seconds"]})
