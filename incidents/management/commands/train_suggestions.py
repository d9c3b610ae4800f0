"""Train the learned suggestions from this deployment's own coding and write a new model file."""

from django.core.management.base import BaseCommand, CommandError

from incidents.coding.suggest.examples import examples_from_database
from incidents.coding.suggest.learned import LearnedModel
from incidents.models import Place


class Command(BaseCommand):
    help = ("Train the suggestion model on every approved incident with evidence quotes and every imported "
            "ACLED row with notes in this database; writes SUGGESTION_MODEL_DIR/suggestions-<UTC stamp>.joblib "
            "(the pages load the newest; older files are kept, --keep of them). Run after imports.")

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=3, help="How many model files to keep (default 3).")

    def handle(self, *args, **options):
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        examples = examples_from_database()
        try:
            model = LearnedModel(examples, places=Place.objects.select_related("admin1", "admin2"))
        except ValueError as error:
            raise CommandError(f"Not trained: {error} Until then the suggestions use the rules alone.") from error
        path = model.save()
        old = sorted(path.parent.glob("suggestions-*.joblib"))[:-options["keep"]]
        for stale in old:
            stale.unlink()
        self.stdout.write(f"Trained model {model.version} on {model.examples} examples "
                          f"({model.first_day} to {model.last_day}): {path}")
