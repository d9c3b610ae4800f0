"""Train the learned suggestions from this deployment's own coding and write a new model file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from incidents.coding.suggest.examples import examples_from_database
from incidents.coding.suggest.learned import LearnedModel, current_model
from incidents.coding.suggest.retraining import train_while_stale
from incidents.models import Actor, DataVersion, Incident, Place, RejectedActorForm


def published_data_version():
    """The public data version (incidents.models.DataVersion; 0 before any publication)."""
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


class Command(BaseCommand):
    help = ("Train the suggestion model on every approved incident with evidence quotes and every imported "
            "ACLED row with notes in this database; writes SUGGESTION_MODEL_DIR/suggestions-<UTC stamp>.joblib "
            "(the pages load the newest; older files are kept, --keep of them). Run after imports, or every few "
            "minutes from a scheduler with --if-stale (imports start that by themselves); pages never wait on it. One "
            "training at a time per model folder (SUGGESTION_MODEL_DIR/training.lock): with --if-stale a second one "
            "exits at once, without it waits.")

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=3, help="How many model files to keep (default 3).")
        parser.add_argument("--aliases", action="store_true",
                            help="Do not train: list the newest model's learned actor surface forms (support, "
                                 "precision), for an analyst to copy the good ones into the actor's aliases in the "
                                 "admin, where they are kept and edited.")
        parser.add_argument("--if-stale", action="store_true",
                            help="Train only if an approved incident (coded or imported) changed since the newest "
                                 "model read the database, and again while one changed during the training. Deletions are not "
                                 "noticed: run without it after them.")

    def handle(self, *args, **options):
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        if options["aliases"]:
            self.list_aliases()
            return
        trained = train_while_stale(self.stale, lambda: self.train(options["keep"]), first=not options["if_stale"],
                                    wait=not options["if_stale"])
        if trained is None:
            self.stdout.write("Another training is running on this model folder; it checks for changes again when "
                              "it ends. Not trained.")
        elif trained == 0:
            newest = current_model()
            self.stdout.write(f"Model {newest.version} is up to date: no approved incident changed since "
                              f"{newest.data_as_of:%Y-%m-%d %H:%M:%S} UTC. Not retrained.")

    def stale(self):
        """Whether the published data changed since the newest model read the database (or there is none).

        Two signs: an approved incident saved since (updated_at, stamped at save), or the public data
        version (DataVersion, bumped at COMMIT, deletions and withdrawals included) moved. The second
        catches a long transaction that stamped its rows before a training read the database and
        committed after; the first a change inside a transaction the version does not see yet (tests)."""
        newest = current_model()
        as_of = getattr(newest, "data_as_of", None)
        if as_of is None:
            return True
        seen = getattr(newest, "data_version", None)
        return seen is not None and seen != published_data_version() or \
            Incident.objects.filter(status=Incident.Status.APPROVED, updated_at__gt=as_of).exists()

    def train(self, keep):
        as_of = timezone.now()  # before reading: a change made while training makes the next run retrain
        version = published_data_version()  # likewise: read before the examples
        examples = examples_from_database()
        try:
            model = LearnedModel(examples, places=Place.objects.select_related("admin1", "admin2"),
                                 rejected=RejectedActorForm.pairs(), actors=Actor.objects.all())
        except ValueError as error:
            raise CommandError(f"Not trained: {error} Until then the suggestions use the rules alone.") from error
        model.data_as_of, model.data_version = as_of, version
        path = model.save()
        old = sorted(path.parent.glob("suggestions-*.joblib"))[:-keep]
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
