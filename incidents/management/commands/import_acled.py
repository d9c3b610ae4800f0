"""manage.py import_acled FILE [--approve]: check every row, then import all of it in one transaction, or nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from incidents.coding.suggest import retraining
from incidents.intake.acled_import import ImportRefused, import_acled_csv


class Command(BaseCommand):
    help = ("Import an ACLED CSV export. Every row is checked first; a bad file is refused with a report "
            "naming each bad row and column, and nothing is written. Re-importing a file changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV in ACLED's export format (UTF-8).")
        parser.add_argument("--approve", action="store_true",
                            help="Publish new incidents at once (status approved). Without it they go to review.")
        parser.add_argument("--user", help="Username recorded in the history as the importer.")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        quiet = options["verbosity"] == 0

        def bar(description):
            return lambda items: tqdm(items, desc=description, unit=" rows", disable=quiet, leave=False)

        try:
            with open(options["file"], "rb") as file:  # decoded by intake.csv_text, which names bad bytes
                summary = import_acled_csv(file, approve=options["approve"], user=user,
                                           check_progress=bar("Checking"), write_progress=bar("Writing"))
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        except ImportRefused as refused:
            self.stderr.write(refused.report())
            raise CommandError(str(refused)) from refused
        for line in summary.lines():
            self.stdout.write(line)
        if summary.created or summary.updated:
            retraining.after_import()  # committed already: starts at once, detached

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None
