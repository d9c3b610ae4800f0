"""Print how right the incident suggestions are: on real ACLED rows (time split) and on the gold reports."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from incidents.coding.suggest import acled_evaluation as acled
from incidents.coding.suggest.evaluation import GOLD_DIR, GoldError, evaluate, load_gold, table
from incidents.coding.suggest.examples import examples_from_acled
from incidents.coding.suggest.extraction import suggest_incidents
from incidents.coding.suggest.lexicon import Lexicon


def _day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--train-before: “{text}” is not a date; write it as 2021-01-01.") from error


class Command(BaseCommand):
    help = ("Score the incident suggestions. With --acled FILE: train only on the file's rows dated before "
            "--train-before, score every later row (ours, today's rules, the most frequent value), a "
            "reliability table, and the territory classes' recall under month-grouped cross-validation; the "
            "gold reports are then scored with the rules and with that model. Without --acled: the gold "
            "reports with the rules. Needs the dictionaries: run seed_demo first.")

    def add_arguments(self, parser):
        parser.add_argument("--gold", default=str(GOLD_DIR), help="Folder of gold report JSON files.")
        parser.add_argument("--report", action="append", default=[],
                            help="Only this report (file name without .json); repeatable.")
        parser.add_argument("--misses", action="store_true", help="Also list every wrong or missing value.")
        parser.add_argument("--acled", help="An ACLED CSV export (read in place, nothing is stored).")
        parser.add_argument("--train-before", type=_day, default=datetime.date(2021, 1, 1),
                            help="Train on rows dated before this day (YYYY-MM-DD), score the rest.")
        parser.add_argument("--folds", type=int, default=5, help="Month-grouped cross-validation folds.")
        parser.add_argument("--all-notes", action="store_true",
                            help="Also run every row's notes (training rows too) through the suggestions and "
                                 "count crashes.")

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
        model = None
        if options["acled"]:
            model = self.acled(options, lexicon)
        # The known sets first, then any other a gold file names (e.g. "arabic"): none is left out unsaid.
        names = ["development", "held-out", "news-style"]
        names += sorted({r.set for r in reports} - set(names))
        groups = [(f"{name} set", [r for r in reports if r.set == name]) for name in names]
        groups = [(heading, chosen) for heading, chosen in groups if chosen]
        if len(groups) > 1:
            groups.append(("all reports", reports))
        self.stdout.write("## Gold reports\n")
        for heading, chosen in groups:
            for label, used in [("today's rules", None)] + ([("ours", model)] if model else []):
                scores = evaluate(chosen, lexicon, used)
                self.stdout.write(table(scores, chosen, f"{heading}, {label}") + "\n")
                if options["misses"] and heading != "all reports":
                    self.stdout.write("Wrong or missing:")
                    for report, what in scores.misses:
                        self.stdout.write(f"- {report}: {what}")
                    self.stdout.write("")

    def acled(self, options, lexicon):
        try:
            examples = examples_from_acled(options["acled"])
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['acled']}: {error}") from error
        split = options["train_before"]
        if not any(e.date < split for e in examples) or not any(e.date >= split for e in examples):
            raise CommandError(f"--train-before {split}: the file needs rows on both sides of that day.")
        self.stdout.write(f"## ACLED rows, time split at {split} ({options['acled']})\n")
        result = acled.time_split(examples, split, lexicon)
        self.stdout.write(acled.time_split_table(result) + "\n")
        for ref, error in result.crashes:
            self.stdout.write(f"- crash on {ref}: {error}")
        self.stdout.write("\n### Reliability of ours (test rows): right / suggested per confidence band\n")
        self.stdout.write(acled.reliability_table(result) + "\n")
        self.stdout.write(f"\n### Territory sub-event types, {options['folds']}-fold cross-validation grouped by "
                          "month (all rows; each scored by a model that never saw its month)\n")
        for name, (right, total) in acled.month_grouped_recall(examples, options["folds"]).items():
            self.stdout.write(f"- {name}: recall {acled.percent(right, total)} ({right} of {total})")
        if options["all_notes"]:
            crashes = []
            for e in examples:
                try:
                    suggest_incidents(e.text, lexicon, e.date, model=result.model)
                except Exception as error:  # noqa: BLE001 - counted and named
                    crashes.append((e.ref, f"{type(error).__name__}: {error}"))
            self.stdout.write(f"\nAll {len(examples)} notes through suggest_incidents: {len(crashes)} crashes")
            for ref, error in crashes:
                self.stdout.write(f"- {ref}: {error}")
        self.stdout.write("")
        return result.model
