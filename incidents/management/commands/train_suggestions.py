"""Train the learned suggestions from this deployment's own coding and write a new model file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from incidents.coding.suggest.examples import examples_from_database
from incidents.coding.suggest.learned import LearnedModel, current_model
from incidents.models import Incident, Place, RejectedActorForm


class Command(BaseCommand):
    help = ("Train the suggestion model on every approved incident with evidence quotes and every imported "
            "ACLED row with notes in this database; writes SUGGESTION_MODEL_DIR/suggestions-<UTC stamp>.joblib "
            "(the pages load the newest; older files are kept, --keep of them). Run after imports, or every few "
            "minutes from a scheduler with --if-stale; pages never wait on it.")

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=3, help="How many model files to keep (default 3).")
        parser.add_argument("--aliases", action="store_true",
                            help="Do not train: list the newest model's learned actor surface forms (support, "
                                 "precision), for an analyst to copy the good ones into the actor's aliases in the "
                                 "admin, where they are kept and edited.")
        parser.add_argument("--if-stale", action="store_true",
                            help="Train only if an approved incident (coded or imported) changed since the newest "
                                 "model read the database. Deletions are not noticed: run without it after them.")

    def handle(self, *args, **options):
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        if options["aliases"]:
            self.list_aliases()
            return
        if options["if_stale"]:
            newest = current_model()
            as_of = getattr(newest, "data_as_of", None)
            if as_of is not None and not Incident.objects.filter(
                    status=Incident.Status.APPROVED, updated_at__gt=as_of).exists():
                self.stdout.write(f"Model {newest.version} is up to date: no approved incident changed since "
                                  f"{as_of:%Y-%m-%d %H:%M:%S} UTC. Not retrained.")
                return
        as_of = timezone.now()  # before reading: a change made while training makes the next run retrain
        examples = examples_from_database()
        try:
            model = LearnedModel(examples, places=Place.objects.select_related("admin1", "admin2"),
                                 rejected=RejectedActorForm.pairs())
        except ValueError as error:
            raise CommandError(f"Not trained: {error} Until then the suggestions use the rules alone.") from error
        model.data_as_of = as_of
        path = model.save()
        old = sorted(path.parent.glob("suggestions-*.joblib"))[:-options["keep"]]
        for stale in old:
            stale.unlink()
        self.stdout.write(f"Trained model {model.version} on {model.examples} examples "
                          f"({model.first_day} to {model.last_day}): {path}")

    def list_aliases(self):
        model = current_model()
        if model is None or model.forms is None:
            raise CommandError("No trained model with actor forms: run train_suggestions first.")
        by_actor = {}
        for form in model.forms.forms.values():
            if (form.surface, form.actor) in model.rejected:
                continue
            by_actor.setdefault(form.actor, []).append(form)
        self.stdout.write(f"Learned surface forms of model {model.version} (texts that say it and were coded with "
                          "the actor, share of the texts that say it):")
        for actor in sorted(by_actor):
            forms = sorted(by_actor[actor], key=lambda f: (-f.support, f.surface))
            self.stdout.write(f"{actor}: " + "; ".join(f"“{f.surface}” {f.support}, {f.precision:.0%}"
                                                       for f in forms[:15]))
