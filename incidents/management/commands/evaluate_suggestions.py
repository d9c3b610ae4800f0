"""Print precision and recall of the incident suggestions per field against the gold reports."""

from django.core.management.base import BaseCommand, CommandError

from incidents.coding.suggest.evaluation import GOLD_DIR, GoldError, evaluate, load_gold, table
from incidents.coding.suggest.lexicon import Lexicon


class Command(BaseCommand):
    help = ("Suggest incidents for every gold report in fixtures/gold/ and print precision and recall per "
            "field (event type, actors, place, fatalities). Needs the dictionaries: run seed_demo first.")

    def add_arguments(self, parser):
        parser.add_argument("--gold", default=str(GOLD_DIR), help="Folder of gold report JSON files.")
        parser.add_argument("--report", action="append", default=[],
                            help="Only this report (file name without .json); repeatable.")
        parser.add_argument("--misses", action="store_true", help="Also list every wrong or missing value.")

    def handle(self, *args, **options):
        try:
            reports = load_gold(options["gold"])
        except (GoldError, OSError, ValueError) as error:
            raise CommandError(f"Cannot use the gold set: {error}") from error
        if options["report"]:
            unknown = set(options["report"]) - {r.name for r in reports}
            if unknown:
                raise CommandError(f"No gold report named: {', '.join(sorted(unknown))}.")
            reports = [r for r in reports if r.name in options["report"]]
        lexicon = Lexicon.load()
        groups = [(f"{name} set", [r for r in reports if r.set == name]) for name in ("development", "held-out")]
        groups = [(heading, chosen) for heading, chosen in groups if chosen]
        if len(groups) > 1:
            groups.append(("all reports", reports))
        for heading, chosen in groups:
            scores = evaluate(chosen, lexicon)
            self.stdout.write(table(scores, chosen, heading) + "\n")
            if options["misses"] and heading != "all reports":
                self.stdout.write("Wrong or missing:")
                for report, what in scores.misses:
                    self.stdout.write(f"- {report}: {what}")
                self.stdout.write("")
